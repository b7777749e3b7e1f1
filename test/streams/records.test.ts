/**
 * Stream records compared whole. For each view type one scripted sequence
 * runs every write path (PutItem, UpdateItem, DeleteItem, BatchWriteItem,
 * TransactWriteItems, PartiQL ExecuteStatement, BatchExecuteStatement,
 * ExecuteTransaction, TTL expiry), including the writes that must leave no
 * record (identical overwrite, no-op update, delete of a missing item,
 * failed conditions, cancelled transactions, ClientRequestToken replays).
 * The test keeps its own model
 * of the table: each step says what state every item it touches is left in,
 * and a small pure builder turns each state change into the record AWS
 * would write for the view type. The records the SDK v3 reads are compared
 * with those, whole and in order (the table's stream has one shard, so the
 * order of the stream is the order of the writes).
 *
 * Order within one request: Eddy emits the records of a BatchWriteItem,
 * TransactWriteItems, BatchExecuteStatement or ExecuteTransaction in request
 * order (each item appears at most once per request, so per-item order is
 * the order of the requests). AWS promises no order across items.
 */
import {
  BatchExecuteStatementCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  ExecuteStatementCommand,
  ExecuteTransactionCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  UpdateTimeToLiveCommand,
  type AttributeValue as SdkAttributeValue,
} from '@aws-sdk/client-dynamodb';
import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import { afterEach, describe, expect, it } from 'vitest';
import type { AttributeValue, Item } from '../../src/dynamodb/values/attribute-value.js';
import { itemSize } from '../../src/dynamodb/values/size.js';
import { errorOf } from '../helpers/eddy.js';
import { allShards, itemToSdk, readRecords, startStreamsEddy, streamArnOf, type StreamsEddy } from './records-support.js';

type ViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';
const VIEW_TYPES: ViewType[] = ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'];

const running: StreamsEddy[] = [];
afterEach(async () => {
  for (const t of running.splice(0)) await t.close();
});

// ---------------------------------------------------------------------------
// The expected record builder: pure, from the model's state changes only.

/** One change of one item, as the script's model saw it. */
interface Change {
  readonly key: Item;
  readonly oldItem: Item | undefined;
  readonly newItem: Item | undefined;
  /** A delete by TTL. */
  readonly byService: boolean;
  /** Eddy's clock (ms) when the step that made it began. */
  readonly at: number;
}

/** The record AWS writes for a change, as the SDK v3 reads it. */
function expectedRecord(viewType: ViewType, change: Change): unknown {
  const eventName = change.oldItem === undefined ? 'INSERT' : change.newItem === undefined ? 'REMOVE' : 'MODIFY';
  const newImage = viewType === 'NEW_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES' ? change.newItem : undefined;
  const oldImage = viewType === 'OLD_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES' ? change.oldItem : undefined;
  // DynamoDB's item-size rules over Keys plus the images present.
  const sizeBytes = itemSize(change.key) + (newImage ? itemSize(newImage) : 0) + (oldImage ? itemSize(oldImage) : 0);
  return {
    eventID: expect.stringMatching(/^[0-9a-f]{32}$/),
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      ApproximateCreationDateTime: expect.any(Date),
      Keys: itemToSdk(change.key),
      ...(newImage ? { NewImage: itemToSdk(newImage) } : {}),
      ...(oldImage ? { OldImage: itemToSdk(oldImage) } : {}),
      SequenceNumber: expect.stringMatching(/^\d{21,40}$/),
      SizeBytes: sizeBytes,
      StreamViewType: viewType,
    },
    ...(change.byService ? { userIdentity: { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' } } : {}),
  };
}

/** Item equality as DynamoDB sees it: attribute order and set member order do not matter. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).map(([k, v]): [string, unknown] => {
      if ((k === 'SS' || k === 'NS' || k === 'BS') && Array.isArray(v)) return [k, [...(v as string[])].sort()];
      return [k, canonical(v)];
    });
    return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
  return value;
}
const sameItem = (a: Item | undefined, b: Item | undefined): boolean => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/** The item as DynamoDB keeps it: set members sorted (the script's sets are ASCII strings and simple numbers). */
function stored(item: Item): Item {
  const value = (v: AttributeValue): AttributeValue => {
    if (v.SS) return { SS: [...v.SS].sort() };
    if (v.NS) return { NS: [...v.NS].sort((a, b) => Number(a) - Number(b)) };
    if (v.BS) return { BS: [...v.BS].sort((a, b) => Buffer.compare(Buffer.from(a, 'base64'), Buffer.from(b, 'base64'))) };
    if (v.M) return { M: stored(v.M) };
    if (v.L) return { L: v.L.map(value) };
    return v;
  };
  return Object.fromEntries(Object.entries(item).map(([name, v]) => [name, value(v)]));
}

/** The script's view of the table: the items it holds and the changes that produced them. */
class Model {
  private readonly items = new Map<string, Item>();
  readonly changes: Change[] = [];

  /** The item with `key` is now `item` (undefined: gone). A change that leaves it equal records nothing. */
  set(key: Item, item: Item | undefined, at: number, byService = false): void {
    const id = JSON.stringify([key.pk, key.sk]);
    const old = this.items.get(id);
    const next = item && stored(item);
    if (next) this.items.set(id, next);
    else this.items.delete(id);
    if (!sameItem(old, next)) this.changes.push({ key, oldItem: old, newItem: next, byService, at });
  }
}

// ---------------------------------------------------------------------------
// The script.

const S = (s: string) => ({ S: s });
const N = (n: string) => ({ N: n });
const b64 = (text: string) => Buffer.from(text).toString('base64');
const key = (pk: string, sk: number): Item => ({ pk: S(pk), sk: N(String(sk)) });
const sdk = (item: Item) => itemToSdk(item) as Record<string, SdkAttributeValue>;

async function createRecordsTable(t: StreamsEddy, name: string, viewType: ViewType): Promise<void> {
  await t.ddb.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: viewType },
    }),
  );
}

/**
 * Runs the scripted sequence against `table` and returns the model's
 * changes, in the order their records must appear.
 */
async function runScript(t: StreamsEddy, table: string): Promise<Change[]> {
  const model = new Model();
  /** Runs one request; `after` lists the items it leaves, in the order Eddy writes them (request order). */
  const step = async (send: () => Promise<unknown>, after: [Item, Item | undefined][]) => {
    const at = t.eddy.clock.now();
    await send();
    for (const [k, next] of after) model.set(k, next, at);
  };
  const statement = (text: string) => text.replaceAll('$T', `"${table}"`);

  // PutItem: insert, overwrite, identical overwrite (attributes and set members reordered: no record).
  const a1: Item = {
    ...key('a', 1),
    name: S('alpha'),
    count: N('1'),
    tags: { SS: ['x', 'y'] },
    nums: { NS: ['1', '2.5'] },
    blob: { B: b64('hi') },
    bins: { BS: [b64('a'), b64('b')] },
    meta: { M: { list: { L: [N('1'), { BOOL: true }, { NULL: true }] }, inner: { M: { s: S('deep') } } } },
    flag: { BOOL: false },
  };
  await step(() => t.ddb.send(new PutItemCommand({ TableName: table, Item: sdk(a1) })), [[key('a', 1), a1]]);
  const a2: Item = { ...key('a', 1), name: S('alpha2'), count: N('2'), tags: { SS: ['y', 'z'] }, flag: { BOOL: true } };
  await step(() => t.ddb.send(new PutItemCommand({ TableName: table, Item: sdk(a2) })), [[key('a', 1), a2]]);
  const a2Again: Item = { flag: { BOOL: true }, tags: { SS: ['z', 'y'] }, count: N('2'), name: S('alpha2'), ...key('a', 1) };
  await step(() => t.ddb.send(new PutItemCommand({ TableName: table, Item: sdk(a2Again) })), [[key('a', 1), a2Again]]);

  // UpdateItem: modify, create by update, no-op (same value): no record.
  const a3: Item = { ...key('a', 1), name: S('alpha2'), count: N('3'), tags: { SS: ['z', 'y'] }, note: S('n') };
  await step(
    () =>
      t.ddb.send(
        new UpdateItemCommand({
          TableName: table,
          Key: sdk(key('a', 1)),
          UpdateExpression: 'SET #c = #c + :one, #n = :note REMOVE #f',
          ExpressionAttributeNames: { '#c': 'count', '#n': 'note', '#f': 'flag' },
          ExpressionAttributeValues: { ':one': N('1'), ':note': S('n') },
        }),
      ),
    [[key('a', 1), a3]],
  );
  const b1: Item = { ...key('b', 2), v: S('new') };
  const setV = (k: Item, value: string) =>
    t.ddb.send(new UpdateItemCommand({ TableName: table, Key: sdk(k), UpdateExpression: 'SET #v = :v', ExpressionAttributeNames: { '#v': 'v' }, ExpressionAttributeValues: { ':v': S(value) } }));
  await step(() => setV(key('b', 2), 'new'), [[key('b', 2), b1]]);
  await step(() => setV(key('b', 2), 'new'), [[key('b', 2), b1]]);

  // DeleteItem: an existing item, a missing one (no record).
  await step(() => t.ddb.send(new DeleteItemCommand({ TableName: table, Key: sdk(key('b', 2)) })), [[key('b', 2), undefined]]);
  await step(() => t.ddb.send(new DeleteItemCommand({ TableName: table, Key: sdk(key('z', 99)) })), [[key('z', 99), undefined]]);
  // A failed condition writes nothing.
  const failed = await errorOf(() => t.ddb.send(new PutItemCommand({ TableName: table, Item: sdk(key('a', 1)), ConditionExpression: 'attribute_not_exists(pk)' })));
  expect(failed.name).toBe('ConditionalCheckFailedException');

  // BatchWriteItem: puts and a delete, recorded in request order.
  const c1: Item = { ...key('c', 3), v: S('c1') };
  const d1: Item = { ...key('d', 4), v: S('d1') };
  const f1: Item = { ...key('f', 6), v: S('f1') };
  await step(
    () =>
      t.ddb.send(
        new BatchWriteItemCommand({
          RequestItems: {
            [table]: [
              { PutRequest: { Item: sdk(c1) } },
              { DeleteRequest: { Key: sdk(key('a', 1)) } },
              { PutRequest: { Item: sdk(d1) } },
              { PutRequest: { Item: sdk(f1) } },
            ],
          },
        }),
      ),
    [
      [key('c', 3), c1],
      [key('a', 1), undefined],
      [key('d', 4), d1],
      [key('f', 6), f1],
    ],
  );

  // TransactWriteItems: put, update, delete and a condition check (no record), in request order.
  const e1: Item = { ...key('e', 5), v: S('e1') };
  const c2: Item = { ...key('c', 3), v: S('c2') };
  await step(
    () =>
      t.ddb.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: table, Item: sdk(e1) } },
            { Update: { TableName: table, Key: sdk(key('c', 3)), UpdateExpression: 'SET #v = :v', ExpressionAttributeNames: { '#v': 'v' }, ExpressionAttributeValues: { ':v': S('c2') } } },
            { Delete: { TableName: table, Key: sdk(key('d', 4)) } },
            { ConditionCheck: { TableName: table, Key: sdk(key('f', 6)), ConditionExpression: 'attribute_exists(pk)' } },
          ],
        }),
      ),
    [
      [key('e', 5), e1],
      [key('c', 3), c2],
      [key('d', 4), undefined],
    ],
  );
  // A cancelled transaction (its last action fails) records nothing, not even the writes before the failure.
  const cancelled = await errorOf(() =>
    t.ddb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: table, Item: sdk({ ...key('g', 7), v: S('never') }) } },
          { Update: { TableName: table, Key: sdk(key('c', 3)), UpdateExpression: 'SET #v = :v', ExpressionAttributeNames: { '#v': 'v' }, ExpressionAttributeValues: { ':v': S('never') } } },
          { ConditionCheck: { TableName: table, Key: sdk(key('f', 6)), ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
      }),
    ),
  );
  expect(cancelled.name).toBe('TransactionCanceledException');
  // A retry with the same ClientRequestToken changes nothing the second time: one record.
  const l1: Item = { ...key('l', 12), v: S('once') };
  const withToken = () => t.ddb.send(new TransactWriteItemsCommand({ ClientRequestToken: 'records-once', TransactItems: [{ Put: { TableName: table, Item: sdk(l1) } }] }));
  await step(withToken, [[key('l', 12), l1]]);
  await step(withToken, [[key('l', 12), l1]]);

  // PartiQL ExecuteStatement: INSERT, UPDATE, DELETE; a DELETE of nothing and failed UPDATEs record nothing.
  const h1: Item = { ...key('h', 8), v: S('partiql') };
  const h2: Item = { ...key('h', 8), v: S('changed') };
  const execute = (text: string) => t.ddb.send(new ExecuteStatementCommand({ Statement: statement(text) }));
  await step(() => execute(`INSERT INTO $T VALUE {'pk': 'h', 'sk': 8, 'v': 'partiql'}`), [[key('h', 8), h1]]);
  await step(() => execute(`UPDATE $T SET v = 'changed' WHERE pk = 'h' AND sk = 8`), [[key('h', 8), h2]]);
  await step(() => execute(`UPDATE $T SET v = 'changed' WHERE pk = 'h' AND sk = 8`), [[key('h', 8), h2]]);
  await step(() => execute(`DELETE FROM $T WHERE pk = 'e' AND sk = 5`), [[key('e', 5), undefined]]);
  await step(() => execute(`DELETE FROM $T WHERE pk = 'z' AND sk = 99`), [[key('z', 99), undefined]]);
  expect((await errorOf(() => execute(`UPDATE $T SET v = 'x' WHERE pk = 'z' AND sk = 99`))).name).toBe('ConditionalCheckFailedException');
  expect((await errorOf(() => execute(`UPDATE $T SET v = 'x' WHERE pk = 'h' AND sk = 8 AND v = 'wrong'`))).name).toBe('ConditionalCheckFailedException');
  expect((await errorOf(() => execute(`INSERT INTO $T VALUE {'pk': 'f', 'sk': 6}`))).name).toBe('DuplicateItemException');

  // BatchExecuteStatement: each statement on its own; the failing one records nothing.
  const i1: Item = { ...key('i', 9), v: S('i1') };
  const c3: Item = { ...key('c', 3), v: S('batch') };
  let batchResponses: unknown[] = [];
  await step(
    async () => {
      const { Responses } = await t.ddb.send(
        new BatchExecuteStatementCommand({
          Statements: [
            { Statement: statement(`INSERT INTO $T VALUE {'pk': 'i', 'sk': 9, 'v': 'i1'}`) },
            { Statement: statement(`UPDATE $T SET v = 'batch' WHERE pk = 'c' AND sk = 3`) },
            { Statement: statement(`DELETE FROM $T WHERE pk = 'h' AND sk = 8`) },
            { Statement: statement(`INSERT INTO $T VALUE {'pk': 'f', 'sk': 6}`) },
          ],
        }),
      );
      batchResponses = Responses!;
    },
    [
      [key('i', 9), i1],
      [key('c', 3), c3],
      [key('h', 8), undefined],
    ],
  );
  expect(batchResponses.map((r: any) => r.Error?.Code)).toEqual([undefined, undefined, undefined, 'DuplicateItem']);

  // ExecuteTransaction: INSERT, UPDATE, DELETE and EXISTS (no record), in request order.
  const j1: Item = { ...key('j', 10), v: S('j1') };
  const i2: Item = { ...key('i', 9), v: S('tx') };
  await step(
    () =>
      t.ddb.send(
        new ExecuteTransactionCommand({
          TransactStatements: [
            { Statement: statement(`INSERT INTO $T VALUE {'pk': 'j', 'sk': 10, 'v': 'j1'}`) },
            { Statement: statement(`UPDATE $T SET v = 'tx' WHERE pk = 'i' AND sk = 9`) },
            { Statement: statement(`DELETE FROM $T WHERE pk = 'c' AND sk = 3`) },
            { Statement: statement(`EXISTS(SELECT * FROM $T WHERE pk = 'f' AND sk = 6 AND v = 'f1')`) },
          ],
        }),
      ),
    [
      [key('j', 10), j1],
      [key('i', 9), i2],
      [key('c', 3), undefined],
    ],
  );
  // Cancelled after its first statement ran: the rollback takes its record back.
  const cancelledStatements = await errorOf(() =>
    t.ddb.send(
      new ExecuteTransactionCommand({
        TransactStatements: [
          { Statement: statement(`UPDATE $T SET v = 'never' WHERE pk = 'j' AND sk = 10`) },
          { Statement: statement(`INSERT INTO $T VALUE {'pk': 'f', 'sk': 6}`) },
        ],
      }),
    ),
  );
  expect(cancelledStatements.name).toBe('TransactionCanceledException');
  const m1: Item = { ...key('m', 13), v: S('once') };
  const statementsWithToken = () =>
    t.ddb.send(new ExecuteTransactionCommand({ ClientRequestToken: 'records-statements-once', TransactStatements: [{ Statement: statement(`INSERT INTO $T VALUE {'pk': 'm', 'sk': 13, 'v': 'once'}`) }] }));
  await step(statementsWithToken, [[key('m', 13), m1]]);
  await step(statementsWithToken, [[key('m', 13), m1]]);

  // TTL: the sweeper deletes the expired item when the clock moves, as the service (userIdentity).
  await t.ddb.send(new UpdateTimeToLiveCommand({ TableName: table, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }));
  const k1: Item = { ...key('k', 11), expires: N(String(Math.floor(t.eddy.clock.now() / 1000) + 60)) };
  await step(() => t.ddb.send(new PutItemCommand({ TableName: table, Item: sdk(k1) })), [[key('k', 11), k1]]);
  t.eddy.clock.advance(120_000);
  model.set(key('k', 11), undefined, t.eddy.clock.now(), true);

  return model.changes;
}

describe.each(VIEW_TYPES)('a %s stream', (viewType) => {
  it('reads exactly the records AWS would write for every kind of write', async () => {
    const t = await startStreamsEddy();
    running.push(t);
    const table = `Records-${viewType}`;
    await createRecordsTable(t, table, viewType);
    const changes = await runScript(t, table);
    // The script's own bookkeeping: what it expects is what it meant to write.
    expect(changes.map((c) => `${c.key.pk!.S}:${c.oldItem ? (c.newItem ? 'MODIFY' : 'REMOVE') : 'INSERT'}`)).toEqual([
      'a:INSERT', 'a:MODIFY', 'a:MODIFY', 'b:INSERT', 'b:REMOVE',
      'c:INSERT', 'a:REMOVE', 'd:INSERT', 'f:INSERT',
      'e:INSERT', 'c:MODIFY', 'd:REMOVE',
      'l:INSERT',
      'h:INSERT', 'h:MODIFY', 'e:REMOVE',
      'i:INSERT', 'c:MODIFY', 'h:REMOVE',
      'j:INSERT', 'i:MODIFY', 'c:REMOVE',
      'm:INSERT',
      'k:INSERT', 'k:REMOVE',
    ]);

    expect(await allShards(t, await streamArnOf(t, table))).toHaveLength(1);
    const records = await readRecords(t, table);
    expect(records).toEqual(changes.map((change) => expectedRecord(viewType, change)));

    // What the whole-record comparison leaves to matchers.
    const sequence = records.map((r) => BigInt(r.dynamodb!.SequenceNumber!));
    for (let i = 1; i < sequence.length; i++) expect(sequence[i]! > sequence[i - 1]!, `record ${i}`).toBe(true);
    expect(new Set(records.map((r) => r.eventID)).size).toBe(records.length);
    records.forEach((record: _Record, i) => {
      const at = changes[i]!.at;
      const created = record.dynamodb!.ApproximateCreationDateTime!.getTime();
      expect(created % 1000).toBe(0);
      expect(Math.abs(created - at), `record ${i} created ${created}, written at ${at}`).toBeLessThanOrEqual(60_000);
    });
    // The TTL delete carries the time the clock was moved to.
    expect(records.at(-1)!.dynamodb!.ApproximateCreationDateTime!.getTime()).toBeGreaterThanOrEqual(changes.at(-2)!.at + 119_000);
  });
});

describe('the expected record builder', () => {
  const k = { pk: S('p'), sk: N('1') };
  const before: Item = { ...k, v: S('old') };
  const after: Item = { ...k, v: S('new'), extra: N('12') };

  it('puts the images of each view type, and sizes Keys plus those images', () => {
    const change: Change = { key: k, oldItem: before, newItem: after, byService: false, at: 0 };
    const keysOnly = expectedRecord('KEYS_ONLY', change) as any;
    expect(keysOnly.dynamodb.NewImage).toBeUndefined();
    expect(keysOnly.dynamodb.OldImage).toBeUndefined();
    // pk(2)+"p"(1), sk(2)+1(2) = 7
    expect(keysOnly.dynamodb.SizeBytes).toBe(7);
    const both = expectedRecord('NEW_AND_OLD_IMAGES', change) as any;
    expect(both.eventName).toBe('MODIFY');
    expect(both.dynamodb.SizeBytes).toBe(7 + (7 + 1 + 3) + (7 + 1 + 3 + 5 + 2));
    expect((expectedRecord('OLD_IMAGE', change) as any).dynamodb.NewImage).toBeUndefined();
    expect((expectedRecord('NEW_IMAGE', change) as any).dynamodb.OldImage).toBeUndefined();
  });

  it('has no OldImage on INSERT, no NewImage on REMOVE, and userIdentity only for the service', () => {
    const insert = expectedRecord('NEW_AND_OLD_IMAGES', { key: k, oldItem: undefined, newItem: after, byService: false, at: 0 }) as any;
    expect(insert.eventName).toBe('INSERT');
    expect(insert.dynamodb.OldImage).toBeUndefined();
    expect(insert.userIdentity).toBeUndefined();
    const expired = expectedRecord('NEW_AND_OLD_IMAGES', { key: k, oldItem: before, newItem: undefined, byService: true, at: 0 }) as any;
    expect(expired.eventName).toBe('REMOVE');
    expect(expired.dynamodb.NewImage).toBeUndefined();
    expect(expired.userIdentity).toEqual({ PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' });
  });
});
