/**
 * BatchWriteItem's blind puts (src/dynamodb/operations/BatchWriteItem.ts):
 * puts to a table nothing observes are written together, one multi-row
 * statement per run of them (ItemStore.putBlindAll), while the other writes
 * of the batch go through the general path in request order. The result must
 * be what separate puts give: every item stored as sent (normalized), expiries
 * recorded, listeners told of the writes to the tables they observe only.
 *
 * The operations run in process, wired as src/eddy.ts wires them.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { AdjustableClock } from '../../src/clock.js';
import { defaultConfig } from '../../src/config.js';
import { encodedKey, ItemStore, type ItemChange } from '../../src/dynamodb/item-store.js';
import { createDynamoDbService } from '../../src/dynamodb/service.js';
import { TableCatalog, type Table } from '../../src/dynamodb/table-catalog.js';
import type { JsonService } from '../../src/edge/json-protocol.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { defaultStreamsConfig, StreamsEngine } from '../../src/streams/streams-engine.js';

let db: Db;
let items: ItemStore;
let tables: TableCatalog;
let service: JsonService;
let observed: ItemChange[];

beforeEach(() => {
  const config = { ...defaultConfig, inMemory: true };
  const clock = new AdjustableClock();
  db = openDatabase(config);
  tables = new TableCatalog(db, clock);
  items = new ItemStore(db, clock);
  const streams = new StreamsEngine(db, clock, defaultStreamsConfig);
  items.observeWrites(streams);
  observed = [];
  // Observes one table only: the others keep their blind puts.
  items.onChange((change) => observed.push(change), (table) => table.description.TableName === 'Watched');
  service = createDynamoDbService({ db, clock, config, tables, items, streams });
});

function call(operation: string, input: object): any {
  const ctx = Object.assign(Object.create(service.contextPrototype ?? null), { requestId: 'r', region: 'us-east-1', accountId: '000000000000', host: 'localhost' });
  return service.operations[operation]!(input, ctx);
}

/** A table keyed by pk (S), and by sk of type `sortKey` when given. */
function createTable(name: string, sortKey?: 'S' | 'N'): Table {
  const keys: [string, string, string][] = [['pk', 'S', 'HASH'], ...(sortKey ? [['sk', sortKey, 'RANGE'] as [string, string, string]] : [])];
  call('CreateTable', {
    TableName: name,
    AttributeDefinitions: keys.map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    KeySchema: keys.map(([AttributeName, , KeyType]) => ({ AttributeName, KeyType })),
    BillingMode: 'PAY_PER_REQUEST',
  });
  return tables.find('000000000000', 'us-east-1', name)!;
}

const S = (value: string) => ({ S: value });
const put = (item: object) => ({ PutRequest: { Item: item } });
const stored = (table: string, pk: string) => call('GetItem', { TableName: table, Key: { pk: S(pk) } }).text as string | undefined;

describe('BatchWriteItem puts to tables nothing observes', () => {
  it('stores every put of a batch that mixes blind puts, observed writes and deletes', () => {
    const quiet = createTable('Quiet');
    createTable('Expiring');
    createTable('Watched');
    call('UpdateTimeToLive', { TableName: 'Expiring', TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' } });
    call('PutItem', { TableName: 'Quiet', Item: { pk: S('gone'), v: S('old') } });
    call('PutItem', { TableName: 'Quiet', Item: { pk: S('q1'), v: S('old') } });
    expect(items.needsReplacedItem(quiet)).toBe(false);

    const answer = call('BatchWriteItem', {
      RequestItems: {
        Quiet: [put({ pk: S('q1'), v: { N: '01.50' } }), { DeleteRequest: { Key: { pk: S('gone') } } }, put({ pk: S('q2'), s: { SS: ['b', 'a'] } })],
        Watched: [put({ pk: S('w1'), v: S('one') })],
        Expiring: [put({ pk: S('e1'), ttl: { N: '1700000000' } }), put({ pk: S('e2'), ttl: S('not a number') })],
      },
    });

    expect(answer).toEqual({ UnprocessedItems: {} });
    expect(stored('Quiet', 'q1')).toBe('{"Item":{"pk":{"S":"q1"},"v":{"N":"1.5"}}}');
    expect(stored('Quiet', 'q2')).toBe('{"Item":{"pk":{"S":"q2"},"s":{"SS":["a","b"]}}}');
    expect(call('GetItem', { TableName: 'Quiet', Key: { pk: S('gone') } })).toEqual({});
    expect(stored('Watched', 'w1')).toBe('{"Item":{"pk":{"S":"w1"},"v":{"S":"one"}}}');
    expect(stored('Expiring', 'e1')).toBe('{"Item":{"pk":{"S":"e1"},"ttl":{"N":"1700000000"}}}');
    expect(db.prepare('SELECT expires_at FROM ddb_items WHERE expires_at IS NOT NULL').pluck().all()).toEqual([1700000000]);
    expect(observed.map((change) => [change.table.description.TableName, change.oldItem, change.newItem])).toEqual([['Watched', undefined, { pk: S('w1'), v: S('one') }]]);
  });

  it('stores sizes as DynamoDB counts them, as separate puts do', () => {
    createTable('Quiet');
    const item = { pk: S('é'), m: { M: { k: { L: [{ N: '-0.0' }, { BOOL: true }, { NULL: true }] } } } };
    call('BatchWriteItem', { RequestItems: { Quiet: [put(item)] } });
    const batched = db.prepare('SELECT item, size FROM ddb_items').get();
    call('DeleteItem', { TableName: 'Quiet', Key: { pk: S('é') } });
    call('PutItem', { TableName: 'Quiet', Item: item });
    expect(db.prepare('SELECT item, size FROM ddb_items').get()).toEqual(batched);
  });
});

describe('ItemStore.putBlindAll', () => {
  it('writes any number of puts in order: a key put twice keeps the later item', () => {
    const table = createTable('Quiet');
    const puts = Array.from({ length: 60 }, (_, i) => {
      const key = { pk: S(`k${i % 40}`) };
      const item = { ...key, n: { N: String(i) } };
      const [pk, sk] = encodedKey(table, key);
      return { pk, sk, item, size: 0 };
    });
    items.transaction(() => items.putBlindAll(table, puts));
    expect(items.stats(table).itemCount).toBe(40);
    expect(stored('Quiet', 'k0')).toBe('{"Item":{"pk":{"S":"k0"},"n":{"N":"40"}}}');
    expect(stored('Quiet', 'k39')).toBe('{"Item":{"pk":{"S":"k39"},"n":{"N":"39"}}}');
  });

  it('writes the sort key and the expiry of tables that have them', () => {
    createTable('Sorted', 'N');
    call('UpdateTimeToLive', { TableName: 'Sorted', TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' } });
    const puts = ['2', '10', '1.0'].map((sk, i) => put({ pk: S('p'), sk: { N: sk }, ttl: { N: String(1700000000 + i) } }));
    call('BatchWriteItem', { RequestItems: { Sorted: puts } });
    const page = call('Query', { TableName: 'Sorted', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p') } });
    expect(JSON.parse(page.text ?? JSON.stringify(page)).Items.map((item: { sk: { N: string } }) => item.sk.N)).toEqual(['1', '2', '10']);
    expect(db.prepare('SELECT expires_at FROM ddb_items ORDER BY expires_at').pluck().all()).toEqual([1700000000, 1700000001, 1700000002]);
  });

  it('refuses a table whose writes need the item they replace', () => {
    const watched = createTable('Watched');
    const [pk, sk] = encodedKey(watched, { pk: S('x') });
    expect(() => items.putBlindAll(watched, [{ pk, sk, item: { pk: S('x') }, size: 2 }])).toThrow(/need the item they replace/);
  });
});
