/**
 * DynamoDB Streams as an event source: one consumer per mapping, one
 * {@link ShardConsumer} per shard (a child starts once its parent is
 * finished), and per shard `ParallelizationFactor` key lanes ({@link Lane}),
 * each with at most one batch in flight, so records of one item key stay in
 * order while other keys go ahead. Records are read straight from the stream
 * store when `streams.onRecords` says something committed; nothing polls.
 *
 * A shard's checkpoint is the record before the oldest one still buffered or
 * in flight in any of its lanes (or the last record read when none is), so a
 * restart re-reads exactly what was not finished.
 */
import type { Statement } from 'better-sqlite3';
import { AwsError } from '../../edge/errors.js';
import { RECORDS_OF_SHARD_AFTER, RECORDS_OF_SHARD_BETWEEN, type ShardRow } from '../../streams/stream-store.js';
import { formatSequenceNumber } from '../../streams/sequence-numbers.js';
import { batchOutcome } from './batch-outcome.js';
import { CheckpointStore, type LanePositions, type ShardCheckpoint, type WindowState } from './checkpoints.js';
import type { SourceConsumer, SourceContext } from './engine.js';
import { ddbFailureRecord, type FailureCondition } from './failure-record.js';
import type { EventSourceMapping, MappingMetrics } from './mapping.js';
import { EVENT_OVERHEAD_BYTES, MAX_PAYLOAD_BYTES, WINDOW_FIELDS_BYTES, eventPayload, toEventRecord, type EventRecord, type WindowFields } from './stream-event.js';

/**
 * How far a shard reads ahead of what its lanes have sent: four batches per
 * lane, at least a thousand records (small batches then cost no read each),
 * and no more than four full payloads per lane in bytes.
 */
const READ_AHEAD_BATCHES = 4;
const MIN_READ_AHEAD = 1000;
const READ_AHEAD_BYTES = 4 * MAX_PAYLOAD_BYTES;
/** Retry delays (wall time) after throttles and function errors: doubling from the first, capped. */
const FIRST_RETRY_DELAY_MS = 10;
const MAX_RETRY_DELAY_MS = 1000;
/** Tumbling window state larger than this ends the window early (AWS: 1 MB per shard). */
const MAX_WINDOW_STATE_BYTES = 1024 * 1024;

// AWS's LastProcessingResult texts (the failure ones are as seen in the console; unverified wording).
const RESULT_OK = 'OK';
const RESULT_FUNCTION_FAILED = 'PROBLEM: Function call failed';
const RESULT_FUNCTION_NOT_FOUND = 'PROBLEM: Function not found';

interface Pending extends EventRecord {
  /** Eddy-clock ms the record was read into its lane: the batching window starts here. */
  readAt: number;
}

type Invoked =
  | { kind: 'throttled' }
  | { kind: 'unavailable' }
  | { kind: 'done'; functionError: boolean; payload: string; statusCode: number; executedVersion: string };

export function createDynamoDbSource(mapping: EventSourceMapping, ctx: SourceContext): SourceConsumer {
  return new StreamMappingConsumer(mapping, ctx);
}

class StreamMappingConsumer implements SourceConsumer {
  readonly checkpoints: CheckpointStore;
  readonly filter: ((record: unknown) => boolean) | undefined;
  private readonly pendingBetween: Statement<[number, number, number, number], { pos: number }>;
  private readonly countAfter: Statement<[number, number, number], { n: number }>;
  private readonly shardsOfStream: Statement<[string], ShardRow>;
  private readonly consumers = new Map<string, ShardConsumer>();
  private readonly finished = new Set<string>();
  private readonly saved: Map<string, ShardCheckpoint>;
  private readonly startAfter: number | undefined;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly sleepers = new Set<() => void>();
  stopped = false;

  constructor(
    readonly mapping: EventSourceMapping,
    readonly ctx: SourceContext,
  ) {
    const db = ctx.db;
    this.checkpoints = new CheckpointStore(db);
    this.filter = ctx.compileFilter(mapping.filterPatterns);
    // A shard's records are one rowid range (src/streams/stream-store.ts); its records are read through the store.
    this.pendingBetween = db.prepare(`SELECT pos FROM ddb_stream_records WHERE ${RECORDS_OF_SHARD_BETWEEN} LIMIT 1`);
    this.countAfter = db.prepare(`SELECT count(*) AS n FROM ddb_stream_records WHERE ${RECORDS_OF_SHARD_AFTER}`);
    // Prepared once: every commit wakes the consumer, which looks for new shards.
    this.shardsOfStream = db.prepare('SELECT * FROM ddb_stream_shards WHERE stream_arn = ? ORDER BY created_at, lane, shard_id');
    this.saved = this.checkpoints.all(mapping.uuid);
    for (const [shardId, checkpoint] of this.saved) if (checkpoint.finished) this.finished.add(shardId);
    // LATEST: the records committed after the mapping was created (fixed once, so a restart does not skip).
    if (mapping.startingPosition === 'LATEST') this.startAfter = this.checkpoints.startAfter(mapping.uuid, ctx.streams.store.upcomingSeq() - 1);
    this.unsubscribe.push(ctx.streams.onRecords(() => this.wake()));
    this.unsubscribe.push(ctx.clock.onAdvance(() => this.wake()));
    this.wake();
  }

  /** Something committed, time moved or a batch ended: find new shards and let every shard read and send. */
  wake(): void {
    if (this.stopped) return;
    for (const row of this.shardsOfStream.all(this.mapping.eventSourceArn)) {
      if (this.finished.has(row.shard_id) || this.consumers.has(row.shard_id)) continue;
      this.consumers.set(row.shard_id, new ShardConsumer(this, row, this.initialPosition(row), this.saved.get(row.shard_id)?.lanes));
    }
    for (const shard of this.consumers.values()) shard.pump();
  }

  /** A parent must be finished (or gone: trimmed away) before its children are read. */
  mayRead(row: ShardRow): boolean {
    const parent = row.parent_shard_id;
    return parent === null || this.finished.has(parent) || !this.ctx.streams.store.shardById.get(parent);
  }

  shardFinished(shard: ShardConsumer): void {
    this.consumers.delete(shard.row.shard_id);
    this.finished.add(shard.row.shard_id);
    this.wake();
  }

  /** Resolves after `ms` of wall time, or at once when the consumer stops. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }

  async invoke(payload: string): Promise<Invoked> {
    try {
      const result = await this.ctx.invoke({ functionName: this.mapping.functionArn, payload, invocationType: 'RequestResponse' });
      this.ctx.counters.invocations++;
      return { kind: 'done', functionError: result.functionError !== undefined, payload: result.payload.toString('utf8'), statusCode: result.statusCode, executedVersion: result.executedVersion ?? '$LATEST' };
    } catch (error) {
      if (error instanceof AwsError && error.code === 'TooManyRequestsException') {
        this.ctx.counters.throttles++;
        return { kind: 'throttled' };
      }
      if (error instanceof AwsError && error.code === 'ResourceNotFoundException') this.ctx.processingResult(RESULT_FUNCTION_NOT_FOUND);
      else if (!this.stopped) this.ctx.onError(error);
      return { kind: 'unavailable' };
    }
  }

  /** After the invocation's outcome is known: LastProcessingResult. */
  result(functionFailed: boolean): void {
    this.ctx.processingResult(functionFailed ? RESULT_FUNCTION_FAILED : RESULT_OK);
  }

  /** Sends a given-up batch's metadata to the on-failure destination (retrying until it is taken or the consumer stops). */
  async giveUp(
    shard: ShardConsumer,
    records: readonly Pending[],
    condition: FailureCondition,
    invokeCount: number,
    response: { statusCode: number; executedVersion: string; functionError: string | null } | undefined,
  ): Promise<boolean> {
    const destination = this.mapping.onFailureDestination;
    if (destination && this.ctx.destinations) {
      const message = ddbFailureRecord({
        functionArn: this.mapping.functionArn,
        condition,
        invokeCount,
        response,
        nowMs: this.ctx.clock.now(),
        shardId: shard.row.shard_id,
        streamArn: this.mapping.eventSourceArn,
        records,
      });
      for (let attempt = 0; ; attempt++) {
        if (this.stopped) return false;
        try {
          await this.ctx.destinations.send(destination, message);
          this.ctx.counters.onFailureSends++;
          break;
        } catch (error) {
          this.ctx.onError(error);
          await this.sleep(retryDelay(attempt));
        }
      }
    }
    this.ctx.counters.recordsFailed += records.length;
    return true;
  }

  private initialPosition(row: ShardRow): number {
    const saved = this.saved.get(row.shard_id);
    if (saved) return saved.seq;
    const before = row.starting_seq - 1;
    return this.startAfter === undefined ? before : Math.max(before, this.startAfter);
  }

  drainMark(): unknown {
    return this.ctx.streams.store.upcomingSeq() - 1;
  }

  reached(mark: unknown): boolean {
    for (const row of this.shardsOfStream.all(this.mapping.eventSourceArn)) {
      if (this.finished.has(row.shard_id)) continue;
      const position = this.consumers.get(row.shard_id)?.checkpoint() ?? this.initialPosition(row);
      if (this.pendingBetween.get(row.shard_no, position, row.shard_no, mark as number)) return false;
    }
    return true;
  }

  shards(): MappingMetrics['shards'] {
    return [...this.consumers.values()].map((shard) => {
      const checkpoint = shard.checkpoint();
      return {
        shardId: shard.row.shard_id,
        lagRecords: this.countAfter.get(shard.row.shard_no, checkpoint, shard.row.shard_no)?.n ?? 0,
        iteratorAgeMs: shard.iteratorAgeMs,
        ...(checkpoint > 0 ? { checkpoint: formatSequenceNumber(checkpoint) } : {}),
      };
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const unsubscribe of this.unsubscribe.splice(0)) unsubscribe();
    for (const wake of [...this.sleepers]) wake();
    await Promise.all([...this.consumers.values()].map((shard) => shard.stop()));
  }

  forget(): void {
    this.checkpoints.forget(this.mapping.uuid);
  }
}

/** One shard of one mapping: reads into key lanes, checkpoints what is finished. */
class ShardConsumer {
  readonly lanes: Lane[];
  /** The last record read (sent to a lane or filtered out). */
  private readPosition: number;
  /** The checkpoint last saved. */
  private saved: number;
  private buffered = 0;
  private bufferedBytes = 0;
  iteratorAgeMs = 0;

  /** The last record each lane finished; a lane skips records at or before it (read again after a restart). */
  private readonly lanePositions: number[];
  /** A lane finished records since the last save (under parallelization the shard checkpoint may not have moved). */
  private lanesMoved = false;

  constructor(
    readonly owner: StreamMappingConsumer,
    public row: ShardRow,
    position: number,
    lanes: LanePositions | undefined,
  ) {
    this.readPosition = position;
    this.saved = position;
    const factor = owner.mapping.parallelizationFactor ?? 1;
    // Lane progress applies only while the lanes are the same ones (the same factor).
    this.lanePositions = lanes && lanes.factor === factor ? [...lanes.positions] : new Array<number>(factor).fill(position);
    const windows = (owner.mapping.tumblingWindowInSeconds ?? 0) > 0 ? owner.checkpoints.windows(owner.mapping.uuid, row.shard_id) : new Map<number, WindowState>();
    this.lanes = Array.from({ length: factor }, (_, index) => new Lane(this, index, windows.get(index)));
  }

  get mapping(): EventSourceMapping {
    return this.owner.mapping;
  }

  get ctx(): SourceContext {
    return this.owner.ctx;
  }

  /** Reads what the lanes have room for, then lets each lane send. */
  pump(): void {
    if (this.owner.stopped || !this.owner.mayRead(this.row)) return;
    const { mapping, ctx } = this;
    const limit = Math.max(MIN_READ_AHEAD, mapping.batchSize * this.lanes.length * READ_AHEAD_BATCHES);
    const byteLimit = READ_AHEAD_BYTES * this.lanes.length;
    const now = ctx.clock.now();
    for (;;) {
      const room = limit - this.buffered;
      if (room <= 0 || this.bufferedBytes >= byteLimit) break;
      const rows = ctx.streams.store.recordsAfter(this.row.shard_no, this.readPosition, Math.min(room, 1000));
      for (const row of rows) {
        const record = toEventRecord(row, mapping.eventSourceArn);
        this.readPosition = row.seq;
        const lane = record.keyHash % this.lanes.length;
        if (row.seq <= this.lanePositions[lane]!) continue;
        if (this.owner.filter && !this.owner.filter(JSON.parse(record.text))) {
          ctx.counters.recordsFiltered++;
          continue;
        }
        this.lanes[lane]!.queue.push({ ...record, readAt: now });
        this.buffered++;
        this.bufferedBytes += record.text.length;
      }
      if (rows.length < Math.min(room, 1000)) break;
    }
    this.saveCheckpoint();
    for (const lane of this.lanes) lane.schedule();
    this.finishIfDone();
  }

  /** The record before the oldest one not finished in any lane. */
  checkpoint(): number {
    let oldest = Infinity;
    for (const lane of this.lanes) {
      const head = lane.queue[0];
      if (head && head.seq < oldest) oldest = head.seq;
    }
    return oldest === Infinity ? this.readPosition : oldest - 1;
  }

  /** Records finished at the head of lane `lane` (`count` of them, `bytes` of text), the last of them `lastSeq`. */
  finished(lane: number, count: number, bytes: number, lastSeq: number): void {
    this.buffered -= count;
    this.bufferedBytes -= bytes;
    this.lanePositions[lane] = lastSeq;
    this.lanesMoved = true;
  }

  saveCheckpoint(window?: { lane: number; value: WindowState | null }): void {
    const checkpoint = this.checkpoint();
    if (checkpoint === this.saved && !window && !(this.lanesMoved && this.lanes.length > 1)) return;
    this.lanesMoved = false;
    const lanes = this.lanes.length > 1 ? { factor: this.lanes.length, positions: this.lanePositions } : undefined;
    this.owner.checkpoints.save(this.mapping.uuid, this.row.shard_id, { seq: checkpoint, finished: false, ...(lanes ? { lanes } : {}) }, window);
    this.saved = checkpoint;
    this.ctx.progress();
  }

  /** A closed shard read to its end, with nothing left in its lanes, is finished: its children may start. */
  private finishIfDone(): void {
    if (this.lanes.some((lane) => lane.queue.length > 0 || lane.busy || lane.window)) return;
    const row = this.ctx.streams.store.shardById.get(this.row.shard_id);
    if (row) this.row = row;
    if (row && row.ending_seq === null) return;
    if (row && this.ctx.streams.store.recordsAfter(row.shard_no, this.readPosition, 1).length > 0) return;
    this.owner.checkpoints.save(this.mapping.uuid, this.row.shard_id, { seq: this.readPosition, finished: true });
    this.owner.shardFinished(this);
    this.ctx.progress();
  }

  async stop(): Promise<void> {
    await Promise.all(this.lanes.map((lane) => lane.stop()));
  }
}

/**
 * One key lane of a shard: its records in order, one batch in flight. The
 * batch's retries, bisections and partial failures run here; the records at
 * the head of `queue` are the ones in flight.
 */
class Lane {
  readonly queue: Pending[] = [];
  busy = false;
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private consecutiveFailures = 0;
  /** The open tumbling window; `early` once its state outgrew the limit. */
  window: (WindowState & { early?: boolean }) | undefined;

  constructor(
    private readonly shard: ShardConsumer,
    private readonly index: number,
    window: WindowState | undefined,
  ) {
    this.window = window;
  }

  private get mapping(): EventSourceMapping {
    return this.shard.mapping;
  }

  private get windowMs(): number {
    return (this.mapping.tumblingWindowInSeconds ?? 0) * 1000;
  }

  private windowOf(record: EventRecord): number {
    return Math.floor(record.createdAt / this.windowMs) * this.windowMs;
  }

  /** Sends the next batch if one is due; otherwise arms a timer for when it will be. */
  schedule(): void {
    if (this.busy || this.shard.owner.stopped) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    const now = this.shard.ctx.clock.now();
    if (this.windowMs > 0 && this.window && this.finalInvokeDue(now)) return this.start(() => this.finalInvoke());
    if (this.queue.length === 0) return;
    const { count, full } = this.nextBatch();
    const waitMs = this.mapping.maximumBatchingWindowInSeconds * 1000;
    const dueAt = this.queue[0]!.readAt + waitMs;
    if (!full && waitMs > 0 && now < dueAt) {
      // The batching window runs on Eddy's clock: a timer for wall time, and clock advances wake the shard too.
      this.timer = setTimeout(() => this.schedule(), dueAt - now);
      this.timer.unref();
      return;
    }
    this.start(() => this.process(this.queue.slice(0, count)));
  }

  private finalInvokeDue(now: number): boolean {
    const window = this.window!;
    if (window.early) return true;
    const head = this.queue[0];
    if (head) return this.windowOf(head) !== window.start;
    const end = window.start + this.windowMs;
    if (now >= end) return true;
    this.timer = setTimeout(() => this.schedule(), end - now);
    this.timer.unref();
    return false;
  }

  /** How many head records make the next batch, and whether it is complete (size, 6 MB, or a window boundary). */
  private nextBatch(): { count: number; full: boolean } {
    const first = this.queue[0]!;
    const windowStart = this.windowMs > 0 ? this.windowOf(first) : 0;
    // With a tumbling window the event also carries the window fields and the state so far.
    let bytes = EVENT_OVERHEAD_BYTES + (this.windowMs > 0 ? WINDOW_FIELDS_BYTES + Buffer.byteLength(this.window?.state ?? '{}') : 0);
    let count = 0;
    for (const record of this.queue) {
      if (count === this.mapping.batchSize) return { count, full: true };
      if (this.windowMs > 0 && this.windowOf(record) !== windowStart) return { count, full: true };
      const size = Buffer.byteLength(record.text) + 1;
      if (count > 0 && bytes + size > MAX_PAYLOAD_BYTES) return { count, full: true };
      bytes += size;
      count++;
    }
    return { count, full: count === this.mapping.batchSize };
  }

  private start(work: () => Promise<void>): void {
    this.busy = true;
    this.running = work()
      .catch((error: unknown) => this.shard.ctx.onError(error))
      .finally(() => {
        this.busy = false;
        this.running = undefined;
        this.shard.saveCheckpoint();
        this.shard.pump();
      });
  }

  /** Removes `count` finished records from the head and saves the checkpoint (with the window state when given). */
  private done(count: number, window?: WindowState | null): void {
    const last = this.queue[count - 1]!.seq;
    let bytes = 0;
    for (let i = 0; i < count; i++) bytes += this.queue[i]!.text.length;
    this.queue.splice(0, count);
    this.shard.finished(this.index, count, bytes, last);
    this.shard.saveCheckpoint(window === undefined ? undefined : { lane: this.index, value: window });
  }

  /**
   * One batch until it is finished: delivered, partly delivered and the rest
   * retried, bisected, or given up on (to the on-failure destination).
   * Bisection and partial successes do not consume retries; throttles and
   * failures to invoke neither. `chunks` are the pieces still to deliver, in
   * order.
   */
  private async process(batch: Pending[]): Promise<void> {
    const { mapping, ctx } = this.shard;
    const owner = this.shard.owner;
    type Response = { statusCode: number; executedVersion: string; functionError: string | null };
    /** A piece still to deliver: its retries so far, its invocations, and the last invocation's outcome. */
    type Chunk = { records: Pending[]; retries: number; invoked: number; response?: Response };
    const chunks: Chunk[] = [{ records: batch, retries: 0, invoked: 0 }];
    const maxRetries = mapping.maximumRetryAttempts ?? -1;
    const bisect = mapping.bisectBatchOnFunctionError === true;
    const partial = mapping.functionResponseTypes.includes('ReportBatchItemFailures');
    while (chunks.length > 0 && !owner.stopped) {
      const chunk = chunks[0]!;
      const expired = this.expiredHead(chunk.records);
      if (expired > 0) {
        if (!(await owner.giveUp(this.shard, chunk.records.slice(0, expired), 'RecordAgeExceeded', chunk.invoked, chunk.response))) return;
        this.done(expired);
        chunk.records = chunk.records.slice(expired);
        if (chunk.records.length === 0) chunks.shift();
        continue;
      }
      const windowFields = this.windowFields(chunk.records[0]!, false);
      const payload = eventPayload(chunk.records, windowFields);
      const last = chunk.records[chunk.records.length - 1]!;
      this.shard.iteratorAgeMs = ctx.clock.now() - last.createdAt;
      ctx.counters.iteratorAgeMs = this.shard.iteratorAgeMs;
      const invoked = await owner.invoke(payload);
      if (invoked.kind !== 'done') {
        await owner.sleep(retryDelay(this.consecutiveFailures++));
        continue;
      }
      chunk.invoked++;
      const outcome = batchOutcome({
        functionError: invoked.functionError,
        payload: invoked.payload,
        reportBatchItemFailures: partial,
        sequenceNumbers: chunk.records.map((record) => record.sequenceNumber),
        tumblingWindow: windowFields !== undefined,
      });
      owner.result(outcome.kind === 'failure');
      const newWindow = (state: unknown): WindowState | undefined => (windowFields ? { start: windowFields.start, state: JSON.stringify(state) } : undefined);
      if (outcome.kind === 'success') {
        ctx.counters.recordsDelivered += chunk.records.length;
        this.consecutiveFailures = 0;
        this.setWindow(newWindow(outcome.state));
        this.done(chunk.records.length, this.window ? { start: this.window.start, state: this.window.state } : undefined);
        chunks.shift();
        continue;
      }
      if (outcome.kind === 'failure') ctx.counters.errors++;
      const response: Response = { statusCode: invoked.statusCode, executedVersion: invoked.executedVersion, functionError: invoked.functionError ? 'Unhandled' : null };
      chunk.response = response;
      if (outcome.kind === 'partial' && outcome.index > 0) {
        // The records before the lowest reported failure are delivered; the rest is retried.
        ctx.counters.recordsDelivered += outcome.index;
        this.setWindow(newWindow(outcome.state));
        this.done(outcome.index, this.window ? { start: this.window.start, state: this.window.state } : undefined);
        chunk.records = chunk.records.slice(outcome.index);
        // With bisection the batch is split at the returned record: no retry consumed.
        if (bisect) continue;
      } else if (bisect && chunk.records.length > 1) {
        const half = Math.ceil(chunk.records.length / 2);
        chunks.splice(0, 1, { records: chunk.records.slice(0, half), retries: chunk.retries, invoked: 0 }, { records: chunk.records.slice(half), retries: chunk.retries, invoked: 0 });
        continue;
      }
      if (maxRetries !== -1 && chunk.retries >= maxRetries) {
        if (!(await owner.giveUp(this.shard, chunk.records, 'RetryAttemptsExhausted', chunk.invoked, response))) return;
        this.done(chunk.records.length);
        chunks.shift();
        continue;
      }
      chunk.retries++;
      await owner.sleep(retryDelay(this.consecutiveFailures++));
    }
  }

  /** How many leading records are older than MaximumRecordAgeInSeconds (or than the stream's retention, when retries are unlimited). */
  private expiredHead(records: readonly Pending[]): number {
    const { mapping, ctx } = this.shard;
    const maxAgeMs = (mapping.maximumRecordAgeInSeconds ?? -1) === -1 ? ctx.streams.config.retentionMs : mapping.maximumRecordAgeInSeconds! * 1000;
    const now = ctx.clock.now();
    let count = 0;
    while (count < records.length && now - records[count]!.createdAt > maxAgeMs) count++;
    return count;
  }

  private windowFields(first: EventRecord | undefined, final: boolean): WindowFields | undefined {
    if (this.windowMs === 0) return undefined;
    const start = first ? this.windowOf(first) : this.window!.start;
    const current = this.window && this.window.start === start ? this.window : undefined;
    return {
      start,
      end: start + this.windowMs,
      state: current ? JSON.parse(current.state) : {},
      shardId: this.shard.row.shard_id,
      eventSourceArn: this.mapping.eventSourceArn,
      isFinalInvokeForWindow: final,
      isWindowTerminatedEarly: final && current?.early === true,
    };
  }

  private setWindow(window: WindowState | undefined): void {
    if (!window) return;
    this.window = { ...window, early: Buffer.byteLength(window.state) > MAX_WINDOW_STATE_BYTES };
  }

  /**
   * The window's last invocation: no records, its state, isFinalInvokeForWindow.
   * Lambda holds the shard until it succeeds. A window ended early (state over
   * 1 MB) continues with a fresh state.
   */
  private async finalInvoke(): Promise<void> {
    const owner = this.shard.owner;
    const fields = this.windowFields(undefined, true)!;
    while (!owner.stopped) {
      const invoked = await owner.invoke(eventPayload([], fields));
      if (invoked.kind === 'done' && !invoked.functionError) {
        owner.result(false);
        this.consecutiveFailures = 0;
        const early = this.window?.early === true;
        this.window = early ? { start: fields.start, state: '{}' } : undefined;
        this.shard.saveCheckpoint({ lane: this.index, value: this.window ? { start: this.window.start, state: this.window.state } : null });
        return;
      }
      if (invoked.kind === 'done') {
        owner.result(true);
        this.shard.ctx.counters.errors++;
      }
      await owner.sleep(retryDelay(this.consecutiveFailures++));
    }
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    await this.running;
  }
}

function retryDelay(failures: number): number {
  return Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2 ** Math.min(failures, 10));
}
