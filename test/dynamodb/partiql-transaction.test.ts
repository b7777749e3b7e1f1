import { CreateTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoContext } from '../../src/dynamodb/context.js';
import {
  executeCheck,
  executeGet,
  executeWrite,
  prepareStatement,
  readStatement,
  type StatementInput,
  type StatementPlan,
  type WritePlan,
} from '../../src/dynamodb/partiql/index.js';
import { TableCatalog } from '../../src/dynamodb/table-catalog.js';
import { AwsError } from '../../src/edge/errors.js';
import { startEddy, type TestEddy } from '../helpers/eddy.js';

// The statement executor's contract for ExecuteTransaction, which will call
// it: statements prepared in 'transaction' mode and run inside one
// ctx.items.transaction are all-or-nothing.

let t: TestEddy;
let ctx: DynamoContext;

beforeAll(async () => {
  t = await startEddy();
  await t.ddb.send(
    new CreateTableCommand({
      TableName: 'TxHash',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  const { db, clock, config, items, streams } = t.eddy;
  ctx = { requestId: 'test', region: 'us-east-1', accountId: config.accountId, host: 'localhost', db, clock, config, items, streams, tables: new TableCatalog(db, clock) };
});
afterAll(async () => t.close());

const stored = async (pk: string) =>
  (await t.ddb.send(new GetItemCommand({ TableName: 'TxHash', Key: { pk: { S: pk } }, ConsistentRead: true }))).Item;

function prepare(input: StatementInput): StatementPlan {
  return prepareStatement(ctx, readStatement(input, 'transaction'), 'transaction', input);
}

function message(input: StatementInput): string {
  try {
    prepare(input);
  } catch (error) {
    if (error instanceof AwsError) return error.message;
    throw error;
  }
  throw new Error('expected a refusal');
}

/** Runs plans as ExecuteTransaction will: in one SQLite transaction, rolled back by any failure. */
function runAll(plans: StatementPlan[]): void {
  ctx.items.transaction(() => {
    for (const plan of plans) {
      if (plan.kind === 'check') executeCheck(ctx, plan);
      else if (plan.kind === 'get') executeGet(ctx, plan);
      else executeWrite(ctx, plan as WritePlan);
    }
  });
}

describe('statements prepared for ExecuteTransaction', () => {
  it('commits every write together', async () => {
    runAll([
      prepare({ Statement: `INSERT INTO "TxHash" VALUE {'pk': 'tx-a', 'v': 1}` }),
      prepare({ Statement: `INSERT INTO "TxHash" VALUE {'pk': ?, 'v': 2}`, Parameters: [{ S: 'tx-b' }] }),
    ]);
    expect((await stored('tx-a'))?.v).toEqual({ N: '1' });
    expect((await stored('tx-b'))?.v).toEqual({ N: '2' });
  });

  it('rolls every write back when a later statement fails', async () => {
    await t.ddb.send(new PutItemCommand({ TableName: 'TxHash', Item: { pk: { S: 'tx-kept' }, v: { N: '1' } } }));
    const plans = [
      prepare({ Statement: `INSERT INTO "TxHash" VALUE {'pk': 'tx-rolled-back'}` }),
      prepare({ Statement: `UPDATE "TxHash" SET v = 5 WHERE pk = 'tx-kept'` }),
      prepare({ Statement: `EXISTS(SELECT * FROM "TxHash" WHERE pk = 'tx-kept' AND v = 99)` }),
    ];
    expect(() => runAll(plans)).toThrow('The conditional request failed');
    expect(await stored('tx-rolled-back')).toBeUndefined();
    expect((await stored('tx-kept'))?.v).toEqual({ N: '1' });
  });

  it('applies the transaction rules to SELECT, RETURNING and EXISTS', () => {
    expect(message({ Statement: `SELECT * FROM "TxHash" WHERE pk = 'a' AND v = 1` })).toBe(
      'Select statements within ExecuteTransaction must specify the primary key in the where clause.',
    );
    expect(message({ Statement: `SELECT * FROM "TxHash"."idx" WHERE pk = 'a'` })).toBe('Reads on indices are not supported within transactions.');
    expect(message({ Statement: `UPDATE "TxHash" SET v = 1 WHERE pk = 'a' RETURNING ALL NEW *` })).toBe(
      'RETURNING clause is not supported in ExecuteTransaction.',
    );
    expect(message({ Statement: `EXISTS(SELECT * FROM "TxHash" WHERE pk = 'a')` })).toBe(
      'EXISTS() must contain a single item read with additional condition',
    );
    expect(prepare({ Statement: `SELECT v FROM "TxHash" WHERE pk = 'tx-kept'` }).kind).toBe('get');
  });
});
