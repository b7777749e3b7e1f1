import { CreateQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsError } from '../../src/edge/errors.js';
import { startSqsEddy, type SqsTestEddy } from './helpers.js';

let t: SqsTestEddy;
beforeAll(async () => {
  t = await startSqsEddy();
});
afterAll(() => t.close());

const thrown = (fn: () => unknown): AwsError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof AwsError) return error;
    throw error;
  }
  throw new Error('expected an AwsError');
};

describe('eddy.sqs, the in-process API (SNS delivery, Lambda destinations)', () => {
  it('sends as SendMessage would: attributes (bytes or base64), delay, and the SDK receives it', async () => {
    const url = (await t.sqs.send(new CreateQueueCommand({ QueueName: 'internal' }))).QueueUrl!;
    const arn = 'arn:aws:sqs:us-east-1:000000000000:internal';
    expect(t.eddy.sqs.queueExists(arn)).toBe(true);
    expect(t.eddy.sqs.queueExists('arn:aws:sqs:us-east-1:000000000000:nope')).toBe(false);
    const sent = t.eddy.sqs.sendMessage(arn, {
      body: '{"Type":"Notification"}',
      messageAttributes: { kind: { DataType: 'String', StringValue: 'sns' }, raw: { DataType: 'Binary', BinaryValue: Uint8Array.of(9, 8) }, b64: { DataType: 'Binary', BinaryValue: 'AQI=' } },
    });
    expect(sent.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent.sequenceNumber).toBeUndefined();
    t.eddy.sqs.sendMessage(arn, { body: 'later', delaySeconds: 30 });
    const [message] = (await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }))).Messages!;
    expect(message!.MessageId).toBe(sent.messageId);
    expect(message!.MessageAttributes).toEqual({
      kind: { DataType: 'String', StringValue: 'sns' },
      raw: { DataType: 'Binary', BinaryValue: Uint8Array.of(9, 8) },
      b64: { DataType: 'Binary', BinaryValue: Uint8Array.of(1, 2) },
    });
    t.eddy.clock.advance(30_000);
    const [later] = (await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages!;
    expect(later!.Body).toBe('later');
  });

  it('throws the AwsErrors SendMessage answers, and deduplicates FIFO sends', async () => {
    const missing = thrown(() => t.eddy.sqs.sendMessage('arn:aws:sqs:us-east-1:000000000000:nope', { body: 'x' }));
    expect(missing.code).toBe('QueueDoesNotExist');
    await t.sqs.send(new CreateQueueCommand({ QueueName: 'internal.fifo', Attributes: { FifoQueue: 'true' } }));
    const fifo = 'arn:aws:sqs:us-east-1:000000000000:internal.fifo';
    expect(thrown(() => t.eddy.sqs.sendMessage(fifo, { body: 'x', messageDeduplicationId: 'd' })).code).toBe('MissingParameter');
    expect(thrown(() => t.eddy.sqs.sendMessage(fifo, { body: '' })).code).toBe('MissingParameter');
    const first = t.eddy.sqs.sendMessage(fifo, { body: 'x', messageGroupId: 'g', messageDeduplicationId: 'd' });
    const again = t.eddy.sqs.sendMessage(fifo, { body: 'y', messageGroupId: 'g', messageDeduplicationId: 'd' });
    expect(again).toEqual(first);
    expect(first.sequenceNumber).toMatch(/^\d{20}$/);
  });
});
