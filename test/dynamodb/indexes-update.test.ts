import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateTableCommand,
  type AttributeValue,
  type UpdateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, rawDynamo, startEddy, type TestEddy } from '../helpers/eddy.js';

const TRANSITION_MS = 1000;
let t: TestEddy;
beforeAll(async () => {
  t = await startEddy({ tableTransitionMs: TRANSITION_MS });
});
afterAll(async () => t.close());

type Item = Record<string, AttributeValue>;
const settle = () => t.eddy.clock.advance(TRANSITION_MS);
const describeTable = async (TableName: string) => (await t.ddb.send(new DescribeTableCommand({ TableName }))).Table!;
const byCat = (value: string) =>
  t.ddb.send(new QueryCommand({ TableName: 'Catalog', IndexName: 'byCat', KeyConditionExpression: 'cat = :c', ExpressionAttributeValues: { ':c': { S: value } } }));
const pks = (items: Item[] | undefined) => (items ?? []).map((i) => i.pk!.S).sort();
const createByCat = { IndexName: 'byCat', KeySchema: [{ AttributeName: 'cat', KeyType: 'HASH' as const }], Projection: { ProjectionType: 'KEYS_ONLY' as const } };

describe('UpdateTable GlobalSecondaryIndexUpdates', () => {
  beforeAll(async () => {
    await t.ddb.send(
      new CreateTableCommand({
        TableName: 'Catalog',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    settle();
    const items: Item[] = [
      { pk: { S: 'p1' }, cat: { S: 'tools' } },
      { pk: { S: 'p2' }, cat: { S: 'tools' } },
      { pk: { S: 'p3' }, cat: { S: 'toys' } },
      // Not indexable: no cat, a number, an empty string. The backfill leaves them out.
      { pk: { S: 'p4' } },
      { pk: { S: 'p5' }, cat: { N: '5' } },
      { pk: { S: 'p6' }, cat: { S: '' } },
    ];
    for (const Item of items) await t.ddb.send(new PutItemCommand({ TableName: 'Catalog', Item }));
  });

  it('creates an index CREATING, backfills it from the items, and makes it ACTIVE when the transition ends', async () => {
    const response = await t.ddb.send(
      new UpdateTableCommand({ TableName: 'Catalog', AttributeDefinitions: [{ AttributeName: 'cat', AttributeType: 'S' }], GlobalSecondaryIndexUpdates: [{ Create: createByCat }] }),
    );
    const arn = response.TableDescription!.TableArn!;
    expect(response.TableDescription!.TableStatus).toBe('UPDATING');
    expect(response.TableDescription!.GlobalSecondaryIndexes).toEqual([
      {
        ...createByCat,
        IndexStatus: 'CREATING',
        Backfilling: false,
        ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
        IndexSizeBytes: expect.any(Number),
        ItemCount: 3,
        IndexArn: `${arn}/index/byCat`,
      },
    ]);

    const during = await describeTable('Catalog');
    expect(during.AttributeDefinitions).toEqual([
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'cat', AttributeType: 'S' },
    ]);
    expect(during.GlobalSecondaryIndexes![0]).toMatchObject({ IndexStatus: 'CREATING', Backfilling: true, ItemCount: 3 });
    const backfilling = await errorOf(() => byCat('tools'));
    expect(backfilling.name).toBe('ValidationException');
    expect(backfilling.message).toBe('Cannot read from backfilling global secondary index: byCat');

    // Writes made while the index builds are checked against it and land in it.
    const mismatch = await errorOf(() => t.ddb.send(new PutItemCommand({ TableName: 'Catalog', Item: { pk: { S: 'p7' }, cat: { N: '7' } } })));
    expect(mismatch.message).toBe('One or more parameter values were invalid: Type mismatch for Index Key cat Expected: S Actual: N IndexName: byCat');
    await t.ddb.send(new PutItemCommand({ TableName: 'Catalog', Item: { pk: { S: 'p8' }, cat: { S: 'tools' } } }));

    settle();
    const after = await describeTable('Catalog');
    expect(after.TableStatus).toBe('ACTIVE');
    expect(after.GlobalSecondaryIndexes![0]!.IndexStatus).toBe('ACTIVE');
    expect(after.GlobalSecondaryIndexes![0]!.Backfilling).toBeUndefined();
    expect(after.GlobalSecondaryIndexes![0]!.ItemCount).toBe(4);
    expect(pks((await byCat('tools')).Items)).toEqual(['p1', 'p2', 'p8']);
    expect(pks((await byCat('toys')).Items)).toEqual(['p3']);
  });

  it.each<[string, Partial<UpdateTableCommandInput>, string, string]>([
    ['an index that exists', { AttributeDefinitions: [{ AttributeName: 'cat', AttributeType: 'S' }], GlobalSecondaryIndexUpdates: [{ Create: createByCat }] }, 'ValidationException', 'Attempting to create an index which already exists'],
    [
      'a create without AttributeDefinitions',
      { GlobalSecondaryIndexUpdates: [{ Create: { ...createByCat, IndexName: 'byOther' } }] },
      'ValidationException',
      'One or more parameter values were invalid: AttributeDefinitions is not specified for index: byOther',
    ],
    [
      'a create whose key is not defined',
      { AttributeDefinitions: [{ AttributeName: 'x', AttributeType: 'S' }], GlobalSecondaryIndexUpdates: [{ Create: { ...createByCat, IndexName: 'byY', KeySchema: [{ AttributeName: 'y', KeyType: 'HASH' }] } }] },
      'ValidationException',
      'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [y], AttributeDefinitions: [x]',
    ],
    [
      'two creates at once',
      { AttributeDefinitions: [{ AttributeName: 'x', AttributeType: 'S' }], GlobalSecondaryIndexUpdates: [{ Create: { ...createByCat, IndexName: 'byX1', KeySchema: [{ AttributeName: 'x', KeyType: 'HASH' }] } }, { Create: { ...createByCat, IndexName: 'byX2', KeySchema: [{ AttributeName: 'x', KeyType: 'HASH' }] } }] },
      'LimitExceededException',
      'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table',
    ],
    ['an unknown index', { GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'nope' } }] }, 'ResourceNotFoundException', 'Requested resource not found: Index nope for table Catalog'],
    [
      'throughput for an on-demand table’s index',
      { GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'byCat', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } } }] },
      'ValidationException',
      'One or more parameter values were invalid: The only Updates for index: byCat when TableThroughputMode is PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput',
    ],
    ['an empty list beside another change', { GlobalSecondaryIndexUpdates: [], DeletionProtectionEnabled: true }, 'ValidationException', 'One or more parameter values were invalid: List of GlobalSecondaryIndexUpdates is empty'],
    [
      'an entry without an action',
      { GlobalSecondaryIndexUpdates: [{}] },
      'ValidationException',
      'One or more parameter values were invalid: One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null',
    ],
    [
      'two actions on one index',
      { GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byCat' } }, { Create: createByCat }] },
      'ValidationException',
      'One or more parameter values were invalid: Only one global secondary index update per index is allowed simultaneously. Index: byCat',
    ],
  ])('refuses %s, changing nothing', async (_, update, name, message) => {
    const error = await errorOf(() => t.ddb.send(new UpdateTableCommand({ TableName: 'Catalog', ...update })));
    expect(error.name).toBe(name);
    expect(error.message).toBe(message);
    const table = await describeTable('Catalog');
    expect(table.TableStatus).toBe('ACTIVE');
    expect(table.GlobalSecondaryIndexes!.map((g) => g.IndexName)).toEqual(['byCat']);
    expect(table.DeletionProtectionEnabled).toBe(false);
  });

  it('counts an empty list as no change at all', async () => {
    const error = await rawDynamo(t.endpoint, 'UpdateTable', { TableName: 'Catalog', GlobalSecondaryIndexUpdates: [] });
    expect(error.json.message).toBe('At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required');
  });

  it('deletes an index: DELETING, then gone, its attribute pruned from AttributeDefinitions', async () => {
    const response = await t.ddb.send(new UpdateTableCommand({ TableName: 'Catalog', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byCat' } }] }));
    expect(response.TableDescription!.GlobalSecondaryIndexes!.map((g) => [g.IndexName, g.IndexStatus])).toEqual([['byCat', 'DELETING']]);
    expect((await describeTable('Catalog')).GlobalSecondaryIndexes!.map((g) => g.IndexStatus)).toEqual(['DELETING']);
    const gone = await errorOf(() => byCat('tools'));
    expect(gone.message).toBe('The table does not have the specified index: byCat');
    settle();
    const after = await describeTable('Catalog');
    expect(after.GlobalSecondaryIndexes).toBeUndefined();
    expect(after.AttributeDefinitions).toEqual([{ AttributeName: 'pk', AttributeType: 'S' }]);
    // The item keeps its attribute; writing a number there is fine again.
    await t.ddb.send(new PutItemCommand({ TableName: 'Catalog', Item: { pk: { S: 'p7' }, cat: { N: '7' } } }));
    expect((await t.ddb.send(new ScanCommand({ TableName: 'Catalog' }))).Count).toBe(8);
  });
});

describe('UpdateTable on a provisioned table with a global index', () => {
  beforeAll(async () => {
    await t.ddb.send(
      new CreateTableCommand({
        TableName: 'Prov',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'g', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        GlobalSecondaryIndexes: [
          { IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } },
        ],
      }),
    );
    const creating = await describeTable('Prov');
    expect(creating.GlobalSecondaryIndexes![0]!.IndexStatus).toBe('CREATING');
    settle();
  });

  it('re-provisions an index: the answer shows it UPDATING with the old throughput, DescribeTable the new', async () => {
    const response = await t.ddb.send(new UpdateTableCommand({ TableName: 'Prov', GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'byG', ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 } } }] }));
    expect(response.TableDescription!.GlobalSecondaryIndexes![0]).toMatchObject({ IndexStatus: 'UPDATING', ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 1, WriteCapacityUnits: 1 } });
    const during = await describeTable('Prov');
    expect(during.GlobalSecondaryIndexes![0]).toMatchObject({ IndexStatus: 'UPDATING', ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 } });
    settle();
    const after = await describeTable('Prov');
    expect(after.GlobalSecondaryIndexes![0]!.IndexStatus).toBe('ACTIVE');
    expect(after.GlobalSecondaryIndexes![0]!.ProvisionedThroughput!.LastIncreaseDateTime).toBeInstanceOf(Date);

    const same = await errorOf(() => t.ddb.send(new UpdateTableCommand({ TableName: 'Prov', GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'byG', ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 } } }] })));
    expect(same.message).toBe(
      'The provisioned throughput for the index byG will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for index byG: 2. Requested ReadCapacityUnits: 2. Current WriteCapacityUnits provisioned for index byG: 3. Requested WriteCapacityUnits: 3. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.',
    );
  });

  it('needs throughput for a new index and refuses creating one while changing the table’s', async () => {
    const create = { IndexName: 'byH', KeySchema: [{ AttributeName: 'h', KeyType: 'HASH' as const }], Projection: { ProjectionType: 'ALL' as const } };
    const definitions = [{ AttributeName: 'h', AttributeType: 'S' as const }];
    const noThroughput = await errorOf(() => t.ddb.send(new UpdateTableCommand({ TableName: 'Prov', AttributeDefinitions: definitions, GlobalSecondaryIndexUpdates: [{ Create: create }] })));
    expect(noThroughput.message).toBe('One or more parameter values were invalid: Both ReadCapacityUnits and WriteCapacityUnits must be specified for index: byH');
    const withTable = await errorOf(() =>
      t.ddb.send(
        new UpdateTableCommand({
          TableName: 'Prov',
          AttributeDefinitions: definitions,
          ProvisionedThroughput: { ReadCapacityUnits: 6, WriteCapacityUnits: 6 },
          GlobalSecondaryIndexUpdates: [{ Create: { ...create, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } } }],
        }),
      ),
    );
    expect(withTable.message).toBe('One or more parameter values were invalid: You cannot create or delete index while updating table IOPS');
  });

  it('switches index throughput with the billing mode', async () => {
    const onDemand = await t.ddb.send(new UpdateTableCommand({ TableName: 'Prov', BillingMode: 'PAY_PER_REQUEST' }));
    expect(onDemand.TableDescription!.GlobalSecondaryIndexes![0]!.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 0, WriteCapacityUnits: 0 });
    settle();
    const back = await errorOf(() => t.ddb.send(new UpdateTableCommand({ TableName: 'Prov', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } })));
    expect(back.message).toBe('One or more parameter values were invalid: ProvisionedThroughput must be specified for index: byG');
    const withIndex = await t.ddb.send(
      new UpdateTableCommand({
        TableName: 'Prov',
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'byG', ProvisionedThroughput: { ReadCapacityUnits: 4, WriteCapacityUnits: 4 } } }],
      }),
    );
    expect(withIndex.TableDescription!.BillingModeSummary!.BillingMode).toBe('PROVISIONED');
    settle();
    expect((await describeTable('Prov')).GlobalSecondaryIndexes![0]!.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 4, WriteCapacityUnits: 4 });
  });
});

describe('indexes across a restart', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('keeps index definitions and entries, and maintains them afterwards', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'eddy-indexes-'));
    dirs.push(dataDir);
    const first = await startEddy({ inMemory: false, dataDir });
    await first.ddb.send(
      new CreateTableCommand({
        TableName: 'Kept',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'g', AttributeType: 'N' },
          { AttributeName: 'l', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
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
    await first.ddb.send(new PutItemCommand({ TableName: 'Kept', Item: { pk: { S: 'a' }, sk: { S: '1' }, g: { N: '1' }, l: { S: 'z' } } }));
    await first.ddb.send(new PutItemCommand({ TableName: 'Kept', Item: { pk: { S: 'a' }, sk: { S: '2' }, g: { N: '1' }, l: { S: 'y' } } }));
    await first.close();

    const second = await startEddy({ inMemory: false, dataDir });
    try {
      const g = await second.ddb.send(new QueryCommand({ TableName: 'Kept', IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { N: '1' } } }));
      expect(g.Items!.map((i) => i.sk!.S)).toEqual(['1', '2']);
      await second.ddb.send(new PutItemCommand({ TableName: 'Kept', Item: { pk: { S: 'a' }, sk: { S: '3' }, l: { S: 'x' } } }));
      const l = await second.ddb.send(new QueryCommand({ TableName: 'Kept', IndexName: 'byL', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'a' } } }));
      expect(l.Items!.map((i) => i.l!.S)).toEqual(['x', 'y', 'z']);
      const { Table } = await second.ddb.send(new DescribeTableCommand({ TableName: 'Kept' }));
      expect(Table!.GlobalSecondaryIndexes!.map((i) => [i.IndexName, i.IndexStatus, i.ItemCount])).toEqual([['byG', 'ACTIVE', 2]]);
      expect(Table!.LocalSecondaryIndexes!.map((i) => [i.IndexName, i.ItemCount])).toEqual([['byL', 3]]);
      const mismatch = await errorOf(() => second.ddb.send(new PutItemCommand({ TableName: 'Kept', Item: { pk: { S: 'b' }, sk: { S: '1' }, g: { S: 'one' } } })));
      expect(mismatch.message).toBe('One or more parameter values were invalid: Type mismatch for Index Key g Expected: N Actual: S IndexName: byG');
    } finally {
      await second.close();
    }
  });
});
