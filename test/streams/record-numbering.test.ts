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

  it('trims more records than one retention chunk holds, oldest first, and reports them trimmed', async () => {
    const t = await eddy({ streamShardRolloverMs: 3 * DAY });
    const arn = await createStreamTable(t, 'Many');
    for (let batch = 0; batch < 60; batch++) {
      const requests = Array.from({ length: 25 }, (_, i) => ({ PutRequest: { Item: { pk: { S: `old-${batch * 25 + i}` } } } }));
      await t.ddb.send(new BatchWriteItemCommand({ RequestItems: { Many: requests } }));
    }
    t.eddy.clock.advance(60 * 60 * 1000);
    for (const pk of ['new-1', 'new-2']) await put(t, 'Many', pk);
    const shardId = await onlyShard(t, arn);
    const before = await readShard(t, arn, shardId);
    expect(before).toHaveLength(1502);
    const lastOld = before[1499]!.dynamodb!.SequenceNumber!;

    t.eddy.clock.advance(DAY - 30 * 60 * 1000);
    const after = await readShard(t, arn, shardId);
    expect(after.map((r) => r.dynamodb!.Keys!.pk!.S)).toEqual(['new-1', 'new-2']);
    expect(after.map((r) => r.dynamodb!.SequenceNumber)).toEqual(before.slice(1500).map((r) => r.dynamodb!.SequenceNumber));
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

  it('keeps every record with its sequence number and numbers new records after the highest AUTOINCREMENT issued', async () => {
    const dir = dataDir();
    const first = await eddy({ inMemory: false, dataDir: dir });
    const arn = await createStreamTable(first, 'Migrated');
    for (const pk of ['a', 'b', 'c']) await put(first, 'Migrated', pk);
    const shardId = await onlyShard(first, arn);
    const written = await readShard(first, arn, shardId);
    await stop(first);

    // The database as the previous release wrote it, where records numbered
    // past the last one (up to 40) were written and trimmed away since.
    const migration = migrations.findIndex((sql) => sql.includes('ddb_stream_records_autoincrement'));
    expect(migration).toBeGreaterThan(0);
    const db = new Database(join(dir, 'eddy.db'));
    db.transaction(() => {
      db.exec('ALTER TABLE ddb_stream_records RENAME TO current_records; DROP INDEX ddb_stream_records_shard; DROP TABLE ddb_stream_sequence');
      const before = recordsTableBefore(migration);
      expect(before[0]).toContain('AUTOINCREMENT');
      for (const sql of before) db.exec(sql);
      db.exec('INSERT INTO ddb_stream_records SELECT * FROM current_records ORDER BY seq; DROP TABLE current_records');
      db.prepare("UPDATE sqlite_sequence SET seq = 40 WHERE name = 'ddb_stream_records'").run();
      db.pragma(`user_version = ${migration}`);
    })();
    db.close();

    const second = await eddy({ inMemory: false, dataDir: dir });
    const kept = await readShard(second, arn, shardId);
    expect(kept.map((r) => [r.dynamodb!.SequenceNumber, r.eventID, r.dynamodb!.Keys])).toEqual(written.map((r) => [r.dynamodb!.SequenceNumber, r.eventID, r.dynamodb!.Keys]));
    await put(second, 'Migrated', 'd');
    const next = (await readShard(second, arn, shardId)).at(-1)!;
    expect(next.dynamodb!.Keys!.pk!.S).toBe('d');
    // Shown offset by 10^20 (src/streams/sequence-numbers.ts): internally above 40.
    expect(seqOf(next)).toBeGreaterThan(10n ** 20n + 40n);
  });
});

describe('expiredPrefix', () => {
  const record = (seq: number, shard: string, createdAt: number) => ({ seq, shard_id: shard, created_at: createdAt });

  it('takes the records before the first one not yet expired, with the last of each shard', () => {
    const expired = expiredPrefix([record(1, 'a', 10), record(2, 'b', 11), record(3, 'a', 12), record(4, 'b', 50), record(5, 'a', 13)], 20);
    expect(expired).toEqual({ count: 3, through: 3, lastOfShard: new Map([['a', 3], ['b', 2]]) });
  });

  it('takes nothing when the oldest record has not expired', () => {
    expect(expiredPrefix([record(7, 'a', 20), record(8, 'a', 1)], 20)).toEqual({ count: 0, through: 0, lastOfShard: new Map() });
  });
});
