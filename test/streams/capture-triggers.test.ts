/**
 * Stream capture runs in SQLite triggers (src/streams/capture-triggers.ts).
 * These tests drive it through the SDK where its shortcuts could go wrong:
 * items written before their table had a stream (stored in the order they
 * were sent, not canonical, with no record position on their rows), rows
 * written before the release that made stored text canonical, rewrites that
 * keep the size, and record positions past what a double holds exactly
 * (shard numbers from 2^13 on, in a database that has made many shards).
 */
import { CreateTableCommand, GetItemCommand, PutItemCommand, UpdateItemCommand, UpdateTableCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../src/store/migrations.js';
import { readRecords, startStreamsEddy, type StreamsEddy } from './records-support.js';

let t: StreamsEddy | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await t?.close();
  t = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function createTable(name: string, withStream: boolean): Promise<void> {
  await t!.ddb.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      ...(withStream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } } : {}),
    }),
  );
}

const put = (table: string, item: Record<string, AttributeValue>) => t!.ddb.send(new PutItemCommand({ TableName: table, Item: item }));

describe('stream capture in SQLite', () => {
  it('tells rewrites of items written before the stream from changes, with no record position on their rows', async () => {
    t = await startStreamsEddy();
    await createTable('Late', false);
    const before = { pk: { S: 'a' }, name: { S: 'Ada' }, tags: { SS: ['x', 'y'] }, m: { M: { one: { N: '1' }, two: { N: '2' } } } };
    await put('Late', before);
    await put('Late', { pk: { S: 'b' }, v: { S: 'old' } });
    await t.ddb.send(new UpdateTableCommand({ TableName: 'Late', StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }));

    // The same item, attributes and map entries in another order, numbers written otherwise: no record.
    await put('Late', { m: { M: { two: { N: '2.0' }, one: { N: '01' } } }, tags: { SS: ['y', 'x'] }, name: { S: 'Ada' }, pk: { S: 'a' } });
    // A change that keeps the size: a MODIFY with both images.
    await put('Late', { pk: { S: 'b' }, v: { S: 'new' } });
    // An update that sets what is there: no record.
    await t.ddb.send(new UpdateItemCommand({ TableName: 'Late', Key: { pk: { S: 'b' } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { S: 'new' } } }));

    const records = await readRecords(t, 'Late');
    expect(records.map((r) => [r.eventName, r.dynamodb!.Keys!.pk!.S, r.dynamodb!.OldImage?.v?.S, r.dynamodb!.NewImage?.v?.S])).toEqual([['MODIFY', 'b', 'old', 'new']]);
  });

  it('tells same-size rewrites apart on a streamed table: a change of one letter is a record, a reordering is none', async () => {
    t = await startStreamsEddy();
    await createTable('Sized', true);
    await put('Sized', { pk: { S: 'k' }, a: { S: 'xx' }, b: { S: 'yy' } });
    await put('Sized', { pk: { S: 'k' }, a: { S: 'xy' }, b: { S: 'yy' } });
    await put('Sized', { b: { S: 'yy' }, pk: { S: 'k' }, a: { S: 'xy' } });
    await put('Sized', { pk: { S: 'k' }, a: { S: 'yy' }, b: { S: 'xy' } });
    const records = await readRecords(t, 'Sized');
    expect(records.map((r) => [r.eventName, r.dynamodb!.NewImage!.a!.S, r.dynamodb!.NewImage!.b!.S])).toEqual([
      ['INSERT', 'xx', 'yy'],
      ['MODIFY', 'xy', 'yy'],
      ['MODIFY', 'yy', 'xy'],
    ]);
    // Each record's eventID is its own, and reading again gives the same ones.
    const ids = records.map((r) => r.eventID);
    expect(new Set(ids).size).toBe(3);
    expect((await readRecords(t, 'Sized')).map((r) => r.eventID)).toEqual(ids);
  });

  it('stores the items of a streamed table keys first, then in name order, answered so by GetItem and in the images', async () => {
    t = await startStreamsEddy();
    await createTable('Ordered', true);
    await put('Ordered', { z: { S: 'z' }, pk: { S: 'k' }, a: { M: { y: { N: '1' }, b: { N: '2' } } } });
    const { $metadata, ...answer } = await t.ddb.send(new GetItemCommand({ TableName: 'Ordered', Key: { pk: { S: 'k' } } }));
    expect($metadata.httpStatusCode).toBe(200);
    expect(JSON.stringify(answer.Item)).toBe('{"pk":{"S":"k"},"a":{"M":{"b":{"N":"2"},"y":{"N":"1"}}},"z":{"S":"z"}}');
    const [record] = await readRecords(t, 'Ordered');
    expect(JSON.stringify(record!.dynamodb!.NewImage)).toBe(JSON.stringify(answer.Item));
  });

  it('migrates rows stored before canonical text: their rewrites in another order append nothing, their changes a MODIFY', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eddy-canonical-'));
    dirs.push(dir);
    t = await startStreamsEddy({ inMemory: false, dataDir: dir });
    await createTable('Older', true);
    await put('Older', { pk: { S: 'a' }, x: { S: 'xx' }, m: { M: { one: { N: '1' }, two: { N: '2' } } } });
    await t.close();
    t = undefined;

    // The database as the release before left it: the row's attributes as
    // sent (here in reverse name order), the checksum of its text in chars,
    // no stream_at.
    const db = new Database(join(dir, 'eddy.db'));
    const migration = migrations.findIndex((sql) => sql.includes('RENAME COLUMN chars TO stream_pos'));
    expect(migration).toBe(migrations.length - 1);
    const sent = '{"x":{"S":"xx"},"pk":{"S":"a"},"m":{"M":{"two":{"N":"2"},"one":{"N":"1"}}}}';
    const checksum = [...sent].reduce((sum, ch) => sum + ch.charCodeAt(0), 0);
    db.exec('ALTER TABLE ddb_items DROP COLUMN stream_at; ALTER TABLE ddb_items RENAME COLUMN stream_pos TO chars');
    db.prepare('UPDATE ddb_items SET item = ?, chars = ?').run(sent, checksum);
    db.pragma(`user_version = ${migration}`);
    db.close();

    t = await startStreamsEddy({ inMemory: false, dataDir: dir });
    // The same item in name order: a text of the same size, another checksum, no change.
    await put('Older', { m: { M: { one: { N: '1' }, two: { N: '2' } } }, pk: { S: 'a' }, x: { S: 'xx' } });
    // Then a change that keeps the size.
    await put('Older', { m: { M: { one: { N: '1' }, two: { N: '2' } } }, pk: { S: 'a' }, x: { S: 'xy' } });
    const records = await readRecords(t, 'Older');
    expect(records.map((r) => [r.eventName, r.dynamodb!.OldImage?.x?.S, r.dynamodb!.NewImage?.x?.S])).toEqual([
      ['INSERT', undefined, 'xx'],
      ['MODIFY', 'xx', 'xy'],
    ]);
  });

  it('numbers records in order on shards numbered past 2^13, whose positions no longer fit a double exactly', async () => {
    t = await startStreamsEddy();
    // A database that has made 9,000 shards (rollovers, streams enabled and deleted): the next shard is number 9,001.
    t.eddy.db
      .prepare("INSERT INTO ddb_stream_shards (shard_id, stream_arn, lane, parent_shard_id, created_at, starting_seq, ending_seq, shard_no) VALUES ('shardId-old', 'arn:gone', 0, NULL, 0, 1, 0, 9000)")
      .run();
    await createTable('Far', true);
    for (let i = 0; i < 5; i++) await put('Far', { pk: { S: `k${i}` }, n: { N: String(i) } });
    const records = await readRecords(t, 'Far');
    expect(records.map((r) => r.dynamodb!.Keys!.pk!.S)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4']);
    const numbers = records.map((r) => BigInt(r.dynamodb!.SequenceNumber!));
    for (let i = 1; i < numbers.length; i++) expect(numbers[i]! - numbers[i - 1]!).toBe(1n);
  });
});
