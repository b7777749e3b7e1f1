import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startEddy, testCredentials } from '../helpers/eddy.js';
import { rawSqs } from './helpers.js';

const dataDir = mkdtempSync(join(tmpdir(), 'eddy-sqs-durable-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const client = (endpoint: string) => new SQSClient({ endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });

it('queues, attributes, in-flight state and FIFO deduplication survive a restart on the same data directory', async () => {
  const first = await startEddy({ inMemory: false, dataDir });
  const sqs1 = client(first.endpoint);
  const url = (await sqs1.send(new CreateQueueCommand({ QueueName: 'kept', Attributes: { VisibilityTimeout: '60' }, tags: { a: 'b' } }))).QueueUrl!;
  const fifo = (await sqs1.send(new CreateQueueCommand({ QueueName: 'kept.fifo', Attributes: { FifoQueue: 'true' } }))).QueueUrl!;
  await sqs1.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'first', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } }));
  await sqs1.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'second' }));
  const sentFifo = await sqs1.send(new SendMessageCommand({ QueueUrl: fifo, MessageBody: 'once', MessageGroupId: 'g', MessageDeduplicationId: 'd' }));
  const [inFlight] = (await sqs1.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages!;
  sqs1.destroy();
  await first.close();

  const second = await startEddy({ inMemory: false, dataDir });
  const sqs2 = client(second.endpoint);
  try {
    // The queue URL names the new endpoint's host; the old one still routes by its path.
    const attributes = (await sqs2.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes!;
    expect(attributes).toMatchObject({ VisibilityTimeout: '60', ApproximateNumberOfMessages: '1', ApproximateNumberOfMessagesNotVisible: '1' });
    const [visible] = (await sqs2.send(new ReceiveMessageCommand({ QueueUrl: url, MessageAttributeNames: ['All'] }))).Messages!;
    expect(visible!.Body).toBe(inFlight!.Body === 'first' ? 'second' : 'first');
    const again = await sqs2.send(new SendMessageCommand({ QueueUrl: fifo, MessageBody: 'twice', MessageGroupId: 'g', MessageDeduplicationId: 'd' }));
    expect(again.MessageId).toBe(sentFifo.MessageId);
  } finally {
    sqs2.destroy();
    await second.close();
  }
});

it('JSON requests POSTed to the queue URL path are served like those to /', async () => {
  const t = await startEddy();
  try {
    const created = await rawSqs(t.endpoint, 'CreateQueue', { QueueName: 'by-path' });
    const url = created.json.QueueUrl as string;
    const sent = await rawSqs(t.endpoint, 'SendMessage', { QueueUrl: url, MessageBody: 'x' }, '/000000000000/by-path');
    expect(sent.status).toBe(200);
    expect(sent.json.MessageId).toEqual(expect.any(String));
    const received = await rawSqs(t.endpoint, 'ReceiveMessage', { QueueUrl: url }, '/000000000000/by-path');
    expect(received.json.Messages[0].MessageId).toBe(sent.json.MessageId);
  } finally {
    await t.close();
  }
});
