import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { querySqs, startSqsEddy, type SqsTestEddy } from './helpers.js';

let t: SqsTestEddy;
beforeAll(async () => {
  t = await startSqsEddy();
});
afterAll(() => t.close());

const NS = 'xmlns="http://queue.amazonaws.com/doc/2012-11-05/"';
const element = (xml: string, name: string): string[] => [...xml.matchAll(new RegExp(`<${name}>(.*?)</${name}>`, 'gs'))].map((m) => m[1]!);

describe('SQS over the Query protocol (form POST, XML answers)', () => {
  it('creates a queue with attributes and tags, sends to its URL path, receives with attributes', async () => {
    const created = await querySqs(t.endpoint, {
      Action: 'CreateQueue',
      QueueName: 'legacy',
      'Attribute.1.Name': 'VisibilityTimeout',
      'Attribute.1.Value': '40',
      'Tag.1.Key': 'team',
      'Tag.1.Value': 'old',
    });
    expect(created.status).toBe(200);
    expect(created.headers.get('content-type')).toBe('text/xml');
    expect(created.text).toMatch(new RegExp(`^<\\?xml version="1.0"\\?>\\n<CreateQueueResponse ${NS}><CreateQueueResult><QueueUrl>`));
    const url = element(created.text, 'QueueUrl')[0]!;
    expect(url).toBe(`${t.endpoint}/000000000000/legacy`);

    // Older clients POST to the queue URL and leave QueueUrl out.
    const sent = await querySqs(
      t.endpoint,
      { Action: 'SendMessage', MessageBody: 'a & <b>', 'MessageAttribute.1.Name': 'kind', 'MessageAttribute.1.Value.DataType': 'String', 'MessageAttribute.1.Value.StringValue': 'legacy' },
      '/000000000000/legacy',
    );
    expect(sent.status).toBe(200);
    expect(element(sent.text, 'MD5OfMessageBody')).toEqual([createHash('md5').update('a & <b>').digest('hex')]);
    expect(element(sent.text, 'MD5OfMessageAttributes')).toHaveLength(1);

    const received = await querySqs(t.endpoint, { Action: 'ReceiveMessage', QueueUrl: url, 'AttributeName.1': 'ApproximateReceiveCount', 'MessageAttributeName.1': 'All' });
    expect(received.text).toContain('<ReceiveMessageResult><Message><MessageId>');
    expect(received.text).toContain('<Body>a &amp; &lt;b&gt;</Body>');
    expect(received.text).toContain('<Attribute><Name>ApproximateReceiveCount</Name><Value>1</Value></Attribute>');
    expect(received.text).toContain('<MessageAttribute><Name>kind</Name><Value><StringValue>legacy</StringValue><DataType>String</DataType></Value></MessageAttribute>');
    const handle = element(received.text, 'ReceiptHandle')[0]!;

    const attributes = await querySqs(t.endpoint, { Action: 'GetQueueAttributes', QueueUrl: url, 'AttributeName.1': 'VisibilityTimeout', 'AttributeName.2': 'ApproximateNumberOfMessagesNotVisible' });
    expect(attributes.text).toContain(
      '<GetQueueAttributesResult><Attribute><Name>VisibilityTimeout</Name><Value>40</Value></Attribute><Attribute><Name>ApproximateNumberOfMessagesNotVisible</Name><Value>1</Value></Attribute></GetQueueAttributesResult>',
    );
    const tags = await querySqs(t.endpoint, { Action: 'ListQueueTags', QueueUrl: url });
    expect(tags.text).toContain('<ListQueueTagsResult><Tag><Key>team</Key><Value>old</Value></Tag></ListQueueTagsResult>');

    const deleted = await querySqs(t.endpoint, { Action: 'DeleteMessageBatch', QueueUrl: url, 'DeleteMessageBatchRequestEntry.1.Id': 'one', 'DeleteMessageBatchRequestEntry.1.ReceiptHandle': handle });
    expect(deleted.text).toContain('<DeleteMessageBatchResult><DeleteMessageBatchResultEntry><Id>one</Id></DeleteMessageBatchResultEntry></DeleteMessageBatchResult>');
    const listed = await querySqs(t.endpoint, { Action: 'ListQueues', QueueNamePrefix: 'leg' });
    expect(listed.text).toContain(`<ListQueuesResult><QueueUrl>${url}</QueueUrl></ListQueuesResult>`);
  });

  it('batch entries and their failures', async () => {
    await querySqs(t.endpoint, { Action: 'CreateQueue', QueueName: 'legacy-batch' });
    const sent = await querySqs(
      t.endpoint,
      {
        Action: 'SendMessageBatch',
        'SendMessageBatchRequestEntry.1.Id': 'ok',
        'SendMessageBatchRequestEntry.1.MessageBody': 'fine',
        'SendMessageBatchRequestEntry.2.Id': 'bad',
        'SendMessageBatchRequestEntry.2.MessageBody': 'x',
        'SendMessageBatchRequestEntry.2.DelaySeconds': '901',
      },
      '/000000000000/legacy-batch',
    );
    expect(sent.text).toContain('<SendMessageBatchResultEntry><Id>ok</Id><MessageId>');
    expect(sent.text).toContain(
      '<BatchResultErrorEntry><Id>bad</Id><SenderFault>true</SenderFault><Code>InvalidParameterValue</Code><Message>Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be &gt;= 0 and &lt;= 900.</Message></BatchResultErrorEntry>',
    );
  });

  it('answers errors as XML with the Query codes', async () => {
    const missing = await querySqs(t.endpoint, { Action: 'GetQueueUrl', QueueName: 'ghost' });
    expect(missing.status).toBe(400);
    expect(missing.text).toMatch(
      new RegExp(
        `<ErrorResponse ${NS}><Error><Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code><Message>The specified queue does not exist.</Message></Error><RequestId>[\\w-]+</RequestId></ErrorResponse>`,
      ),
    );
    const exists = await querySqs(t.endpoint, { Action: 'CreateQueue', QueueName: 'legacy-x', 'Attribute.1.Name': 'DelaySeconds', 'Attribute.1.Value': '1' });
    expect(exists.status).toBe(200);
    const conflict = await querySqs(t.endpoint, { Action: 'CreateQueue', QueueName: 'legacy-x', 'Attribute.1.Name': 'DelaySeconds', 'Attribute.1.Value': '2' });
    expect(element(conflict.text, 'Code')).toEqual(['QueueAlreadyExists']);
    const noUrl = await querySqs(t.endpoint, { Action: 'ReceiveMessage' });
    expect(element(noUrl.text, 'Code')).toEqual(['MissingParameter']);
    expect(element(noUrl.text, 'Message')).toEqual(['The request must contain the parameter QueueUrl.']);
    const notNumber = await querySqs(t.endpoint, { Action: 'ReceiveMessage', MaxNumberOfMessages: 'ten' }, '/000000000000/legacy-x');
    expect(element(notNumber.text, 'Code')).toEqual(['InvalidParameterValue']);
    const handle = await querySqs(t.endpoint, { Action: 'DeleteMessage', ReceiptHandle: 'nope' }, '/000000000000/legacy-x');
    expect(handle.status).toBe(404);
    expect(element(handle.text, 'Code')).toEqual(['ReceiptHandleIsInvalid']);
  });
});
