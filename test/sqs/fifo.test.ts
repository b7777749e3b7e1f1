import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf } from '../helpers/eddy.js';
import { startSqsEddy, type SqsTestEddy } from './helpers.js';

let t: SqsTestEddy;
beforeAll(async () => {
  t = await startSqsEddy();
});
afterAll(() => t.close());

const createFifo = async (QueueName: string, Attributes: Record<string, string> = {}) =>
  (await t.sqs.send(new CreateQueueCommand({ QueueName, Attributes: { FifoQueue: 'true', ...Attributes } }))).QueueUrl!;
const receive = async (QueueUrl: string, max = 10): Promise<Message[]> =>
  (await t.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: max, MessageSystemAttributeNames: ['All'] }))).Messages ?? [];
const send = (QueueUrl: string, MessageBody: string, MessageGroupId: string, MessageDeduplicationId?: string) =>
  t.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody, MessageGroupId, MessageDeduplicationId }));

describe('FIFO queues', () => {
  it('keeps order within a group and lets one batch per group be in flight', async () => {
    const url = await createFifo('orders.fifo', { ContentBasedDeduplication: 'true' });
    for (const body of ['a1', 'b1', 'a2', 'b2', 'a3']) await send(url, body, body[0]!);
    const first = await receive(url, 2);
    expect(first.map((m) => m.Body)).toEqual(['a1', 'b1']);
    // Both groups now have a message in flight: nothing more until they are done.
    expect(await receive(url)).toEqual([]);
    await t.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first[0]!.ReceiptHandle }));
    const next = await receive(url);
    expect(next.map((m) => m.Body)).toEqual(['a2', 'a3']);
    // Every received message times out (30 s) and comes back in arrival order, b1 before b2.
    t.eddy.clock.advance(30_000);
    const retried = await receive(url);
    expect(retried.map((m) => m.Body)).toEqual(['b1', 'a2', 'b2', 'a3']);
    // b1's first receipt handle expired with its visibility timeout.
    const expired = await errorOf(() => t.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first[1]!.ReceiptHandle })));
    expect(expired.name).toBe('InvalidParameterValue');
    expect(expired.message).toBe(`Value ${first[1]!.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`);
    expect(retried[0]!.Attributes).toMatchObject({ MessageGroupId: 'b', ApproximateReceiveCount: '2' });
  });

  it('deduplicates for 5 minutes by MessageDeduplicationId or content, answering the first message id', async () => {
    const url = await createFifo('dedup.fifo', { ContentBasedDeduplication: 'true' });
    const original = await send(url, 'same', 'g', 'id-1');
    const duplicate = await send(url, 'different body', 'g', 'id-1');
    expect(duplicate.MessageId).toBe(original.MessageId);
    expect(duplicate.SequenceNumber).toBe(original.SequenceNumber);
    const byContent = await send(url, 'content', 'g');
    expect((await send(url, 'content', 'g')).MessageId).toBe(byContent.MessageId);
    const messages = await receive(url);
    expect(messages.map((m) => m.Body)).toEqual(['same', 'content']);
    expect(BigInt(messages[1]!.Attributes!.SequenceNumber!)).toBeGreaterThan(BigInt(messages[0]!.Attributes!.SequenceNumber!));
    expect(messages[0]!.Attributes!.MessageDeduplicationId).toBe('id-1');
    for (const m of messages) await t.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));

    t.eddy.clock.advance(5 * 60_000);
    const later = await send(url, 'same', 'g', 'id-1');
    expect(later.MessageId).not.toBe(original.MessageId);
    expect((await receive(url)).map((m) => m.Body)).toEqual(['same']);
  });

  it('deduplication scope messageGroup keys ids per group', async () => {
    const url = await createFifo('scoped.fifo', { DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' });
    const a = await send(url, 'x', 'g1', 'id');
    const b = await send(url, 'x', 'g2', 'id');
    expect(b.MessageId).not.toBe(a.MessageId);
  });

  it('refuses what FIFO queues refuse', async () => {
    const url = await createFifo('rules.fifo');
    const noGroup = await errorOf(() => t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageDeduplicationId: 'd' })));
    expect(noGroup.name).toBe('MissingParameter');
    expect(noGroup.message).toBe('The request must contain the parameter MessageGroupId.');
    const noDedup = await errorOf(() => send(url, 'x', 'g'));
    expect(noDedup.message).toBe('The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
    const delay = await errorOf(() => t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd', DelaySeconds: 5 })));
    expect(delay.message).toBe('Value 5 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.');
    const standard = (await t.sqs.send(new CreateQueueCommand({ QueueName: 'standard' }))).QueueUrl!;
    const dedupOnStandard = await errorOf(() => t.sqs.send(new SendMessageCommand({ QueueUrl: standard, MessageBody: 'x', MessageDeduplicationId: 'd' })));
    expect(dedupOnStandard.name).toBe('InvalidParameterValue');
    const fifoDlqForStandard = await errorOf(() =>
      t.sqs.send(
        new CreateQueueCommand({
          QueueName: 'mixed',
          Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:rules.fifo', maxReceiveCount: 1 }) },
        }),
      ),
    );
    expect(fifoDlqForStandard.message).toContain('Dead-letter queue must be same type of queue as the source.');
  });

  it('batches keep their order and each entry has a sequence number', async () => {
    const url = await createFifo('batch.fifo', { ContentBasedDeduplication: 'true' });
    const sent = await t.sqs.send(
      new SendMessageBatchCommand({ QueueUrl: url, Entries: ['1', '2', '3'].map((n) => ({ Id: `e${n}`, MessageBody: `m${n}`, MessageGroupId: 'g' })) }),
    );
    expect(sent.Successful!.every((s) => /^\d{20}$/.test(s.SequenceNumber!))).toBe(true);
    expect((await receive(url)).map((m) => m.Body)).toEqual(['m1', 'm2', 'm3']);
  });
});

describe('ReceiveRequestAttemptId', () => {
  it('a FIFO receive retried with the same attempt id within 5 minutes gets the same messages and receipt handles', async () => {
    const url = await createFifo('attempts.fifo', { ContentBasedDeduplication: 'true' });
    for (const body of ['a', 'b', 'c']) await send(url, body, 'g');
    const receiveWith = (ReceiveRequestAttemptId: string, MaxNumberOfMessages = 2) =>
      t.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages, ReceiveRequestAttemptId })).then((r) => r.Messages ?? []);
    const first = await receiveWith('attempt-1');
    expect(first.map((m) => m.Body)).toEqual(['a', 'b']);
    const retried = await receiveWith('attempt-1');
    expect(retried.map((m) => [m.Body, m.ReceiptHandle])).toEqual(first.map((m) => [m.Body, m.ReceiptHandle]));
    expect(await receiveWith('attempt-2')).toEqual([]);
  });
});
