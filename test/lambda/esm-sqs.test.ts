import { CreateEventSourceMappingCommand, type CreateEventSourceMappingCommandInput } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, PurgeQueueCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEddy, testCredentials, type TestEddy } from '../helpers/eddy.js';
import { until } from './esm-support.js';
import { createFunction, lambdaClient } from './helpers.js';

let t: TestEddy;
let sqs: SQSClient;
let lambda: ReturnType<typeof lambdaClient>;
const logDir = mkdtempSync(join(tmpdir(), 'eddy-esm-sqs-'));
beforeAll(async () => {
  t = await startEddy();
  sqs = new SQSClient({ endpoint: t.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
  lambda = lambdaClient(t.endpoint);
});
afterAll(async () => {
  sqs.destroy();
  lambda.destroy();
  await t.close();
});

interface SqsRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<string, Record<string, unknown>>;
  md5OfBody: string;
  md5OfMessageAttributes: string | null;
  eventSource: string;
  eventSourceARN: string;
  awsRegion: string;
}

const logOf = (name: string) => join(logDir, `${name}.jsonl`);
// Whole lines only: a handler in another process may be appending the last one while it is read.
const invocations = (name: string): { Records: SqsRecord[] }[] =>
  existsSync(logOf(name))
    ? readFileSync(logOf(name), 'utf8')
        .split('\n')
        .slice(0, -1)
        .map((line) => JSON.parse(line))
    : [];

/** A function that logs each event, then runs `body` (with `event` in scope). */
async function recordingFunction(name: string, body = ''): Promise<void> {
  await createFunction(
    lambda,
    name,
    { 'index.js': `const fs = require('node:fs');\nexports.handler = async (event) => {\n  fs.appendFileSync(process.env.LOG_FILE, JSON.stringify(event) + '\\n');\n  ${body}\n};` },
    { Environment: { Variables: { LOG_FILE: logOf(name) } } },
  );
}

async function queue(name: string, Attributes: Record<string, string> = {}): Promise<{ url: string; arn: string }> {
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl!;
  return { url, arn: `arn:aws:sqs:us-east-1:000000000000:${name}` };
}

/** The engine's counters for the mapping of function `name`. */
const metricsOf = (name: string) => t.eddy.mappings.metrics().find((m) => m.functionArn.endsWith(`:function:${name}`))!;

const mapping = (FunctionName: string, EventSourceArn: string, extra: Partial<CreateEventSourceMappingCommandInput> = {}) =>
  lambda.send(new CreateEventSourceMappingCommand({ FunctionName, EventSourceArn, ...extra }));

const depth = async (QueueUrl: string) => {
  const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }))).Attributes!;
  return { visible: Number(a.ApproximateNumberOfMessages), inFlight: Number(a.ApproximateNumberOfMessagesNotVisible) };
};

describe('SQS event source mappings', () => {
  it("delivers AWS's SQS event shape and deletes the messages on success, woken by the send", async () => {
    const q = await queue('esm-shape');
    await recordingFunction('shape');
    await mapping('shape', q.arn, { BatchSize: 10 });
    const started = Date.now();
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl: q.url,
        MessageBody: '{"orderId":"o-1"}',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'order' }, blob: { DataType: 'Binary', BinaryValue: Uint8Array.of(1, 2, 3) } },
      }),
    );
    await until(t, () => invocations('shape').length === 1);
    // Woken by the send: a poller that was not would answer only when its 20-second long poll ends
    // (the bound leaves room for a cold start on a loaded machine).
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await t.eddy.mappings.drain(5000)).toBe(true);
    const [record] = invocations('shape')[0]!.Records;
    expect(record).toEqual({
      messageId: sent.MessageId,
      receiptHandle: expect.any(String),
      body: '{"orderId":"o-1"}',
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: expect.stringMatching(/^\d{13}$/),
        SenderId: '000000000000',
        ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d{13}$/),
      },
      messageAttributes: {
        kind: { stringValue: 'order', stringListValues: [], binaryListValues: [], dataType: 'String' },
        blob: { binaryValue: 'AQID', stringListValues: [], binaryListValues: [], dataType: 'Binary' },
      },
      md5OfBody: createHash('md5').update('{"orderId":"o-1"}').digest('hex'),
      md5OfMessageAttributes: sent.MD5OfMessageAttributes,
      eventSource: 'aws:sqs',
      eventSourceARN: q.arn,
      awsRegion: 'us-east-1',
    });
    expect(await depth(q.url)).toEqual({ visible: 0, inFlight: 0 });

    await sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: 'plain' }));
    expect(await t.eddy.mappings.drain(5000)).toBe(true);
    expect(invocations('shape')[1]!.Records[0]!.md5OfMessageAttributes).toBeNull();
  });

  it('leaves failed messages to the visibility timeout; the redrive policy moves them to the DLQ after maxReceiveCount', async () => {
    const dlq = await queue('esm-fail-dlq');
    const q = await queue('esm-fail', { VisibilityTimeout: '30', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }) });
    await recordingFunction('failing', "throw new Error('boom');");
    await mapping('failing', q.arn);
    await sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: 'poison' }));
    await until(t, () => invocations('failing').length === 1);
    expect(await depth(q.url)).toEqual({ visible: 0, inFlight: 1 });
    t.eddy.clock.advance(30_000);
    await until(t, () => invocations('failing').length === 2);
    expect(invocations('failing')[1]!.Records[0]!.attributes.ApproximateReceiveCount).toBe('2');
    t.eddy.clock.advance(30_000);
    // The third receive moves it to the dead-letter queue instead of delivering it.
    const dead = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.url, WaitTimeSeconds: 5 }));
    expect(dead.Messages!.map((m) => m.Body)).toEqual(['poison']);
    expect(invocations('failing')).toHaveLength(2);
  });

  it('ReportBatchItemFailures keeps only the messages the function names by messageId', async () => {
    const q = await queue('esm-partial', { VisibilityTimeout: '30' });
    await recordingFunction(
      'partial',
      "return { batchItemFailures: event.Records.filter((r) => r.body.startsWith('bad')).map((r) => ({ itemIdentifier: r.messageId })) };",
    );
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: q.url, Entries: ['ok-1', 'bad-1', 'ok-2'].map((body, i) => ({ Id: `m${i}`, MessageBody: body })) }));
    await mapping('partial', q.arn, { BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    // All three invoked (in one invocation or more), and ok-1 and ok-2 deleted: the function's log shows an invocation
    // before Eddy has handled its answer, and moving the clock before that would make them visible again.
    await until(t, () => invocations('partial').flatMap((e) => e.Records).length === 3 && metricsOf('partial').recordsDelivered === 2);
    expect(await depth(q.url)).toEqual({ visible: 0, inFlight: 1 });
    t.eddy.clock.advance(30_000);
    await until(t, () => invocations('partial').flatMap((e) => e.Records).length === 4);
    expect(invocations('partial').at(-1)!.Records.map((r) => r.body)).toEqual(['bad-1']);
    // bad-1 would fail forever (no redrive policy): clear it so later drains can finish.
    await sqs.send(new PurgeQueueCommand({ QueueUrl: q.url }));
  });

  it('FilterCriteria on the body: messages that match no pattern are deleted without an invocation', async () => {
    const q = await queue('esm-filter');
    await recordingFunction('filtered');
    await mapping('filtered', q.arn, { FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ body: { eventName: ['INSERT', 'MODIFY'] } }) }] } });
    for (const eventName of ['INSERT', 'REMOVE', 'MODIFY']) await sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: JSON.stringify({ eventName }) }));
    await sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: 'not json' }));
    expect(await t.eddy.mappings.drain(5000)).toBe(true);
    const bodies = invocations('filtered').flatMap((e) => e.Records.map((r) => JSON.parse(r.body).eventName));
    expect(bodies.sort()).toEqual(['INSERT', 'MODIFY']);
    expect(await depth(q.url)).toEqual({ visible: 0, inFlight: 0 });
  });

  it('collects up to BatchSize within MaximumBatchingWindowInSeconds on Eddy’s clock', async () => {
    const q = await queue('esm-window');
    await recordingFunction('windowed');
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: q.url, Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `a${i}`, MessageBody: `m${i}` })) }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: q.url, Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `b${i}`, MessageBody: `m${10 + i}` })) }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: q.url, Entries: Array.from({ length: 5 }, (_, i) => ({ Id: `c${i}`, MessageBody: `m${20 + i}` })) }));
    await mapping('windowed', q.arn, { BatchSize: 50, MaximumBatchingWindowInSeconds: 5, ScalingConfig: { MaximumConcurrency: 2 } });
    // The window is open: nothing is invoked until it ends.
    await t.eddy.mappings.drain(200);
    expect(invocations('windowed')).toHaveLength(0);
    t.eddy.clock.advance(5_000);
    expect(await t.eddy.mappings.drain(5000)).toBe(true);
    const batches = invocations('windowed').map((e) => e.Records.length);
    // Two pollers: each batch gathers several receives of at most 10 within the window.
    expect(batches.reduce((a, b) => a + b, 0)).toBe(25);
    expect(batches.length).toBeLessThanOrEqual(2);
    expect(Math.max(...batches)).toBeGreaterThan(10);
  });

  it('FIFO queues: messages of a group reach the function in order', async () => {
    const q = await queue('esm-order.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    await recordingFunction('ordered');
    await mapping('ordered', q.arn, { BatchSize: 2 });
    for (let i = 0; i < 6; i++) await sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: `g-${i}`, MessageGroupId: 'g' }));
    expect(await t.eddy.mappings.drain(5000)).toBe(true);
    const seen = invocations('ordered').flatMap((e) => e.Records.map((r) => r.body));
    expect(seen).toEqual(['g-0', 'g-1', 'g-2', 'g-3', 'g-4', 'g-5']);
    const first = invocations('ordered')[0]!.Records[0]!;
    expect(first.attributes).toMatchObject({ MessageGroupId: 'g', MessageDeduplicationId: expect.any(String), SequenceNumber: expect.stringMatching(/^\d{20}$/) });
  });
});
