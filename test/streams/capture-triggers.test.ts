/**
 * Stream capture runs in SQLite triggers (src/streams/capture-triggers.ts).
 * These tests drive it through the SDK where its shortcuts could go wrong:
 * items written before their table had a stream (no checksum on their row),
 * rewrites that keep the size, and record positions past what a double holds
 * exactly (shard numbers from 2^13 on, in a database that has made many
 * shards).
 */
import { CreateTableCommand, PutItemCommand, UpdateItemCommand, UpdateTableCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { readRecords, startStreamsEddy, type StreamsEddy } from './records-support.js';

let t: StreamsEddy | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
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
  it('tells rewrites of items written before the stream from changes, with no checksum on their rows', async () => {
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
