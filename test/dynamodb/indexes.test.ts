import {
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  paginateQuery,
  paginateScan,
  type AttributeValue,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeConsumedCapacity } from '../../src/dynamodb/indexes/capacity.js';
import { itemCollectionMetricsMember } from '../../src/dynamodb/indexes/item-collections.js';
import { TableCatalog } from '../../src/dynamodb/table-catalog.js';
import type { Item as WireItem } from '../../src/dynamodb/values/attribute-value.js';
import { errorOf, rawDynamo, startEddy, type TestEddy } from '../helpers/eddy.js';

let t: TestEddy;
beforeAll(async () => {
  t = await startEddy();
  await t.ddb.send(new CreateTableCommand(ordersDefinition));
});
afterAll(async () => t.close());

type Item = Record<string, AttributeValue>;

/**
 * Orders: table key (customer, order); a GSI by status and amount (KEYS_ONLY),
 * a GSI by area (INCLUDE note), a GSI by sku (ALL) and an LSI by placed
 * date (KEYS_ONLY).
 */
const ordersDefinition: CreateTableCommandInput = {
  TableName: 'Orders',
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: 'customer', AttributeType: 'S' },
    { AttributeName: 'order', AttributeType: 'S' },
    { AttributeName: 'status', AttributeType: 'S' },
    { AttributeName: 'amount', AttributeType: 'N' },
    { AttributeName: 'area', AttributeType: 'S' },
    { AttributeName: 'sku', AttributeType: 'B' },
    { AttributeName: 'placed', AttributeType: 'N' },
  ],
  KeySchema: [
    { AttributeName: 'customer', KeyType: 'HASH' },
    { AttributeName: 'order', KeyType: 'RANGE' },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: 'byStatus',
      KeySchema: [
        { AttributeName: 'status', KeyType: 'HASH' },
        { AttributeName: 'amount', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    },
    {
      IndexName: 'byArea',
      KeySchema: [{ AttributeName: 'area', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['note', 'extra'] },
    },
    { IndexName: 'bySku', KeySchema: [{ AttributeName: 'sku', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
  ],
  LocalSecondaryIndexes: [
    {
      IndexName: 'byPlaced',
      KeySchema: [
        { AttributeName: 'customer', KeyType: 'HASH' },
        { AttributeName: 'placed', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    },
  ],
};

const put = (TableName: string, Item: Item) => t.ddb.send(new PutItemCommand({ TableName, Item }));
const order = (customer: string, id: string, extra: Item = {}): Item => ({ customer: { S: customer }, order: { S: id }, ...extra });
const ids = (items: Item[] | undefined) => (items ?? []).map((i) => `${i.customer!.S}/${i.order!.S}`);

describe('CreateTable with secondary indexes', () => {
  it('answers with the indexes CREATING, then DescribeTable shows them ACTIVE with their ARNs', async () => {
    const created = await t.ddb.send(new CreateTableCommand({ ...ordersDefinition, TableName: 'OrdersCopy' }));
    const arn = created.TableDescription!.TableArn!;
    expect(created.TableDescription!.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'byStatus',
        KeySchema: ordersDefinition.GlobalSecondaryIndexes![0]!.KeySchema,
        Projection: { ProjectionType: 'KEYS_ONLY' },
        IndexStatus: 'CREATING',
        ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
        IndexSizeBytes: 0,
        ItemCount: 0,
        IndexArn: `${arn}/index/byStatus`,
      },
      // NonKeyAttributes come back sorted by name.
      expect.objectContaining({ IndexName: 'byArea', Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['extra', 'note'] }, IndexStatus: 'CREATING' }),
      expect.objectContaining({ IndexName: 'bySku', Projection: { ProjectionType: 'ALL' }, IndexArn: `${arn}/index/bySku` }),
    ]);
    expect(created.TableDescription!.LocalSecondaryIndexes).toEqual([
      {
        IndexName: 'byPlaced',
        KeySchema: ordersDefinition.LocalSecondaryIndexes![0]!.KeySchema,
        Projection: { ProjectionType: 'KEYS_ONLY' },
        IndexSizeBytes: 0,
        ItemCount: 0,
        IndexArn: `${arn}/index/byPlaced`,
      },
    ]);
    const { Table } = await t.ddb.send(new DescribeTableCommand({ TableName: 'OrdersCopy' }));
    expect(Table!.GlobalSecondaryIndexes!.map((g) => [g.IndexName, g.IndexStatus, g.Backfilling])).toEqual([
      ['byStatus', 'ACTIVE', undefined],
      ['byArea', 'ACTIVE', undefined],
      ['bySku', 'ACTIVE', undefined],
    ]);
  });

  it('gives provisioned indexes their throughput', async () => {
    const created = await t.ddb.send(
      new CreateTableCommand({
        TableName: 'Provisioned',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'g', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        GlobalSecondaryIndexes: [
          { IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 2 } },
        ],
      }),
    );
    expect(created.TableDescription!.GlobalSecondaryIndexes![0]!.ProvisionedThroughput).toEqual({ NumberOfDecreasesToday: 0, ReadCapacityUnits: 3, WriteCapacityUnits: 2 });
  });

  const base = {
    TableName: 'Invalid',
    AttributeDefinitions: [
      { AttributeName: 'a', AttributeType: 'S' },
      { AttributeName: 'b', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'a', KeyType: 'HASH' },
      { AttributeName: 'b', KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  };
  const lsi = (name: string, keys: [string, string][], projection: object = { ProjectionType: 'ALL' }) => ({
    IndexName: name,
    KeySchema: keys.map(([AttributeName, KeyType]) => ({ AttributeName, KeyType })),
    Projection: projection,
  });
  const gsi = (name: string, keys: [string, string][], projection: object = { ProjectionType: 'ALL' }, extra: object = {}) => ({ ...lsi(name, keys, projection), ...extra });
  const withDefs = (...names: string[]) => names.map((AttributeName) => ({ AttributeName, AttributeType: 'S' }));
  const INVALID = 'One or more parameter values were invalid: ';

  it.each<[string, object, string]>([
    ['an empty LSI list', { LocalSecondaryIndexes: [] }, `${INVALID}List of LocalSecondaryIndexes is empty`],
    ['an empty GSI list', { GlobalSecondaryIndexes: [] }, `${INVALID}List of GlobalSecondaryIndexes is empty`],
    [
      'an attribute no key uses',
      { AttributeDefinitions: withDefs('sk', 'a', 'b', 'pk', 'c'), KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }], GlobalSecondaryIndexes: [gsi('gg1', [['a', 'HASH']], {})] },
      `${INVALID}Some AttributeDefinitions are not used. AttributeDefinitions: [sk, a, b, pk, c], keys used: [a, sk, pk]`,
    ],
    [
      'an LSI on a table without a sort key',
      { AttributeDefinitions: withDefs('a', 'b'), KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }], LocalSecondaryIndexes: [lsi('abc', [['c', 'RANGE']])] },
      `${INVALID}Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex`,
    ],
    ['an undefined index key', { LocalSecondaryIndexes: [lsi('abc', [['a', 'HASH'], ['c', 'RANGE']])] }, `${INVALID}Some index key attributes are not defined in AttributeDefinitions. Keys: [a, c], AttributeDefinitions: [a, b]`],
    ['an LSI keyed twice on one attribute', { LocalSecondaryIndexes: [lsi('abc', [['a', 'HASH'], ['a', 'RANGE']])] }, 'Both the Hash Key and the Range Key element in the KeySchema have the same name'],
    ['an LSI starting with RANGE', { LocalSecondaryIndexes: [lsi('abc', [['a', 'RANGE']])] }, 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type'],
    ['an LSI with two HASH keys', { LocalSecondaryIndexes: [lsi('abc', [['a', 'HASH'], ['b', 'HASH']])] }, 'Invalid KeySchema: The second KeySchemaElement is not a RANGE key type'],
    ['an LSI without a sort key', { LocalSecondaryIndexes: [lsi('abc', [['b', 'HASH']])] }, `${INVALID}Index KeySchema does not have a range key for index: abc`],
    [
      'an LSI with another partition key',
      { LocalSecondaryIndexes: [lsi('abc', [['b', 'HASH'], ['a', 'RANGE']])] },
      `${INVALID}Index KeySchema does not have the same leading hash key as table KeySchema for index: abc. index hash key: b, table hash key: a`,
    ],
    ['a projection without a type', { LocalSecondaryIndexes: [lsi('abc', [['a', 'HASH'], ['b', 'RANGE']], { NonKeyAttributes: ['x'] })] }, `${INVALID}Unknown ProjectionType: null`],
    ['NonKeyAttributes with ALL', { GlobalSecondaryIndexes: [gsi('abc', [['b', 'HASH']], { ProjectionType: 'ALL', NonKeyAttributes: ['x'] })] }, `${INVALID}ProjectionType is ALL, but NonKeyAttributes is specified`],
    ['INCLUDE without NonKeyAttributes', { GlobalSecondaryIndexes: [gsi('abc', [['b', 'HASH']], { ProjectionType: 'INCLUDE' })] }, `${INVALID}ProjectionType is INCLUDE, but NonKeyAttributes is not specified`],
    ['a NonKeyAttribute twice', { GlobalSecondaryIndexes: [gsi('abc', [['b', 'HASH']], { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x', 'y', 'x'] })] }, `${INVALID}Duplicate element in NonKeyAttributes: x`],
    [
      'index throughput on an on-demand table',
      { GlobalSecondaryIndexes: [gsi('abc', [['b', 'HASH']]), gsi('abd', [['b', 'HASH']], { ProjectionType: 'ALL' }, { ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } })] },
      `${INVALID}ProvisionedThroughput should not be specified for index: abd when BillingMode is PAY_PER_REQUEST`,
    ],
    [
      'a provisioned table’s index without throughput',
      { BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 }, GlobalSecondaryIndexes: [gsi('abc', [['b', 'HASH']])] },
      `${INVALID}ProvisionedThroughput is not specified for index: abc`,
    ],
    ['an index name used twice', { LocalSecondaryIndexes: [lsi('abc', [['a', 'HASH'], ['b', 'RANGE']])], GlobalSecondaryIndexes: [gsi('abc', [['b', 'HASH']])] }, `${INVALID}Duplicate index name: abc`],
    ['six LSIs', { LocalSecondaryIndexes: ['l1x', 'l2x', 'l3x', 'l4x', 'l5x', 'l6x'].map((n) => lsi(n, [['a', 'HASH'], ['b', 'RANGE']])) }, `${INVALID}Number of LocalSecondaryIndexes exceeds per-table limit of 5`],
    ['21 GSIs', { GlobalSecondaryIndexes: Array.from({ length: 21 }, (_, i) => gsi(`g${i}x`, [['b', 'HASH']])) }, `${INVALID}GlobalSecondaryIndex count exceeds the per-table limit of 20`],
    [
      'more than 100 projected attributes',
      { GlobalSecondaryIndexes: Array.from({ length: 6 }, (_, i) => gsi(`g${i}x`, [['b', 'HASH']], { ProjectionType: 'INCLUDE', NonKeyAttributes: Array.from({ length: 17 }, (_, j) => `n${j}`) })) },
      `${INVALID}Number of projected attributes in all indexes exceeds limit of 100`,
    ],
  ])('refuses %s with DynamoDB’s text', async (_, override, message) => {
    const error = await rawDynamo(t.endpoint, 'CreateTable', { ...base, ...override });
    expect(error.json?.message).toBe(message);
    expect(error.status).toBe(400);
    const { status } = await rawDynamo(t.endpoint, 'DescribeTable', { TableName: 'Invalid' });
    expect(status).toBe(400);
  });

  it('still counts key attributes exactly without indexes', async () => {
    const error = await rawDynamo(t.endpoint, 'CreateTable', { ...base, AttributeDefinitions: withDefs('a', 'b', 'c') });
    expect(error.json.message).toBe(`${INVALID}Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions`);
  });

  it('refuses what it does not simulate on an index, naming it', async () => {
    const error = await rawDynamo(t.endpoint, 'CreateTable', { ...base, GlobalSecondaryIndexes: [gsi('abc', [['b', 'HASH']], { ProjectionType: 'ALL' }, { OnDemandThroughput: { MaxReadRequestUnits: 5 } })] });
    expect(error.json.message).toBe('Eddy does not support OnDemandThroughput in global secondary indexes yet');
  });
});

describe('index maintenance on writes', () => {
  beforeAll(async () => {
    await put('Orders', order('ann', 'o1', { status: { S: 'open' }, amount: { N: '10' }, area: { S: 'eu' }, note: { S: 'n1' }, other: { S: 'x' }, placed: { N: '3' } }));
    await put('Orders', order('ann', 'o2', { status: { S: 'open' }, amount: { N: '-2.5' }, placed: { N: '1' } }));
    await put('Orders', order('bob', 'o3', { status: { S: 'open' }, amount: { N: '100' }, area: { S: 'eu' } }));
    await put('Orders', order('bob', 'o4', { status: { S: 'done' }, amount: { N: '10' } }));
    // No status: not in byStatus (sparse); no placed: not in byPlaced.
    await put('Orders', order('cat', 'o5', { area: { S: 'us' }, sku: { B: new Uint8Array([1, 2]) } }));
    await put('Orders', order('ann', 'o6', { status: { S: 'open' }, amount: { N: '10' }, placed: { N: '2' } }));
  });

  it('keeps items without the index key out of the index (sparse)', async () => {
    const { Items } = await t.ddb.send(new ScanCommand({ TableName: 'Orders', IndexName: 'byStatus' }));
    expect(ids(Items).sort()).toEqual(['ann/o1', 'ann/o2', 'ann/o6', 'bob/o3', 'bob/o4']);
    const bySku = await t.ddb.send(new ScanCommand({ TableName: 'Orders', IndexName: 'bySku' }));
    expect(ids(bySku.Items)).toEqual(['cat/o5']);
  });

  it('projects KEYS_ONLY, INCLUDE and ALL', async () => {
    const keysOnly = await t.ddb.send(new QueryCommand({ TableName: 'Orders', IndexName: 'byStatus', KeyConditionExpression: '#s = :s AND amount = :t', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'open' }, ':t': { N: '100' } } }));
    expect(keysOnly.Items).toEqual([{ customer: { S: 'bob' }, order: { S: 'o3' }, status: { S: 'open' }, amount: { N: '100' } }]);
    const include = await t.ddb.send(new QueryCommand({ TableName: 'Orders', IndexName: 'byArea', KeyConditionExpression: 'area = :r', ExpressionAttributeValues: { ':r': { S: 'eu' } } }));
    expect(include.Items).toEqual([
      { customer: { S: 'ann' }, order: { S: 'o1' }, area: { S: 'eu' }, note: { S: 'n1' } },
      { customer: { S: 'bob' }, order: { S: 'o3' }, area: { S: 'eu' } },
    ]);
    const all = await t.ddb.send(new QueryCommand({ TableName: 'Orders', IndexName: 'bySku', KeyConditionExpression: 'sku = :k', ExpressionAttributeValues: { ':k': { B: new Uint8Array([1, 2]) } } }));
    expect(all.Items).toEqual([{ customer: { S: 'cat' }, order: { S: 'o5' }, area: { S: 'us' }, sku: { B: new Uint8Array([1, 2]) } }]);
  });

  it('orders numeric index keys numerically, equal keys by table key, both directions', async () => {
    const query = (forward: boolean) =>
      t.ddb.send(new QueryCommand({ TableName: 'Orders', IndexName: 'byStatus', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'open' } }, ScanIndexForward: forward }));
    expect(ids((await query(true)).Items)).toEqual(['ann/o2', 'ann/o1', 'ann/o6', 'bob/o3']);
    expect(ids((await query(false)).Items)).toEqual(['bob/o3', 'ann/o6', 'ann/o1', 'ann/o2']);
    const ranged = await t.ddb.send(
      new QueryCommand({ TableName: 'Orders', IndexName: 'byStatus', KeyConditionExpression: '#s = :s AND amount BETWEEN :lo AND :hi', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'open' }, ':lo': { N: '0' }, ':hi': { N: '10.0' } } }),
    );
    expect(ids(ranged.Items)).toEqual(['ann/o1', 'ann/o6']);
  });

  it('pages an index query with LastEvaluatedKey = table key + index key, and resumes from it', async () => {
    const first = await t.ddb.send(new QueryCommand({ TableName: 'Orders', IndexName: 'byStatus', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'open' } }, Limit: 2 }));
    expect(ids(first.Items)).toEqual(['ann/o2', 'ann/o1']);
    expect(first.LastEvaluatedKey).toEqual({ customer: { S: 'ann' }, order: { S: 'o1' }, status: { S: 'open' }, amount: { N: '10' } });
    const pages: string[][] = [];
    for await (const page of paginateQuery({ client: t.ddb, pageSize: 1 }, { TableName: 'Orders', IndexName: 'byStatus', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'open' } } })) {
      pages.push(ids(page.Items));
    }
    expect(pages.flat()).toEqual(['ann/o2', 'ann/o1', 'ann/o6', 'bob/o3']);
  });

  it('scans an index in index-key order across pages, with parallel segments covering it once', async () => {
    const seen: string[] = [];
    for await (const page of paginateScan({ client: t.ddb, pageSize: 2 }, { TableName: 'Orders', IndexName: 'byStatus' })) seen.push(...ids(page.Items));
    // 'done' sorts before 'open'; within 'open' by amount.
    expect(seen).toEqual(['bob/o4', 'ann/o2', 'ann/o1', 'ann/o6', 'bob/o3']);
    const segments = await Promise.all([0, 1, 2].map((Segment) => t.ddb.send(new ScanCommand({ TableName: 'Orders', IndexName: 'byStatus', Segment, TotalSegments: 3 }))));
    expect(segments.flatMap((s) => ids(s.Items)).sort()).toEqual([...seen].sort());
  });

  it('moves, updates and drops entries as items change', async () => {
    await put('Orders', order('dan', 'o7', { status: { S: 'open' }, amount: { N: '5' }, area: { S: 'ap' }, note: { S: 'first' } }));
    await t.ddb.send(new UpdateItemCommand({ TableName: 'Orders', Key: order('dan', 'o7'), UpdateExpression: 'SET #s = :d, note = :n', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':d': { S: 'done' }, ':n': { S: 'second' } } }));
    const done = await t.ddb.send(new QueryCommand({ TableName: 'Orders', IndexName: 'byStatus', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'done' } } }));
    expect(ids(done.Items)).toEqual(['dan/o7', 'bob/o4']);
    const ap = await t.ddb.send(new QueryCommand({ TableName: 'Orders', IndexName: 'byArea', KeyConditionExpression: 'area = :r', ExpressionAttributeValues: { ':r': { S: 'ap' } } }));
    expect(ap.Items).toEqual([{ customer: { S: 'dan' }, order: { S: 'o7' }, area: { S: 'ap' }, note: { S: 'second' } }]);
    await t.ddb.send(new UpdateItemCommand({ TableName: 'Orders', Key: order('dan', 'o7'), UpdateExpression: 'REMOVE area' }));
    const gone = await t.ddb.send(new QueryCommand({ TableName: 'Orders', IndexName: 'byArea', KeyConditionExpression: 'area = :r', ExpressionAttributeValues: { ':r': { S: 'ap' } } }));
    expect(gone.Items).toEqual([]);
    await t.ddb.send(new DeleteItemCommand({ TableName: 'Orders', Key: order('dan', 'o7') }));
    const deleted = await t.ddb.send(new QueryCommand({ TableName: 'Orders', IndexName: 'byStatus', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'done' } } }));
    expect(ids(deleted.Items)).toEqual(['bob/o4']);
  });

  it('refuses an index key of the wrong type or empty, writing nothing', async () => {
    const mismatch = await errorOf(() => put('Orders', order('eve', 'o8', { status: { N: '1' }, amount: { N: '1' } })));
    expect(mismatch.name).toBe('ValidationException');
    expect(mismatch.message).toBe('One or more parameter values were invalid: Type mismatch for Index Key status Expected: S Actual: N IndexName: byStatus');
    expect((await t.ddb.send(new GetItemCommand({ TableName: 'Orders', Key: order('eve', 'o8') }))).Item).toBeUndefined();

    const local = await errorOf(() => put('Orders', order('eve', 'o8', { placed: { S: 'yesterday' } })));
    expect(local.message).toBe('One or more parameter values were invalid: Type mismatch for Index Key placed Expected: N Actual: S IndexName: byPlaced');

    const empty = await errorOf(() => put('Orders', order('eve', 'o8', { area: { S: '' } })));
    expect(empty.message).toBe(
      'One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: byArea, IndexKey: area',
    );

    await put('Orders', order('eve', 'o9', { status: { S: 'open' }, amount: { N: '7' } }));
    const update = await errorOf(() => t.ddb.send(new UpdateItemCommand({ TableName: 'Orders', Key: order('eve', 'o9'), UpdateExpression: 'SET amount = :t', ExpressionAttributeValues: { ':t': { S: 'seven' } } })));
    expect(update.message).toBe('One or more parameter values were invalid: Type mismatch for Index Key amount Expected: N Actual: S IndexName: byStatus');
    expect((await t.ddb.send(new GetItemCommand({ TableName: 'Orders', Key: order('eve', 'o9') }))).Item!.amount).toEqual({ N: '7' });
    const entry = await t.ddb.send(new QueryCommand({ TableName: 'Orders', IndexName: 'byStatus', KeyConditionExpression: '#s = :s AND amount = :t', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'open' }, ':t': { N: '7' } } }));
    expect(ids(entry.Items)).toEqual(['eve/o9']);
    await t.ddb.send(new DeleteItemCommand({ TableName: 'Orders', Key: order('eve', 'o9') }));
  });
});

describe('reading indexes', () => {
  const byStatus = { TableName: 'Orders', IndexName: 'byStatus', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'open' } } };

  it('refuses unknown indexes, consistent reads of global ones and ALL_ATTRIBUTES they cannot give', async () => {
    const unknown = await errorOf(() => t.ddb.send(new QueryCommand({ ...byStatus, IndexName: 'nope' })));
    expect(unknown.message).toBe('The table does not have the specified index: nope');
    const consistent = await errorOf(() => t.ddb.send(new QueryCommand({ ...byStatus, ConsistentRead: true })));
    expect(consistent.message).toBe('Consistent reads are not supported on global secondary indexes');
    const scan = await errorOf(() => t.ddb.send(new ScanCommand({ TableName: 'Orders', IndexName: 'byStatus', ConsistentRead: true })));
    expect(scan.message).toBe('Consistent reads are not supported on global secondary indexes');
    const all = await errorOf(() => t.ddb.send(new QueryCommand({ ...byStatus, Select: 'ALL_ATTRIBUTES' })));
    expect(all.message).toBe('One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index byStatus because its projection type is not ALL');
    const onAll = await t.ddb.send(new ScanCommand({ TableName: 'Orders', IndexName: 'bySku', Select: 'ALL_ATTRIBUTES' }));
    expect(onAll.Count).toBe(1);
    const keyCondition = await errorOf(() => t.ddb.send(new QueryCommand({ TableName: 'Orders', IndexName: 'byStatus', KeyConditionExpression: 'customer = :c', ExpressionAttributeValues: { ':c': { S: 'ann' } } })));
    expect(keyCondition.message).toBe('Query condition missed key schema element: status');
  });

  it('validates an ExclusiveStartKey against the index', async () => {
    const start = (key: Item) => errorOf(() => t.ddb.send(new QueryCommand({ ...byStatus, ExclusiveStartKey: key })));
    expect((await start({ customer: { S: 'ann' }, order: { S: 'o1' } })).message).toBe('The provided starting key is invalid');
    expect((await start({ customer: { S: 'ann' }, order: { S: 'o1' }, status: { S: 'open' }, nope: { N: '1' } })).message).toBe('The provided starting key is invalid');
    expect((await start({ customer: { S: 'ann' }, order: { S: 'o1' }, status: { S: 'open' }, amount: { S: '1' } })).message).toBe('The provided key element does not match the schema');
    expect((await start({ customer: { N: '1' }, order: { S: 'o1' }, status: { S: 'open' }, amount: { N: '1' } })).message).toBe(
      'The provided starting key is invalid: The provided key element does not match the schema',
    );
    expect((await start({ customer: { S: 'ann' }, order: { S: 'o1' }, status: { S: 'done' }, amount: { N: '1' } })).message).toBe(
      'The provided starting key is outside query boundaries based on provided conditions',
    );
  });

  it('reads a local index in its sort key order; ALL_ATTRIBUTES fetches from the table and costs the fetches', async () => {
    const query = { TableName: 'Orders', IndexName: 'byPlaced', KeyConditionExpression: 'customer = :c', ExpressionAttributeValues: { ':c': { S: 'ann' } } };
    const projected = await t.ddb.send(new QueryCommand({ ...query, ReturnConsumedCapacity: 'INDEXES' }));
    expect(projected.Items).toEqual([
      { customer: { S: 'ann' }, order: { S: 'o2' }, placed: { N: '1' } },
      { customer: { S: 'ann' }, order: { S: 'o6' }, placed: { N: '2' } },
      { customer: { S: 'ann' }, order: { S: 'o1' }, placed: { N: '3' } },
    ]);
    expect(projected.ConsumedCapacity).toEqual({ TableName: 'Orders', CapacityUnits: 0.5, Table: { CapacityUnits: 0 }, LocalSecondaryIndexes: { byPlaced: { CapacityUnits: 0.5 } } });

    const fetched = await t.ddb.send(new QueryCommand({ ...query, Select: 'ALL_ATTRIBUTES', ConsistentRead: true, ReturnConsumedCapacity: 'INDEXES' }));
    expect(fetched.Items![2]).toEqual({ customer: { S: 'ann' }, order: { S: 'o1' }, status: { S: 'open' }, amount: { N: '10' }, area: { S: 'eu' }, note: { S: 'n1' }, other: { S: 'x' }, placed: { N: '3' } });
    // One unit for the index read, one per item fetched.
    expect(fetched.ConsumedCapacity).toEqual({ TableName: 'Orders', CapacityUnits: 4, Table: { CapacityUnits: 3 }, LocalSecondaryIndexes: { byPlaced: { CapacityUnits: 1 } } });

    const named = await t.ddb.send(new QueryCommand({ ...query, ProjectionExpression: 'note', ReturnConsumedCapacity: 'TOTAL' }));
    expect(named.Items).toEqual([{}, {}, { note: { S: 'n1' } }]);
    expect(named.ConsumedCapacity).toEqual({ TableName: 'Orders', CapacityUnits: 2 });
  });

  it('returns only what a global index holds, and charges the index', async () => {
    const result = await t.ddb.send(new QueryCommand({ ...byStatus, ProjectionExpression: 'customer, note', ReturnConsumedCapacity: 'INDEXES' }));
    expect(result.Items).toEqual([{ customer: { S: 'ann' } }, { customer: { S: 'ann' } }, { customer: { S: 'ann' } }, { customer: { S: 'bob' } }]);
    expect(result.ConsumedCapacity).toEqual({ TableName: 'Orders', CapacityUnits: 0.5, Table: { CapacityUnits: 0 }, GlobalSecondaryIndexes: { byStatus: { CapacityUnits: 0.5 } } });
    const count = await t.ddb.send(new QueryCommand({ ...byStatus, Select: 'COUNT', FilterExpression: 'amount > :z', ExpressionAttributeValues: { ':s': { S: 'open' }, ':z': { N: '0' } } }));
    expect(count).toMatchObject({ Count: 3, ScannedCount: 4 });
    expect(count.Items).toBeUndefined();
  });

  it('reports exact index counts and sizes in DescribeTable', async () => {
    const { Table } = await t.ddb.send(new DescribeTableCommand({ TableName: 'Orders' }));
    const counts = Object.fromEntries([...Table!.GlobalSecondaryIndexes!, ...Table!.LocalSecondaryIndexes!].map((i) => [i.IndexName, [i.ItemCount, i.IndexSizeBytes]]));
    // byArea: {customer ann, order o1, area eu, note n1} = 11 + 7 + 6 + 6; bob/o3 and cat/o5 = 11 + 7 + 6 each.
    expect(counts).toEqual({ byStatus: [5, expect.any(Number)], byArea: [3, 30 + 24 + 24], bySku: [1, 11 + 7 + 6 + 5], byPlaced: [3, expect.any(Number)] });
  });
});

describe('item collections of tables with local indexes', () => {
  it('measures the collection and refuses growing it past the limit, writing nothing', async () => {
    const catalog = new TableCatalog(t.eddy.db, t.eddy.clock);
    const table = catalog.find('000000000000', 'us-east-1', 'Orders')!;
    expect(t.eddy.items.itemCollectionMetrics(table, { customer: { S: 'ann' }, order: { S: 'o1' } })).toEqual({ ItemCollectionKey: { customer: { S: 'ann' } }, SizeEstimateRangeGB: [0, 1] });
    const plain = catalog.find('000000000000', 'us-east-1', 'Provisioned')!;
    expect(t.eddy.items.itemCollectionMetrics(plain, { pk: { S: 'x' } })).toBeUndefined();
    // What the write operations add to their responses.
    expect(itemCollectionMetricsMember(t.eddy.items, table, { customer: { S: 'ann' }, order: { S: 'o1' } }, 'SIZE')).toEqual({
      ItemCollectionMetrics: { ItemCollectionKey: { customer: { S: 'ann' } }, SizeEstimateRangeGB: [0, 1] },
    });
    expect(itemCollectionMetricsMember(t.eddy.items, table, { customer: { S: 'ann' }, order: { S: 'o1' } }, 'NONE')).toEqual({});
    expect(itemCollectionMetricsMember(t.eddy.items, plain, { pk: { S: 'x' } }, 'SIZE')).toEqual({});

    const limit = t.eddy.items.itemCollectionSizeLimit;
    t.eddy.items.itemCollectionSizeLimit = 300;
    try {
      await put('Orders', order('fay', 'o1', { pad: { S: 'x'.repeat(200) } }));
      const error = await errorOf(() => put('Orders', order('fay', 'o2', { pad: { S: 'x'.repeat(200) } })));
      expect(error.name).toBe('ItemCollectionSizeLimitExceededException');
      expect(error.message).toBe('Item collection size limit exceeded');
      expect((await t.ddb.send(new GetItemCommand({ TableName: 'Orders', Key: order('fay', 'o2') }))).Item).toBeUndefined();
      // Shrinking is always allowed, and frees room.
      await put('Orders', order('fay', 'o1', { pad: { S: 'x' } }));
      await put('Orders', order('fay', 'o2', { pad: { S: 'x'.repeat(200) } }));
    } finally {
      t.eddy.items.itemCollectionSizeLimit = limit;
    }
  });

  it('charges an index only for a change to what it stores', () => {
    const catalog = new TableCatalog(t.eddy.db, t.eddy.clock);
    const table = catalog.find('000000000000', 'us-east-1', 'Orders')!;
    const items = t.eddy.items;
    // Items as stored: binaries in base64, as on the wire.
    const key: WireItem = { customer: { S: 'gus' }, order: { S: 'o1' } };
    const write = (newItem: WireItem | undefined) => items.transaction(() => items.write({ table, key, oldItem: items.get(table, key), newItem }, newItem ? 100 : 0)).indexCharges;
    const item: WireItem = { ...key, status: { S: 'open' }, amount: { N: '1' }, sku: { B: 'AQ==' }, note: { S: 'a' } };
    expect(write(item)).toEqual([
      { index: 'byStatus', global: true, units: 1 },
      { index: 'bySku', global: true, units: 1 },
    ]);
    expect(write({ ...item })).toEqual([]);
    // note is projected by bySku (ALL) only.
    expect(write({ ...item, note: { S: 'b' } })).toEqual([{ index: 'bySku', global: true, units: 1 }]);
    // A moved index key is a delete and a put.
    expect(write({ ...item, note: { S: 'b' }, amount: { N: '2' } })).toEqual([
      { index: 'byStatus', global: true, units: 2 },
      { index: 'bySku', global: true, units: 1 },
    ]);
    const report = { indexCharges: write(undefined) };
    expect(report.indexCharges).toEqual([
      { index: 'byStatus', global: true, units: 1 },
      { index: 'bySku', global: true, units: 1 },
    ]);
    expect(writeConsumedCapacity(table, 1, report, 'INDEXES')).toEqual({
      ConsumedCapacity: { TableName: 'Orders', CapacityUnits: 3, Table: { CapacityUnits: 1 }, GlobalSecondaryIndexes: { byStatus: { CapacityUnits: 1 }, bySku: { CapacityUnits: 1 } } },
    });
    expect(writeConsumedCapacity(table, 1, report, 'TOTAL')).toEqual({ ConsumedCapacity: { TableName: 'Orders', CapacityUnits: 3 } });
    expect(writeConsumedCapacity(table, 1, undefined, 'INDEXES')).toEqual({ ConsumedCapacity: { TableName: 'Orders', CapacityUnits: 1, Table: { CapacityUnits: 1 } } });
  });
});

describe('DeleteTable', () => {
  it('removes the index entries and collection sizes with the table', async () => {
    const catalog = new TableCatalog(t.eddy.db, t.eddy.clock);
    const id = catalog.find('000000000000', 'us-east-1', 'Orders')!.id;
    const rows = () => [
      (t.eddy.db.prepare('SELECT count(*) AS n FROM ddb_index_items WHERE table_id = ?').get(id) as { n: number }).n,
      (t.eddy.db.prepare('SELECT count(*) AS n FROM ddb_item_collections WHERE table_id = ?').get(id) as { n: number }).n,
    ];
    expect(rows()[0]).toBeGreaterThan(0);
    expect(rows()[1]).toBeGreaterThan(0);
    await t.ddb.send(new DeleteTableCommand({ TableName: 'Orders' }));
    expect(rows()).toEqual([0, 0]);
  });
});
