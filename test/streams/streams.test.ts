import { CreateTableCommand, DeleteItemCommand, DeleteTableCommand, DescribeTableCommand, PutItemCommand, UpdateItemCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EddyConfig } from '../../src/config.js';
import { errorOf, startEddy, testCredentials, type TestEddy } from '../helpers/eddy.js';

const running: (TestEddy & { streams: DynamoDBStreamsClient })[] = [];
afterEach(async () => {
  for (const t of running.splice(0)) {
    t.streams.destroy();
    await t.close();
  }
});

async function eddy(overrides: Partial<EddyConfig> = {}) {
  const t = await startEddy(overrides);
  const streams = new DynamoDBStreamsClient({ endpoint: t.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
  const handle = { ...t, streams };
  running.push(handle);
  return handle;
}

type Handle = Awaited<ReturnType<typeof eddy>>;

async function createTable(t: Handle, name: string, viewType?: 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES', tags?: { Key: string; Value: string }[]) {
  const created = await t.ddb.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      ...(viewType ? { StreamSpecification: { StreamEnabled: true, StreamViewType: viewType } } : {}),
      ...(tags ? { Tags: tags } : {}),
    }),
  );
  return created.TableDescription!;
}

async function streamArnOf(t: Handle, table: string): Promise<string> {
  const { Table } = await t.ddb.send(new DescribeTableCommand({ TableName: table }));
  return Table!.LatestStreamArn!;
}

async function shardsOf(t: Handle, arn: string) {
  return (await t.streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!.Shards!;
}

/** Reads a shard from TRIM_HORIZON until the page comes back empty (or the shard ends). */
async function readShard(t: Handle, arn: string, shardId: string): Promise<{ records: _Record[]; ended: boolean }> {
  let iterator = (await t.streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
  const records: _Record[] = [];
  while (iterator) {
    const page = await t.streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
    records.push(...page.Records!);
    if (page.Records!.length === 0) return { records, ended: page.NextShardIterator === undefined };
    iterator = page.NextShardIterator;
  }
  return { records, ended: true };
}

async function readAll(t: Handle, table: string): Promise<_Record[]> {
  const arn = await streamArnOf(t, table);
  const records: _Record[] = [];
  for (const shard of await shardsOf(t, arn)) records.push(...(await readShard(t, arn, shard.ShardId!)).records);
  return records;
}

describe('enabling a stream', () => {
  it('gives the table a stream ARN and label in the AWS format', async () => {
    const t = await eddy();
    const created = await createTable(t, 'Orders', 'NEW_AND_OLD_IMAGES');
    const { Table } = await t.ddb.send(new DescribeTableCommand({ TableName: 'Orders' }));
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(Table?.LatestStreamLabel).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$/);
    expect(Table?.LatestStreamArn).toBe(`${created.TableArn}/stream/${Table?.LatestStreamLabel}`);
    const description = (await t.streams.send(new DescribeStreamCommand({ StreamArn: Table!.LatestStreamArn! }))).StreamDescription!;
    expect(description).toMatchObject({
      StreamArn: Table!.LatestStreamArn,
      StreamLabel: Table!.LatestStreamLabel,
      StreamStatus: 'ENABLED',
      StreamViewType: 'NEW_AND_OLD_IMAGES',
      TableName: 'Orders',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    });
    expect(description.CreationRequestDateTime).toBeInstanceOf(Date);
    expect(description.Shards).toHaveLength(1);
    expect(description.Shards![0]!.ShardId).toMatch(/^shardId-\d{20}-[0-9a-f]{8}$/);
    expect(description.Shards![0]!.SequenceNumberRange?.EndingSequenceNumber).toBeUndefined();
  });

  it('has no stream without a StreamSpecification, and refuses enabling twice', async () => {
    const t = await eddy();
    await createTable(t, 'Plain');
    expect(await streamArnOf(t, 'Plain')).toBeUndefined();
    await t.ddb.send(new UpdateTableCommand({ TableName: 'Plain', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }));
    expect(await streamArnOf(t, 'Plain')).toContain('/stream/');
    const twice = await errorOf(() => t.ddb.send(new UpdateTableCommand({ TableName: 'Plain', StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } })));
    expect(twice.name).toBe('ValidationException');
    expect(twice.message).toBe('Table already has an enabled stream: TableName: Plain');
    const disabledWithType = await errorOf(() =>
      t.ddb.send(new CreateTableCommand({
        TableName: 'Bad',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: false, StreamViewType: 'KEYS_ONLY' },
      })),
    );
    expect(disabledWithType.message).toBe('One or more parameter values were invalid: Table is being created with a stream disabled, UpdateViewType should not be specified');
  });
});

describe('capture', () => {
  it('records INSERT, MODIFY and REMOVE exactly once, in order, with AWS record fields', async () => {
    const t = await eddy();
    await createTable(t, 'Audit', 'NEW_AND_OLD_IMAGES');
    await t.ddb.send(new PutItemCommand({ TableName: 'Audit', Item: { pk: { S: 'a' }, v: { N: '1' } } }));
    await t.ddb.send(new UpdateItemCommand({ TableName: 'Audit', Key: { pk: { S: 'a' } }, UpdateExpression: 'SET v = :two', ExpressionAttributeValues: { ':two': { N: '2' } } }));
    // Writes that change nothing append nothing.
    await t.ddb.send(new UpdateItemCommand({ TableName: 'Audit', Key: { pk: { S: 'a' } }, UpdateExpression: 'SET v = :two', ExpressionAttributeValues: { ':two': { N: '2.0' } } }));
    await t.ddb.send(new PutItemCommand({ TableName: 'Audit', Item: { pk: { S: 'a' }, v: { N: '2' } } }));
    await t.ddb.send(new DeleteItemCommand({ TableName: 'Audit', Key: { pk: { S: 'nothing-here' } } }));
    // A failed condition appends nothing.
    await errorOf(() => t.ddb.send(new PutItemCommand({ TableName: 'Audit', Item: { pk: { S: 'a' } }, ConditionExpression: 'attribute_not_exists(pk)' })));
    await t.ddb.send(new DeleteItemCommand({ TableName: 'Audit', Key: { pk: { S: 'a' } } }));

    const records = await readAll(t, 'Audit');
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    const [insert, modify, remove] = records as [_Record, _Record, _Record];
    expect(insert).toMatchObject({
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      dynamodb: { Keys: { pk: { S: 'a' } }, NewImage: { pk: { S: 'a' }, v: { N: '1' } }, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
    expect(insert.dynamodb?.OldImage).toBeUndefined();
    expect(insert.eventID).toMatch(/^[0-9a-f]{32}$/);
    expect(insert.userIdentity).toBeUndefined();
    expect(insert.dynamodb?.ApproximateCreationDateTime).toBeInstanceOf(Date);
    expect(insert.dynamodb?.SizeBytes).toBe(3 + 3 + 3); // Keys pk:"a", NewImage pk:"a" + v:1
    expect(modify.dynamodb).toMatchObject({ OldImage: { pk: { S: 'a' }, v: { N: '1' } }, NewImage: { pk: { S: 'a' }, v: { N: '2' } } });
    expect(remove.dynamodb?.NewImage).toBeUndefined();
    expect(remove.dynamodb?.OldImage).toEqual({ pk: { S: 'a' }, v: { N: '2' } });
    const sequence = records.map((r) => BigInt(r.dynamodb!.SequenceNumber!));
    for (const seq of records.map((r) => r.dynamodb!.SequenceNumber!)) expect(seq).toMatch(/^\d{21,40}$/);
    expect(sequence[0]! < sequence[1]! && sequence[1]! < sequence[2]!).toBe(true);
  });

  it('puts exactly the images the view type asks for', async () => {
    const t = await eddy();
    for (const viewType of ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE'] as const) {
      await createTable(t, viewType, viewType);
      await t.ddb.send(new PutItemCommand({ TableName: viewType, Item: { pk: { S: 'k' }, v: { S: 'old' } } }));
      await t.ddb.send(new PutItemCommand({ TableName: viewType, Item: { pk: { S: 'k' }, v: { S: 'new' } } }));
      const [, modify] = await readAll(t, viewType);
      expect(modify!.dynamodb!.StreamViewType).toBe(viewType);
      expect(modify!.dynamodb!.Keys).toEqual({ pk: { S: 'k' } });
      expect(modify!.dynamodb!.NewImage).toEqual(viewType === 'NEW_IMAGE' ? { pk: { S: 'k' }, v: { S: 'new' } } : undefined);
      expect(modify!.dynamodb!.OldImage).toEqual(viewType === 'OLD_IMAGE' ? { pk: { S: 'k' }, v: { S: 'old' } } : undefined);
    }
  });

  it('marks TTL deletes with the service userIdentity', async () => {
    const t = await eddy();
    await createTable(t, 'Expiring', 'KEYS_ONLY');
    const { UpdateTimeToLiveCommand } = await import('@aws-sdk/client-dynamodb');
    await t.ddb.send(new UpdateTimeToLiveCommand({ TableName: 'Expiring', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } }));
    const soon = Math.floor(Date.now() / 1000) + 60;
    await t.ddb.send(new PutItemCommand({ TableName: 'Expiring', Item: { pk: { S: 'x' }, expiresAt: { N: String(soon) } } }));
    t.eddy.clock.advance(120_000);
    const records = await readAll(t, 'Expiring');
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'REMOVE']);
    expect(records[0]!.userIdentity).toBeUndefined();
    expect(records[1]!.userIdentity).toEqual({ Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' });
  });

  it('keeps every change of one item in one shard, in order, across several shards', async () => {
    const t = await eddy({ streamShards: 4 });
    await createTable(t, 'Spread', 'NEW_IMAGE');
    for (let round = 0; round < 3; round++) {
      for (let k = 0; k < 20; k++) await t.ddb.send(new PutItemCommand({ TableName: 'Spread', Item: { pk: { S: `k${k}` }, round: { N: String(round) } } }));
    }
    const arn = await streamArnOf(t, 'Spread');
    const shards = await shardsOf(t, arn);
    expect(shards).toHaveLength(4);
    const shardOfKey = new Map<string, string>();
    let total = 0;
    for (const shard of shards) {
      const { records } = await readShard(t, arn, shard.ShardId!);
      total += records.length;
      const rounds = new Map<string, number[]>();
      for (const r of records) {
        const key = r.dynamodb!.Keys!.pk!.S!;
        expect(shardOfKey.get(key) ?? shard.ShardId).toBe(shard.ShardId);
        shardOfKey.set(key, shard.ShardId!);
        rounds.set(key, [...(rounds.get(key) ?? []), Number(r.dynamodb!.NewImage!.round!.N)]);
      }
      for (const seen of rounds.values()) expect(seen).toEqual([0, 1, 2]);
    }
    expect(total).toBe(60);
    expect(new Set(shardOfKey.values()).size).toBeGreaterThan(1);
  });

  it('honours the eddy:stream-shards tag per table', async () => {
    const t = await eddy();
    await createTable(t, 'Wide', 'KEYS_ONLY', [{ Key: 'eddy:stream-shards', Value: '3' }]);
    expect(await shardsOf(t, await streamArnOf(t, 'Wide'))).toHaveLength(3);
  });
});

describe('iterators', () => {
  it('reads from LATEST, AT_SEQUENCE_NUMBER and AFTER_SEQUENCE_NUMBER', async () => {
    const t = await eddy();
    await createTable(t, 'Pos', 'KEYS_ONLY');
    for (const k of ['a', 'b']) await t.ddb.send(new PutItemCommand({ TableName: 'Pos', Item: { pk: { S: k } } }));
    const arn = await streamArnOf(t, 'Pos');
    const [shard] = await shardsOf(t, arn);
    const iterator = (type: 'LATEST' | 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER', SequenceNumber?: string) =>
      t.streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard!.ShardId, ShardIteratorType: type, SequenceNumber })).then((r) => r.ShardIterator!);
    const latest = await iterator('LATEST');
    await t.ddb.send(new PutItemCommand({ TableName: 'Pos', Item: { pk: { S: 'c' } } }));
    const fromLatest = await t.streams.send(new GetRecordsCommand({ ShardIterator: latest }));
    expect(fromLatest.Records!.map((r) => r.dynamodb!.Keys!.pk!.S)).toEqual(['c']);

    const { records } = await readShard(t, arn, shard!.ShardId!);
    const secondSeq = records[1]!.dynamodb!.SequenceNumber!;
    const at = await t.streams.send(new GetRecordsCommand({ ShardIterator: await iterator('AT_SEQUENCE_NUMBER', secondSeq) }));
    expect(at.Records!.map((r) => r.dynamodb!.Keys!.pk!.S)).toEqual(['b', 'c']);
    const after = await t.streams.send(new GetRecordsCommand({ ShardIterator: await iterator('AFTER_SEQUENCE_NUMBER', secondSeq) }));
    expect(after.Records!.map((r) => r.dynamodb!.Keys!.pk!.S)).toEqual(['c']);
    const limited = await t.streams.send(new GetRecordsCommand({ ShardIterator: await iterator('AT_SEQUENCE_NUMBER', records[0]!.dynamodb!.SequenceNumber!), Limit: 1 }));
    expect(limited.Records).toHaveLength(1);
    expect(limited.NextShardIterator).toBeDefined();
    const tooMany = await errorOf(() => t.streams.send(new GetRecordsCommand({ ShardIterator: latest, Limit: 1001 })));
    expect(tooMany.name).toBe('ValidationException');
  });

  it('expires iterators after 15 minutes and refuses forged ones', async () => {
    const t = await eddy();
    await createTable(t, 'Exp', 'KEYS_ONLY');
    const arn = await streamArnOf(t, 'Exp');
    const [shard] = await shardsOf(t, arn);
    const { ShardIterator } = await t.streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard!.ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
    const forged = ShardIterator!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await errorOf(() => t.streams.send(new GetRecordsCommand({ ShardIterator: forged })))).name).toBe('ValidationException');
    t.eddy.clock.advance(15 * 60 * 1000 + 1);
    const expired = await errorOf(() => t.streams.send(new GetRecordsCommand({ ShardIterator })));
    expect(expired.name).toBe('ExpiredIteratorException');
  });

  it('throttles a third concurrent reader of one shard', async () => {
    const t = await eddy();
    await createTable(t, 'Busy', 'KEYS_ONLY');
    const arn = await streamArnOf(t, 'Busy');
    const [shard] = await shardsOf(t, arn);
    const iterators = await Promise.all(
      [1, 2, 3].map(() => t.streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard!.ShardId, ShardIteratorType: 'LATEST' })).then((r) => r.ShardIterator!)),
    );
    // Each reader's first read is a one-off peek; polling on with NextShardIterator makes it a reader.
    const next: string[] = [];
    for (const iterator of iterators) next.push((await t.streams.send(new GetRecordsCommand({ ShardIterator: iterator }))).NextShardIterator!);
    await t.streams.send(new GetRecordsCommand({ ShardIterator: next[0] }));
    await t.streams.send(new GetRecordsCommand({ ShardIterator: next[1] }));
    const third = await errorOf(() => t.streams.send(new GetRecordsCommand({ ShardIterator: next[2] })));
    expect(third.name).toBe('LimitExceededException');
    t.eddy.clock.advance(1000);
    await t.streams.send(new GetRecordsCommand({ ShardIterator: next[2] }));
  });

  it('answers unknown streams and shards with ResourceNotFoundException', async () => {
    const t = await eddy();
    const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/None/stream/2026-01-01T00:00:00.000';
    const error = await errorOf(() => t.streams.send(new DescribeStreamCommand({ StreamArn: arn })));
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.message).toBe(`Requested resource not found: Stream: ${arn} not found`);
  });
});

describe('lineage, disabling and retention', () => {
  it('rolls shards over on the Eddy clock: the parent closes, a child with ParentShardId opens', async () => {
    const t = await eddy({ streamShardRolloverMs: 60 * 60 * 1000 });
    await createTable(t, 'Rolling', 'KEYS_ONLY');
    await t.ddb.send(new PutItemCommand({ TableName: 'Rolling', Item: { pk: { S: 'before' } } }));
    t.eddy.clock.advance(60 * 60 * 1000);
    await t.ddb.send(new PutItemCommand({ TableName: 'Rolling', Item: { pk: { S: 'after' } } }));
    const arn = await streamArnOf(t, 'Rolling');
    const [parent, child] = await shardsOf(t, arn);
    expect(child!.ParentShardId).toBe(parent!.ShardId);
    expect(parent!.SequenceNumberRange!.EndingSequenceNumber).toBeDefined();
    expect(child!.SequenceNumberRange!.EndingSequenceNumber).toBeUndefined();
    const parentRead = await readShard(t, arn, parent!.ShardId!);
    expect(parentRead.records.map((r) => r.dynamodb!.Keys!.pk!.S)).toEqual(['before']);
    expect(parentRead.ended).toBe(true);
    expect((await readShard(t, arn, child!.ShardId!)).records.map((r) => r.dynamodb!.Keys!.pk!.S)).toEqual(['after']);
  });

  it('disables and re-enables with a new ARN; the old stream stays readable until it expires', async () => {
    const t = await eddy();
    await createTable(t, 'Toggle', 'NEW_IMAGE');
    await t.ddb.send(new PutItemCommand({ TableName: 'Toggle', Item: { pk: { S: 'first' } } }));
    const oldArn = await streamArnOf(t, 'Toggle');
    await t.ddb.send(new UpdateTableCommand({ TableName: 'Toggle', StreamSpecification: { StreamEnabled: false } }));
    const disabled = (await t.streams.send(new DescribeStreamCommand({ StreamArn: oldArn }))).StreamDescription!;
    expect(disabled.StreamStatus).toBe('DISABLED');
    expect(disabled.Shards![0]!.SequenceNumberRange!.EndingSequenceNumber).toBeDefined();
    await t.ddb.send(new PutItemCommand({ TableName: 'Toggle', Item: { pk: { S: 'unrecorded' } } }));

    t.eddy.clock.advance(1);
    await t.ddb.send(new UpdateTableCommand({ TableName: 'Toggle', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }));
    const newArn = await streamArnOf(t, 'Toggle');
    expect(newArn).not.toBe(oldArn);
    await t.ddb.send(new PutItemCommand({ TableName: 'Toggle', Item: { pk: { S: 'second' } } }));

    const old = await readShard(t, oldArn, (await shardsOf(t, oldArn))[0]!.ShardId!);
    expect(old.records.map((r) => r.dynamodb!.Keys!.pk!.S)).toEqual(['first']);
    expect(old.ended).toBe(true);
    expect((await readAll(t, 'Toggle')).map((r) => [r.dynamodb!.Keys!.pk!.S, r.dynamodb!.StreamViewType])).toEqual([['second', 'KEYS_ONLY']]);
    const listed = await t.streams.send(new ListStreamsCommand({ TableName: 'Toggle' }));
    expect(listed.Streams!.map((s) => s.StreamArn).sort()).toEqual([oldArn, newArn].sort());

    t.eddy.clock.advance(24 * 60 * 60 * 1000 + 1000);
    const gone = await errorOf(() => t.streams.send(new DescribeStreamCommand({ StreamArn: oldArn })));
    expect(gone.name).toBe('ResourceNotFoundException');
  });

  it("answers an iterator whose shard went with its stream with ResourceNotFoundException", async () => {
    const t = await eddy();
    await createTable(t, 'Dropped', 'KEYS_ONLY');
    await t.ddb.send(new PutItemCommand({ TableName: 'Dropped', Item: { pk: { S: 'a' } } }));
    const arn = await streamArnOf(t, 'Dropped');
    const [shard] = await shardsOf(t, arn);
    await t.ddb.send(new UpdateTableCommand({ TableName: 'Dropped', StreamSpecification: { StreamEnabled: false } }));
    // A minute before the disabled stream's last record expires (and the stream with it), an iterator...
    t.eddy.clock.advance(24 * 60 * 60 * 1000 - 60 * 1000);
    const { ShardIterator } = await t.streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard!.ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
    // ...used two minutes later, still within its 15 minutes, after the stream is gone.
    t.eddy.clock.advance(2 * 60 * 1000);
    expect((await errorOf(() => t.streams.send(new DescribeStreamCommand({ StreamArn: arn })))).name).toBe('ResourceNotFoundException');
    const error = await errorOf(() => t.streams.send(new GetRecordsCommand({ ShardIterator })));
    expect([error.name, error.message]).toEqual(['ResourceNotFoundException', 'Invalid ShardId in ShardIterator']);
  });

  it('trims records after the retention period and reports trimmed positions', async () => {
    // Rollover later than retention, so both records share one shard.
    const t = await eddy({ streamShardRolloverMs: 48 * 60 * 60 * 1000 });
    await createTable(t, 'Trim', 'KEYS_ONLY');
    await t.ddb.send(new PutItemCommand({ TableName: 'Trim', Item: { pk: { S: 'old' } } }));
    const arn = await streamArnOf(t, 'Trim');
    const [shard] = await shardsOf(t, arn);
    const oldSeq = (await readShard(t, arn, shard!.ShardId!)).records[0]!.dynamodb!.SequenceNumber!;
    t.eddy.clock.advance(24 * 60 * 60 * 1000 - 5 * 60 * 1000);
    // Issued five minutes before the first record expires: still valid when it does.
    const { ShardIterator } = await t.streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard!.ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
    t.eddy.clock.advance(6 * 60 * 1000);
    await t.ddb.send(new PutItemCommand({ TableName: 'Trim', Item: { pk: { S: 'new' } } }));
    const trimmed = await errorOf(() => t.streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard!.ShardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: oldSeq })));
    expect(trimmed.name).toBe('TrimmedDataAccessException');
    const stale = await errorOf(() => t.streams.send(new GetRecordsCommand({ ShardIterator })));
    expect(stale.name).toBe('TrimmedDataAccessException');
    expect((await readShard(t, arn, shard!.ShardId!)).records.map((r) => r.dynamodb!.Keys!.pk!.S)).toEqual(['new']);
  });

  it("keeps a deleted table's stream readable", async () => {
    const t = await eddy();
    await createTable(t, 'Gone', 'KEYS_ONLY');
    await t.ddb.send(new PutItemCommand({ TableName: 'Gone', Item: { pk: { S: 'last' } } }));
    const arn = await streamArnOf(t, 'Gone');
    await t.ddb.send(new DeleteTableCommand({ TableName: 'Gone' }));
    const [shard] = await shardsOf(t, arn);
    const read = await readShard(t, arn, shard!.ShardId!);
    expect(read.records.map((r) => r.eventName)).toEqual(['INSERT']);
    expect(read.ended).toBe(true);
    expect((await t.streams.send(new ListStreamsCommand({ TableName: 'Gone' }))).Streams).toHaveLength(1);
  });

  it('keeps records and iterators across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'eddy-streams-'));
    try {
      const first = await startEddy({ inMemory: false, dataDir });
      const s1 = new DynamoDBStreamsClient({ endpoint: first.endpoint, region: 'us-east-1', credentials: testCredentials });
      await first.ddb.send(
        new CreateTableCommand({
          TableName: 'Durable',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
        }),
      );
      await first.ddb.send(new PutItemCommand({ TableName: 'Durable', Item: { pk: { S: 'kept' } } }));
      const arn = (await first.ddb.send(new DescribeTableCommand({ TableName: 'Durable' }))).Table!.LatestStreamArn!;
      const shardId = (await s1.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!.Shards![0]!.ShardId!;
      const { ShardIterator } = await s1.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }));
      s1.destroy();
      await first.close();

      const second = await startEddy({ inMemory: false, dataDir });
      const s2 = new DynamoDBStreamsClient({ endpoint: second.endpoint, region: 'us-east-1', credentials: testCredentials });
      const page = await s2.send(new GetRecordsCommand({ ShardIterator }));
      expect(page.Records!.map((r) => r.dynamodb!.Keys!.pk!.S)).toEqual(['kept']);
      s2.destroy();
      await second.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('clock control over HTTP', () => {
  it('is refused unless Eddy allows it, and then moves the clock', async () => {
    const locked = await eddy();
    const refused = await fetch(`${locked.endpoint}/_eddy/clock`, { method: 'POST', body: JSON.stringify({ advanceSeconds: 60 }) });
    expect(refused.status).toBe(403);
    const open = await eddy({ allowClockControl: true });
    const before = open.eddy.clock.now();
    const moved = await fetch(`${open.endpoint}/_eddy/clock`, { method: 'POST', body: JSON.stringify({ advanceSeconds: 3600 }) });
    expect(moved.status).toBe(200);
    expect(open.eddy.clock.now() - before).toBeGreaterThanOrEqual(3600_000);
    const bad = await fetch(`${open.endpoint}/_eddy/clock`, { method: 'POST', body: JSON.stringify({ advanceSeconds: -1 }) });
    expect(bad.status).toBe(400);
  });
});
