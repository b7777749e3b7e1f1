/**
 * ReturnConsumedCapacity (TOTAL, INDEXES) and ReturnItemCollectionMetrics on
 * PutItem, UpdateItem and DeleteItem of a table with a global and a local
 * secondary index, end to end through the SDK: a write charges the table and
 * every index whose stored entry it changed, and reports the item collection
 * of the written item.
 */
import { CreateTableCommand, DeleteItemCommand, PutItemCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEddy, type TestEddy } from '../helpers/eddy.js';
import { createTable, N, S } from '../helpers/items.js';

let t: TestEddy;
beforeAll(async () => {
  t = await startEddy();
  await t.ddb.send(
    new CreateTableCommand({
      TableName: 'Indexed',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'g', AttributeType: 'S' },
        { AttributeName: 'l', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      // byG keeps every attribute, byL only keys: a change of a plain attribute charges byG alone.
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
      LocalSecondaryIndexes: [
        {
          IndexName: 'byL',
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'l', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    }),
  );
  await t.ddb.send(createTable('Plain', [['pk', 'S', 'HASH']]));
});
afterAll(async () => t.close());

type Item = Record<string, AttributeValue>;
const key = (pk: string, sk: string): Item => ({ pk: S(pk), sk: S(sk) });
const collection = (pk: string) => ({ ItemCollectionKey: { pk: S(pk) }, SizeEstimateRangeGB: [0, 1] });
const indexes = (total: number, table: number, globals?: Record<string, number>, locals?: Record<string, number>) => {
  const map = (units: Record<string, number>) => Object.fromEntries(Object.entries(units).map(([name, CapacityUnits]) => [name, { CapacityUnits }]));
  return {
    TableName: 'Indexed',
    CapacityUnits: total,
    Table: { CapacityUnits: table },
    ...(globals ? { GlobalSecondaryIndexes: map(globals) } : {}),
    ...(locals ? { LocalSecondaryIndexes: map(locals) } : {}),
  };
};

describe('PutItem', () => {
  it('charges the table and both indexes of a new item, and reports its collection', async () => {
    const response = await t.ddb.send(
      new PutItemCommand({
        TableName: 'Indexed',
        Item: { ...key('p1', 'a'), g: S('red'), l: N('1'), x: S('one') },
        ReturnConsumedCapacity: 'INDEXES',
        ReturnItemCollectionMetrics: 'SIZE',
      }),
    );
    expect(response.ConsumedCapacity).toEqual(indexes(3, 1, { byG: 1 }, { byL: 1 }));
    expect(response.ItemCollectionMetrics).toEqual(collection('p1'));
  });

  it('folds the indexes into CapacityUnits for TOTAL', async () => {
    const response = await t.ddb.send(
      new PutItemCommand({ TableName: 'Indexed', Item: { ...key('p1', 'b'), g: S('red'), l: N('2') }, ReturnConsumedCapacity: 'TOTAL' }),
    );
    expect(response.ConsumedCapacity).toEqual({ TableName: 'Indexed', CapacityUnits: 3 });
    expect(response.ItemCollectionMetrics).toBeUndefined();
  });

  it('charges no index for an item without index keys, and still reports the collection', async () => {
    const response = await t.ddb.send(
      new PutItemCommand({ TableName: 'Indexed', Item: { ...key('p2', 'a'), x: S('bare') }, ReturnConsumedCapacity: 'INDEXES', ReturnItemCollectionMetrics: 'SIZE' }),
    );
    expect(response.ConsumedCapacity).toEqual(indexes(1, 1));
    expect(response.ItemCollectionMetrics).toEqual(collection('p2'));
  });

  it('charges no index when an overwrite leaves their entries as they are', async () => {
    const response = await t.ddb.send(
      new PutItemCommand({ TableName: 'Indexed', Item: { ...key('p1', 'b'), g: S('red'), l: N('2') }, ReturnConsumedCapacity: 'INDEXES' }),
    );
    expect(response.ConsumedCapacity).toEqual(indexes(1, 1));
  });
});

describe('UpdateItem', () => {
  it('charges only the index whose projection changed', async () => {
    const response = await t.ddb.send(
      new UpdateItemCommand({
        TableName: 'Indexed',
        Key: key('p1', 'a'),
        UpdateExpression: 'SET x = :x',
        ExpressionAttributeValues: { ':x': S('two') },
        ReturnConsumedCapacity: 'INDEXES',
        ReturnItemCollectionMetrics: 'SIZE',
      }),
    );
    expect(response.ConsumedCapacity).toEqual(indexes(2, 1, { byG: 1 }));
    expect(response.ItemCollectionMetrics).toEqual(collection('p1'));
  });

  it('charges a moved local index key as a delete and a put', async () => {
    const response = await t.ddb.send(
      new UpdateItemCommand({
        TableName: 'Indexed',
        Key: key('p1', 'a'),
        UpdateExpression: 'SET l = :l',
        ExpressionAttributeValues: { ':l': N('9') },
        ReturnConsumedCapacity: 'INDEXES',
      }),
    );
    expect(response.ConsumedCapacity).toEqual(indexes(4, 1, { byG: 1 }, { byL: 2 }));
  });

  it('charges the indexes of an item it creates', async () => {
    const response = await t.ddb.send(
      new UpdateItemCommand({
        TableName: 'Indexed',
        Key: key('p3', 'a'),
        UpdateExpression: 'SET g = :g',
        ExpressionAttributeValues: { ':g': S('blue') },
        ReturnConsumedCapacity: 'INDEXES',
        ReturnItemCollectionMetrics: 'SIZE',
      }),
    );
    expect(response.ConsumedCapacity).toEqual(indexes(2, 1, { byG: 1 }));
    expect(response.ItemCollectionMetrics).toEqual(collection('p3'));
  });
});

describe('DeleteItem', () => {
  it('charges every index the item was in, and reports its collection', async () => {
    const response = await t.ddb.send(
      new DeleteItemCommand({ TableName: 'Indexed', Key: key('p1', 'a'), ReturnConsumedCapacity: 'INDEXES', ReturnItemCollectionMetrics: 'SIZE' }),
    );
    expect(response.ConsumedCapacity).toEqual(indexes(3, 1, { byG: 1 }, { byL: 1 }));
    expect(response.ItemCollectionMetrics).toEqual(collection('p1'));
  });

  it('charges the table alone for an item that is not there, and reports no collection (as BatchWriteItem)', async () => {
    const response = await t.ddb.send(
      new DeleteItemCommand({ TableName: 'Indexed', Key: key('p1', 'missing'), ReturnConsumedCapacity: 'INDEXES', ReturnItemCollectionMetrics: 'SIZE' }),
    );
    expect(response.ConsumedCapacity).toEqual(indexes(1, 1));
    expect(response.ItemCollectionMetrics).toBeUndefined();
  });
});

describe('ReturnItemCollectionMetrics', () => {
  it('reports nothing for NONE, nor for a table without local secondary indexes', async () => {
    const none = await t.ddb.send(new PutItemCommand({ TableName: 'Indexed', Item: { ...key('p4', 'a'), l: N('1') }, ReturnItemCollectionMetrics: 'NONE' }));
    expect(none.ItemCollectionMetrics).toBeUndefined();
    const plain = await t.ddb.send(
      new PutItemCommand({ TableName: 'Plain', Item: { pk: S('x') }, ReturnItemCollectionMetrics: 'SIZE', ReturnConsumedCapacity: 'INDEXES' }),
    );
    expect(plain.ItemCollectionMetrics).toBeUndefined();
    expect(plain.ConsumedCapacity).toEqual({ TableName: 'Plain', CapacityUnits: 1, Table: { CapacityUnits: 1 } });
    const update = await t.ddb.send(
      new UpdateItemCommand({ TableName: 'Plain', Key: { pk: S('x') }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': N('1') }, ReturnItemCollectionMetrics: 'SIZE' }),
    );
    expect(update.ItemCollectionMetrics).toBeUndefined();
    const removed = await t.ddb.send(new DeleteItemCommand({ TableName: 'Plain', Key: { pk: S('x') }, ReturnItemCollectionMetrics: 'SIZE' }));
    expect(removed.ItemCollectionMetrics).toBeUndefined();
  });
});
