import {
  BatchExecuteStatementCommand,
  CreateTableCommand,
  GetItemCommand,
  PutItemCommand,
  type AttributeValue,
  type BatchStatementRequest,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, rawDynamo, startEddy, type TestEddy } from '../helpers/eddy.js';

type Item = Record<string, AttributeValue>;

let t: TestEddy;

beforeAll(async () => {
  t = await startEddy();
  for (const [TableName, range] of [
    ['BatchHash', false],
    ['BatchComposite', true],
  ] as const) {
    await t.ddb.send(
      new CreateTableCommand({
        TableName,
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          ...(range ? [{ AttributeName: 'sk', AttributeType: 'S' as const }] : []),
        ],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, ...(range ? [{ AttributeName: 'sk', KeyType: 'RANGE' as const }] : [])],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  }
  await put('BatchHash', { pk: { S: 'a' }, v: { N: '1' }, other: { S: 'x' } });
  await put('BatchHash', { pk: { S: 'b' }, v: { N: '2' } });
  await put('BatchComposite', { pk: { S: 'a' }, sk: { S: '1' }, v: { N: '3' } });
});
afterAll(async () => t.close());

const put = (TableName: string, Item: Item) => t.ddb.send(new PutItemCommand({ TableName, Item }));
const stored = async (TableName: string, Key: Item) => (await t.ddb.send(new GetItemCommand({ TableName, Key, ConsistentRead: true }))).Item;
const batch = async (Statements: BatchStatementRequest[], ReturnConsumedCapacity?: 'TOTAL' | 'INDEXES') => {
  const { $metadata: _metadata, ...output } = await t.ddb.send(new BatchExecuteStatementCommand({ Statements, ...(ReturnConsumedCapacity ? { ReturnConsumedCapacity } : {}) }));
  return output;
};

const NEEDS_KEY = 'Select statements within BatchExecuteStatement must specify the primary key in the where clause.';

describe('BatchExecuteStatement reads', () => {
  it('reads one item per statement, by its full key, projected', async () => {
    const output = await batch([
      { Statement: `SELECT * FROM "BatchHash" WHERE pk = 'a'` },
      { Statement: `SELECT v FROM "BatchComposite" WHERE pk = ? AND sk = ?`, Parameters: [{ S: 'a' }, { S: '1' }], ConsistentRead: true },
      { Statement: `SELECT * FROM "BatchHash" WHERE pk = 'missing'` },
      { Statement: `SELECT * FROM "BatchHash" WHERE pk IN ['b']` },
    ]);
    expect(output.Responses).toEqual([
      { TableName: 'BatchHash', Item: { pk: { S: 'a' }, v: { N: '1' }, other: { S: 'x' } } },
      { TableName: 'BatchComposite', Item: { v: { N: '3' } } },
      { TableName: 'BatchHash' },
      { TableName: 'BatchHash', Item: { pk: { S: 'b' }, v: { N: '2' } } },
    ]);
    expect(output.ConsumedCapacity).toBeUndefined();
  });

  it('fails, statement by statement, a SELECT that does not name one item by its key alone', async () => {
    const output = await batch([
      { Statement: `SELECT * FROM "BatchComposite" WHERE pk = 'a'` },
      { Statement: `SELECT * FROM "BatchHash" WHERE pk = 'a' AND other = 'x'` },
      { Statement: `SELECT * FROM "BatchHash" WHERE pk = 'a' AND pk = 'b'` },
      { Statement: `SELECT * FROM "BatchHash"."index" WHERE pk = 'a'` },
      { Statement: `SELECT * FROM "BatchHash" WHERE attribute_exists(other)` },
      { Statement: `SELECT * FROM "BatchHash" WHERE pk = 'b'` },
    ]);
    const responses = output.Responses!;
    for (const response of responses.slice(0, 5)) {
      expect(response).toEqual({ Error: { Code: 'ValidationError', Message: NEEDS_KEY } });
    }
    expect(responses[5]).toEqual({ TableName: 'BatchHash', Item: { pk: { S: 'b' }, v: { N: '2' } } });
  });

  it('reports statements that do not parse, miss their table or carry bad parameters, and runs the rest', async () => {
    const output = await batch([
      { Statement: `SELECT * FROM "BatchHash" WHERE pk = 'a' foo` },
      { Statement: `SELECT * FROM "BatchMissing" WHERE pk = 'a'` },
      { Statement: `SELECT * FROM "BatchHash" WHERE pk = ?`, Parameters: [{ SS: [] }] },
      { Statement: `SELECT * FROM "BatchHash" WHERE pk = ?` },
      { Statement: `SELECT * FROM "BatchHash" WHERE pk = 1` },
      { Statement: `SELECT v FROM "BatchHash" WHERE pk = 'a'` },
    ]);
    expect(output.Responses).toEqual([
      { Error: { Code: 'ValidationError', Message: "Statement wasn't well formed, can't be processed: Unexpected token after expression" } },
      { Error: { Code: 'ResourceNotFound', Message: 'Requested resource not found' } },
      { Error: { Code: 'ValidationError', Message: 'One or more parameter values were invalid: An string set  may not be empty' } },
      { Error: { Code: 'ValidationError', Message: "Number of parameters in request and statement don't match." } },
      { Error: { Code: 'ValidationError', Message: 'The provided key element does not match the schema' } },
      { TableName: 'BatchHash', Item: { v: { N: '1' } } },
    ]);
  });

  it('reports consumed capacity per table when asked', async () => {
    const output = await batch(
      [
        { Statement: `SELECT * FROM "BatchHash" WHERE pk = 'a'`, ConsistentRead: true },
        { Statement: `SELECT * FROM "BatchHash" WHERE pk = 'b'` },
        { Statement: `SELECT * FROM "BatchComposite" WHERE pk = 'a' AND sk = '1'` },
      ],
      'TOTAL',
    );
    expect(output.ConsumedCapacity).toEqual([
      { TableName: 'BatchHash', CapacityUnits: 1.5 },
      { TableName: 'BatchComposite', CapacityUnits: 0.5 },
    ]);
  });
});

describe('BatchExecuteStatement writes', () => {
  it('runs each write on its own, visible to GetItem', async () => {
    await put('BatchHash', { pk: { S: 'w-upd' }, v: { N: '1' } });
    await put('BatchHash', { pk: { S: 'w-del' }, v: { N: '1' } });
    const output = await batch([
      { Statement: `INSERT INTO "BatchHash" VALUE {'pk': ?, 'v': 1}`, Parameters: [{ S: 'w-ins' }] },
      { Statement: `UPDATE "BatchHash" SET v = v + 1 WHERE pk = 'w-upd' RETURNING ALL NEW *` },
      { Statement: `DELETE FROM "BatchHash" WHERE pk = 'w-del'` },
      { Statement: `FROM "BatchComposite" WHERE pk = 'a' AND sk = '1' SET w = 'set'` },
    ]);
    expect(output.Responses).toEqual([
      { TableName: 'BatchHash' },
      { TableName: 'BatchHash', Item: { pk: { S: 'w-upd' }, v: { N: '2' } } },
      { TableName: 'BatchHash' },
      { TableName: 'BatchComposite' },
    ]);
    expect(await stored('BatchHash', { pk: { S: 'w-ins' } })).toEqual({ pk: { S: 'w-ins' }, v: { N: '1' } });
    expect((await stored('BatchHash', { pk: { S: 'w-upd' } }))?.v).toEqual({ N: '2' });
    expect(await stored('BatchHash', { pk: { S: 'w-del' } })).toBeUndefined();
    expect((await stored('BatchComposite', { pk: { S: 'a' }, sk: { S: '1' } }))?.w).toEqual({ S: 'set' });
  });

  it('fails statements one by one with their codes, keeping the others', async () => {
    await put('BatchHash', { pk: { S: 'w-dup' }, v: { N: '1' } });
    await put('BatchHash', { pk: { S: 'w-cond' }, v: { N: '1' } });
    const output = await batch([
      { Statement: `INSERT INTO "BatchHash" VALUE {'pk': 'w-dup'}` },
      { Statement: `UPDATE "BatchHash" SET v = 9 WHERE pk = 'w-cond' AND v = 5`, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
      { Statement: `UPDATE "BatchHash" SET v = 9 WHERE pk = 'w-absent'` },
      { Statement: `DELETE FROM "BatchMissing" WHERE pk = 'x'` },
      { Statement: `UPDATE "BatchHash" SET v = 9 WHERE v = 1` },
      { Statement: `INSERT INTO "BatchHash" VALUE {'pk': 'w-ok'}` },
    ]);
    expect(output.Responses).toEqual([
      { TableName: 'BatchHash', Error: { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' } },
      {
        TableName: 'BatchHash',
        Error: { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { pk: { S: 'w-cond' }, v: { N: '1' } } },
      },
      { TableName: 'BatchHash', Error: { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' } },
      { Error: { Code: 'ResourceNotFound', Message: 'Requested resource not found' } },
      { Error: { Code: 'ValidationError', Message: 'Where clause does not contain a mandatory equality on all key attributes' } },
      { TableName: 'BatchHash' },
    ]);
    expect((await stored('BatchHash', { pk: { S: 'w-cond' } }))?.v).toEqual({ N: '1' });
    expect(await stored('BatchHash', { pk: { S: 'w-ok' } })).toBeDefined();
  });

  it('reports write capacity per table when asked', async () => {
    const output = await batch(
      [
        { Statement: `INSERT INTO "BatchHash" VALUE {'pk': 'w-cap-1'}` },
        { Statement: `INSERT INTO "BatchHash" VALUE {'pk': 'w-cap-2'}` },
      ],
      'TOTAL',
    );
    expect(output.ConsumedCapacity).toEqual([{ TableName: 'BatchHash', CapacityUnits: 2 }]);
  });
});

describe('BatchExecuteStatement rules', () => {
  it('refuses reads and writes together', async () => {
    const error = await errorOf(() =>
      batch([{ Statement: `SELECT * FROM "BatchHash" WHERE pk = 'a'` }, { Statement: `INSERT INTO "BatchHash" VALUE {'pk': 'mixed'}` }]),
    );
    expect([error.name, error.message]).toEqual(['ValidationException', 'Read and write requests together in the same batch is not supported.']);
    expect(await stored('BatchHash', { pk: { S: 'mixed' } })).toBeUndefined();
  });

  it('leaves a statement that does not parse out of the read/write rule', async () => {
    const output = await batch([{ Statement: `SELECT * FROM "BatchHash" WHERE pk = 'a'` }, { Statement: `INSERT INTO` }]);
    expect(output.Responses![1]).toEqual({ Error: { Code: 'ValidationError', Message: "Statement wasn't well formed, can't be processed: Unexpected term" } });
  });

  it('refuses two statements on one item before running any', async () => {
    const error = await errorOf(() =>
      batch([
        { Statement: `INSERT INTO "BatchHash" VALUE {'pk': 'twice'}` },
        { Statement: `UPDATE "BatchHash" SET v = 1 WHERE pk = 'twice'` },
      ]),
    );
    expect([error.name, error.message]).toEqual(['ValidationException', 'Provided list of item keys contains duplicates']);
    expect(await stored('BatchHash', { pk: { S: 'twice' } })).toBeUndefined();
  });

  it('refuses EXISTS, which belongs to ExecuteTransaction', async () => {
    const output = await batch([{ Statement: `EXISTS(SELECT * FROM "BatchHash" WHERE pk = 'a' AND v = 1)` }]);
    expect(output.Responses).toEqual([{ Error: { Code: 'ValidationError', Message: 'EXISTS can only be used in ExecuteTransaction write requests.' } }]);
  });

  it('takes at most 25 statements', async () => {
    const statements = Array.from({ length: 26 }, (_, i) => ({ Statement: `SELECT * FROM "BatchHash" WHERE pk = 'k${i}'` }));
    const response = await rawDynamo(t.endpoint, 'BatchExecuteStatement', { Statements: statements });
    expect(response.status).toBe(400);
    expect(response.json.message).toMatch(/^1 validation error detected: Value '.*' at 'statements' failed to satisfy constraint: Member must have length less than or equal to 25$/);
  });
});
