/**
 * Item behaviour checked against what real DynamoDB did in the 2026 captures of
 * the Parity Suite (paritysuite/dynamodb-conformance): update semantics, set
 * order, the 400 KB gate on each write, number sizes, nesting, consumed
 * capacity shapes. Our own tests of the same observable behaviour.
 */
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, startEddy, type TestEddy } from '../helpers/eddy.js';

let t: TestEddy;
const TABLE = 'Conformance';

beforeAll(async () => {
  t = await startEddy();
  await t.ddb.send(
    new CreateTableCommand({
      TableName: TABLE,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await t.ddb.send(
    new CreateTableCommand({
      TableName: 'ConformanceSorted',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
});
afterAll(async () => t.close());

type Item = Record<string, AttributeValue>;
const S = (s: string): AttributeValue => ({ S: s });
const N = (n: string): AttributeValue => ({ N: n });
const key = (pk: string): Item => ({ pk: S(pk) });

const put = (Item: Item) => t.ddb.send(new PutItemCommand({ TableName: TABLE, Item }));
const get = async (pk: string): Promise<Item | undefined> =>
  (await t.ddb.send(new GetItemCommand({ TableName: TABLE, Key: key(pk), ConsistentRead: true }))).Item;
const update = (pk: string, UpdateExpression: string, values?: Item, names?: Record<string, string>, extra: object = {}) =>
  t.ddb.send(
    new UpdateItemCommand({
      TableName: TABLE,
      Key: key(pk),
      UpdateExpression,
      ExpressionAttributeValues: values,
      ExpressionAttributeNames: names,
      ...extra,
    }),
  );

describe('UpdateItem semantics', () => {
  it('returns set members in DynamoDB’s order, not as written: the empty string sorts first', async () => {
    await put({ ...key('set-order'), tags: { SS: ['a'] }, bins: { BS: [new Uint8Array([1])] } });
    await update('set-order', 'ADD tags :v, bins :b', { ':v': { SS: [''] }, ':b': { BS: [new Uint8Array(0)] } });
    const item = await get('set-order');
    expect(item?.tags).toEqual({ SS: ['', 'a'] });
    expect(item?.bins?.BS?.map((b) => b.byteLength)).toEqual([0, 1]);
    await put({ ...key('set-order-put'), ns: { NS: ['10', '-1', '9'] }, ss: { SS: ['b', 'B', 'a'] } });
    expect(await get('set-order-put')).toEqual({ ...key('set-order-put'), ns: { NS: ['-1', '9', '10'] }, ss: { SS: ['B', 'a', 'b'] } });
  });

  it('keeps set semantics for empty members: adding a present one is a no-op, deleting the last removes the attribute', async () => {
    await put({ ...key('empty-member'), tags: { SS: [''] } });
    await update('empty-member', 'ADD tags :v', { ':v': { SS: [''] } });
    expect((await get('empty-member'))?.tags).toEqual({ SS: [''] });
    await put({ ...key('empty-member'), tags: { SS: ['', 'a'] } });
    await update('empty-member', 'DELETE tags :v', { ':v': { SS: ['a'] } });
    expect((await get('empty-member'))?.tags).toEqual({ SS: [''] });
    await update('empty-member', 'DELETE tags :v', { ':v': { SS: [''] } });
    expect(await get('empty-member')).toEqual(key('empty-member'));
  });

  it('appends at a list index past the end, without padding', async () => {
    await put({ ...key('list-beyond'), mylist: { L: [S('a'), S('b'), S('c')] } });
    await update('list-beyond', 'SET #l[5] = :v', { ':v': S('inserted') }, { '#l': 'mylist' });
    expect((await get('list-beyond'))?.mylist).toEqual({ L: [S('a'), S('b'), S('c'), S('inserted')] });
  });

  it('refuses a SET through a missing map', async () => {
    await put({ ...key('missing-map'), topLevel: S('val') });
    const error = await errorOf(() => update('missing-map', 'SET #a.#b.#c = :v', { ':v': S('test') }, { '#a': 'missing', '#b': 'nested', '#c': 'deep' }));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe('The document path provided in the update expression is invalid for update');
  });

  it('reads every SET value from the item as it was', async () => {
    await put({ ...key('snapshot'), a: S('OLD') });
    const res = await update('snapshot', 'SET a = :v, b = a', { ':v': S('NEW') }, undefined, { ReturnValues: 'ALL_NEW' });
    expect(res.Attributes).toEqual({ ...key('snapshot'), a: S('NEW'), b: S('OLD') });
  });

  it('returns only the changed fragments under UPDATED_NEW, every one of them, and nothing for a REMOVE', async () => {
    await put({ ...key('fragments'), a: { M: { existing: S('e') } }, x: S('keep'), y: S('drop') });
    const set = await update('fragments', 'SET #a.#b = :x, #a.#c = :y', { ':x': S('x'), ':y': S('y') }, { '#a': 'a', '#b': 'b', '#c': 'c' }, { ReturnValues: 'UPDATED_NEW' });
    expect(set.Attributes).toEqual({ a: { M: { b: S('x'), c: S('y') } } });
    const removed = await update('fragments', 'REMOVE y', undefined, undefined, { ReturnValues: 'UPDATED_NEW' });
    expect(removed.Attributes).toBeUndefined();
    const created = await update('fragments-new', 'SET a = :a', { ':a': S('x') }, undefined, { ReturnValues: 'UPDATED_NEW' });
    expect(created.Attributes).toEqual({ a: S('x') });
  });

  it('creates an item holding just its key from an UpdateItem with nothing to do', async () => {
    const res = await t.ddb.send(new UpdateItemCommand({ TableName: TABLE, Key: key('upd-noop') }));
    expect(res.Attributes).toBeUndefined();
    expect(await get('upd-noop')).toEqual(key('upd-noop'));
  });
});

/** Bytes of an item whose values are all strings: every name and value in UTF-8. */
const bytes = (item: Record<string, AttributeValue>): number =>
  Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(value.S!), 0);
const MAX = 409_600;
const PUT_WORDING = 'Item size has exceeded the maximum allowed size';
const UPDATE_WORDING = 'Item size to update has exceeded the maximum allowed size';

describe('the 400 KB gate', () => {
  it('accepts a PutItem item of exactly 409,600 bytes and refuses one byte more', async () => {
    const at = { ...key('gate-at'), p: S('') };
    at.p = S('x'.repeat(MAX - bytes(at)));
    expect(bytes(at)).toBe(MAX);
    await put(at);
    const over = { ...key('gate-ov'), p: S('') };
    over.p = S('x'.repeat(MAX + 1 - bytes(over)));
    const error = await errorOf(() => put(over));
    expect([error.name, error.message]).toEqual(['ValidationException', PUT_WORDING]);
  });

  // UpdateItem also charges what the statement writes: 3 for the update, 19 per
  // SET, plus the target's name and the value. The key is not in that figure.
  const setPadding = (pad: number) => ({ ':pad': S('x'.repeat(pad)) });

  it('refuses an update whose statement is over the limit although the finished item is not (a one-byte key)', async () => {
    // Statement: 3 + 19 + 'b' + pad <= 409,600, so pad <= 409,577; the finished item is then 409,581.
    await update('K', 'SET b = :pad', setPadding(409_577));
    expect(bytes((await get('K'))!)).toBe(MAX - 19);
    const error = await errorOf(() => update('L', 'SET b = :pad', setPadding(409_578)));
    expect([error.name, error.message]).toEqual(['ValidationException', UPDATE_WORDING]);
    expect(await get('L')).toBeUndefined();
  });

  it('still caps the finished item at 409,600 when the key is long', async () => {
    const long = 'k'.repeat(100);
    const pad = MAX - bytes({ ...key(long), b: S('') });
    await update(long, 'SET b = :pad', setPadding(pad));
    expect(bytes((await get(long))!)).toBe(MAX);
    const other = 'j'.repeat(100);
    const error = await errorOf(() => update(other, 'SET b = :pad', setPadding(pad + 1)));
    expect(error.message).toBe(UPDATE_WORDING);
  });

  it('leaves an attribute the statement does not touch out of the charge', async () => {
    await put({ ...key('A'), u: S('y'.repeat(10)) });
    await put({ ...key('B'), u: S('y'.repeat(10)) });
    await update('A', 'SET b = :pad', setPadding(409_577));
    expect(bytes((await get('A'))!)).toBe(MAX - 19 + 11);
    expect((await errorOf(() => update('B', 'SET b = :pad', setPadding(409_578)))).message).toBe(UPDATE_WORDING);
  });

  it('charges a second SET clause 19 bytes plus what it writes, and a REMOVE 1 plus its path', async () => {
    await update('C', 'SET b = :pad, c = :c', { ...setPadding(409_577 - 19 - 2), ':c': S('y') });
    expect((await errorOf(() => update('D', 'SET b = :pad, c = :c', { ...setPadding(409_577 - 19 - 2 + 1), ':c': S('y') }))).message).toBe(UPDATE_WORDING);
    await put({ ...key('E'), r: S('z') });
    await put({ ...key('F'), r: S('z') });
    await update('E', 'SET b = :pad REMOVE r', setPadding(409_577 - 2));
    expect((await errorOf(() => update('F', 'SET b = :pad REMOVE r', setPadding(409_577 - 1)))).message).toBe(UPDATE_WORDING);
  });

  it('checks the charge before the condition: a failing condition still gets the size refusal', async () => {
    const huge = { ':huge': S('h'.repeat(409_700)) };
    await put({ ...key('order'), c: S('x') });
    const failing = await errorOf(() => update('order', 'SET c = if_not_exists(c, :huge)', huge, undefined, { ConditionExpression: 'attribute_exists(nope)' }));
    expect([failing.name, failing.message]).toEqual(['ValidationException', UPDATE_WORDING]);
    const passing = await errorOf(() => update('order', 'SET c = if_not_exists(c, :huge)', huge, undefined, { ConditionExpression: 'attribute_exists(c)' }));
    expect(passing.message).toBe(UPDATE_WORDING);
    expect(await get('order')).toEqual({ ...key('order'), c: S('x') });
  });

  it('sizes legacy AttributeUpdates by the finished item only', async () => {
    const attributeUpdate = (pk: string, pad: number) =>
      t.ddb.send(new UpdateItemCommand({ TableName: TABLE, Key: key(pk), AttributeUpdates: { b: { Action: 'PUT', Value: S('x'.repeat(pad)) } } }));
    const pad = MAX - bytes({ ...key('G'), b: S('') });
    await attributeUpdate('G', pad);
    expect(bytes((await get('G'))!)).toBe(MAX);
    expect((await errorOf(() => attributeUpdate('H', pad + 1))).message).toBe(UPDATE_WORDING);
  });
});

describe('a number’s byte cost, seen through the gate', () => {
  // Costs DynamoDB charged, each measured by an accepted item of exactly
  // 409,600 bytes and a refused one a byte larger.
  const captured: [string, number][] = [
    ['0', 1],
    ['123456', 4],
    ['3.14159', 5],
    ['1E125', 2],
    ['-1.5', 4],
    ['0.0000001', 2],
  ];
  it.each(captured)('sizes %s at %i bytes', async (literal, cost) => {
    const item = (pk: string, total: number) => {
      const fixed = bytes(key(pk)) + 'n'.length + cost + 'p'.length;
      return { ...key(pk), n: N(literal), p: S('x'.repeat(total - fixed)) };
    };
    await put(item(`nbs-at-${literal}`, MAX));
    const error = await errorOf(() => put(item(`nbs-ov-${literal}`, MAX + 1)));
    expect(error.message).toBe(PUT_WORDING);
  });

  it('stores the expanded decimal and trims the zeros it does not count', async () => {
    await put({ ...key('nbs-rt'), a: N('0042.1200'), b: N('1E125') });
    expect(await get('nbs-rt')).toEqual({ ...key('nbs-rt'), a: N('42.12'), b: N(`1${'0'.repeat(125)}`) });
  });
});

describe('the 32-level document limit', () => {
  const deep = (depth: number): AttributeValue => {
    let value: AttributeValue = S('leaf');
    for (let i = 0; i < depth; i++) value = { M: { n: value } };
    return value;
  };

  it('stores an attribute nested 31 levels and refuses 32', async () => {
    await put({ ...key('nest-31'), data: deep(31) });
    const error = await errorOf(() => put({ ...key('nest-32'), data: deep(32) }));
    expect(error.message).toBe(
      '1 validation error detected: Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit',
    );
  });

  it('accepts a 31-level condition value and evaluates the condition', async () => {
    await put({ ...key('nest-cond'), marker: S('x') });
    const error = await errorOf(() =>
      update('nest-cond', 'SET touched = :t', { ':t': S('y'), ':deep': deep(31) }, { '#d': 'data' }, { ConditionExpression: '#d = :deep' }),
    );
    expect(error).toBeInstanceOf(ConditionalCheckFailedException);
  });
});

describe('ConsumedCapacity and ItemCollectionMetrics', () => {
  it('reports TableName and CapacityUnits for TOTAL, adds the Table breakdown for INDEXES, and no read/write split', async () => {
    const total = await t.ddb.send(new PutItemCommand({ TableName: TABLE, Item: key('cap'), ReturnConsumedCapacity: 'TOTAL' }));
    expect(total.ConsumedCapacity).toEqual({ TableName: TABLE, CapacityUnits: 1 });
    const indexes = await t.ddb.send(new PutItemCommand({ TableName: TABLE, Item: key('cap'), ReturnConsumedCapacity: 'INDEXES' }));
    expect(indexes.ConsumedCapacity).toEqual({ TableName: TABLE, CapacityUnits: 1, Table: { CapacityUnits: 1 } });
    const updated = await update('cap', 'SET a = :a', { ':a': S('x') }, undefined, { ReturnConsumedCapacity: 'INDEXES' });
    expect(updated.ConsumedCapacity).toEqual({ TableName: TABLE, CapacityUnits: 1, Table: { CapacityUnits: 1 } });
    const read = await t.ddb.send(new GetItemCommand({ TableName: TABLE, Key: key('cap'), ReturnConsumedCapacity: 'TOTAL' }));
    expect(read.ConsumedCapacity).toEqual({ TableName: TABLE, CapacityUnits: 0.5 });
    const deleted = await t.ddb.send(new DeleteItemCommand({ TableName: TABLE, Key: key('cap'), ReturnConsumedCapacity: 'TOTAL' }));
    expect(deleted.ConsumedCapacity).toEqual({ TableName: TABLE, CapacityUnits: 1 });
    const none = await t.ddb.send(new PutItemCommand({ TableName: TABLE, Item: key('cap'), ReturnConsumedCapacity: 'NONE' }));
    expect(none.ConsumedCapacity).toBeUndefined();
  });

  it('returns no ItemCollectionMetrics for a table without local secondary indexes', async () => {
    const res = await t.ddb.send(
      new PutItemCommand({ TableName: 'ConformanceSorted', Item: { pk: S('icm'), sk: S('a') }, ReturnItemCollectionMetrics: 'SIZE' }),
    );
    expect(res.ItemCollectionMetrics).toBeUndefined();
    const deleted = await t.ddb.send(
      new DeleteItemCommand({ TableName: 'ConformanceSorted', Key: { pk: S('icm'), sk: S('a') }, ReturnItemCollectionMetrics: 'SIZE' }),
    );
    expect(deleted.ItemCollectionMetrics).toBeUndefined();
  });
});
