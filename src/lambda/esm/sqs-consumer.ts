/**
 * SQS queues as an event source: per mapping, up to MaximumConcurrency
 * pollers (default 5, as Lambda starts), each long-polling the queue through
 * Eddy's own receive (woken by sends, never a polling loop), collecting up to
 * BatchSize messages within MaximumBatchingWindowInSeconds, and invoking the
 * function with AWS's SQS event. On success the messages are deleted; on a
 * function error they are left to the visibility timeout, so the queue's own
 * redrive policy moves them to its dead-letter queue after maxReceiveCount.
 * With ReportBatchItemFailures only the messages whose messageId the
 * function names are left. Messages no FilterCriteria pattern matches are
 * deleted without an invocation, as Lambda does.
 */
import { AwsError } from '../../edge/errors.js';
import { compileSqsFilterCriteria } from '../../event-patterns/index.js';
import type { StoredAttributes } from '../../sqs/checksums.js';
import type { MessageRow } from '../../sqs/message-store.js';
import { systemAttributesOf } from '../../sqs/message-view.js';
import type { Queue } from '../../sqs/queue-catalog.js';
import type { Queues } from '../../sqs/queues.js';
import type { SourceConsumer, SourceContext, SourceFactory } from './engine.js';
import type { EventSourceMapping } from './mapping.js';

/** Pollers per mapping without ScalingConfig.MaximumConcurrency (Lambda starts with five). */
const DEFAULT_POLLERS = 5;
/** How long one receive waits before it asks again (AWS's long poll, 20 s). */
const LONG_POLL_MS = 20_000;
/** Messages per receive: SQS's own limit. */
const MAX_PER_RECEIVE = 10;
/** Invocation payloads are capped at 6 MB. */
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

const RESULT_OK = 'OK';
const RESULT_FUNCTION_FAILED = 'PROBLEM: Function call failed';
const RESULT_FUNCTION_NOT_FOUND = 'PROBLEM: Function not found';

export function createSqsSource(queues: Queues): SourceFactory {
  return (mapping, ctx) => new SqsMappingConsumer(mapping, ctx, queues);
}

/** One message as the SQS event's `Records[]` carries it. */
export function sqsEventRecord(row: MessageRow, receiptHandle: string, queue: Queue): Record<string, unknown> {
  const attributes = systemAttributesOf(row);
  const { DeadLetterQueueSourceArn: _dlq, ...eventAttributes } = attributes;
  const stored = row.message_attributes ? (JSON.parse(row.message_attributes) as StoredAttributes) : {};
  const messageAttributes: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(stored)) {
    messageAttributes[name] = {
      ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined ? { binaryValue: value.BinaryValue } : {}),
      stringListValues: value.StringListValues ?? [],
      binaryListValues: value.BinaryListValues ?? [],
      dataType: value.DataType,
    };
  }
  return {
    messageId: row.message_id,
    receiptHandle,
    body: row.body,
    attributes: eventAttributes,
    messageAttributes,
    md5OfBody: row.md5_body,
    md5OfMessageAttributes: row.md5_attributes,
    eventSource: 'aws:sqs',
    eventSourceARN: queue.arn,
    awsRegion: queue.region,
  };
}

/**
 * Which messages of an invoked batch failed (pure): all of them on a function
 * error; with ReportBatchItemFailures, those whose messageId the response's
 * batchItemFailures names, or all of them when an itemIdentifier is missing,
 * empty or not in the batch; none otherwise.
 */
export function failedMessageIds(input: { functionError: boolean; payload: string; reportBatchItemFailures: boolean; messageIds: readonly string[] }): Set<string> {
  const all = new Set(input.messageIds);
  if (input.functionError) return all;
  if (!input.reportBatchItemFailures) return new Set();
  let response: unknown;
  try {
    response = input.payload.trim() === '' ? null : JSON.parse(input.payload);
  } catch {
    return new Set();
  }
  if (typeof response !== 'object' || response === null || Array.isArray(response)) return new Set();
  const failures = (response as Record<string, unknown>).batchItemFailures;
  if (failures === null || failures === undefined) return new Set();
  if (!Array.isArray(failures)) return all;
  const failed = new Set<string>();
  for (const failure of failures) {
    const id = typeof failure === 'object' && failure !== null ? (failure as Record<string, unknown>).itemIdentifier : undefined;
    if (typeof id !== 'string' || !all.has(id)) return all;
    failed.add(id);
  }
  return failed;
}

interface Received {
  queue: Queue;
  rows: MessageRow[];
}

class SqsMappingConsumer implements SourceConsumer {
  private readonly filter: ((record: unknown) => boolean) | undefined;
  private readonly abort = new AbortController();
  private readonly pollers: Promise<void>[] = [];
  /** Batches being collected or handled, for drains. */
  private busy = 0;
  private stopped = false;

  constructor(
    private readonly mapping: EventSourceMapping,
    private readonly ctx: SourceContext,
    private readonly queues: Queues,
  ) {
    this.filter = mapping.filterPatterns.length > 0 ? compileSqsFilterCriteria(mapping.filterPatterns) : undefined;
    const pollers = Math.min(mapping.maximumConcurrency ?? DEFAULT_POLLERS, DEFAULT_POLLERS * 20);
    for (let i = 0; i < pollers; i++) this.pollers.push(this.poll());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await Promise.all(this.pollers);
  }

  forget(): void {
    // SQS keeps no checkpoints: the messages left in the queue are the state.
  }

  drainMark(): unknown {
    const queue = this.queue();
    return queue ? { queueId: queue.id, upTo: this.queues.newestMessageId(queue) } : undefined;
  }

  reached(mark: unknown): boolean {
    if (!mark) return true;
    const { queueId, upTo } = mark as { queueId: number; upTo: number };
    const queue = this.queues.catalog.getById(queueId);
    if (!queue) return true;
    return this.busy === 0 && !this.queues.holdsMessagesUpTo(queue, upTo);
  }

  shards(): [] {
    return [];
  }

  private queue(): Queue | undefined {
    return this.queues.byArn(this.mapping.eventSourceArn);
  }

  private async poll(): Promise<void> {
    while (!this.stopped) {
      const queue = this.queue();
      if (!queue) {
        // The queue was deleted: wait until one of that name exists again (a send or create wakes nothing here, so re-check on the long-poll period).
        await this.sleep(LONG_POLL_MS);
        continue;
      }
      try {
        const batch = await this.collect(queue);
        if (!batch) continue;
        this.busy++;
        try {
          if (this.stopped) {
            this.queues.release(batch.queue, batch.rows);
            return;
          }
          await this.handle(batch);
        } finally {
          this.busy--;
          this.ctx.progress();
        }
      } catch (error) {
        if (!this.stopped) this.ctx.onError(error);
        await this.sleep(1000);
      }
    }
  }

  /** Waits for messages, then gathers up to BatchSize of them within the batching window. */
  private async collect(queue: Queue): Promise<Received | undefined> {
    const visibilityMs = Number(queue.attributes.VisibilityTimeout) * 1000;
    const batchSize = this.mapping.batchSize;
    const first = await this.queues.receive(queue, Math.min(MAX_PER_RECEIVE, batchSize), visibilityMs, LONG_POLL_MS, this.abort.signal);
    if (first.length === 0) return undefined;
    const rows = [...first];
    const windowEnd = this.ctx.clock.now() + this.mapping.maximumBatchingWindowInSeconds * 1000;
    while (rows.length < batchSize && !this.stopped) {
      const left = windowEnd - this.ctx.clock.now();
      const more =
        left > 0
          ? await this.queues.receive(queue, Math.min(MAX_PER_RECEIVE, batchSize - rows.length), visibilityMs, left, this.abort.signal)
          : this.queues.receiveNow(queue, Math.min(MAX_PER_RECEIVE, batchSize - rows.length), visibilityMs);
      if (more.length === 0) break;
      rows.push(...more);
    }
    return { queue, rows };
  }

  private async handle({ queue, rows }: Received): Promise<void> {
    const now = this.ctx.clock.now();
    const records = rows.map((row) => ({ row, handle: this.queues.receiptHandle(queue, row), record: undefined as Record<string, unknown> | undefined }));
    for (const entry of records) entry.record = sqsEventRecord(entry.row, entry.handle, queue);

    const delivered = records.filter((entry) => !this.filter || this.filter(entry.record));
    for (const entry of records) {
      if (delivered.includes(entry)) continue;
      this.delete(queue, entry.handle);
      this.ctx.counters.recordsFiltered++;
    }
    if (delivered.length === 0) return;

    // A batch over the 6 MB payload limit goes out in as many invocations as it takes.
    for (const chunk of payloadChunks(delivered.map((entry) => entry.record!))) {
      const chunkEntries = delivered.filter((entry) => chunk.includes(entry.record!));
      this.ctx.counters.iteratorAgeMs = Math.max(0, now - Math.min(...chunkEntries.map((entry) => entry.row.sent_at)));
      const payload = JSON.stringify({ Records: chunk });
      let result;
      try {
        result = await this.ctx.invoke({ functionName: this.mapping.functionArn, payload, invocationType: 'RequestResponse' });
      } catch (error) {
        if (error instanceof AwsError && error.code === 'TooManyRequestsException') this.ctx.counters.throttles++;
        else if (error instanceof AwsError && error.code === 'ResourceNotFoundException') this.ctx.processingResult(RESULT_FUNCTION_NOT_FOUND);
        else this.ctx.onError(error);
        // The messages come back when their visibility timeout ends.
        continue;
      }
      this.ctx.counters.invocations++;
      const failed = failedMessageIds({
        functionError: result.functionError !== undefined,
        payload: result.payload.toString('utf8'),
        reportBatchItemFailures: this.mapping.functionResponseTypes.includes('ReportBatchItemFailures'),
        messageIds: chunkEntries.map((entry) => entry.row.message_id),
      });
      if (result.functionError !== undefined) this.ctx.counters.errors++;
      this.ctx.processingResult(result.functionError !== undefined ? RESULT_FUNCTION_FAILED : RESULT_OK);
      for (const entry of chunkEntries) {
        if (failed.has(entry.row.message_id)) continue;
        this.delete(queue, entry.handle);
        this.ctx.counters.recordsDelivered++;
      }
    }
  }

  /** A FIFO handle whose visibility ended during the invocation is refused: the message comes round again, as with Lambda. */
  private delete(queue: Queue, handle: string): void {
    try {
      this.queues.deleteMessage(queue, handle);
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.abort.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
  }
}

/** Splits records so each invocation's payload stays under 6 MB (a single larger record goes alone). */
function payloadChunks(records: Record<string, unknown>[]): Record<string, unknown>[][] {
  const chunks: Record<string, unknown>[][] = [];
  let current: Record<string, unknown>[] = [];
  let size = 20;
  for (const record of records) {
    const bytes = Buffer.byteLength(JSON.stringify(record)) + 1;
    if (current.length > 0 && size + bytes > MAX_PAYLOAD_BYTES) {
      chunks.push(current);
      current = [];
      size = 20;
    }
    current.push(record);
    size += bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
