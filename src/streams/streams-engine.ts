import { randomBytes } from 'node:crypto';
import type { AdjustableClock } from '../clock.js';
import type { WriteObserver } from '../dynamodb/item-store.js';
import type { Table } from '../dynamodb/table-catalog.js';
import { CAPTURE_FUNCTIONS, captureTriggersSql, dropCaptureTriggersSql } from './capture-triggers.js';
import { EVENT_CODES, itemTextsDiffer, type StreamViewType } from './stream-record.js';
import { MAX_SEQ, SEQ_OF_POS, RECORDS_OF_SHARD_AFTER, RECORDS_OF_SHARD_BETWEEN, StreamStore, type ShardRow, type StreamRow } from './stream-store.js';
import type { Db } from '../store/database.js';

export interface StreamsConfig {
  /** Open shards per stream (each serves a slice of the key hash space). */
  shardsPerStream: number;
  /** Eddy-clock time after which an open shard closes and a child opens. */
  shardRolloverMs: number;
  /** Eddy-clock time records stay readable. */
  retentionMs: number;
}

export const defaultStreamsConfig: StreamsConfig = {
  shardsPerStream: 1,
  shardRolloverMs: 4 * 60 * 60 * 1000,
  retentionMs: 24 * 60 * 60 * 1000,
};

interface ActiveStream {
  row: StreamRow;
  /** The open shard of each lane. */
  lanes: ShardRow[];
}

/**
 * FNV-1a over the item's key as the items table encodes it (partition key,
 * then sort key), so every change of one item lands in the same lane, in
 * order.
 */
export function laneOf(pk: Uint8Array, sk: Uint8Array, lanes: number): number {
  if (lanes <= 1) return 0;
  let hash = 0x811c9dc5;
  for (const bytes of [pk, sk]) {
    for (let i = 0; i < bytes.length; i++) {
      hash ^= bytes[i]!;
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    hash = Math.imul(hash ^ 0xff, 0x01000193) >>> 0;
  }
  return hash % lanes;
}

/** Records deleted per retention transaction. */
const TRIM_CHUNK = 1000;

interface OldRecord {
  seq: number;
  created_at: number;
}

/**
 * The records of a shard to trim: those before its first one (in sequence
 * order) created at or after `cutoff`; `records` is read only that far.
 * `through` is the last sequence number trimmed.
 */
export function expiredPrefix(records: Iterable<OldRecord>, cutoff: number): { count: number; through: number } {
  let count = 0;
  let through = 0;
  for (const record of records) {
    if (record.created_at >= cutoff) break;
    through = record.seq;
    count++;
  }
  return { count, through };
}

/** A stream label: ISO-8601 with milliseconds and no zone designator, as AWS writes it. */
export function streamLabel(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '');
}

function newShardId(createdAt: number): string {
  return `shardId-${String(createdAt).padStart(20, '0')}-${randomBytes(4).toString('hex')}`;
}

/**
 * DynamoDB Streams inside Eddy: enabling and disabling streams, capturing
 * every item change into the stream in the write's own statement (SQLite
 * triggers, capture-triggers.ts, calling the functions registered here), shard
 * rollover with lineage, and retention. The Streams API reads through it.
 */
export class StreamsEngine implements WriteObserver {
  readonly store: StreamStore;
  /**
   * The active stream of each table written lately, with its open shards (null: none), kept
   * current by {@link beforeWrite}: the capture triggers' functions read only this.
   */
  private readonly active = new Map<number, ActiveStream | null>();
  private readonly listeners = new Set<() => void>();
  /** Whether the write being made is the service's own (a TTL delete): its REMOVE records say so. */
  private serviceWrite = false;
  /** The clock when the write being made was readied (beforeWrite): its records' time. */
  private writeTime = 0;
  /** How consumers are woken once records have committed (setImmediate until the edge's group commit says otherwise). */
  private afterCommit: (fn: () => void) => void = (fn) => setImmediate(fn);
  private readonly allShards;
  private readonly oldestRecords;
  private readonly markTrimmed;
  private readonly deleteRecordsBetween;

  constructor(
    db: Db,
    private readonly clock: AdjustableClock,
    readonly config: StreamsConfig,
  ) {
    this.store = new StreamStore(db);
    this.allShards = db.prepare<[], { shard_id: string; shard_no: number }>('SELECT shard_id, shard_no FROM ddb_stream_shards');
    this.oldestRecords = db.prepare<[number, number, number, number], OldRecord>(`SELECT ${SEQ_OF_POS} AS seq, created_at FROM ddb_stream_records WHERE ${RECORDS_OF_SHARD_AFTER} ORDER BY pos LIMIT ?`);
    this.markTrimmed = db.prepare<[string, number]>(
      'INSERT INTO ddb_stream_trim (shard_id, trimmed_through) VALUES (?, ?) ON CONFLICT (shard_id) DO UPDATE SET trimmed_through = max(trimmed_through, excluded.trimmed_through)',
    );
    this.deleteRecordsBetween = db.prepare<[number, number, number, number]>(`DELETE FROM ddb_stream_records WHERE ${RECORDS_OF_SHARD_BETWEEN}`);
    this.registerCaptureFunctions();
    for (const row of db.prepare<[], StreamRow>('SELECT * FROM ddb_streams WHERE disabled_at IS NULL').all()) this.installTriggers(row);
  }

  /** Runs `fn` once what is being written now has committed: consumers are woken that way. */
  wakeAfterCommit(afterCommit: (fn: () => void) => void): void {
    this.afterCommit = afterCommit;
  }

  /** Called after records commit, so consumers can wake instead of polling. */
  onRecords(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts a new stream for `table` (a new ARN and label every time a stream is enabled). */
  enable(table: Table, viewType: StreamViewType, shardCount = this.config.shardsPerStream): StreamRow {
    const now = this.clock.now();
    let label = streamLabel(now);
    // Two enablings within one millisecond would share a label; AWS labels differ.
    const tableArn = table.description.TableArn;
    while (this.store.streamByArn.get(`${tableArn}/stream/${label}`)) label = streamLabel(Date.parse(`${label}Z`) + 1);
    const row: StreamRow = {
      arn: `${tableArn}/stream/${label}`,
      table_id: table.id,
      account: table.account,
      region: table.region,
      table_name: table.description.TableName,
      label,
      view_type: viewType,
      key_schema: JSON.stringify(table.description.KeySchema),
      shard_count: shardCount,
      created_at: now,
      disabled_at: null,
    };
    this.store.db.transaction(() => {
      this.store.insertStream(row);
      const start = this.store.upcomingSeq();
      for (let lane = 0; lane < shardCount; lane++) {
        this.store.insertShard({ shard_id: newShardId(now), stream_arn: row.arn, lane, parent_shard_id: null, created_at: now, starting_seq: start });
      }
      this.installTriggers(row);
    })();
    this.active.delete(table.id);
    return row;
  }

  /** Disables the table's stream (UpdateTable or DeleteTable): its shards close, its records stay readable. */
  disable(tableId: number): void {
    const stream = this.store.activeStreamOf(tableId);
    if (!stream) return;
    this.store.db.transaction(() => {
      for (const statement of dropCaptureTriggersSql(tableId)) this.store.db.exec(statement);
      for (const shard of this.store.openShards.all(stream.arn)) this.close(shard);
      this.store.disableStream(stream.arn, this.clock.now());
    })();
    this.active.delete(tableId);
  }

  activeStream(tableId: number): StreamRow | undefined {
    return this.activeOf(tableId)?.row;
  }

  latestStream(tableId: number): StreamRow | undefined {
    return this.store.latestStreamOf(tableId);
  }

  /**
   * Readies capture for a write to `table` (the item store calls it before
   * every write): loads the table's stream and open shards for the capture
   * functions, which may not read the database while SQLite runs the
   * write, and rolls over the shards whose time is up, as part of the
   * write's transaction when there is one.
   */
  beforeWrite(table: Table, byService: boolean): boolean {
    this.serviceWrite = byService;
    const stream = this.activeOf(table.id);
    if (!stream) return false;
    const now = this.clock.now();
    this.writeTime = now;
    let rolledOver = false;
    for (const shard of stream.lanes) {
      if (now < shard.created_at + this.config.shardRolloverMs) continue;
      this.rollOver(shard, now);
      rolledOver = true;
    }
    if (rolledOver) this.activeOf(table.id);
    return true;
  }

  recordPosition(table: Table, pk: Buffer, sk: Buffer): number | bigint {
    return this.takePosition(table.id, pk, sk);
  }

  recordTime(): number {
    return this.writeTime;
  }

  /**
   * A new record position in the table's stream: its shard's number (the
   * lane of key pk, sk; the first lane when not given) shifted left 40 bits,
   * OR a new sequence number. Consumers are woken once it has committed.
   */
  private takePosition(tableId: number, pk?: Uint8Array, sk?: Uint8Array): number | bigint {
    const stream = this.active.get(tableId);
    // Every write path readies capture first (beforeWrite); a write that did not must fail rather than lose its record.
    if (!stream) throw new Error(`stream capture for table ${String(tableId)} was not readied before the write`);
    const shard = stream.lanes[pk === undefined ? 0 : laneOf(pk, sk!, stream.lanes.length)]!;
    const seq = this.store.takeSeq();
    this.scheduleWake();
    // shard_no << 40 | seq, exact as a double while shard numbers stay below 2^13.
    return shard.shard_no < 8192 ? shard.shard_no * 2 ** 40 + seq : (BigInt(shard.shard_no) << 40n) | BigInt(seq);
  }

  /**
   * A transaction of the item store rolled back, perhaps with a rollover made
   * in it: the cached shards may name a child that does not exist while its
   * parent is open again, so they are read again at the next write.
   */
  afterRollback(): void {
    this.active.clear();
  }

  /** The SQL functions the capture triggers call (capture-triggers.ts); they run inside SQLite's statement. */
  private registerCaptureFunctions(): void {
    const db = this.store.db;
    db.function(CAPTURE_FUNCTIONS.position, { varargs: true, deterministic: false }, (tableId: unknown, pk?: unknown, sk?: unknown) =>
      this.takePosition(tableId as number, pk as Uint8Array | undefined, sk as Uint8Array | undefined),
    );
    db.function(CAPTURE_FUNCTIONS.now, { deterministic: false }, () => this.clock.now());
    db.function(CAPTURE_FUNCTIONS.itemsDiffer, { deterministic: true }, (oldItem: unknown, newItem: unknown) => (itemTextsDiffer(oldItem as string, newItem as string) ? 1 : 0));
    db.function(CAPTURE_FUNCTIONS.removeEvent, { deterministic: false }, () => (this.serviceWrite ? EVENT_CODES.SERVICE_REMOVE : EVENT_CODES.REMOVE));
  }

  private installTriggers(row: StreamRow): void {
    for (const statement of dropCaptureTriggersSql(row.table_id)) this.store.db.exec(statement);
    for (const statement of captureTriggersSql(row.table_id, row.view_type as StreamViewType, row.shard_count)) this.store.db.exec(statement);
  }

  /**
   * Wakes the consumers once the records being written have committed. Called
   * when a record position is taken, before a put's statement or inside a
   * delete's, where a consumer could not read: the next turn first, then
   * after the commit of a group still open then.
   */
  private scheduleWake(): void {
    if (this.wakeScheduled) return;
    this.wakeScheduled = true;
    setImmediate(() =>
      this.afterCommit(() => {
        this.wakeScheduled = false;
        for (const listener of this.listeners) listener();
      }),
    );
  }

  private wakeScheduled = false;

  /** Closes every open shard whose time is up and opens its child (also when nothing is written). */
  rollOverDueShards(): void {
    const now = this.clock.now();
    const due = this.store.allOpenShards().filter((shard) => now >= shard.created_at + this.config.shardRolloverMs);
    if (due.length === 0) return;
    this.store.db.transaction(() => {
      for (const shard of due) {
        const stream = this.store.streamByArn.get(shard.stream_arn);
        if (stream && stream.disabled_at === null) this.rollOver(shard, now);
      }
    })();
  }

  /**
   * Deletes records older than the retention period, remembering per shard
   * how far it was trimmed (TrimmedDataAccessException), and forgets streams
   * whose every record has expired after they were disabled.
   *
   * Records are appended in Eddy-clock order (the clock only moves forward),
   * so a shard's expired records are its oldest: retention walks each shard's
   * records from its first, TRIM_CHUNK per transaction, and stops at the first
   * that has not expired (no index on created_at to keep current on every
   * write). Should the host's clock step back, a record is trimmed once it and
   * every record before it in its shard have expired.
   */
  trimExpired(): number {
    const cutoff = this.clock.now() - this.config.retentionMs;
    const db = this.store.db;
    let deleted = 0;
    for (const { shard_id, shard_no } of this.allShards.all()) {
      let chunk: number;
      do {
        chunk = db.transaction(() => {
          const expired = expiredPrefix(this.oldestRecords.iterate(shard_no, 0, shard_no, TRIM_CHUNK), cutoff);
          if (expired.count === 0) return 0;
          this.markTrimmed.run(shard_id, expired.through);
          this.deleteRecordsBetween.run(shard_no, 0, shard_no, expired.through);
          this.store.keepHighWater();
          return expired.count;
        })();
        deleted += chunk;
      } while (chunk === TRIM_CHUNK);
    }
    const gone = db.prepare<[number], { arn: string }>('SELECT arn FROM ddb_streams WHERE disabled_at IS NOT NULL AND disabled_at < ?').all(cutoff);
    if (gone.length === 0) return deleted;
    return db.transaction(() => {
      for (const { arn } of gone) {
        for (const shard of this.store.shardsOf(arn)) {
          // Records left behind by a clock that stepped back go with their stream.
          deleted += this.deleteRecordsBetween.run(shard.shard_no, 0, shard.shard_no, MAX_SEQ).changes;
        }
        db.prepare('DELETE FROM ddb_stream_trim WHERE shard_id IN (SELECT shard_id FROM ddb_stream_shards WHERE stream_arn = ?)').run(arn);
        db.prepare('DELETE FROM ddb_stream_shards WHERE stream_arn = ?').run(arn);
        db.prepare('DELETE FROM ddb_streams WHERE arn = ?').run(arn);
      }
      this.store.keepHighWater();
      this.store.forgetRecordStreams();
      return deleted;
    })();
  }

  private rollOver(shard: ShardRow, now: number): void {
    this.close(shard);
    this.store.insertShard({
      shard_id: newShardId(now),
      stream_arn: shard.stream_arn,
      lane: shard.lane,
      parent_shard_id: shard.shard_id,
      created_at: now,
      starting_seq: this.store.upcomingSeq(),
    });
    // Forget the cached lanes of the stream's table.
    const stream = this.store.streamByArn.get(shard.stream_arn);
    if (stream) this.active.delete(stream.table_id);
  }

  private close(shard: ShardRow): void {
    const last = this.store.lastSeqOfShard(shard.shard_no);
    this.store.closeShard(shard.shard_id, last ?? shard.starting_seq);
  }

  private activeOf(tableId: number): ActiveStream | undefined {
    let cached = this.active.get(tableId);
    if (cached === undefined) {
      const row = this.store.activeStreamOf(tableId);
      cached = row
        ? { row, lanes: this.store.openShards.all(row.arn) }
        : null;
      this.active.set(tableId, cached);
    }
    return cached ?? undefined;
  }
}
