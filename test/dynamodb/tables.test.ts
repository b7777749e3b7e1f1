import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  PutItemCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateTableCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, startEddy, type TestEddy } from '../helpers/eddy.js';

let t: TestEddy;
beforeAll(async () => {
  t = await startEddy();
});
afterAll(async () => t.close());

const simpleTable = (name: string) =>
  new CreateTableCommand({
    TableName: name,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  });

describe('CreateTable and DescribeTable', () => {
  it('creates a table and describes it in the AWS shape', async () => {
    const created = await t.ddb.send(
      new CreateTableCommand({
        TableName: 'Orders',
        AttributeDefinitions: [
          { AttributeName: 'customerId', AttributeType: 'S' },
          { AttributeName: 'orderId', AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: 'customerId', KeyType: 'HASH' },
          { AttributeName: 'orderId', KeyType: 'RANGE' },
        ],
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 7 },
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
        Tags: [{ Key: 'team', Value: 'platform' }],
        TableClass: 'STANDARD_INFREQUENT_ACCESS',
      }),
    );
    expect(created.TableDescription?.TableStatus).toBe('CREATING');
    await waitUntilTableExists({ client: t.ddb, maxWaitTime: 5, minDelay: 1 }, { TableName: 'Orders' });

    const { Table } = await t.ddb.send(new DescribeTableCommand({ TableName: 'Orders' }));
    expect(Table).toMatchObject({
      TableName: 'Orders',
      TableStatus: 'ACTIVE',
      TableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Orders',
      ItemCount: 0,
      TableSizeBytes: 0,
      KeySchema: [
        { AttributeName: 'customerId', KeyType: 'HASH' },
        { AttributeName: 'orderId', KeyType: 'RANGE' },
      ],
      ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 5, WriteCapacityUnits: 7 },
      BillingModeSummary: { BillingMode: 'PROVISIONED' },
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TableClassSummary: { TableClass: 'STANDARD_INFREQUENT_ACCESS' },
      DeletionProtectionEnabled: false,
    });
    expect(Table?.TableId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Table?.CreationDateTime).toBeInstanceOf(Date);
    expect(Math.abs(Table!.CreationDateTime!.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('counts items and their bytes in DescribeTable', async () => {
    await t.ddb.send(simpleTable('Counted'));
    await t.ddb.send(new PutItemCommand({ TableName: 'Counted', Item: { pk: { S: 'a' }, v: { S: 'hello' } } }));
    await t.ddb.send(new PutItemCommand({ TableName: 'Counted', Item: { pk: { S: 'b' } } }));
    const { Table } = await t.ddb.send(new DescribeTableCommand({ TableName: 'Counted' }));
    expect(Table?.ItemCount).toBe(2);
    // pk:"a" = 2+1, v:"hello" = 1+5, pk:"b" = 2+1
    expect(Table?.TableSizeBytes).toBe(12);
  });

  it('reports PAY_PER_REQUEST with zero provisioned throughput', async () => {
    const created = await t.ddb.send(simpleTable('OnDemand'));
    expect(created.TableDescription?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(created.TableDescription?.BillingModeSummary?.LastUpdateToPayPerRequestDateTime).toBeInstanceOf(Date);
    expect(created.TableDescription?.ProvisionedThroughput).toEqual({ NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 });
  });

  it('refuses a table that already exists', async () => {
    await t.ddb.send(simpleTable('Twice'));
    const error = await errorOf(() => t.ddb.send(simpleTable('Twice')));
    expect(error.name).toBe('ResourceInUseException');
    expect(error.message).toBe('Table already exists: Twice');
  });

  it('validates names, billing and key schema with AWS texts', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ TableName: 'bad name!' }, "1 validation error detected: Value 'bad name!' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"],
      [
        { TableName: 'x!' },
        "2 validation errors detected: Value 'x!' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3; Value 'x!' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
      ],
      [{ TableName: 'ab' }, "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3"],
      [{ BillingMode: 'INVALID_MODE' }, "1 validation error detected: Value 'INVALID_MODE' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]"],
      [{ BillingMode: 'PROVISIONED' }, 'One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED'],
      [
        { ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } },
        'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
      ],
      [{ KeySchema: [{ AttributeName: 'pk', KeyType: 'RANGE' }] }, 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type'],
      [
        { KeySchema: [{ AttributeName: 'other', KeyType: 'HASH' }] },
        'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [other], AttributeDefinitions: [pk]',
      ],
      [
        { AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'x', AttributeType: 'S' }] },
        'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions',
      ],
      [{ KeySchema: [] }, "1 validation error detected: Value '[]' at 'keySchema' failed to satisfy constraint: Member must have length greater than or equal to 1"],
    ];
    for (const [override, message] of cases) {
      const input = {
        TableName: 'Invalid',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        ...override,
      };
      if (override.BillingMode === 'PROVISIONED' || override.BillingMode === 'INVALID_MODE') delete (input as any).ProvisionedThroughput;
      if ('ProvisionedThroughput' in override) (input as any).BillingMode = 'PAY_PER_REQUEST';
      const error = await errorOf(() => t.ddb.send(new CreateTableCommand(input as any)));
      expect(error.name, JSON.stringify(override)).toBe('ValidationException');
      expect(error.message, JSON.stringify(override)).toBe(message);
    }
    const { TableNames } = await t.ddb.send(new ListTablesCommand({}));
    expect(TableNames).not.toContain('Invalid');
  });

  it('refuses index features it does not implement yet, naming them', async () => {
    const error = await errorOf(() =>
      t.ddb.send(
        new CreateTableCommand({
          TableName: 'WithGsi',
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'a', AttributeType: 'S' },
          ],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
          GlobalSecondaryIndexes: [
            {
              IndexName: 'byPkAndA',
              KeySchema: [
                { AttributeName: 'pk', KeyType: 'HASH' },
                { AttributeName: 'a', KeyType: 'HASH' },
              ],
              Projection: { ProjectionType: 'ALL' },
            },
          ],
        }),
      ),
    );
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe('Eddy does not support multi-attribute keys in global secondary indexes yet');
  });

  it('answers DescribeTable for a missing table with ResourceNotFoundException', async () => {
    const error = await errorOf(() => t.ddb.send(new DescribeTableCommand({ TableName: 'Nope' })));
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.message).toBe('Requested resource not found: Table: Nope not found');
  });

  it('accepts a table ARN where a table name is expected', async () => {
    await t.ddb.send(simpleTable('ByArn'));
    const { Table } = await t.ddb.send(new DescribeTableCommand({ TableName: 'arn:aws:dynamodb:us-east-1:000000000000:table/ByArn' }));
    expect(Table?.TableName).toBe('ByArn');
  });
});

describe('ListTables', () => {
  it('pages with Limit and ExclusiveStartTableName in name order', async () => {
    const local = await startEddy();
    try {
      for (const name of ['ccc', 'aaa', 'bbb', 'ddd']) await local.ddb.send(simpleTable(name));
      const first = await local.ddb.send(new ListTablesCommand({ Limit: 3 }));
      expect(first).toMatchObject({ TableNames: ['aaa', 'bbb', 'ccc'], LastEvaluatedTableName: 'ccc' });
      const second = await local.ddb.send(new ListTablesCommand({ Limit: 3, ExclusiveStartTableName: 'ccc' }));
      expect(second.TableNames).toEqual(['ddd']);
      expect(second.LastEvaluatedTableName).toBeUndefined();
      const error = await errorOf(() => local.ddb.send(new ListTablesCommand({ Limit: 101 })));
      expect(error.message).toBe("1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100");
    } finally {
      await local.close();
    }
  });

  it('keeps tables per region, taken from the credential scope', async () => {
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const west = new DynamoDBClient({ endpoint: t.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    await west.send(simpleTable('WestOnly'));
    const { Table } = await west.send(new DescribeTableCommand({ TableName: 'WestOnly' }));
    expect(Table?.TableArn).toBe('arn:aws:dynamodb:eu-west-1:000000000000:table/WestOnly');
    const east = await t.ddb.send(new ListTablesCommand({}));
    expect(east.TableNames).not.toContain('WestOnly');
    west.destroy();
  });
});

describe('UpdateTable', () => {
  it('switches billing mode and throughput, and guards deletion', async () => {
    await t.ddb.send(simpleTable('Mutable'));
    const toProvisioned = await t.ddb.send(
      new UpdateTableCommand({ TableName: 'Mutable', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 4 } }),
    );
    expect(toProvisioned.TableDescription?.BillingModeSummary?.BillingMode).toBe('PROVISIONED');
    expect(toProvisioned.TableDescription?.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 3, WriteCapacityUnits: 4 });

    const same = await errorOf(() => t.ddb.send(new UpdateTableCommand({ TableName: 'Mutable', ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 4 } })));
    expect(same.name).toBe('ValidationException');
    expect(same.message).toContain('The provisioned throughput for the table will not change.');

    const nothing = await errorOf(() => t.ddb.send(new UpdateTableCommand({ TableName: 'Mutable' })));
    expect(nothing.message).toBe('At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required');

    await t.ddb.send(new UpdateTableCommand({ TableName: 'Mutable', DeletionProtectionEnabled: true }));
    const protectedError = await errorOf(() => t.ddb.send(new DeleteTableCommand({ TableName: 'Mutable' })));
    expect(protectedError.name).toBe('ValidationException');
    expect((await t.ddb.send(new DescribeTableCommand({ TableName: 'Mutable' }))).Table?.DeletionProtectionEnabled).toBe(true);

    await t.ddb.send(new UpdateTableCommand({ TableName: 'Mutable', DeletionProtectionEnabled: false, BillingMode: 'PAY_PER_REQUEST' }));
    const { Table } = await t.ddb.send(new DescribeTableCommand({ TableName: 'Mutable' }));
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 0, WriteCapacityUnits: 0 });
    const deleted = await t.ddb.send(new DeleteTableCommand({ TableName: 'Mutable' }));
    expect(deleted.TableDescription?.TableStatus).toBe('DELETING');
    const gone = await errorOf(() => t.ddb.send(new DescribeTableCommand({ TableName: 'Mutable' })));
    expect(gone.name).toBe('ResourceNotFoundException');
  });
});

describe('DeleteTable', () => {
  it('deletes the table with its items; a new table of the same name starts empty', async () => {
    await t.ddb.send(simpleTable('Recycled'));
    await t.ddb.send(new PutItemCommand({ TableName: 'Recycled', Item: { pk: { S: 'a' } } }));
    await t.ddb.send(new DeleteTableCommand({ TableName: 'Recycled' }));
    await t.ddb.send(simpleTable('Recycled'));
    const { Table } = await t.ddb.send(new DescribeTableCommand({ TableName: 'Recycled' }));
    expect(Table?.ItemCount).toBe(0);
    const error = await errorOf(() => t.ddb.send(new DeleteTableCommand({ TableName: 'NeverWas' })));
    expect(error.message).toBe('Requested resource not found: Table: NeverWas not found');
  });
});

describe('tags', () => {
  it('tags, lists and untags a table by ARN', async () => {
    const created = await t.ddb.send(simpleTable('Tagged'));
    const arn = created.TableDescription!.TableArn!;
    await t.ddb.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
    await t.ddb.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'a', Value: '3' }] }));
    expect((await t.ddb.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags).toEqual([
      { Key: 'a', Value: '3' },
      { Key: 'b', Value: '2' },
    ]);
    await t.ddb.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['a'] }));
    expect((await t.ddb.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags).toEqual([{ Key: 'b', Value: '2' }]);
    const missing = await errorOf(() => t.ddb.send(new ListTagsOfResourceCommand({ ResourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Ghost' })));
    expect(missing.name).toBe('ResourceNotFoundException');
  });
});

describe('table transitions', () => {
  it('keeps a new table CREATING for --table-transition-ms and refuses writes meanwhile', async () => {
    const slow = await startEddy({ tableTransitionMs: 60_000 });
    try {
      await slow.ddb.send(simpleTable('Slow'));
      expect((await slow.ddb.send(new DescribeTableCommand({ TableName: 'Slow' }))).Table?.TableStatus).toBe('CREATING');
      const error = await errorOf(() => slow.ddb.send(new PutItemCommand({ TableName: 'Slow', Item: { pk: { S: 'a' } } })));
      expect(error.name).toBe('ResourceNotFoundException');
      expect(error.message).toBe('Requested resource not found');
      slow.eddy.clock.advance(60_000);
      expect((await slow.ddb.send(new DescribeTableCommand({ TableName: 'Slow' }))).Table?.TableStatus).toBe('ACTIVE');
      await slow.ddb.send(new PutItemCommand({ TableName: 'Slow', Item: { pk: { S: 'a' } } }));
    } finally {
      await slow.close();
    }
  });
});

describe('DescribeLimits and DescribeEndpoints', () => {
  it('reports the default account quotas and Eddy itself as the endpoint', async () => {
    const { DescribeLimitsCommand, DescribeEndpointsCommand } = await import('@aws-sdk/client-dynamodb');
    const limits = await t.ddb.send(new DescribeLimitsCommand({}));
    expect(limits).toMatchObject({ AccountMaxReadCapacityUnits: 80000, AccountMaxWriteCapacityUnits: 80000, TableMaxReadCapacityUnits: 40000, TableMaxWriteCapacityUnits: 40000 });
    const endpoints = await t.ddb.send(new DescribeEndpointsCommand({}));
    expect(endpoints.Endpoints).toEqual([{ Address: new URL(t.endpoint).host, CachePeriodInMinutes: 1440 }]);
  });
});
