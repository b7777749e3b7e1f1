/**
 * Sequence numbers of stream records (src/streams/stream-store.ts): Eddy
 * assigns them itself, so they must keep growing after retention deleted
 * every record that showed them, across restarts, and across the migration
 * that moved records off AUTOINCREMENT. Retention walks the oldest records in
 * chunks (src/streams/streams-engine.ts trimExpired).
 */
import { BatchWriteItemCommand, CreateTableCommand, PutItemCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, GetShardIteratorCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EddyConfig } from '../../src/config.js';
import { migrations } from '../../src/store/migrations.js';
import { StreamStore } from '../../src/streams/stream-store.js';
import { expiredPrefix } from '../../src/streams/streams-engine.js';
import { errorOf } from '../helpers/eddy.js';
import { allShards, readShard as readWholeShard, startStreamsEddy, streamArnOf, type StreamsEddy } from './records-support.js';

const DAY = 24 * 60 * 60 * 1000;

const running: StreamsEddy[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const t of running.splice(0)) await t.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function eddy(overrides: Partial<EddyConfig> = {}): Promise<StreamsEddy> {
  const t = await startStreamsEddy(overrides);
  running.push(t);
  return t;
}

async function stop(t: StreamsEddy): Promise<void> {
  running.splice(running.indexOf(t), 1);
  await t.close();
}

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-seq-'));
  dirs.push(dir);
  return dir;
}

async function createStreamTable(t: StreamsEddy, name: string): Promise<string> {
  await t.ddb.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
    }),
  );
  return streamArnOf(t, name);
}

async function onlyShard(t: StreamsEddy, arn: string): Promise<string> {
  const shards = await allShards(t, arn);
  expect(shards).toHaveLength(1);
  return shards[0]!.ShardId!;
}

async function readShard(t: StreamsEddy, arn: string, shardId: string): Promise<_Record[]> {
  return (await readWholeShard(t, arn, { ShardId: shardId })).records;
}

const seqOf = (record: _Record): bigint => BigInt(record.dynamodb!.SequenceNumber!);

async function put(t: StreamsEddy, table: string, pk: string): Promise<void> {
  await t.ddb.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk } } }));
}

describe('sequence numbers', () => {
  it('are never issued again once retention deleted every record and stream that showed them, also after a restart', async () => {
    const dir = dataDir();
    const first = await eddy({ inMemory: false, dataDir: dir });
    const oldArn = await createStreamTable(first, 'Before');
    for (const pk of ['a', 'b', 'c']) await put(first, 'Before', pk);
    const oldRecords = await readShard(first, oldArn, await onlyShard(first, oldArn));
    const highest = seqOf(oldRecords.at(-1)!);
    await first.ddb.send(new UpdateTableCommand({ TableName: 'Before', StreamSpecification: { StreamEnabled: false } }));
    first.eddy.clock.advance(DAY + 60_000);
    // The disabled stream, its shards, records and trim marks are all gone.
    expect((await errorOf(() => first.streams.send(new DescribeStreamCommand({ StreamArn: oldArn })))).name).toBe('ResourceNotFoundException');
    await stop(first);

    const second = await eddy({ inMemory: false, dataDir: dir });
    const newArn = await createStreamTable(second, 'After');
    await put(second, 'After', 'd');
    const [record] = await readShard(second, newArn, await onlyShard(second, newArn));
    expect(seqOf(record!)).toBeGreaterThan(highest);
  });

  it('trims more records than one retention chunk holds, oldest first, shard by shard, and reports them trimmed', async () => {
    const t = await eddy({ streamShardRolloverMs: 3 * DAY });
    const arn = await createStreamTable(t, 'Many');
    const otherArn = await createStreamTable(t, 'Other');
    await put(t, 'Other', 'other-old');
    for (let batch = 0; batch < 60; batch++) {
      const requests = Array.from({ length: 25 }, (_, i) => ({ PutRequest: { Item: { pk: { S: `old-${batch * 25 + i}` } } } }));
      await t.ddb.send(new BatchWriteItemCommand({ RequestItems: { Many: requests } }));
    }
    t.eddy.clock.advance(60 * 60 * 1000);
    for (const pk of ['new-1', 'new-2']) await put(t, 'Many', pk);
    await put(t, 'Other', 'other-new');
    const shardId = await onlyShard(t, arn);
    const otherShardId = await onlyShard(t, otherArn);
    const before = await readShard(t, arn, shardId);
    expect(before).toHaveLength(1502);
    const lastOld = before[1499]!.dynamodb!.SequenceNumber!;

    t.eddy.clock.advance(DAY - 30 * 60 * 1000);
    const after = await readShard(t, arn, shardId);
    expect(after.map((r) => r.dynamodb!.Keys!.pk!.S)).toEqual(['new-1', 'new-2']);
    expect(after.map((r) => r.dynamodb!.SequenceNumber)).toEqual(before.slice(1500).map((r) => r.dynamodb!.SequenceNumber));
    expect((await readShard(t, otherArn, otherShardId)).map((r) => r.dynamodb!.Keys!.pk!.S)).toEqual(['other-new']);
    const trimmed = await errorOf(() =>
      t.streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: before[10]!.dynamodb!.SequenceNumber })),
    );
    expect(trimmed.name).toBe('TrimmedDataAccessException');
    const atLast = await errorOf(() => t.streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: lastOld })));
    expect(atLast.name).toBe('TrimmedDataAccessException');
  });
});

describe('the migration off AUTOINCREMENT', () => {
  /** The DDL of the records table and its indexes as the migrations before `migration` left them. */
  function recordsTableBefore(migration: number): string[] {
    const db = new Database(':memory:');
    for (const sql of migrations.slice(0, migration)) db.exec(sql);
    const ddl = db.prepare<[], { sql: string }>("SELECT sql FROM sqlite_master WHERE tbl_name = 'ddb_stream_records' ORDER BY type DESC").all();
    db.close();
    return ddl.map((row) => row.sql);
  }

  it('keeps every record of every shard with its sequence number and numbers new records after the highest AUTOINCREMENT issued', async () => {
    const dir = dataDir();
    const first = await eddy({ inMemory: false, dataDir: dir });
    const tables = ['Migrated', 'Neighbour'];
    const arns = [await createStreamTable(first, tables[0]!), await createStreamTable(first, tables[1]!)];
    // Interleaved, so the two shards' sequence numbers alternate.
    for (const pk of ['a', 'b', 'c']) for (const table of tables) await put(first, table, pk);
    const shardIds = [await onlyShard(first, arns[0]!), await onlyShard(first, arns[1]!)];
    const written = [await readShard(first, arns[0]!, shardIds[0]!), await readShard(first, arns[1]!, shardIds[1]!)];
    await stop(first);

    // The stream tables as the release before these migrations left them,
    // where records numbered past the last one (up to 40) were written and
    // trimmed away since.
    const migration = migrations.findIndex((sql) => sql.includes('ddb_stream_records_autoincrement'));
    expect(migration).toBeGreaterThan(0);
    const before = recordsTableBefore(migration);
    expect(before[0]).toContain('AUTOINCREMENT');
    const db = new Database(join(dir, 'eddy.db'));
    // Records were stored whole then: each one's JSON as GetRecords assembles it today.
    const store = new StreamStore(db);
    const whole = db
      .prepare<[], { shard_id: string; shard_no: number }>('SELECT shard_id, shard_no FROM ddb_stream_shards')
      .all()
      .flatMap((shard) => store.recordsAfter(shard.shard_no, 0, 1000).map((record) => ({ ...record, shard_id: shard.shard_id })));
    expect(whole).toHaveLength(6);
    db.transaction(() => {
      db.exec('DROP TABLE ddb_stream_records');
      for (const sql of before) db.exec(sql);
      const insert = db.prepare('INSERT INTO ddb_stream_records (seq, shard_id, created_at, record) VALUES (?, ?, ?, ?)');
      for (const record of whole.sort((a, b) => a.seq - b.seq)) insert.run(record.seq, record.shard_id, record.created_at, record.record);
      db.exec('DROP INDEX ddb_stream_shards_no; ALTER TABLE ddb_stream_shards DROP COLUMN shard_no; DROP TABLE ddb_stream_sequence');
      db.prepare("UPDATE sqlite_sequence SET seq = 40 WHERE name = 'ddb_stream_records'").run();
    })();
    // Then what the migrations do (others came between them, which this database already has).
    const clustered = migrations.findIndex((sql) => sql.includes('ddb_stream_records_by_seq'));
    expect(clustered).toBeGreaterThan(migration);
    const inParts = migrations.findIndex((sql) => sql.includes('ddb_stream_records_whole'));
    expect(inParts).toBeGreaterThan(clustered);
    db.transaction(() => {
      for (const index of [migration, clustered, inParts]) db.exec(migrations[index]!);
    })();
    db.close();

    const second = await eddy({ inMemory: false, dataDir: dir });
    const shown = (records: _Record[]) => records.map((r) => [r.dynamodb!.SequenceNumber, r.eventID, r.dynamodb!.Keys]);
    for (const i of [0, 1]) expect(shown(await readShard(second, arns[i]!, shardIds[i]!))).toEqual(shown(written[i]!));
    for (const table of tables) await put(second, table, 'd');
    for (const i of [0, 1]) {
      const records = await readShard(second, arns[i]!, shardIds[i]!);
      expect(records.map((r) => r.dynamodb!.Keys!.pk!.S)).toEqual(['a', 'b', 'c', 'd']);
      // Shown offset by 10^20 (src/streams/sequence-numbers.ts): internally above 40.
      expect(seqOf(records.at(-1)!)).toBeGreaterThan(10n ** 20n + 40n);
    }
  });
});

describe('expiredPrefix', () => {
  const record = (seq: number, createdAt: number) => ({ seq, created_at: createdAt });

  it('takes the records before the first one not yet expired', () => {
    expect(expiredPrefix([record(1, 10), record(3, 11), record(4, 12), record(6, 50), record(7, 13)], 20)).toEqual({ count: 3, through: 4 });
  });

  it('takes nothing when the oldest record has not expired', () => {
    expect(expiredPrefix([record(7, 20), record(8, 1)], 20)).toEqual({ count: 0, through: 0 });
  });
});
