/**
 * PutItem's hot paths (src/dynamodb/operations/PutItem.ts): a put that needs
 * nothing of the item it replaces skips parsing it (ItemStore.overwrite) or,
 * when no listener observes the table and it has no index, reading it at all
 * (ItemStore.putBlind). Both must answer and store exactly what the general
 * path does, and listeners must still see the replaced item.
 *
 * The operations run in process, wired as src/eddy.ts wires them (stream
 * capture observing the store's writes).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { AdjustableClock } from '../../src/clock.js';
import { defaultConfig } from '../../src/config.js';
import { ItemStore, type ItemChange } from '../../src/dynamodb/item-store.js';
import { createDynamoDbService } from '../../src/dynamodb/service.js';
import { TableCatalog } from '../../src/dynamodb/table-catalog.js';
import type { JsonService } from '../../src/edge/json-protocol.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { defaultStreamsConfig, StreamsEngine } from '../../src/streams/streams-engine.js';

let db: Db;
let items: ItemStore;
let streams: StreamsEngine;
let service: JsonService;

beforeEach(() => {
  const config = { ...defaultConfig, inMemory: true };
  const clock = new AdjustableClock();
  db = openDatabase(config);
  const tables = new TableCatalog(db, clock);
  items = new ItemStore(db, clock);
  streams = new StreamsEngine(db, clock, defaultStreamsConfig);
  items.observeWrites(streams);
  service = createDynamoDbService({ db, clock, config, tables, items, streams });
});

function call(operation: string, input: object): any {
  const ctx = Object.assign(Object.create(service.contextPrototype ?? null), { requestId: 'r', region: 'us-east-1', accountId: '000000000000', host: 'localhost' });
  return service.operations[operation]!(input, ctx);
}

function createTable(name: string, extra: object = {}): void {
  call('CreateTable', {
    TableName: name,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
    ...extra,
  });
}

const S = (value: string) => ({ S: value });
const stored = (table: string, pk: string) => call('GetItem', { TableName: table, Key: { pk: S(pk) } }).text as string | undefined;
const streamRecords = () =>
  db
    .prepare<[], number>('SELECT shard_no FROM ddb_stream_shards ORDER BY shard_no')
    .pluck()
    .all()
    .flatMap((shardNo) => streams.store.recordsAfter(shardNo, 0, 1000))
    .map((row) => JSON.parse(row.record));

describe('PutItem without a condition or ReturnValues', () => {
  it('overwrites without reading on a table nothing observes, and answers as the general path does', () => {
    createTable('Quiet');
    const table = (service.contextPrototype as { tables: TableCatalog }).tables.find('000000000000', 'us-east-1', 'Quiet')!;
    expect(items.needsReplacedItem(table)).toBe(false);

    expect(call('PutItem', { TableName: 'Quiet', Item: { pk: S('a'), v: { N: '1.50' } } })).toEqual({});
    expect(call('PutItem', { TableName: 'Quiet', Item: { pk: S('a'), v: { N: '2' }, w: { SS: ['b', 'a'] } }, ReturnItemCollectionMetrics: 'SIZE' })).toEqual({});
    expect(stored('Quiet', 'a')).toBe('{"Item":{"pk":{"S":"a"},"v":{"N":"2"},"w":{"SS":["a","b"]}}}');
    expect(streamRecords()).toEqual([]);
  });

  it('still reads the replaced item for the capacity it reports', () => {
    createTable('Quiet');
    call('PutItem', { TableName: 'Quiet', Item: { pk: S('big'), pad: S('x'.repeat(3000)) } });
    expect(call('PutItem', { TableName: 'Quiet', Item: { pk: S('big') }, ReturnConsumedCapacity: 'TOTAL' })).toEqual({
      ConsumedCapacity: { TableName: 'Quiet', CapacityUnits: 3 },
    });
    expect(call('PutItem', { TableName: 'Quiet', Item: { pk: S('big') }, ReturnValues: 'ALL_OLD' })).toEqual({ Attributes: { pk: S('big') } });
  });

  it('records the expiry of an item put without reading on a table with TTL', () => {
    createTable('Expiring');
    call('UpdateTimeToLive', { TableName: 'Expiring', TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' } });
    call('PutItem', { TableName: 'Expiring', Item: { pk: S('e'), ttl: { N: '1700000000' } } });
    expect(db.prepare('SELECT expires_at FROM ddb_items').pluck().all()).toEqual([1700000000]);
  });

  it('captures the replaced item on a table with a stream, though the put does not read it', () => {
    createTable('Streamed', { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } });
    const table = (service.contextPrototype as { tables: TableCatalog }).tables.find('000000000000', 'us-east-1', 'Streamed')!;
    // Capture runs in SQLite triggers, which see the replaced row themselves.
    expect(items.needsReplacedItem(table)).toBe(false);

    call('PutItem', { TableName: 'Streamed', Item: { pk: S('s'), v: S('one') } });
    call('PutItem', { TableName: 'Streamed', Item: { pk: S('s'), v: S('two') } });
    call('PutItem', { TableName: 'Streamed', Item: { pk: S('s'), v: S('two') } });
    const records = streamRecords();
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY']);
    expect(records[1].dynamodb.OldImage).toEqual({ pk: S('s'), v: S('one') });
    expect(records[1].dynamodb.NewImage).toEqual({ pk: S('s'), v: S('two') });
  });

  it('gives a listener observing every table the replaced item, parsed when it reads it', () => {
    const changes: ItemChange[] = [];
    items.onChange((change) => changes.push(change));
    createTable('Watched');
    call('PutItem', { TableName: 'Watched', Item: { pk: S('w'), v: S('one') } });
    call('PutItem', { TableName: 'Watched', Item: { pk: S('w'), v: S('two') } });
    expect(changes.map((change) => [change.oldItem, change.newItem])).toEqual([
      [undefined, { pk: S('w'), v: S('one') }],
      [{ pk: S('w'), v: S('one') }, { pk: S('w'), v: S('two') }],
    ]);
  });
});
