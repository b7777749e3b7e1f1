import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
  CancelMessageMoveTaskCommand,
  type Message,
} from '@aws-sdk/client-sqs';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf } from '../helpers/eddy.js';
import { querySqs, rawSqs, startSqsEddy, type SqsTestEddy } from './helpers.js';

let t: SqsTestEddy;
beforeAll(async () => {
  t = await startSqsEddy();
});
afterAll(() => t.close());

const create = async (QueueName: string, Attributes?: Record<string, string>) => (await t.sqs.send(new CreateQueueCommand({ QueueName, Attributes }))).QueueUrl!;
const counts = async (QueueUrl: string) => {
  const a = (await t.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }))).Attributes!;
  return { visible: a.ApproximateNumberOfMessages, inFlight: a.ApproximateNumberOfMessagesNotVisible, delayed: a.ApproximateNumberOfMessagesDelayed };
};
/** Resolves once a ReceiveMessage is parked in Eddy waiting (checked every turn of the event loop, no sleep). */
async function receiveWaiting(): Promise<void> {
  while (t.eddy.sqs.waitingReceives() === 0) await new Promise((resolve) => setImmediate(resolve));
}

const receive = async (QueueUrl: string, extra: Partial<ConstructorParameters<typeof ReceiveMessageCommand>[0]> = {}): Promise<Message[]> =>
  (await t.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, ...extra }))).Messages ?? [];

/** MD5OfMessageAttributes written out independently of Eddy's code, from the algorithm AWS documents. */
function referenceAttributesMd5(attributes: Record<string, { DataType: string; StringValue?: string; BinaryValue?: Uint8Array }>): string {
  const parts: Buffer[] = [];
  const withLength = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    parts.push(length, bytes);
  };
  for (const name of Object.keys(attributes).sort()) {
    const value = attributes[name]!;
    withLength(Buffer.from(name));
    withLength(Buffer.from(value.DataType));
    if (value.StringValue !== undefined) {
      parts.push(Buffer.from([1]));
      withLength(Buffer.from(value.StringValue));
    } else {
      parts.push(Buffer.from([2]));
      withLength(Buffer.from(value.BinaryValue!));
    }
  }
  return createHash('md5').update(Buffer.concat(parts)).digest('hex');
}

describe('SendMessage and ReceiveMessage', () => {
  it('round-trips body and attributes with AWS checksums (the SDK verifies the body MD5)', async () => {
    const url = await create('roundtrip');
    const attributes = {
      ErrorType: { DataType: 'String', StringValue: 'KeyError' },
      count: { DataType: 'Number', StringValue: '42' },
      raw: { DataType: 'Binary', BinaryValue: Uint8Array.of(0, 1, 2, 255) },
      'custom.type': { DataType: 'String.json', StringValue: '{"a":1}' },
    };
    const body = 'héllo 🌍 <xml> & "quotes"';
    const sent = await t.sqs.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageAttributes: attributes, MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793' } } }),
    );
    expect(sent.MD5OfMessageBody).toBe(createHash('md5').update(body).digest('hex'));
    expect(sent.MD5OfMessageAttributes).toBe(referenceAttributesMd5(attributes));
    expect(sent.MD5OfMessageSystemAttributes).toBe(referenceAttributesMd5({ AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793' } }));
    // A published vector: {timestamp: Number 1493147359900}.
    expect(referenceAttributesMd5({ timestamp: { DataType: 'Number', StringValue: '1493147359900' } })).toBe('235c5c510d26fb653d073faed50ae77c');

    const [message] = await receive(url, { MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] });
    expect(message!.Body).toBe(body);
    expect(message!.MessageId).toBe(sent.MessageId);
    expect(message!.MessageAttributes).toEqual(attributes);
    expect(message!.MD5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes);
    expect(message!.Attributes).toMatchObject({
      SenderId: '000000000000',
      ApproximateReceiveCount: '1',
      AWSTraceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793',
    });
    expect(Number(message!.Attributes!.SentTimestamp)).toBeLessThanOrEqual(Number(message!.Attributes!.ApproximateFirstReceiveTimestamp));
  });

  it('returns only the attributes asked for: names, prefixes with .*, or none', async () => {
    const url = await create('selective');
    await t.sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: 'x',
        MessageAttributes: { 'order.id': { DataType: 'String', StringValue: '1' }, 'order.total': { DataType: 'Number', StringValue: '9.5' }, other: { DataType: 'String', StringValue: 'o' } },
      }),
    );
    const [message] = await receive(url, { MessageAttributeNames: ['order.*'], MessageSystemAttributeNames: ['ApproximateReceiveCount'] });
    expect(Object.keys(message!.MessageAttributes!).sort()).toEqual(['order.id', 'order.total']);
    expect(message!.MD5OfMessageAttributes).toBe(
      referenceAttributesMd5({ 'order.id': { DataType: 'String', StringValue: '1' }, 'order.total': { DataType: 'Number', StringValue: '9.5' } }),
    );
    expect(message!.Attributes).toEqual({ ApproximateReceiveCount: '1' });
    await t.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: message!.ReceiptHandle, VisibilityTimeout: 0 }));
    const [plain] = await receive(url);
    expect(plain!.MessageAttributes).toBeUndefined();
    expect(plain!.Attributes).toBeUndefined();
    expect(plain!.MD5OfMessageAttributes).toBeUndefined();
  });

  it('keeps a message attribute named "__proto__", sent over JSON and over the query protocol', async () => {
    const url = await create('proto-attributes');
    const sent = await rawSqs(t.endpoint, 'SendMessage', `{"QueueUrl":"${url}","MessageBody":"json","MessageAttributes":{"__proto__":{"DataType":"String","StringValue":"p"},"x":{"DataType":"Number","StringValue":"1"}}}`);
    expect(sent.status).toBe(200);
    const expected = JSON.parse('{"__proto__":{"DataType":"String","StringValue":"p"},"x":{"DataType":"Number","StringValue":"1"}}') as Record<string, { DataType: string; StringValue: string }>;
    expect(sent.json.MD5OfMessageAttributes).toBe(referenceAttributesMd5(expected));
    const form = await querySqs(t.endpoint, {
      Action: 'SendMessage',
      QueueUrl: url,
      MessageBody: 'query',
      'MessageAttribute.1.Name': '__proto__',
      'MessageAttribute.1.Value.DataType': 'String',
      'MessageAttribute.1.Value.StringValue': 'q',
    });
    expect(form.status).toBe(200);
    const received = await rawSqs(t.endpoint, 'ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] });
    const byBody = Object.fromEntries((received.json.Messages as { Body: string; MessageAttributes: Record<string, unknown> }[]).map((m) => [m.Body, m.MessageAttributes]));
    expect(Object.keys(byBody.json!)).toEqual(['__proto__', 'x']);
    expect(Object.getOwnPropertyDescriptor(byBody.json, '__proto__')?.value).toEqual({ DataType: 'String', StringValue: 'p' });
    expect(Object.getOwnPropertyDescriptor(byBody.query, '__proto__')?.value).toEqual({ DataType: 'String', StringValue: 'q' });
  });

  it('takes a JSON null among the attribute names as no name (it answered 500 before: found by the hostile-input test)', async () => {
    const url = await create('null-names');
    await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageAttributes: { 'order.id': { DataType: 'String', StringValue: '1' }, other: { DataType: 'String', StringValue: 'o' } } }));
    const answer = await rawSqs(t.endpoint, 'ReceiveMessage', { QueueUrl: url, MessageAttributeNames: [null, 'order.*'], AttributeNames: [null], MessageSystemAttributeNames: ['ApproximateReceiveCount', null] });
    expect(answer.status).toBe(200);
    expect(answer.json.Messages).toHaveLength(1);
    expect(Object.keys(answer.json.Messages[0].MessageAttributes)).toEqual(['order.id']);
    expect(answer.json.Messages[0].Attributes).toEqual({ ApproximateReceiveCount: '1' });
  });

  it('refuses bad messages with AWS errors', async () => {
    const url = await create('strict', { MaximumMessageSize: '1024' });
    const tooBig = await errorOf(() => t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x'.repeat(1025) })));
    expect(tooBig.name).toBe('InvalidParameterValue');
    expect(tooBig.message).toBe('One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.');
    const badChar = await errorOf(() => t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'a\u0001b' })));
    expect(badChar.name).toBe('InvalidMessageContents');
    expect(badChar.message).toContain("Invalid binary character '#x1' was found in the message body");
    const empty = await errorOf(() => t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '' })));
    expect(empty.name).toBe('MissingParameter');
    const delay = await errorOf(() => t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', DelaySeconds: 901 })));
    expect(delay.message).toBe('Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.');
    const noValue = await errorOf(() => t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageAttributes: { a: { DataType: 'String' } } })));
    expect(noValue.name).toBe('InvalidParameterValue');
    const badType = await errorOf(() => t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageAttributes: { a: { DataType: 'Text', StringValue: 'v' } } })));
    expect(badType.message).toContain('You must use only the following supported type prefixes: Binary, Number, String.');
    const max = await errorOf(() => receive(url, { MaxNumberOfMessages: 11 }));
    expect(max.message).toBe('Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.');
    const wait = await errorOf(() => receive(url, { WaitTimeSeconds: 21 }));
    expect(wait.name).toBe('InvalidParameterValue');
    const handle = await errorOf(() => t.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: 'not-a-handle' })));
    expect(handle.name).toBe('ReceiptHandleIsInvalid');
    expect(handle.message).toBe('The input receipt handle "not-a-handle" is not a valid receipt handle.');
    expect(handle.$metadata?.httpStatusCode).toBe(404);
    expect(await counts(url)).toEqual({ visible: '0', inFlight: '0', delayed: '0' });
  });
});

describe('visibility, delay and retention on Eddy’s clock', () => {
  it('hides a received message for the visibility timeout, then delivers it again with a higher receive count', async () => {
    const url = await create('visibility', { VisibilityTimeout: '30' });
    await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'again' }));
    const [first] = await receive(url);
    expect(await receive(url)).toEqual([]);
    expect(await counts(url)).toEqual({ visible: '0', inFlight: '1', delayed: '0' });
    t.eddy.clock.advance(29_000);
    expect(await receive(url)).toEqual([]);
    t.eddy.clock.advance(1_000);
    const [second] = await receive(url, { MessageSystemAttributeNames: ['ApproximateReceiveCount'], VisibilityTimeout: 5 });
    expect(second!.MessageId).toBe(first!.MessageId);
    expect(second!.Attributes!.ApproximateReceiveCount).toBe('2');
    // The first receipt handle is stale: deleting with it leaves the message.
    await t.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first!.ReceiptHandle }));
    expect(await counts(url)).toEqual({ visible: '0', inFlight: '1', delayed: '0' });
    await t.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: second!.ReceiptHandle, VisibilityTimeout: 100 }));
    t.eddy.clock.advance(99_000);
    expect(await receive(url)).toEqual([]);
    await t.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: second!.ReceiptHandle }));
    expect(await counts(url)).toEqual({ visible: '0', inFlight: '0', delayed: '0' });
    const gone = await errorOf(() => t.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: second!.ReceiptHandle, VisibilityTimeout: 1 })));
    expect(gone.name).toBe('InvalidParameterValue');
    expect(gone.message).toContain('Reason: Message does not exist or is not available for visibility timeout change.');

    await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'expires' }));
    const [third] = await receive(url, { VisibilityTimeout: 10 });
    t.eddy.clock.advance(10_000);
    const notInFlight = await errorOf(() => t.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: third!.ReceiptHandle, VisibilityTimeout: 5 })));
    expect(notInFlight.name).toBe('MessageNotInflight');
  });

  it('delays messages (queue default and per message)', async () => {
    const url = await create('delayed', { DelaySeconds: '10' });
    await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'queue delay' }));
    await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'no delay', DelaySeconds: 0 }));
    await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'long delay', DelaySeconds: 60 }));
    expect(await counts(url)).toEqual({ visible: '1', inFlight: '0', delayed: '2' });
    expect((await receive(url, { VisibilityTimeout: 300 })).map((m) => m.Body)).toEqual(['no delay']);
    t.eddy.clock.advance(10_000);
    expect((await receive(url, { VisibilityTimeout: 300 })).map((m) => m.Body)).toEqual(['queue delay']);
    t.eddy.clock.advance(50_000);
    expect((await receive(url, { VisibilityTimeout: 300 })).map((m) => m.Body)).toEqual(['long delay']);
  });

  it('drops messages older than MessageRetentionPeriod', async () => {
    const url = await create('retention', { MessageRetentionPeriod: '60' });
    await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'old' }));
    t.eddy.clock.advance(30_000);
    await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'young' }));
    t.eddy.clock.advance(30_000);
    expect(await counts(url)).toEqual({ visible: '1', inFlight: '0', delayed: '0' });
    expect((await receive(url)).map((m) => m.Body)).toEqual(['young']);
  });
});

describe('long polling', () => {
  it('answers within milliseconds of a send, well before WaitTimeSeconds', async () => {
    const url = await create('long-poll');
    const started = Date.now();
    const polling = receive(url, { WaitTimeSeconds: 20 });
    await new Promise((resolve) => setImmediate(resolve));
    await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'wake up' }));
    const messages = await polling;
    expect(messages.map((m) => m.Body)).toEqual(['wake up']);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('an empty long poll ends when Eddy’s clock passes WaitTimeSeconds; a delayed message wakes it when due', async () => {
    const url = await create('long-poll-empty');
    const empty = receive(url, { WaitTimeSeconds: 20 });
    await receiveWaiting();
    t.eddy.clock.advance(20_000);
    expect(await empty).toEqual([]);

    await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'later', DelaySeconds: 5 }));
    const waiting = receive(url, { WaitTimeSeconds: 20 });
    await receiveWaiting();
    t.eddy.clock.advance(5_000);
    expect((await waiting).map((m) => m.Body)).toEqual(['later']);
  });

  it('ReceiveMessageWaitTimeSeconds on the queue makes every receive a long poll', async () => {
    const url = await create('long-poll-default', { ReceiveMessageWaitTimeSeconds: '20' });
    const polling = receive(url);
    await receiveWaiting();
    await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'default wait' }));
    expect((await polling).map((m) => m.Body)).toEqual(['default wait']);
  });
});

describe('batches', () => {
  it('sends, changes visibility and deletes in batches, reporting failed entries', async () => {
    const url = await create('batches');
    const sent = await t.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'a', MessageBody: 'one' },
          { Id: 'b', MessageBody: 'two', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } },
          { Id: 'c', MessageBody: 'bad', DelaySeconds: 1000 },
        ],
      }),
    );
    expect(sent.Successful!.map((s) => s.Id)).toEqual(['a', 'b']);
    expect(sent.Successful![1]!.MD5OfMessageAttributes).toBe(referenceAttributesMd5({ k: { DataType: 'String', StringValue: 'v' } }));
    expect(sent.Failed).toEqual([{ Id: 'c', SenderFault: true, Code: 'InvalidParameterValue', Message: 'Value 1000 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.' }]);

    const messages = await receive(url);
    expect(messages).toHaveLength(2);
    const changed = await t.sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'x', ReceiptHandle: messages[0]!.ReceiptHandle, VisibilityTimeout: 0 },
          { Id: 'y', ReceiptHandle: 'garbage', VisibilityTimeout: 0 },
        ],
      }),
    );
    expect(changed.Successful).toEqual([{ Id: 'x' }]);
    expect(changed.Failed![0]).toMatchObject({ Id: 'y', SenderFault: true, Code: 'ReceiptHandleIsInvalid' });
    const again = await receive(url);
    expect(again.map((m) => m.MessageId)).toEqual([messages[0]!.MessageId]);
    const deleted = await t.sqs.send(
      new DeleteMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'd1', ReceiptHandle: again[0]!.ReceiptHandle }, { Id: 'd2', ReceiptHandle: messages[1]!.ReceiptHandle }] }),
    );
    expect(deleted.Successful).toEqual([{ Id: 'd1' }, { Id: 'd2' }]);
    expect(await counts(url)).toEqual({ visible: '0', inFlight: '0', delayed: '0' });
  });

  it('refuses malformed batches whole', async () => {
    const url = await create('bad-batches');
    const empty = await errorOf(() => t.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [] })));
    expect(empty.name).toBe('EmptyBatchRequest');
    expect(empty.message).toBe('There should be at least one SendMessageBatchRequestEntry in the request.');
    const many = await errorOf(() =>
      t.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: Array.from({ length: 11 }, (_, i) => ({ Id: `m${i}`, MessageBody: 'x' })) })),
    );
    expect(many.name).toBe('TooManyEntriesInBatchRequest');
    expect(many.message).toBe('Maximum number of entries per request are 10. You have sent 11.');
    const dup = await errorOf(() => t.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'a', ReceiptHandle: 'h' }, { Id: 'a', ReceiptHandle: 'h' }] })));
    expect(dup.name).toBe('BatchEntryIdsNotDistinct');
    expect(dup.message).toBe('Id a repeated.');
    const badId = await errorOf(() => t.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'no spaces', MessageBody: 'x' }] })));
    expect(badId.name).toBe('InvalidBatchEntryId');
    const long = await errorOf(() =>
      t.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'a', MessageBody: 'x'.repeat(600_000) }, { Id: 'b', MessageBody: 'y'.repeat(600_000) }] })),
    );
    expect(long.name).toBe('BatchRequestTooLong');
    expect(await counts(url)).toEqual({ visible: '0', inFlight: '0', delayed: '0' });
  });
});

describe('dead-letter queues', () => {
  it('moves a message to the DLQ on the receive after maxReceiveCount, and a move task redrives it back', async () => {
    await create('work-dlq');
    const url = await create('work', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:work-dlq', maxReceiveCount: 2 }) });
    const dlq = `${t.endpoint}/000000000000/work-dlq`;
    const sent = await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'poison' }));
    for (let attempt = 1; attempt <= 2; attempt++) {
      const [message] = await receive(url, { VisibilityTimeout: 10 });
      expect(message!.MessageId).toBe(sent.MessageId);
      t.eddy.clock.advance(10_000);
    }
    expect(await receive(url)).toEqual([]);
    const [dead] = await receive(dlq, { MessageSystemAttributeNames: ['DeadLetterQueueSourceArn', 'ApproximateReceiveCount'], VisibilityTimeout: 0 });
    expect(dead!.MessageId).toBe(sent.MessageId);
    expect(dead!.Body).toBe('poison');
    expect(dead!.Attributes).toEqual({ DeadLetterQueueSourceArn: 'arn:aws:sqs:us-east-1:000000000000:work', ApproximateReceiveCount: '1' });

    const notDlq = await errorOf(() => t.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: 'arn:aws:sqs:us-east-1:000000000000:work' })));
    expect(notDlq.name).toBe('InvalidParameterValue');
    const missing = await errorOf(() => t.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: 'arn:aws:sqs:us-east-1:000000000000:nope' })));
    expect(missing.name).toBe('ResourceNotFoundException');

    const task = await t.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: 'arn:aws:sqs:us-east-1:000000000000:work-dlq' }));
    expect(task.TaskHandle).toBeTruthy();
    const listed = await t.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: 'arn:aws:sqs:us-east-1:000000000000:work-dlq' }));
    expect(listed.Results).toEqual([
      expect.objectContaining({ Status: 'COMPLETED', SourceArn: 'arn:aws:sqs:us-east-1:000000000000:work-dlq', ApproximateNumberOfMessagesMoved: 1, ApproximateNumberOfMessagesToMove: 1 }),
    ]);
    const cancel = await errorOf(() => t.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: task.TaskHandle })));
    expect(cancel.name).toBe('ResourceNotFoundException');
    const [back] = await receive(url, { MessageSystemAttributeNames: ['ApproximateReceiveCount'] });
    expect(back!.MessageId).toBe(sent.MessageId);
    expect(back!.Attributes!.ApproximateReceiveCount).toBe('1');
    expect(await receive(dlq)).toEqual([]);
  });
});

describe('message move tasks', () => {
  it('moves MaxNumberOfMessagesPerSecond per second of Eddy’s clock, to DestinationArn, and can be cancelled', async () => {
    await create('rate-dlq');
    await create('rate-source', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:rate-dlq', maxReceiveCount: 1 }) });
    const target = await create('rate-target');
    const dlq = `${t.endpoint}/000000000000/rate-dlq`;
    await t.sqs.send(new SendMessageBatchCommand({ QueueUrl: dlq, Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: `m${i}` })) }));
    const { TaskHandle } = await t.sqs.send(
      new StartMessageMoveTaskCommand({ SourceArn: 'arn:aws:sqs:us-east-1:000000000000:rate-dlq', DestinationArn: 'arn:aws:sqs:us-east-1:000000000000:rate-target', MaxNumberOfMessagesPerSecond: 2 }),
    );
    const list = async () => (await t.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: 'arn:aws:sqs:us-east-1:000000000000:rate-dlq', MaxResults: 10 }))).Results!;
    expect(await list()).toEqual([
      expect.objectContaining({ TaskHandle, Status: 'RUNNING', DestinationArn: 'arn:aws:sqs:us-east-1:000000000000:rate-target', MaxNumberOfMessagesPerSecond: 2, ApproximateNumberOfMessagesMoved: 0, ApproximateNumberOfMessagesToMove: 10 }),
    ]);
    const second = await errorOf(() => t.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: 'arn:aws:sqs:us-east-1:000000000000:rate-dlq' })));
    expect(second.name).toBe('UnsupportedOperation');
    t.eddy.clock.advance(2_000);
    expect((await list())[0]).toMatchObject({ Status: 'RUNNING', ApproximateNumberOfMessagesMoved: 4 });
    expect((await receive(target, { VisibilityTimeout: 0 })).map((m) => m.Body)).toEqual(['m0', 'm1', 'm2', 'm3']);
    const cancelled = await t.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
    expect(cancelled.ApproximateNumberOfMessagesMoved).toBe(4);
    t.eddy.clock.advance(10_000);
    expect((await list())[0]).toMatchObject({ Status: 'CANCELLED', ApproximateNumberOfMessagesMoved: 4 });
    expect(await counts(dlq)).toEqual({ visible: '6', inFlight: '0', delayed: '0' });
  });
});
