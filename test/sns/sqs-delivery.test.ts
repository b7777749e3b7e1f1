import { ConfirmSubscriptionCommand, CreateTopicCommand, PublishBatchCommand, PublishCommand, SubscribeCommand, type MessageAttributeValue } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCredentials } from '../helpers/eddy.js';
import { rawSqs } from '../sqs/helpers.js';
import { startSnsEddy, type SnsTestEddy } from './helpers.js';
import { startHttpEndpoint } from './http-endpoint.js';

let t: SnsTestEddy;
let sqs: SQSClient;
beforeAll(async () => {
  t = await startSnsEddy();
  sqs = new SQSClient({ endpoint: t.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
});
afterAll(async () => {
  sqs.destroy();
  await t.close();
});

let counter = 0;
/** A new queue: its URL and ARN. */
async function queue(name = `q-${++counter}`, attributes: Record<string, string> = {}): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

/** Every message in the queue now (no waiting: SNS delivers to SQS within Publish). */
async function drain(url: string) {
  const messages = [];
  for (;;) {
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }));
    if (!Messages?.length) return messages;
    messages.push(...Messages);
  }
}

describe('delivery to SQS', () => {
  it('wraps the message in the SNS JSON envelope, receivable right after Publish', async () => {
    const { TopicArn } = await t.sns.send(new CreateTopicCommand({ Name: 'envelope' }));
    const q = await queue();
    const { SubscriptionArn } = await t.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn }));
    const { MessageId } = await t.sns.send(
      new PublishCommand({ TopicArn, Message: '{"order": 1}', Subject: 'New order', MessageAttributes: { eventName: { DataType: 'String', StringValue: 'INSERT' } } }),
    );
    const [message, ...rest] = await drain(q.url);
    expect(rest).toEqual([]);
    expect(message!.MessageAttributes).toBeUndefined();
    const body = JSON.parse(message!.Body!);
    expect(Object.keys(body)).toEqual(['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL', 'MessageAttributes']);
    expect(body).toMatchObject({
      Type: 'Notification',
      MessageId,
      TopicArn,
      Subject: 'New order',
      Message: '{"order": 1}',
      SignatureVersion: '1',
      UnsubscribeURL: `${t.endpoint}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(SubscriptionArn!)}`,
      MessageAttributes: { eventName: { Type: 'String', Value: 'INSERT' } },
    });
    expect(body.Timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Buffer.from(body.Signature, 'base64').length).toBeGreaterThan(0);

    // Without a subject or attributes, neither key is there.
    await t.sns.send(new PublishCommand({ TopicArn, Message: 'plain' }));
    const plain = JSON.parse((await drain(q.url))[0]!.Body!);
    expect('Subject' in plain || 'MessageAttributes' in plain).toBe(false);
  });

  it('delivers raw: the message as the body and the attributes as SQS message attributes', async () => {
    const { TopicArn } = await t.sns.send(new CreateTopicCommand({ Name: 'raw' }));
    const q = await queue();
    await t.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn, Attributes: { RawMessageDelivery: 'true' } }));
    await t.sns.send(
      new PublishCommand({
        TopicArn,
        Message: 'raw body',
        MessageAttributes: { s: { DataType: 'String', StringValue: 'x' }, n: { DataType: 'Number', StringValue: '42' }, b: { DataType: 'Binary', BinaryValue: Buffer.from('bin') } },
      }),
    );
    const [message] = await drain(q.url);
    expect(message!.Body).toBe('raw body');
    expect(message!.MessageAttributes).toEqual({
      s: { DataType: 'String', StringValue: 'x' },
      n: { DataType: 'Number', StringValue: '42' },
      b: { DataType: 'Binary', BinaryValue: new Uint8Array(Buffer.from('bin')) },
    });
  });

  it('keeps a message attribute named "__proto__", in the envelope and in raw delivery', async () => {
    const { TopicArn } = await t.sns.send(new CreateTopicCommand({ Name: 'proto-attributes' }));
    const wrapped = await queue();
    const raw = await queue();
    await t.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: wrapped.arn }));
    await t.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: raw.arn, Attributes: { RawMessageDelivery: 'true' } }));
    // A computed key: an own "__proto__" entry, as a client's map would hold it.
    await t.sns.send(new PublishCommand({ TopicArn, Message: 'm', MessageAttributes: { ['__proto__']: { DataType: 'String', StringValue: 'p' }, k: { DataType: 'String', StringValue: 'v' } } }));
    const [message] = await drain(wrapped.url);
    const envelope = JSON.parse(message!.Body!).MessageAttributes;
    expect(Object.keys(envelope)).toEqual(['__proto__', 'k']);
    expect(Object.getOwnPropertyDescriptor(envelope, '__proto__')?.value).toEqual({ Type: 'String', Value: 'p' });
    // Read raw: the SDK's own map copy would drop the entry the same way.
    const received = await rawSqs(t.endpoint, 'ReceiveMessage', { QueueUrl: raw.url, MessageAttributeNames: ['All'] });
    const attributes = received.json.Messages[0].MessageAttributes;
    expect(Object.keys(attributes)).toEqual(['__proto__', 'k']);
    expect(Object.getOwnPropertyDescriptor(attributes, '__proto__')?.value).toEqual({ DataType: 'String', StringValue: 'p' });
  });

  it('fans out to every subscribed queue, also from PublishBatch', async () => {
    const { TopicArn } = await t.sns.send(new CreateTopicCommand({ Name: 'fan' }));
    const queues = [await queue(), await queue(), await queue()];
    for (const q of queues) await t.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn, Attributes: { RawMessageDelivery: 'true' } }));
    await t.sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [{ Id: 'a', Message: 'one' }, { Id: 'b', Message: 'two' }] }));
    for (const q of queues) expect((await drain(q.url)).map((m) => m.Body).sort()).toEqual(['one', 'two']);
  });

  it('delivers a FIFO topic to a FIFO queue in order, with the group and deduplication id', async () => {
    const { TopicArn } = await t.sns.send(new CreateTopicCommand({ Name: 'ordered.fifo', Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' } }));
    const q = await queue('ordered.fifo', { FifoQueue: 'true' });
    await t.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn, Attributes: { RawMessageDelivery: 'true' } }));
    for (const n of [1, 2, 3]) await t.sns.send(new PublishCommand({ TopicArn, Message: `m${n}`, MessageGroupId: 'g1' }));
    const messages = await drain(q.url);
    expect(messages.map((m) => m.Body)).toEqual(['m1', 'm2', 'm3']);
    expect(messages[0]!.Attributes).toMatchObject({ MessageGroupId: 'g1' });
    expect(messages[0]!.Attributes!.MessageDeduplicationId).toMatch(/^[0-9a-f]{64}$/);
  });

  it("forwards a standard topic's MessageGroupId to standard queues (fair queues)", async () => {
    const { TopicArn } = await t.sns.send(new CreateTopicCommand({ Name: 'fair' }));
    const q = await queue();
    await t.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn }));
    await t.sns.send(new PublishCommand({ TopicArn, Message: 'tenant message', MessageGroupId: 'tenant-1' }));
    const [message] = await drain(q.url);
    expect(message!.Attributes).toMatchObject({ MessageGroupId: 'tenant-1' });
  });

  it('sends to the dead-letter queue when the subscribed queue is gone', async () => {
    const { TopicArn } = await t.sns.send(new CreateTopicCommand({ Name: 'dlq' }));
    const gone = await queue();
    const dlq = await queue();
    await t.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: gone.arn, Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) } }));
    await sqs.send(new DeleteQueueCommand({ QueueUrl: gone.url }));
    await t.sns.send(new PublishCommand({ TopicArn, Message: 'lost' }));
    const [message] = await drain(dlq.url);
    expect(JSON.parse(message!.Body!)).toMatchObject({ Type: 'Notification', Message: 'lost' });
  });
});

describe('dead-letter queues of failed asynchronous deliveries', () => {
  it('takes what an http endpoint refuses and what a missing function cannot run', async () => {
    const endpoint = await startHttpEndpoint();
    try {
      const { TopicArn } = await t.sns.send(new CreateTopicCommand({ Name: 'failing' }));
      const dlq = await queue();
      const RedrivePolicy = JSON.stringify({ deadLetterTargetArn: dlq.arn });
      await t.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: endpoint.url, Attributes: { RedrivePolicy } }));
      const { Token } = JSON.parse((await endpoint.next()).body);
      await t.sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token }));
      await t.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: 'arn:aws:lambda:us-east-1:000000000000:function:missing', Attributes: { RedrivePolicy } }));
      endpoint.setStatus(500);
      await t.sns.send(new PublishCommand({ TopicArn, Message: 'refused' }));
      await t.eddy.sns.idle();
      expect((await endpoint.next()).body).toContain('"Message":"refused"');
      // The http endpoint's message waits out the default delivery policy (3 retries, 20 s apart) first.
      for (let retry = 0; retry < 3; retry++) {
        t.eddy.clock.advance(20_000);
        await t.eddy.sns.idle();
      }
      const dead = (await drain(dlq.url)).map((m) => JSON.parse(m.Body!));
      expect(dead).toHaveLength(2);
      expect(dead.every((d) => d.Type === 'Notification' && d.Message === 'refused' && d.TopicArn === TopicArn)).toBe(true);
    } finally {
      await endpoint.close();
    }
  });
});

/**
 * The filter policy matrix: for each operator, the messages that must and
 * must not reach a subscription with that policy (raw delivery, so each
 * message's body names it).
 */
describe('filter policies, end to end', () => {
  type Case = { body: string; attributes?: Record<string, MessageAttributeValue> };
  const s = (StringValue: string): MessageAttributeValue => ({ DataType: 'String', StringValue });
  const n = (StringValue: string): MessageAttributeValue => ({ DataType: 'Number', StringValue });
  const attributeCases: [string, string, Case[], string[]][] = [
    ['exact string', '{"eventName": ["INSERT", "MODIFY"]}', [{ body: 'insert', attributes: { eventName: s('INSERT') } }, { body: 'modify', attributes: { eventName: s('MODIFY') } }, { body: 'remove', attributes: { eventName: s('REMOVE') } }, { body: 'none' }], ['insert', 'modify']],
    ['exact number', '{"price": [100]}', [{ body: 'hundred', attributes: { price: n('100.0') } }, { body: 'other', attributes: { price: n('101') } }, { body: 'text', attributes: { price: s('100') } }], ['hundred']],
    ['prefix', '{"region": [{"prefix": "eu-"}]}', [{ body: 'eu', attributes: { region: s('eu-west-1') } }, { body: 'us', attributes: { region: s('us-east-1') } }], ['eu']],
    ['suffix', '{"file": [{"suffix": ".png"}]}', [{ body: 'png', attributes: { file: s('a.png') } }, { body: 'jpg', attributes: { file: s('a.jpg') } }], ['png']],
    ['anything-but', '{"eventName": [{"anything-but": ["REMOVE"]}]}', [{ body: 'insert', attributes: { eventName: s('INSERT') } }, { body: 'remove', attributes: { eventName: s('REMOVE') } }, { body: 'none' }], ['insert']],
    ['anything-but prefix', '{"eventName": [{"anything-but": {"prefix": "RE"}}]}', [{ body: 'insert', attributes: { eventName: s('INSERT') } }, { body: 'remove', attributes: { eventName: s('REMOVE') } }], ['insert']],
    ['numeric range', '{"price": [{"numeric": [">=", 10, "<", 20]}]}', [{ body: 'low', attributes: { price: n('9.99') } }, { body: 'ten', attributes: { price: n('10') } }, { body: 'mid', attributes: { price: n('15') } }, { body: 'twenty', attributes: { price: n('20') } }], ['ten', 'mid']],
    ['numeric equals', '{"qty": [{"numeric": ["=", 3]}]}', [{ body: 'three', attributes: { qty: n('3') } }, { body: 'four', attributes: { qty: n('4') } }], ['three']],
    ['exists true', '{"tenant": [{"exists": true}]}', [{ body: 'with', attributes: { tenant: s('t1') } }, { body: 'without', attributes: { other: s('x') } }], ['with']],
    ['exists false', '{"tenant": [{"exists": false}]}', [{ body: 'with', attributes: { tenant: s('t1') } }, { body: 'without', attributes: { other: s('x') } }], ['without']],
    ['equals-ignore-case', '{"kind": [{"equals-ignore-case": "order"}]}', [{ body: 'upper', attributes: { kind: s('ORDER') } }, { body: 'other', attributes: { kind: s('refund') } }], ['upper']],
    ['$or', '{"$or": [{"kind": ["a"]}, {"size": [{"numeric": [">", 5]}]}]}', [{ body: 'kind', attributes: { kind: s('a') } }, { body: 'size', attributes: { size: n('6') } }, { body: 'neither', attributes: { kind: s('b'), size: n('1') } }], ['kind', 'size']],
    ['String.Array attribute', '{"tags": ["red"]}', [{ body: 'has', attributes: { tags: { DataType: 'String.Array', StringValue: '["blue", "red"]' } } }, { body: 'lacks', attributes: { tags: { DataType: 'String.Array', StringValue: '["blue"]' } } }], ['has']],
    ['several keys (AND)', '{"kind": ["a"], "size": [{"numeric": ["<", 5]}]}', [{ body: 'both', attributes: { kind: s('a'), size: n('1') } }, { body: 'one', attributes: { kind: s('a'), size: n('9') } }], ['both']],
  ];
  const bodyCases: [string, string, string[], string[]][] = [
    ['nested keys', '{"order": {"status": ["paid"]}}', ['{"id": "paid", "order": {"status": "paid"}}', '{"id": "open", "order": {"status": "open"}}', '{"id": "flat", "status": "paid"}'], ['paid']],
    ['prefix in the body', '{"sku": [{"prefix": "B-"}]}', ['{"id": "b", "sku": "B-1"}', '{"id": "a", "sku": "A-1"}'], ['b']],
    ['numeric in the body', '{"total": [{"numeric": [">", 100]}]}', ['{"id": "big", "total": 250}', '{"id": "small", "total": 5}'], ['big']],
    ['arrays in the body', '{"items": {"sku": ["X"]}}', ['{"id": "in", "items": [{"sku": "Y"}, {"sku": "X"}]}', '{"id": "out", "items": [{"sku": "Y"}]}'], ['in']],
    ['a body that is not JSON', '{"id": [{"exists": true}]}', ['not json', '{"id": "json"}'], ['json']],
  ];

  it.each(attributeCases)('MessageAttributes scope: %s', async (_name, policy, cases, expected) => {
    const { TopicArn } = await t.sns.send(new CreateTopicCommand({ Name: `filter-${++counter}` }));
    const q = await queue();
    await t.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn, Attributes: { RawMessageDelivery: 'true', FilterPolicy: policy } }));
    for (const c of cases) await t.sns.send(new PublishCommand({ TopicArn, Message: c.body, MessageAttributes: c.attributes }));
    expect((await drain(q.url)).map((m) => m.Body).sort()).toEqual([...expected].sort());
  });

  it.each(bodyCases)('MessageBody scope: %s', async (_name, policy, bodies, expected) => {
    const { TopicArn } = await t.sns.send(new CreateTopicCommand({ Name: `body-filter-${++counter}` }));
    const q = await queue();
    await t.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn, Attributes: { RawMessageDelivery: 'true', FilterPolicyScope: 'MessageBody', FilterPolicy: policy } }));
    for (const body of bodies) await t.sns.send(new PublishCommand({ TopicArn, Message: body }));
    const received = (await drain(q.url)).map((m) => (m.Body!.startsWith('{') ? (JSON.parse(m.Body!) as { id: string }).id : m.Body));
    expect(received.sort()).toEqual([...expected].sort());
  });
});
