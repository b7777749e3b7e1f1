import { randomBytes } from 'node:crypto';
import type { Db } from '../store/database.js';

export interface StreamRow {
  arn: string;
  table_id: number;
  account: string;
  region: string;
  table_name: string;
  label: string;
  view_type: string;
  key_schema: string;
  shard_count: number;
  created_at: number;
  disabled_at: number | null;
}

export interface ShardRow {
  shard_id: string;
  stream_arn: string;
  lane: number;
  parent_shard_id: string | null;
  created_at: number;
  starting_seq: number;
  ending_seq: number | null;
}

export interface RecordRow {
  seq: number;
  record: string;
}

/**
 * SQL for streams, shards and records; no semantics here (see streams-engine.ts)
 * except the numbering of records: one global sequence, assigned here.
 */
export class StreamStore {
  private readonly insertRecordRow;
  readonly recordsAfter;
  readonly lastSeqOfShard;
  private readonly raiseHighWater;
  /**
   * The sequence the next record will get (records are numbered from 1). Kept
   * in memory: Eddy is the database's only writer (exclusive locking). A
   * record whose transaction rolls back leaves its number unused, a harmless
   * gap: numbers only ever need to grow.
   */
  private next: number;
  readonly openShards;
  readonly streamByArn;
  readonly shardById;
  readonly trimmedThrough;

  constructor(readonly db: Db) {
    this.insertRecordRow = db.prepare<[number, string, number, string]>('INSERT INTO ddb_stream_records (seq, shard_id, created_at, record) VALUES (?, ?, ?, ?)');
    this.recordsAfter = db.prepare<[string, number, number], RecordRow>('SELECT seq, record FROM ddb_stream_records WHERE shard_id = ? AND seq > ? ORDER BY seq LIMIT ?');
    this.lastSeqOfShard = db.prepare<[string], { seq: number | null }>('SELECT max(seq) AS seq FROM ddb_stream_records WHERE shard_id = ?');
    this.raiseHighWater = db.prepare<[number]>('UPDATE ddb_stream_sequence SET high_water = max(high_water, ?) WHERE id = 1');
    this.openShards = db.prepare<[string], ShardRow>('SELECT * FROM ddb_stream_shards WHERE stream_arn = ? AND ending_seq IS NULL ORDER BY lane');
    this.streamByArn = db.prepare<[string], StreamRow>('SELECT * FROM ddb_streams WHERE arn = ?');
    this.shardById = db.prepare<[string], ShardRow>('SELECT * FROM ddb_stream_shards WHERE shard_id = ?');
    this.trimmedThrough = db.prepare<[string], { trimmed_through: number }>('SELECT trimmed_through FROM ddb_stream_trim WHERE shard_id = ?');
    this.next = firstUnusedSeq(db);
  }

  /** The sequence the next record will get. */
  upcomingSeq(): number {
    return this.next;
  }

  /** Appends a record to `shardId` under the next sequence number. Call inside the write's transaction. */
  insertRecord(shardId: string, createdAt: number, record: string): void {
    this.insertRecordRow.run(this.next, shardId, createdAt, record);
    this.next++;
  }

  /** Call in every transaction that deletes records or shards, so their numbers are never issued again after a restart. */
  keepHighWater(): void {
    this.raiseHighWater.run(this.next - 1);
  }

  activeStreamOf(tableId: number): StreamRow | undefined {
    return this.db.prepare<[number], StreamRow>('SELECT * FROM ddb_streams WHERE table_id = ? AND disabled_at IS NULL').get(tableId);
  }

  latestStreamOf(tableId: number): StreamRow | undefined {
    return this.db.prepare<[number], StreamRow>('SELECT * FROM ddb_streams WHERE table_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1').get(tableId);
  }

  insertStream(row: StreamRow): void {
    this.db
      .prepare('INSERT INTO ddb_streams (arn, table_id, account, region, table_name, label, view_type, key_schema, shard_count, created_at, disabled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)')
      .run(row.arn, row.table_id, row.account, row.region, row.table_name, row.label, row.view_type, row.key_schema, row.shard_count, row.created_at);
  }

  insertShard(row: ShardRow): void {
    this.db
      .prepare('INSERT INTO ddb_stream_shards (shard_id, stream_arn, lane, parent_shard_id, created_at, starting_seq, ending_seq) VALUES (?, ?, ?, ?, ?, ?, NULL)')
      .run(row.shard_id, row.stream_arn, row.lane, row.parent_shard_id, row.created_at, row.starting_seq);
  }

  closeShard(shardId: string, endingSeq: number): void {
    this.db.prepare('UPDATE ddb_stream_shards SET ending_seq = ? WHERE shard_id = ?').run(endingSeq, shardId);
  }

  disableStream(arn: string, at: number): void {
    this.db.prepare('UPDATE ddb_streams SET disabled_at = ? WHERE arn = ?').run(at, arn);
  }

  streamsOf(account: string, region: string): StreamRow[] {
    return this.db.prepare<[string, string], StreamRow>('SELECT * FROM ddb_streams WHERE account = ? AND region = ? ORDER BY arn').all(account, region);
  }

  shardsOf(arn: string): ShardRow[] {
    return this.db.prepare<[string], ShardRow>('SELECT * FROM ddb_stream_shards WHERE stream_arn = ? ORDER BY created_at, lane, shard_id').all(arn);
  }

  allOpenShards(): ShardRow[] {
    return this.db.prepare<[], ShardRow>('SELECT * FROM ddb_stream_shards WHERE ending_seq IS NULL').all();
  }

  /** The key that signs shard iterators, created once per database so iterators survive restarts. */
  secret(name: string): Buffer {
    const row = this.db.prepare<[string], { value: Buffer }>('SELECT value FROM eddy_secrets WHERE name = ?').get(name);
    if (row) return row.value;
    const value = randomBytes(32);
    this.db.prepare('INSERT INTO eddy_secrets (name, value) VALUES (?, ?)').run(name, value);
    return value;
  }
}

/**
 * The first sequence number no record, shard or trim mark has used: above the
 * records still stored, the highest number deleted records had (high water),
 * every shard's bounds (a shard opens with the number its first record will
 * get) and every trim mark.
 */
function firstUnusedSeq(db: Db): number {
  const row = db
    .prepare<[], { used: number }>(
      `SELECT max(
         coalesce((SELECT max(seq) FROM ddb_stream_records), 0),
         coalesce((SELECT high_water FROM ddb_stream_sequence WHERE id = 1), 0),
         coalesce((SELECT max(starting_seq) - 1 FROM ddb_stream_shards), 0),
         coalesce((SELECT max(ending_seq) FROM ddb_stream_shards), 0),
         coalesce((SELECT max(trimmed_through) FROM ddb_stream_trim), 0)
       ) AS used`,
    )
    .get()!;
  return row.used + 1;
}
