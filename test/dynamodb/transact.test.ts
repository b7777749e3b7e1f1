/**
 * TransactWriteItems, TransactGetItems and ExecuteTransaction end to end,
 * through the AWS SDK and raw requests against a real server. Exact texts are
 * the Parity Suite's captures of real DynamoDB (tier3/error-messages/
 * transactWriteItems, transactGetItems, valueLayers; validation-ordering/
 * transactions; limits/expressionSize, nestingDepth, itemSizeBySurface;
 * tier1 transactWriteItems "ConsumedCapacity") unless a test says otherwise.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  ExecuteTransactionCommand,
  GetItemCommand,
  PutItemCommand,
  TransactGetItemsCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type AttributeValue,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactGetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemChange } from '../../src/dynamodb/item-store.js';
import { errorOf, rawDynamo, startEddy, type TestEddy } from '../helpers/eddy.js';
import { createTable, deep, ENUM_RCC, ENUM_RICM, N, one, refusal as refusalOf, S } from '../helpers/items.js';

let t: TestEddy;
/** Every change the store reported, in memory; the listener also logs each into SQLite. */
const changes: ItemChange[] = [];


const logLevel = process.env.EDDY_LOG_LEVEL;
beforeAll(async () => {
  // One test makes a change listener fail on purpose; Eddy would log it as an internal error.
  process.env.EDDY_LOG_LEVEL = 'silent';
  t = await startEddy();
  await t.ddb.send(createTable('Accounts', [['pk', 'S', 'HASH']]));
  await t.ddb.send(createTable('Ledger', [['pk', 'S', 'HASH'], ['sk', 'S', 'RANGE']]));
  await t.ddb.send(createTable('Blobs', [['pk', 'B', 'HASH']]));
  // A change listener like stream capture: it writes into SQLite inside the write's
  // transaction, and fails on an item carrying `explode`.
  t.eddy.db.exec('CREATE TABLE listener_log (table_name TEXT NOT NULL, pk TEXT NOT NULL)');
  const log = t.eddy.db.prepare('INSERT INTO listener_log (table_name, pk) VALUES (?, ?)');
  t.eddy.items.onChange((change) => {
    changes.push(change);
    log.run(change.table.description.TableName, change.key.pk!.S ?? change.key.pk!.B ?? '');
    if (change.newItem?.explode) throw new Error('listener failed');
  });
});
afterAll(async () => {
  await t.close();
  if (logLevel === undefined) delete process.env.EDDY_LOG_LEVEL;
  else process.env.EDDY_LOG_LEVEL = logLevel;
});

const logged = (pk: string): number =>
  (t.eddy.db.prepare('SELECT count(*) AS n FROM listener_log WHERE pk = ?').get(pk) as { n: number }).n;

async function stored(tableName: string, key: Record<string, AttributeValue>) {
  return (await t.ddb.send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
}

async function seed(item: Record<string, AttributeValue>, tableName = 'Accounts') {
  await t.ddb.send(new PutItemCommand({ TableName: tableName, Item: item }));
}

const transact = (items: TransactWriteItem[], extra: Partial<ConstructorParameters<typeof TransactWriteItemsCommand>[0]> = {}) =>
  t.ddb.send(new TransactWriteItemsCommand({ TransactItems: items, ...extra }));

/** The TransactionCanceledException a transaction fails with; fails on anything else. */
async function canceled(fn: () => Promise<unknown>): Promise<TransactionCanceledException> {
  const error = await errorOf(fn);
  expect(error, error.message).toBeInstanceOf(TransactionCanceledException);
  return error as TransactionCanceledException;
}

const refusal = (operation: string, body: object) => refusalOf(t.endpoint, operation, body);


const cancelMessage = (codes: string[]) => `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`;
const SCHEMA_MISMATCH = 'The provided key element does not match the schema';
const EMPTY_KEY = 'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk';

describe('TransactWriteItems', () => {
  it('applies ConditionCheck, Put, Update and Delete over two tables together', async () => {
    await seed({ pk: S('tw-check'), status: S('open') });
    await seed({ pk: S('tw-upd'), n: N('5') });
    await seed({ pk: S('tw-del'), sk: S('1') }, 'Ledger');
    const result = await transact([
      { ConditionCheck: { TableName: 'Accounts', Key: { pk: S('tw-check') }, ConditionExpression: '#s = :open', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':open': S('open') } } },
      { Put: { TableName: 'Accounts', Item: { pk: S('tw-put'), v: S('new') }, ConditionExpression: 'attribute_not_exists(pk)' } },
      { Update: { TableName: 'Accounts', Key: { pk: S('tw-upd') }, UpdateExpression: 'SET n = n + :d ADD c :one', ExpressionAttributeValues: { ':d': N('2'), ':one': N('1') } } },
      { Delete: { TableName: 'Ledger', Key: { pk: S('tw-del'), sk: S('1') }, ConditionExpression: 'attribute_exists(pk)' } },
    ]);
    expect(result.ConsumedCapacity).toBeUndefined();
    expect(await stored('Accounts', { pk: S('tw-put') })).toEqual({ pk: S('tw-put'), v: S('new') });
    expect(await stored('Accounts', { pk: S('tw-upd') })).toEqual({ pk: S('tw-upd'), n: N('7'), c: N('1') });
    expect(await stored('Ledger', { pk: S('tw-del'), sk: S('1') })).toBeUndefined();
    expect(await stored('Accounts', { pk: S('tw-check') })).toEqual({ pk: S('tw-check'), status: S('open') });
  });

  it('creates an item from its key on an Update, as UpdateItem does', async () => {
    await transact([{ Update: { TableName: 'Ledger', Key: { pk: S('tw-upsert'), sk: S('a') }, UpdateExpression: 'SET #s = :v', ConditionExpression: 'attribute_not_exists(pk)', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':v': S('created') } } }]);
    expect(await stored('Ledger', { pk: S('tw-upsert'), sk: S('a') })).toEqual({ pk: S('tw-upsert'), sk: S('a'), status: S('created') });
  });

  it('works through lib-dynamodb’s TransactWriteCommand and TransactGetCommand', async () => {
    const doc = DynamoDBDocumentClient.from(t.ddb);
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: 'Accounts', Item: { pk: 'tw-doc', balance: 100, tags: new Set(['x']) } } },
          { Put: { TableName: 'Ledger', Item: { pk: 'tw-doc', sk: 'entry-1', amount: 100 } } },
        ],
      }),
    );
    const read = await doc.send(
      new TransactGetCommand({ TransactItems: [{ Get: { TableName: 'Accounts', Key: { pk: 'tw-doc' } } }, { Get: { TableName: 'Ledger', Key: { pk: 'tw-doc', sk: 'entry-1' }, ProjectionExpression: 'amount' } }] }),
    );
    expect(read.Responses).toEqual([{ Item: { pk: 'tw-doc', balance: 100, tags: new Set(['x']) } }, { Item: { amount: 100 } }]);

    const failed = await errorOf(() =>
      doc.send(new TransactWriteCommand({ TransactItems: [{ Update: { TableName: 'Accounts', Key: { pk: 'tw-doc' }, UpdateExpression: 'SET balance = balance - :a', ConditionExpression: 'balance >= :a', ExpressionAttributeValues: { ':a': 500 } } }] })),
    );
    expect(failed.name).toBe('TransactionCanceledException');
    expect(failed.CancellationReasons).toEqual([{ Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }]);
  });

  it('cancels all or nothing: a failed condition on the last action leaves every item as it was', async () => {
    await seed({ pk: S('aon-1'), balance: N('10') });
    await seed({ pk: S('aon-locked'), locked: { BOOL: true } });
    const before = changes.length;
    const error = await canceled(() =>
      transact([
        { Update: { TableName: 'Accounts', Key: { pk: S('aon-1') }, UpdateExpression: 'SET balance = balance - :a', ExpressionAttributeValues: { ':a': N('3') } } },
        { Put: { TableName: 'Accounts', Item: { pk: S('aon-new') } } },
        { Delete: { TableName: 'Ledger', Key: { pk: S('aon-1'), sk: S('x') } } },
        { Put: { TableName: 'Accounts', Item: { pk: S('aon-locked'), locked: { BOOL: false } }, ConditionExpression: 'locked = :f', ExpressionAttributeValues: { ':f': { BOOL: false } }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
      ], { ReturnConsumedCapacity: 'TOTAL' }),
    );
    expect(error.message).toBe(cancelMessage(['None', 'None', 'None', 'ConditionalCheckFailed']));
    expect(error.CancellationReasons).toEqual([
      { Code: 'None' },
      { Code: 'None' },
      { Code: 'None' },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { pk: S('aon-locked'), locked: { BOOL: true } } },
    ]);
    expect(await stored('Accounts', { pk: S('aon-1') })).toEqual({ pk: S('aon-1'), balance: N('10') });
    expect(await stored('Accounts', { pk: S('aon-new') })).toBeUndefined();
    expect(await stored('Accounts', { pk: S('aon-locked') })).toEqual({ pk: S('aon-locked'), locked: { BOOL: true } });
    // Nothing reached the change listeners: every action is checked before any is written.
    expect(changes.length).toBe(before);
    expect(logged('aon-new')).toBe(0);
  });

  it('gives every action its reason, in request order, and the cancellation carries no ConsumedCapacity', async () => {
    await seed({ pk: S('multi-1'), v: S('exists') });
    await seed({ pk: S('multi-2'), v: S('exists') });
    const { json, status } = await rawDynamo(t.endpoint, 'TransactWriteItems', {
      TransactItems: [
        { Put: { TableName: 'Accounts', Item: { pk: S('multi-1') }, ConditionExpression: 'attribute_not_exists(pk)' } },
        { Put: { TableName: 'Accounts', Item: { pk: S('multi-fresh') }, ConditionExpression: 'attribute_not_exists(pk)' } },
        { ConditionCheck: { TableName: 'Accounts', Key: { pk: S('multi-2') }, ConditionExpression: 'v = :x', ExpressionAttributeValues: { ':x': S('other') }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
        { Update: { TableName: 'Accounts', Key: { pk: S('multi-3') }, UpdateExpression: 'ADD v :one', ExpressionAttributeValues: { ':one': N('1') }, ConditionExpression: 'attribute_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
      ],
      ReturnConsumedCapacity: 'TOTAL',
    });
    expect(status).toBe(400);
    expect(json).toEqual({
      __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
      Message: cancelMessage(['ConditionalCheckFailed', 'None', 'ConditionalCheckFailed', 'ConditionalCheckFailed']),
      CancellationReasons: [
        { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
        { Code: 'None' },
        { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { pk: S('multi-2'), v: S('exists') } },
        // ALL_OLD with no item: nothing to return.
        { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      ],
    });
    expect(await stored('Accounts', { pk: S('multi-fresh') })).toBeUndefined();
    expect(await stored('Accounts', { pk: S('multi-3') })).toBeUndefined();
  });

  it('rolls back whatever a change listener wrote when a write fails while committing', async () => {
    const error = await errorOf(() =>
      transact([{ Put: { TableName: 'Accounts', Item: { pk: S('boom-1') } } }, { Put: { TableName: 'Ledger', Item: { pk: S('boom-2'), sk: S('x'), explode: { BOOL: true } } } }]),
    );
    expect([error.name, error.$metadata?.httpStatusCode]).toEqual(['InternalServerError', 500]);
    expect(await stored('Accounts', { pk: S('boom-1') })).toBeUndefined();
    // The listener ran for boom-1 (and logged it) before boom-2 failed; the rollback took the log row too.
    expect(changes.some((change) => change.key.pk?.S === 'boom-1')).toBe(true);
    expect(logged('boom-1')).toBe(0);
    expect(logged('boom-2')).toBe(0);
  });

  it('refuses two actions on one item before running any', async () => {
    for (const second of [
      { Put: { TableName: 'Accounts', Item: { pk: S('dup-1'), v: S('second') } } },
      { ConditionCheck: { TableName: 'Accounts', Key: { pk: S('dup-1') }, ConditionExpression: 'attribute_not_exists(pk)' } },
    ]) {
      const error = await errorOf(() => transact([{ Put: { TableName: 'Accounts', Item: { pk: S('dup-1'), v: S('first') } } }, second]));
      expect([error.name, error.message]).toEqual(['ValidationException', 'Transaction request cannot include multiple operations on one item']);
    }
    expect(await stored('Accounts', { pk: S('dup-1') })).toBeUndefined();
    // The same key in two tables is two items.
    await transact([{ Put: { TableName: 'Accounts', Item: { pk: S('dup-2') } } }, { Delete: { TableName: 'Blobs', Key: { pk: { B: new Uint8Array([1]) } } } }]);
    expect(await stored('Accounts', { pk: S('dup-2') })).toEqual({ pk: S('dup-2') });
  });

  it('cancels with the schema mismatch but refuses an empty key value up front', async () => {
    const reason = async (item: TransactWriteItem) => {
      const error = await canceled(() => transact([item]));
      expect(error.message).toBe(cancelMessage(['ValidationError']));
      return error.CancellationReasons![0]!.Message;
    };
    expect(await reason({ Put: { TableName: 'Accounts', Item: { pk: N('5') } } })).toBe('One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N');
    expect(await reason({ Put: { TableName: 'Accounts', Item: { pk: { L: [S('x')] } } } })).toBe('One or more parameter values were invalid: Type mismatch for key pk expected: S actual: L');
    expect(await reason({ Put: { TableName: 'Ledger', Item: { pk: S('no-sort') } } })).toBe('One or more parameter values were invalid: Missing the key sk in the item');
    const update = (key: AttributeValue): TransactWriteItem => ({ Update: { TableName: 'Accounts', Key: { pk: key }, UpdateExpression: 'SET a = :v', ExpressionAttributeValues: { ':v': S('x') } } });
    const del = (key: AttributeValue): TransactWriteItem => ({ Delete: { TableName: 'Accounts', Key: { pk: key } } });
    const check = (key: AttributeValue): TransactWriteItem => ({ ConditionCheck: { TableName: 'Accounts', Key: { pk: key }, ConditionExpression: 'attribute_not_exists(pk)' } });
    for (const action of [update, del, check]) {
      expect(await reason(action(N('5')))).toBe(SCHEMA_MISMATCH);
      expect(await reason(action({ L: [S('x')] }))).toBe(SCHEMA_MISMATCH);
      const empty = await errorOf(() => transact([action(S(''))]));
      expect([empty.name, empty.message]).toEqual(['ValidationException', EMPTY_KEY]);
    }
    const emptyPut = await errorOf(() => transact([{ Put: { TableName: 'Accounts', Item: { pk: S('') } } }]));
    expect(emptyPut.message).toBe(EMPTY_KEY);
    const emptyBinary = await errorOf(() => transact([{ Delete: { TableName: 'Blobs', Key: { pk: { B: new Uint8Array([]) } } } }]));
    expect(emptyBinary.message).toBe('One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: pk');
  });

  it('cancels for a secondary index key of the wrong type, refuses an empty one up front, and keeps nothing written before', async () => {
    await t.ddb.send(
      new CreateTableCommand({
        TableName: 'Indexed',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [{ IndexName: 'ByG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const first: TransactWriteItem = { Put: { TableName: 'Indexed', Item: { pk: S('ix-first'), g: S('ok') } } };
    const wrongType = await canceled(() => transact([first, { Put: { TableName: 'Indexed', Item: { pk: S('ix-2'), g: N('5') } } }]));
    expect(wrongType.CancellationReasons?.map((r) => r.Code)).toEqual(['None', 'ValidationError']);
    const setWrongType = await canceled(() =>
      transact([first, { Update: { TableName: 'Indexed', Key: { pk: S('ix-3') }, UpdateExpression: 'SET g = :v', ExpressionAttributeValues: { ':v': { L: [S('x')] } } } }]),
    );
    expect(setWrongType.CancellationReasons?.map((r) => r.Code)).toEqual(['None', 'ValidationError']);
    const empty = await errorOf(() =>
      transact([first, { Update: { TableName: 'Indexed', Key: { pk: S('ix-4') }, UpdateExpression: 'SET g = :v', ExpressionAttributeValues: { ':v': S('') } } }]),
    );
    expect(empty.name).toBe('ValidationException');
    expect(empty.message).toMatch(/secondary index key/i);
    expect(await stored('Indexed', { pk: S('ix-first') })).toBeUndefined();
    expect(logged('ix-first')).toBe(0);
  });

  it('reports item collections for SIZE on tables with local secondary indexes', async () => {
    await t.ddb.send(
      new CreateTableCommand({
        TableName: 'Collections',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }, { AttributeName: 'l', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
        LocalSecondaryIndexes: [{ IndexName: 'ByL', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'l', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const result = await transact(
      [
        { Put: { TableName: 'Collections', Item: { pk: S('icm-tx'), sk: S('1'), l: S('a') } } },
        { ConditionCheck: { TableName: 'Collections', Key: { pk: S('icm-tx'), sk: S('0') }, ConditionExpression: 'attribute_not_exists(pk)' } },
        { Put: { TableName: 'Accounts', Item: { pk: S('icm-tx') } } },
      ],
      { ReturnItemCollectionMetrics: 'SIZE' },
    );
    expect(result.ItemCollectionMetrics).toEqual({ Collections: [{ ItemCollectionKey: { pk: S('icm-tx') }, SizeEstimateRangeGB: [0, 1] }] });
  });

  it('refuses an oversized Put up front and cancels an Update that grows an item past 400 KB', async () => {
    const sized = (pk: string, bytes: number) => ({ pk: S(pk), p: S('x'.repeat(bytes - 2 - pk.length - 1)) });
    await transact([{ Put: { TableName: 'Accounts', Item: sized('size-at', 409_600) } }]);
    expect((await stored('Accounts', { pk: S('size-at') }))?.p?.S).toHaveLength(409_600 - 'pksize-atp'.length);

    const tooBig = await errorOf(() => transact([{ Put: { TableName: 'Accounts', Item: { pk: S('size-first') } } }, { Put: { TableName: 'Accounts', Item: sized('size-over', 409_601) } }]));
    expect([tooBig.name, tooBig.message]).toEqual(['ValidationException', 'Item size has exceeded the maximum allowed size']);
    expect(await stored('Accounts', { pk: S('size-first') })).toBeUndefined();

    // An Update is measured on the finished item, flat: exactly 400 KB fits, one byte more cancels.
    const grow = (pk: string, bytes: number): TransactWriteItem => ({ Update: { TableName: 'Accounts', Key: { pk: S(pk) }, UpdateExpression: 'SET p = :p', ExpressionAttributeValues: { ':p': sized(pk, bytes).p } } });
    await transact([grow('size-upd-at', 409_600)]);
    expect((await stored('Accounts', { pk: S('size-upd-at') }))?.p?.S).toHaveLength(409_600 - 'pksize-upd-atp'.length);
    const over = await canceled(() => transact([grow('size-upd-over', 409_601)]));
    expect(over.CancellationReasons).toEqual([{ Code: 'ValidationError', Message: 'Item size to update has exceeded the maximum allowed size' }]);
  });

  it('refuses more than 4 MB of items in one transaction (wording not captured)', async () => {
    const items = Array.from({ length: 11 }, (_, i) => ({ Put: { TableName: 'Accounts', Item: { pk: S(`mb-${i}`), p: S('x'.repeat(400_000)) } } }));
    expect(await refusal('TransactWriteItems', { TransactItems: items })).toBe(
      'Collection size of items exceeded, which can also be caused by the aggregate size of the items in the transaction exceeding the 4MB limit',
    );
    expect(await stored('Accounts', { pk: S('mb-0') })).toBeUndefined();
    await transact(items.slice(0, 10));
    expect((await stored('Accounts', { pk: S('mb-9') }))?.p?.S).toHaveLength(400_000);
  });

  it('checks every action’s values and expressions before any table', async () => {
    const missing = { Put: { TableName: 'Missing', Item: { pk: S('a') } } };
    const malformed = { ConditionCheck: { TableName: 'Accounts', Key: { pk: S('vo-cc') }, ConditionExpression: 'attribute_not_exists(' } };
    const SYNTAX = 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("';
    expect(await refusal('TransactWriteItems', { TransactItems: [missing, malformed] })).toBe(SYNTAX);
    const tooDeep = { Put: { TableName: 'Accounts', Item: { pk: S('vo-deep'), data: deep(32) } } };
    expect(await refusal('TransactWriteItems', { TransactItems: [malformed, tooDeep] })).toBe(SYNTAX);
    expect(await refusal('TransactWriteItems', { TransactItems: [tooDeep, malformed] })).toBe(
      'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit',
    );
    const unused = { ConditionCheck: { TableName: 'Accounts', Key: { pk: S('vo-cc') }, ConditionExpression: 'attribute_not_exists(pk)', ExpressionAttributeValues: { ':v': S('x') } } };
    const UNUSED = 'Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}';
    expect(await refusal('TransactWriteItems', { TransactItems: [missing, unused] })).toBe(UNUSED);
    expect(await refusal('TransactWriteItems', { TransactItems: [unused, missing] })).toBe(UNUSED);
    expect(await refusal('TransactWriteItems', { TransactItems: [{ Put: { TableName: 'Accounts', Item: { pk: S('vo-cc') } } }, unused] })).toBe(UNUSED);
    expect(await stored('Accounts', { pk: S('vo-cc') })).toBeUndefined();

    const notFound = await errorOf(() => transact([missing]));
    expect([notFound.name, notFound.message]).toEqual(['ResourceNotFoundException', 'Requested resource not found']);
  });

  it('holds each expression to 4096 bytes, refusing the whole request up front', async () => {
    const condition = (bytes: number) => `attribute_not_exists(${'a'.repeat(bytes - 'attribute_not_exists()'.length)})`;
    await transact([{ Put: { TableName: 'Accounts', Item: { pk: S('es-at') }, ConditionExpression: condition(4096) } }]);
    expect(await stored('Accounts', { pk: S('es-at') })).toEqual({ pk: S('es-at') });
    const over = await errorOf(() =>
      transact([{ Put: { TableName: 'Accounts', Item: { pk: S('es-first') } } }, { Put: { TableName: 'Accounts', Item: { pk: S('es-over') }, ConditionExpression: condition(4097) } }]),
    );
    expect([over.name, over.message]).toEqual(['ValidationException', 'Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4097']);
    expect(await stored('Accounts', { pk: S('es-first') })).toBeUndefined();
  });

  it('checks values in the older layer, up front', async () => {
    const put = (n: AttributeValue) => refusal('TransactWriteItems', { TransactItems: [{ Put: { TableName: 'Accounts', Item: { pk: S('vl'), n } } }] });
    expect(await put(N('1e2147483647'))).toBe('Number underflow. Attempting to store a number with magnitude smaller than supported range');
    expect(await put(N(''))).toBe('The parameter cannot be converted to a numeric value');
    const update = await refusal('TransactWriteItems', {
      TransactItems: [{ Update: { TableName: 'Accounts', Key: { pk: S('vl') }, UpdateExpression: 'SET s = :t', ExpressionAttributeValues: { ':t': { SS: ['b', 'a', 'b'] } } } }],
    });
    expect(update).toBe('ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: Input collection [b, a, b] contains duplicates. for key :t');
  });

  it('words constraint violations in the older form, in the validator’s order', async () => {
    const put = { Put: { TableName: 'Accounts', Item: { pk: S('vo-tx') } } };
    expect(await refusal('TransactWriteItems', { TransactItems: [] })).toBe(
      one("Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1"),
    );
    const items = Array.from({ length: 101 }, (_, i) => ({ Put: { TableName: 'Accounts', Item: { pk: S(`twi-${i}`) } } }));
    expect(await refusal('TransactWriteItems', { TransactItems: items })).toMatch(
      /^1 validation error detected: Value '\[.+\]' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100$/s,
    );
    expect(await refusal('TransactWriteItems', { TransactItems: [put], ReturnConsumedCapacity: 'BOGUS', ReturnItemCollectionMetrics: 'BOGUS2' })).toBe(
      `2 validation errors detected: ${ENUM_RCC}; ${ENUM_RICM}`,
    );
    const token = 'x'.repeat(37);
    expect(await refusal('TransactWriteItems', { TransactItems: [put], ClientRequestToken: token, ReturnConsumedCapacity: 'BOGUS' })).toBe(
      `2 validation errors detected: Value '${token}' at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36; ${ENUM_RCC}`,
    );
    expect(await refusal('TransactWriteItems', { TransactItems: [{ Put: { TableName: 'Missing', Item: { pk: S('a') } } }], ReturnConsumedCapacity: 'BOGUS' })).toBe(one(ENUM_RCC));
    expect(await refusal('TransactWriteItems', { TransactItems: [put, { Delete: { TableName: 'Accounts', Key: { pk: S('vo-tx') } } }], ReturnConsumedCapacity: 'BOGUS' })).toBe(one(ENUM_RCC));
    expect(await stored('Accounts', { pk: S('vo-tx') })).toBeUndefined();
    // Not captured: what other emulators answer for an action with none or two of the four.
    expect(await refusal('TransactWriteItems', { TransactItems: [{}] })).toBe('TransactItems can only contain one of Check, Put, Update or Delete');
    expect(await refusal('TransactWriteItems', { TransactItems: [{ ...put, Delete: { TableName: 'Accounts', Key: { pk: S('x') } } }] })).toBe(
      'TransactItems can only contain one of Check, Put, Update or Delete',
    );
  });

  it('charges twice the write units per item, a ConditionCheck as a write, split by kind', async () => {
    await seed({ pk: S('cap-present'), sk: S('x') }, 'Ledger');
    const plain = await transact(
      [{ Put: { TableName: 'Accounts', Item: { pk: S('cap-1'), v: N('1') } } }, { Put: { TableName: 'Accounts', Item: { pk: S('cap-2'), v: N('1') }, ConditionExpression: 'attribute_not_exists(pk)' } }],
      { ReturnConsumedCapacity: 'TOTAL' },
    );
    expect(plain.ConsumedCapacity).toEqual([{ TableName: 'Accounts', CapacityUnits: 4, WriteCapacityUnits: 4 }]);

    const withCheck = await transact(
      [
        { Put: { TableName: 'Accounts', Item: { pk: S('cap-3'), big: S('b'.repeat(1536)) } } },
        { ConditionCheck: { TableName: 'Ledger', Key: { pk: S('cap-present'), sk: S('x') }, ConditionExpression: 'attribute_exists(pk)' } },
      ],
      { ReturnConsumedCapacity: 'INDEXES' },
    );
    expect(withCheck.ConsumedCapacity).toEqual([
      { TableName: 'Accounts', CapacityUnits: 4, WriteCapacityUnits: 4, Table: { CapacityUnits: 4, WriteCapacityUnits: 4 } },
      { TableName: 'Ledger', CapacityUnits: 2, WriteCapacityUnits: 2, Table: { CapacityUnits: 2, WriteCapacityUnits: 2 } },
    ]);
  });
});

describe('ClientRequestToken', () => {
  const increment = (pk: string): TransactWriteItem[] => [
    { Update: { TableName: 'Accounts', Key: { pk: S(pk) }, UpdateExpression: 'ADD #c :one', ExpressionAttributeNames: { '#c': 'counter' }, ExpressionAttributeValues: { ':one': N('1') } } },
  ];
  const counter = async (pk: string) => (await stored('Accounts', { pk: S(pk) }))?.counter?.N;

  it('applies a request once within ten minutes of Eddy’s clock, and again after them', async () => {
    const token = 'token-window';
    await transact(increment('idem-1'), { ClientRequestToken: token });
    await transact(increment('idem-1'), { ClientRequestToken: token });
    expect(await counter('idem-1')).toBe('1');
    t.eddy.clock.advance(10 * 60 * 1000 - 1000);
    await transact(increment('idem-1'), { ClientRequestToken: token });
    expect(await counter('idem-1')).toBe('1');
    t.eddy.clock.advance(1000);
    await transact(increment('idem-1'), { ClientRequestToken: token });
    expect(await counter('idem-1')).toBe('2');
    // The expired token now belongs to this second run.
    await transact(increment('idem-1'), { ClientRequestToken: token });
    expect(await counter('idem-1')).toBe('2');
    // Without a token (the SDK makes one up each call) every request applies.
    await transact(increment('idem-1'));
    await transact(increment('idem-1'));
    expect(await counter('idem-1')).toBe('4');
  });

  it('refuses the token with another request within the window, and takes it after', async () => {
    const token = 'token-mismatch';
    await transact([{ Put: { TableName: 'Accounts', Item: { pk: S('idem-2'), val: S('first') } } }], { ClientRequestToken: token });
    const { status, json } = await rawDynamo(t.endpoint, 'TransactWriteItems', {
      TransactItems: [{ Put: { TableName: 'Accounts', Item: { pk: S('idem-2'), val: S('different') } } }],
      ClientRequestToken: token,
    });
    expect(status).toBe(400);
    expect(json).toEqual({
      __type: 'com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException',
      Message: 'DynamoDB rejected the request because you retried a request with a different payload but with an idempotent token that was already used.',
    });
    const sdk = await errorOf(() => transact([{ Delete: { TableName: 'Accounts', Key: { pk: S('idem-2') } } }], { ClientRequestToken: token }));
    expect(sdk.name).toBe('IdempotentParameterMismatchException');
    expect((await stored('Accounts', { pk: S('idem-2') }))?.val).toEqual(S('first'));

    t.eddy.clock.advance(10 * 60 * 1000);
    await transact([{ Put: { TableName: 'Accounts', Item: { pk: S('idem-2'), val: S('different') } } }], { ClientRequestToken: token });
    expect((await stored('Accounts', { pk: S('idem-2') }))?.val).toEqual(S('different'));
  });

  it('ignores member order and what only shapes the response, and reports a replay as transactional reads', async () => {
    const token = 'token-replay';
    const big = S('x'.repeat(1536));
    const first = await rawDynamo(t.endpoint, 'TransactWriteItems', {
      ClientRequestToken: token,
      ReturnConsumedCapacity: 'INDEXES',
      TransactItems: [{ Update: { TableName: 'Accounts', Key: { pk: S('idem-3') }, UpdateExpression: 'SET big = :b ADD n :one', ExpressionAttributeValues: { ':b': big, ':one': N('1') } } }],
    });
    expect(first.json.ConsumedCapacity).toEqual([{ TableName: 'Accounts', CapacityUnits: 4, WriteCapacityUnits: 4, Table: { CapacityUnits: 4, WriteCapacityUnits: 4 } }]);
    const replay = await rawDynamo(t.endpoint, 'TransactWriteItems', {
      TransactItems: [{ Update: { ExpressionAttributeValues: { ':one': N('1'), ':b': big }, UpdateExpression: 'SET big = :b ADD n :one', Key: { pk: S('idem-3') }, TableName: 'Accounts' } }],
      ReturnConsumedCapacity: 'TOTAL',
      ClientRequestToken: token,
    });
    expect(replay.status).toBe(200);
    // A 1.5 KB item: 2 write units doubled the first time, 1 read unit doubled on the replay.
    expect(replay.json).toEqual({ ConsumedCapacity: [{ TableName: 'Accounts', CapacityUnits: 2, ReadCapacityUnits: 2 }] });
    expect((await stored('Accounts', { pk: S('idem-3') }))?.n).toEqual(N('1'));
  });

  it('forgets the token of a cancelled transaction, so its retry runs', async () => {
    const token = 'token-cancelled';
    const guarded: TransactWriteItem[] = [{ Put: { TableName: 'Accounts', Item: { pk: S('idem-4'), v: S('x') }, ConditionExpression: 'attribute_exists(pk)' } }];
    await canceled(() => transact(guarded, { ClientRequestToken: token }));
    await seed({ pk: S('idem-4') });
    await transact(guarded, { ClientRequestToken: token });
    expect(await stored('Accounts', { pk: S('idem-4') })).toEqual({ pk: S('idem-4'), v: S('x') });
  });

  it('keeps tokens across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'eddy-tokens-'));
    try {
      let eddy = await startEddy({ inMemory: false, dataDir });
      await eddy.ddb.send(createTable('Durable', [['pk', 'S', 'HASH']]));
      const request = () =>
        eddy.ddb.send(new TransactWriteItemsCommand({ ClientRequestToken: 'durable', TransactItems: [{ Update: { TableName: 'Durable', Key: { pk: S('k') }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': N('1') } } }] }));
      await request();
      await eddy.close();
      eddy = await startEddy({ inMemory: false, dataDir });
      await request();
      const item = await eddy.ddb.send(new GetItemCommand({ TableName: 'Durable', Key: { pk: S('k') } }));
      expect(item.Item?.n).toEqual(N('1'));
      await eddy.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('TransactGetItems', () => {
  beforeAll(async () => {
    await seed({ pk: S('tg-1'), name: S('one'), nested: { M: { a: N('1'), b: N('2') } } });
    await seed({ pk: S('tg-2'), sk: S('x'), big: S('y'.repeat(5000)) }, 'Ledger');
  });

  it('reads items in request order, each with its own projection, a missing one as an empty response', async () => {
    const result = await t.ddb.send(
      new TransactGetItemsCommand({
        TransactItems: [
          { Get: { TableName: 'Accounts', Key: { pk: S('tg-1') }, ProjectionExpression: '#n, nested.b', ExpressionAttributeNames: { '#n': 'name' } } },
          { Get: { TableName: 'Accounts', Key: { pk: S('tg-missing') } } },
          { Get: { TableName: 'Ledger', Key: { pk: S('tg-2'), sk: S('x') }, ProjectionExpression: 'sk' } },
        ],
        ReturnConsumedCapacity: 'INDEXES',
      }),
    );
    expect(result.Responses).toEqual([{ Item: { name: S('one'), nested: { M: { b: N('2') } } } }, {}, { Item: { sk: S('x') } }]);
    // Twice a consistent read per item, a missing one included; tg-2 is over 4 KB.
    expect(result.ConsumedCapacity).toEqual([
      { TableName: 'Accounts', CapacityUnits: 4, ReadCapacityUnits: 4, Table: { CapacityUnits: 4, ReadCapacityUnits: 4 } },
      { TableName: 'Ledger', CapacityUnits: 4, ReadCapacityUnits: 4, Table: { CapacityUnits: 4, ReadCapacityUnits: 4 } },
    ]);
  });

  it('cancels for a key that does not fit the schema, and refuses the rest up front', async () => {
    const error = await canceled(() => t.ddb.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: 'Accounts', Key: { pk: S('tg-1') } } }, { Get: { TableName: 'Accounts', Key: {} } }] })));
    expect(error.message).toBe(cancelMessage(['None', 'ValidationError']));
    expect(error.CancellationReasons).toEqual([{ Code: 'None' }, { Code: 'ValidationError', Message: SCHEMA_MISMATCH }]);

    expect(await refusal('TransactGetItems', { TransactItems: [{ Get: { TableName: 'Accounts', Key: { pk: S('x') }, ProjectionExpression: '!!!' } }] })).toBe(
      'Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"',
    );
    expect(await refusal('TransactGetItems', { TransactItems: [{ Get: { TableName: 'Accounts', Key: { pk: S('') } } }] })).toBe(EMPTY_KEY);
    expect(await refusal('TransactGetItems', { TransactItems: [{ Get: { TableName: 'Accounts', Key: { pk: N('1e2147483647') } } }] })).toBe(
      'Number underflow. Attempting to store a number with magnitude smaller than supported range',
    );
    // The suite records only that two Gets of one item are refused; the wording is TransactWriteItems'.
    const twice = { Get: { TableName: 'Accounts', Key: { pk: S('tg-1') } } };
    expect(await refusal('TransactGetItems', { TransactItems: [twice, twice] })).toBe('Transaction request cannot include multiple operations on one item');
    expect(await refusal('TransactGetItems', { TransactItems: [twice, twice], ReturnConsumedCapacity: 'BOGUS' })).toBe(one(ENUM_RCC));
    expect(await refusal('TransactGetItems', { TransactItems: [] })).toBe(
      one("Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1"),
    );
    const many = Array.from({ length: 101 }, (_, i) => ({ Get: { TableName: 'Accounts', Key: { pk: S(`tgi-${i}`) } } }));
    expect(await refusal('TransactGetItems', { TransactItems: many })).toMatch(
      /^1 validation error detected: Value '\[.+\]' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100$/s,
    );
    const missing = await errorOf(() => t.ddb.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: 'Missing', Key: { pk: S('x') } } }] })));
    expect([missing.name, missing.message]).toEqual(['ResourceNotFoundException', 'Requested resource not found']);
  });
});

describe('ExecuteTransaction', () => {
  const run = (statements: { Statement: string; Parameters?: AttributeValue[]; ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE' }[], extra: object = {}) =>
    t.ddb.send(new ExecuteTransactionCommand({ TransactStatements: statements, ...extra }));

  it('runs writes together and reports transactional write capacity', async () => {
    await seed({ pk: S('et-upd'), n: N('1') });
    const result = await run(
      [
        { Statement: `INSERT INTO "Accounts" VALUE {'pk': ?, 'v': 1}`, Parameters: [S('et-new')] },
        { Statement: `UPDATE "Accounts" SET n = n + 1 WHERE pk = 'et-upd'` },
        { Statement: `EXISTS(SELECT * FROM "Ledger" WHERE pk = 'tg-2' AND sk = 'x' AND attribute_exists(big))` },
      ],
      { ReturnConsumedCapacity: 'TOTAL' },
    );
    expect(result.Responses).toEqual([{}, {}, {}]);
    expect(result.ConsumedCapacity).toEqual([
      { TableName: 'Accounts', CapacityUnits: 4, WriteCapacityUnits: 4 },
      { TableName: 'Ledger', CapacityUnits: 10, WriteCapacityUnits: 10 },
    ]);
    expect(await stored('Accounts', { pk: S('et-new') })).toEqual({ pk: S('et-new'), v: N('1') });
    expect((await stored('Accounts', { pk: S('et-upd') }))?.n).toEqual(N('2'));
  });

  it('cancels all statements when one fails, with a reason each', async () => {
    await seed({ pk: S('et-keep'), n: N('1') });
    const error = await canceled(() =>
      run([
        { Statement: `UPDATE "Accounts" SET n = 99 WHERE pk = 'et-keep'` },
        { Statement: `INSERT INTO "Accounts" VALUE {'pk': 'et-upd'}` },
        { Statement: `DELETE FROM "Accounts" WHERE pk = 'et-keep2' AND n = 5`, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
      ]),
    );
    expect(error.message).toBe(cancelMessage(['None', 'DuplicateItem', 'None']));
    expect(error.CancellationReasons).toEqual([{ Code: 'None' }, { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' }, { Code: 'None' }]);
    expect((await stored('Accounts', { pk: S('et-keep') }))?.n).toEqual(N('1'));
  });

  it('reads single items with transactional read capacity', async () => {
    const result = await run([{ Statement: `SELECT name FROM "Accounts" WHERE pk = 'tg-1'` }, { Statement: `SELECT * FROM "Accounts" WHERE pk = 'tg-missing'` }], { ReturnConsumedCapacity: 'TOTAL' });
    expect(result.Responses).toEqual([{ Item: { name: S('one') } }, {}]);
    expect(result.ConsumedCapacity).toEqual([{ TableName: 'Accounts', CapacityUnits: 4, ReadCapacityUnits: 4 }]);
  });

  it('refuses mixed reads and writes, two statements on one item, and says which statement failed to validate', async () => {
    const refused = (statements: object[]) => refusal('ExecuteTransaction', { TransactStatements: statements });
    // Not captured: another emulator's wording.
    expect(await refused([{ Statement: `SELECT * FROM "Accounts" WHERE pk = 'a'` }, { Statement: `DELETE FROM "Accounts" WHERE pk = 'b'` }])).toBe(
      'ExecuteTransaction API does not support both read and write operations in the same request.',
    );
    expect(await refused([{ Statement: `DELETE FROM "Accounts" WHERE pk = 'a'` }, { Statement: `UPDATE "Accounts" SET v = 1 WHERE pk = 'a'` }])).toBe(
      'Transaction request cannot include multiple operations on one item',
    );
    expect(await refused([{ Statement: `DELETE FROM "Accounts" WHERE pk = 'a'` }, { Statement: `UPDATE "Accounts" SET v = 1 WHERE pk = 'b' RETURNING ALL NEW *` }])).toBe(
      'Validation failed in TransactStatements[1]: RETURNING clause is not supported in ExecuteTransaction.',
    );
  });

  it('applies a write transaction once per ClientRequestToken', async () => {
    const statements = [{ Statement: `UPDATE "Accounts" SET n = n + 1 WHERE pk = 'et-token'` }];
    await seed({ pk: S('et-token'), n: N('0') });
    await run(statements, { ClientRequestToken: 'et-token' });
    const replay = await run(statements, { ClientRequestToken: 'et-token', ReturnConsumedCapacity: 'TOTAL' });
    expect(replay.ConsumedCapacity).toEqual([{ TableName: 'Accounts', CapacityUnits: 2, ReadCapacityUnits: 2 }]);
    expect((await stored('Accounts', { pk: S('et-token') }))?.n).toEqual(N('1'));
    const mismatch = await errorOf(() => run([{ Statement: `UPDATE "Accounts" SET n = n + 2 WHERE pk = 'et-token'` }], { ClientRequestToken: 'et-token' }));
    expect(mismatch.name).toBe('IdempotentParameterMismatchException');
  });
});
