import { randomBytes } from 'node:crypto';
import type { Db } from '../store/database.js';
import { storedRecordText, type RecordStream, type StoredRecordParts, type StreamViewType } from './stream-record.js';

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
  /** The shard's number: its records are the rows whose pos has it in the bits above 40 (see RECORDS_OF_SHARD). */
  shard_no: number;
  stream_arn: string;
  lane: number;
  parent_shard_id: string | null;
  created_at: number;
  starting_seq: number;
  ending_seq: number | null;
}

export interface RecordRow {
  seq: number;
  created_at: number;
  record: string;
}

/**
 * Records are numbered below 2^40 (a million years of records at 30,000 a
 * second): a record's pos is its shard's number shifted left 40 bits, OR its
 * sequence number, so that each shard's records are one rowid range in
 * sequence order (migration "Stream records clustered by shard").
 */
export const MAX_SEQ = 2 ** 40 - 1;

/** A record's sequence number in SQL: the low 40 bits of its pos. */
export const SEQ_OF_POS = `(pos & ${MAX_SEQ})`;

/**
 * The records of one shard after a sequence number, as a rowid range; binds
 * (shard_no, after, shard_no). Bitwise OR, not +: SQLite computes it on
 * 64-bit integers, where a sum of bound numbers could go through a double.
 */
export const RECORDS_OF_SHARD_AFTER = `pos > ((? << 40) | ?) AND pos <= ((? << 40) | ${MAX_SEQ})`;

/** Like {@link RECORDS_OF_SHARD_AFTER}, up to a sequence number too; binds (shard_no, after, shard_no, through). */
export const RECORDS_OF_SHARD_BETWEEN = 'pos > ((? << 40) | ?) AND pos <= ((? << 40) | ?)';

/**
 * SQL for streams, shards and records; no semantics here (see streams-engine.ts)
 * except the numbering of records: one global sequence, assigned here.
 */
export class StreamStore {
  private readonly recordsAfterStatement;
  private readonly lastSeqOfShardStatement;
  private readonly raiseHighWater;
  private readonly streamOfShardStatement;
  /** What the records of a shard say about its stream, by shard number (cleared when streams are deleted: numbers are reused). */
  private readonly recordStreams = new Map<number, RecordStream>();
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
    this.recordsAfterStatement = db.prepare<[number, number, number, number], StoredRecordParts>(
      `SELECT ${SEQ_OF_POS} AS seq, created_at, event, new_item, old_item, new_size, old_size, record FROM ddb_stream_records WHERE ${RECORDS_OF_SHARD_AFTER} ORDER BY pos LIMIT ?`,
    );
    this.lastSeqOfShardStatement = db
      .prepare<[number, number, number], number>(`SELECT ${SEQ_OF_POS} FROM ddb_stream_records WHERE ${RECORDS_OF_SHARD_AFTER} ORDER BY pos DESC LIMIT 1`)
      .pluck();
    this.raiseHighWater = db.prepare<[number]>('UPDATE ddb_stream_sequence SET high_water = max(high_water, ?) WHERE id = 1');
    this.streamOfShardStatement = db.prepare<[number], { arn: string; region: string; view_type: string; key_schema: string }>(
      'SELECT st.arn, st.region, st.view_type, st.key_schema FROM ddb_stream_shards sh JOIN ddb_streams st ON st.arn = sh.stream_arn WHERE sh.shard_no = ?',
    );
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

  /**
   * Takes the next sequence number for a record the capture triggers are
   * appending (src/streams/capture-triggers.ts): runs inside SQLite's
   * statement, so it touches no database.
   */
  takeSeq(): number {
    const seq = this.next;
    if (seq > MAX_SEQ) throw new Error('stream sequence numbers exhausted');
    this.next = seq + 1;
    return seq;
  }

  /** Up to `limit` records of the shard after sequence number `after`, in order, with their JSON as GetRecords returns it. */
  recordsAfter(shardNo: number, after: number, limit: number): RecordRow[] {
    const rows = this.recordsAfterStatement.all(shardNo, after, shardNo, limit);
    if (rows.length === 0) return [];
    const stream = this.recordStreamOf(shardNo);
    return rows.map((row) => ({ seq: row.seq, created_at: row.created_at, record: storedRecordText(row, stream) }));
  }

  /** The sequence number of the shard's last record, or undefined when it has none. */
  lastSeqOfShard(shardNo: number): number | undefined {
    return this.lastSeqOfShardStatement.get(shardNo, 0, shardNo);
  }

  /** Forgets what {@link recordsAfter} knows of streams: call after deleting streams or shards. */
  forgetRecordStreams(): void {
    this.recordStreams.clear();
  }

  private recordStreamOf(shardNo: number): RecordStream {
    let stream = this.recordStreams.get(shardNo);
    if (!stream) {
      const row = this.streamOfShardStatement.get(shardNo);
      if (!row) throw new Error(`stream records of shard number ${shardNo}, which no stream has`);
      stream = {
        arn: row.arn,
        region: row.region,
        viewType: row.view_type as StreamViewType,
        keyNames: (JSON.parse(row.key_schema) as { AttributeName: string; KeyType: string }[])
          .sort((a, b) => (a.KeyType === b.KeyType ? 0 : a.KeyType === 'HASH' ? -1 : 1))
          .map((k) => k.AttributeName),
      };
      this.recordStreams.set(shardNo, stream);
    }
    return stream;
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

  /** Opens a shard, numbered after the highest shard number in use (records of deleted shards went with them). */
  insertShard(row: Omit<ShardRow, 'shard_no' | 'ending_seq'>): void {
    this.db
      .prepare(
        `INSERT INTO ddb_stream_shards (shard_id, stream_arn, lane, parent_shard_id, created_at, starting_seq, ending_seq, shard_no)
         VALUES (?, ?, ?, ?, ?, ?, NULL, (SELECT coalesce(max(shard_no), 0) + 1 FROM ddb_stream_shards))`,
      )
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
 * records still stored (the last of each shard: one rowid probe per shard),
 * the highest number deleted records had (high water), every shard's bounds
 * (a shard opens with the number its first record will get) and every trim
 * mark.
 */
function firstUnusedSeq(db: Db): number {
  const row = db
    .prepare<[], { used: number }>(
      `SELECT max(
         coalesce((SELECT max((SELECT r.pos & ${MAX_SEQ} FROM ddb_stream_records r WHERE r.pos <= ((s.shard_no << 40) | ${MAX_SEQ}) ORDER BY r.pos DESC LIMIT 1)) FROM ddb_stream_shards s), 0),
         coalesce((SELECT high_water FROM ddb_stream_sequence WHERE id = 1), 0),
         coalesce((SELECT max(starting_seq) - 1 FROM ddb_stream_shards), 0),
         coalesce((SELECT max(ending_seq) FROM ddb_stream_shards), 0),
         coalesce((SELECT max(trimmed_through) FROM ddb_stream_trim), 0)
       ) AS used`,
    )
    .get()!;
  return row.used + 1;
}
