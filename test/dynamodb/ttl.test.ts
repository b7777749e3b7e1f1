import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
  UpdateTimeToLiveCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEddy, type EddyOptions } from '../../src/eddy.js';
import type { EddyConfig } from '../../src/config.js';
import type { ItemChange } from '../../src/dynamodb/item-store.js';
import { errorOf, rawDynamo, startEddy, testCredentials, type TestEddy } from '../helpers/eddy.js';

const DAY = 24 * 60 * 60;
const YEAR = 365 * DAY;

let t: TestEddy;
const changes: ItemChange[] = [];
beforeAll(async () => {
  t = await startEddy();
  t.eddy.items.onChange((change) => changes.push(change));
});
afterAll(async () => t.close());

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function createTable(target: TestEddy, name: string, keyType: 'S' | 'N' = 'S') {
  return target.ddb.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: keyType }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
}

function updateTtl(target: TestEddy, table: string, enabled: boolean, attributeName = 'expiresAt') {
  return target.ddb.send(new UpdateTimeToLiveCommand({ TableName: table, TimeToLiveSpecification: { Enabled: enabled, AttributeName: attributeName } }));
}

async function describeTtl(target: TestEddy, table: string) {
  return (await target.ddb.send(new DescribeTimeToLiveCommand({ TableName: table }))).TimeToLiveDescription;
}

/** Eddy's `now` in epoch seconds. */
const nowSeconds = (target: TestEddy = t) => Math.floor(target.eddy.clock.now() / 1000);
const n = (value: number): AttributeValue => ({ N: String(value) });

function put(target: TestEddy, table: string, pk: string, attributes: Record<string, AttributeValue> = {}) {
  return target.ddb.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, ...attributes } }));
}

async function keysIn(target: TestEddy, table: string): Promise<string[]> {
  const { Items } = await target.ddb.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
  return Items!.map((item) => item.pk!.S!).sort();
}

async function exists(target: TestEddy, table: string, pk: string): Promise<boolean> {
  const { Item } = await target.ddb.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk } }, ConsistentRead: true }));
  return Item !== undefined;
}

/** An Eddy built with createEddy options (sweeper tuning) that startEddy does not take. */
async function startTuned(options: EddyOptions, overrides: Partial<EddyConfig> = {}): Promise<TestEddy> {
  const eddy = createEddy({ port: 0, inMemory: true, ...overrides }, options);
  const endpoint = await eddy.listen();
  const ddb = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
  return {
    eddy,
    endpoint,
    ddb,
    close: async () => {
      ddb.destroy();
      await eddy.close();
    },
  };
}

describe('UpdateTimeToLive and DescribeTimeToLive', () => {
  it('reports a new table as DISABLED with no AttributeName', async () => {
    await createTable(t, 'TtlFresh');
    expect(await describeTtl(t, 'TtlFresh')).toEqual({ TimeToLiveStatus: 'DISABLED' });
  });

  it('echoes the specification on enable and reports ENABLED with the attribute', async () => {
    await createTable(t, 'TtlEnable');
    const response = await updateTtl(t, 'TtlEnable', true);
    expect(response.TimeToLiveSpecification).toEqual({ Enabled: true, AttributeName: 'expiresAt' });
    expect(Object.keys(response).filter((k) => k !== '$metadata')).toEqual(['TimeToLiveSpecification']);
    expect(await describeTtl(t, 'TtlEnable')).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
  });

  it('echoes the specification on disable and forgets the attribute, as AWS does', async () => {
    await createTable(t, 'TtlDisable');
    await updateTtl(t, 'TtlDisable', true);
    const response = await updateTtl(t, 'TtlDisable', false);
    expect(response.TimeToLiveSpecification).toEqual({ Enabled: false, AttributeName: 'expiresAt' });
    expect(await describeTtl(t, 'TtlDisable')).toEqual({ TimeToLiveStatus: 'DISABLED' });
  });

  it('refuses an enable that changes nothing, and any change of attribute while enabled', async () => {
    await createTable(t, 'TtlRefused');
    await updateTtl(t, 'TtlRefused', true);
    const cases: [boolean, string, string][] = [
      [true, 'expiresAt', 'TimeToLive is already enabled'],
      [true, 'other', 'TimeToLive is active on a different AttributeName: current AttributeName is expiresAt'],
      [false, 'other', 'TimeToLive is active on a different AttributeName: current AttributeName is expiresAt'],
    ];
    for (const [enabled, attribute, message] of cases) {
      const error = await errorOf(() => updateTtl(t, 'TtlRefused', enabled, attribute));
      expect(error.name, `${enabled} ${attribute}`).toBe('ValidationException');
      expect(error.message, `${enabled} ${attribute}`).toBe(message);
      expect(error.$metadata?.httpStatusCode).toBe(400);
    }
    expect(await describeTtl(t, 'TtlRefused')).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
  });

  it('refuses a disable when TTL is disabled, whatever the attribute', async () => {
    await createTable(t, 'TtlAlreadyOff');
    for (const attribute of ['expiresAt', 'anything']) {
      const error = await errorOf(() => updateTtl(t, 'TtlAlreadyOff', false, attribute));
      expect(error.name).toBe('ValidationException');
      expect(error.message).toBe('TimeToLive is already disabled');
    }
    await updateTtl(t, 'TtlAlreadyOff', true);
    await updateTtl(t, 'TtlAlreadyOff', false);
    const again = await errorOf(() => updateTtl(t, 'TtlAlreadyOff', false));
    expect(again.message).toBe('TimeToLive is already disabled');
    expect(await describeTtl(t, 'TtlAlreadyOff')).toEqual({ TimeToLiveStatus: 'DISABLED' });
  });

  it('changes the attribute through a disable (AWS also imposes a cooldown in between; Eddy does not)', async () => {
    await createTable(t, 'TtlRename');
    await updateTtl(t, 'TtlRename', true, 'first');
    await updateTtl(t, 'TtlRename', false, 'first');
    await updateTtl(t, 'TtlRename', true, 'second');
    expect(await describeTtl(t, 'TtlRename')).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'second' });
  });

  it('accepts the partition key as the TTL attribute, as AWS does', async () => {
    await createTable(t, 'TtlOnKey', 'N');
    await updateTtl(t, 'TtlOnKey', true, 'pk');
    expect(await describeTtl(t, 'TtlOnKey')).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'pk' });
    const past = nowSeconds() - 60;
    const future = nowSeconds() + 3600;
    await t.ddb.send(new PutItemCommand({ TableName: 'TtlOnKey', Item: { pk: n(past) } }));
    await t.ddb.send(new PutItemCommand({ TableName: 'TtlOnKey', Item: { pk: n(future) } }));
    t.eddy.clock.advance(1);
    const { Items } = await t.ddb.send(new ScanCommand({ TableName: 'TtlOnKey' }));
    expect(Items).toEqual([{ pk: n(future) }]);
  });

  it('answers ResourceNotFoundException for a missing table', async () => {
    const update = await errorOf(() => updateTtl(t, 'NoSuchTable', true));
    expect(update.name).toBe('ResourceNotFoundException');
    expect(update.message).toBe('Requested resource not found: Table: NoSuchTable not found');
    const describe = await errorOf(() => describeTtl(t, 'NoSuchTable'));
    expect(describe.name).toBe('ResourceNotFoundException');
    expect(describe.message).toBe('Requested resource not found: Table: NoSuchTable not found');
  });

  it('accepts a table ARN', async () => {
    const { TableDescription } = await createTable(t, 'TtlByArn');
    await updateTtl(t, TableDescription!.TableArn!, true);
    expect(await describeTtl(t, TableDescription!.TableArn!)).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
    expect(await describeTtl(t, 'TtlByArn')).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
  });

  it('checks the specification against the model before looking the table up', async () => {
    const cases: [unknown, string][] = [
      [undefined, "1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null"],
      [{ Enabled: true }, "1 validation error detected: Value null at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must not be null"],
      [{ AttributeName: 'x' }, "1 validation error detected: Value null at 'timeToLiveSpecification.enabled' failed to satisfy constraint: Member must not be null"],
      [
        { Enabled: true, AttributeName: 'a'.repeat(256) },
        `1 validation error detected: Value '${'a'.repeat(256)}' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length less than or equal to 255`,
      ],
    ];
    for (const [spec, message] of cases) {
      const response = await rawDynamo(t.endpoint, 'UpdateTimeToLive', { TableName: 'NoSuchTable', ...(spec ? { TimeToLiveSpecification: spec } : {}) });
      expect(response.status, JSON.stringify(spec)).toBe(400);
      expect(response.json.__type).toBe('com.amazon.coral.validate#ValidationException');
      expect(response.json.message, JSON.stringify(spec)).toBe(message);
    }
  });

  it('keeps the setting across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'eddy-ttl-'));
    dirs.push(dataDir);
    const first = await startEddy({ inMemory: false, dataDir });
    await createTable(first, 'Persistent');
    await createTable(first, 'NeverEnabled');
    await updateTtl(first, 'Persistent', true, 'deadline');
    await put(first, 'Persistent', 'soon', { deadline: n(nowSeconds(first) + 100) });
    await put(first, 'Persistent', 'later', { deadline: n(nowSeconds(first) + 10 * DAY) });
    await first.close();

    const second = await startEddy({ inMemory: false, dataDir });
    try {
      expect(await describeTtl(second, 'Persistent')).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'deadline' });
      expect(await describeTtl(second, 'NeverEnabled')).toEqual({ TimeToLiveStatus: 'DISABLED' });
      expect(await keysIn(second, 'Persistent')).toEqual(['later', 'soon']);
      second.eddy.clock.advance(200_000);
      expect(await keysIn(second, 'Persistent')).toEqual(['later']);
    } finally {
      await second.close();
    }
  });

  it('follows AWS on a table that is still CREATING, and works once it is ACTIVE', async () => {
    const slow = await startEddy({ tableTransitionMs: 60_000 });
    try {
      await createTable(slow, 'Creating');
      const update = await errorOf(() => updateTtl(slow, 'Creating', true));
      expect(update.name).toBe('ResourceInUseException');
      expect(update.message).toBe('Attempt to change a resource which is still in use: Table Creating is being created');
      const describe = await errorOf(() => describeTtl(slow, 'Creating'));
      expect(describe.name).toBe('ValidationException');
      expect(describe.message).toBe('Cannot describe time to live while table is in CREATING state: Current table state is CREATING');
      slow.eddy.clock.advance(60_000);
      await updateTtl(slow, 'Creating', true);
      expect(await describeTtl(slow, 'Creating')).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
    } finally {
      await slow.close();
    }
  });

  it('leaves DescribeTable unchanged', async () => {
    await createTable(t, 'TtlDescribeTable');
    const before = (await t.ddb.send(new DescribeTableCommand({ TableName: 'TtlDescribeTable' }))).Table;
    await updateTtl(t, 'TtlDescribeTable', true);
    const after = (await t.ddb.send(new DescribeTableCommand({ TableName: 'TtlDescribeTable' }))).Table;
    expect(after).toEqual(before);
  });
});

describe('expiry', () => {
  it('deletes exactly the items whose TTL is a Number at or before now, within five years', async () => {
    await createTable(t, 'Expiring');
    await updateTtl(t, 'Expiring', true);
    const now = nowSeconds();
    await put(t, 'Expiring', 'past', { expiresAt: n(now - 60) });
    await put(t, 'Expiring', 'soon', { expiresAt: n(now + 100) });
    await put(t, 'Expiring', 'fractional', { expiresAt: { N: `${now + 50}.5` } });
    await put(t, 'Expiring', 'four-years-ago', { expiresAt: n(now - 4 * YEAR) });
    await put(t, 'Expiring', 'future', { expiresAt: n(now + 1000) });
    await put(t, 'Expiring', 'missing');
    await put(t, 'Expiring', 'string', { expiresAt: { S: String(now - 60) } });
    await put(t, 'Expiring', 'number-set', { expiresAt: { NS: [String(now - 60)] } });
    await put(t, 'Expiring', 'nested', { expiresAt: { M: { N: n(now - 60) } } });
    await put(t, 'Expiring', 'six-years-ago', { expiresAt: n(now - 6 * YEAR) });
    await put(t, 'Expiring', 'milliseconds', { expiresAt: n((now - 60) * 1000) });
    await put(t, 'Expiring', 'other-attribute', { ttl: n(now - 60) });
    // Nothing that expires after now can have gone yet, whatever the background sweep did.
    expect(await exists(t, 'Expiring', 'soon')).toBe(true);
    expect(await exists(t, 'Expiring', 'fractional')).toBe(true);

    t.eddy.clock.advance(200_000);
    const kept = ['future', 'milliseconds', 'missing', 'nested', 'number-set', 'other-attribute', 'six-years-ago', 'string'];
    expect(await keysIn(t, 'Expiring')).toEqual(kept);
    for (const gone of ['past', 'soon', 'fractional', 'four-years-ago']) expect(await exists(t, 'Expiring', gone), gone).toBe(false);

    // The table's count and size follow the deletions.
    const { Table } = await t.ddb.send(new DescribeTableCommand({ TableName: 'Expiring' }));
    expect(Table?.ItemCount).toBe(kept.length);
  });

  it('follows the TTL attribute through every write: extended, removed, set, moved into the past', async () => {
    await createTable(t, 'Rewritten');
    await updateTtl(t, 'Rewritten', true);
    const now = nowSeconds();
    for (const pk of ['extended', 'removed', 'set', 'shortened', 'replaced']) await put(t, 'Rewritten', pk, { expiresAt: n(now + (pk === 'set' ? 10 * DAY : 100)) });
    await put(t, 'Rewritten', 'set', {});
    const update = (pk: string, expression: string, values?: Record<string, AttributeValue>) =>
      t.ddb.send(new UpdateItemCommand({ TableName: 'Rewritten', Key: { pk: { S: pk } }, UpdateExpression: expression, ExpressionAttributeValues: values }));
    await update('extended', 'SET expiresAt = :t', { ':t': n(now + 10 * DAY) });
    await update('removed', 'REMOVE expiresAt');
    await update('set', 'SET expiresAt = :t', { ':t': n(now + 100) });
    await update('shortened', 'SET expiresAt = expiresAt - :d', { ':d': n(50) });
    await put(t, 'Rewritten', 'replaced', { expiresAt: { S: 'never' } });

    t.eddy.clock.advance(75_000);
    expect(await keysIn(t, 'Rewritten')).toEqual(['extended', 'removed', 'replaced', 'set']);
    t.eddy.clock.advance(50_000);
    expect(await keysIn(t, 'Rewritten')).toEqual(['extended', 'removed', 'replaced']);
  });

  it('indexes the items already in a table when TTL is enabled', async () => {
    await createTable(t, 'Backfilled');
    const now = nowSeconds();
    await put(t, 'Backfilled', 'due', { 'exp.at': n(now + 100) });
    await put(t, 'Backfilled', 'later', { 'exp.at': n(now + 10 * DAY) });
    await put(t, 'Backfilled', 'text', { 'exp.at': { S: '1' } });
    await put(t, 'Backfilled', 'ancient', { 'exp.at': n(now - 6 * YEAR) });
    t.eddy.clock.advance(200_000);
    expect(await keysIn(t, 'Backfilled')).toEqual(['ancient', 'due', 'later', 'text']);

    await updateTtl(t, 'Backfilled', true, 'exp.at');
    t.eddy.clock.advance(0);
    expect(await keysIn(t, 'Backfilled')).toEqual(['ancient', 'later', 'text']);
  });

  it('stops deleting once TTL is disabled', async () => {
    await createTable(t, 'Disabled');
    await updateTtl(t, 'Disabled', true);
    const now = nowSeconds();
    await put(t, 'Disabled', 'a', { expiresAt: n(now + 100) });
    await updateTtl(t, 'Disabled', false);
    await put(t, 'Disabled', 'b', { expiresAt: n(now + 100) });
    t.eddy.clock.advance(200_000);
    expect(t.eddy.sweepExpiredItems()).toBe(0);
    expect(await keysIn(t, 'Disabled')).toEqual(['a', 'b']);
  });

  it('deletes through the change listeners, marked byService, with the old image', async () => {
    await createTable(t, 'Observed');
    await updateTtl(t, 'Observed', true);
    const item = { pk: { S: 'watched' }, expiresAt: n(nowSeconds() + 100), payload: { S: 'kept in the old image' } };
    await t.ddb.send(new PutItemCommand({ TableName: 'Observed', Item: item }));
    await t.ddb.send(new PutItemCommand({ TableName: 'Observed', Item: { pk: { S: 'by-user' } } }));
    await t.ddb.send(new DeleteItemCommand({ TableName: 'Observed', Key: { pk: { S: 'by-user' } } }));
    t.eddy.clock.advance(200_000);

    const deletes = changes.filter((c) => c.table.description.TableName === 'Observed' && c.newItem === undefined);
    expect(deletes).toHaveLength(2);
    expect(deletes[0]!.byService).toBeFalsy();
    expect(deletes[1]).toMatchObject({ key: { pk: { S: 'watched' } }, oldItem: item, newItem: undefined, byService: true });
  });

  it('deletes an item whose expiry passes while the clock jumps years ahead', async () => {
    const jumpy = await startEddy();
    try {
      await createTable(jumpy, 'Jump');
      await updateTtl(jumpy, 'Jump', true);
      await put(jumpy, 'Jump', 'tomorrow', { expiresAt: n(nowSeconds(jumpy) + DAY) });
      await put(jumpy, 'Jump', 'far', { expiresAt: n(nowSeconds(jumpy) + 20 * YEAR) });
      jumpy.eddy.clock.advance(10 * YEAR * 1000);
      expect(await keysIn(jumpy, 'Jump')).toEqual(['far']);
    } finally {
      await jumpy.close();
    }
  });

  it('goes with its table: a table re-created under the same name starts with TTL disabled', async () => {
    await createTable(t, 'Dropped');
    await updateTtl(t, 'Dropped', true);
    await put(t, 'Dropped', 'x', { expiresAt: n(nowSeconds() + 100) });
    await t.ddb.send(new DeleteTableCommand({ TableName: 'Dropped' }));
    t.eddy.clock.advance(200_000);
    await createTable(t, 'Dropped');
    expect(await describeTtl(t, 'Dropped')).toEqual({ TimeToLiveStatus: 'DISABLED' });
    await put(t, 'Dropped', 'y', { expiresAt: n(nowSeconds() - 60) });
    t.eddy.clock.advance(1);
    expect(await keysIn(t, 'Dropped')).toEqual(['y']);
  });
});

describe('the sweeper', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sweeps every second of wall time; until then an expired item is still read, as on AWS', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const ticking = await startEddy();
    try {
      await createTable(ticking, 'Ticking');
      await updateTtl(ticking, 'Ticking', true);
      await put(ticking, 'Ticking', 'expired', { expiresAt: n(nowSeconds(ticking) - 60) });
      expect(await exists(ticking, 'Ticking', 'expired')).toBe(true);
      vi.advanceTimersByTime(999);
      expect(await exists(ticking, 'Ticking', 'expired')).toBe(true);
      vi.advanceTimersByTime(1);
      expect(await exists(ticking, 'Ticking', 'expired')).toBe(false);
    } finally {
      await ticking.close();
    }
  });

  it('deletes a backlog in bounded batches, finishing on later turns of the event loop', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const batched = await startTuned({ ttlSweep: { batchSize: 10 } });
    const deleted: ItemChange[] = [];
    batched.eddy.items.onChange((change) => {
      if (change.byService) deleted.push(change);
    });
    try {
      await createTable(batched, 'Backlog');
      await updateTtl(batched, 'Backlog', true);
      const due = nowSeconds(batched) + 100;
      await Promise.all(Array.from({ length: 25 }, (_, i) => put(batched, 'Backlog', `k${String(i).padStart(2, '0')}`, { expiresAt: n(due) })));
      await put(batched, 'Backlog', 'survivor', { expiresAt: n(due + DAY) });

      batched.eddy.clock.advance(200_000);
      // One batch ran inside advance(); the rest is queued behind other work.
      expect(deleted).toHaveLength(10);
      for (let turns = 0; deleted.length < 25 && turns < 10; turns++) await new Promise((resolve) => setImmediate(resolve));
      expect(deleted).toHaveLength(25);
      expect(await keysIn(batched, 'Backlog')).toEqual(['survivor']);
    } finally {
      await batched.close();
    }
  });

  it('sweepExpiredItems deletes the whole backlog at once and reports the count', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const batched = await startTuned({ ttlSweep: { batchSize: 10 } });
    try {
      await createTable(batched, 'AllAtOnce');
      await createTable(batched, 'Second');
      await updateTtl(batched, 'AllAtOnce', true);
      await updateTtl(batched, 'Second', true);
      const past = nowSeconds(batched) - 60;
      await Promise.all(Array.from({ length: 23 }, (_, i) => put(batched, 'AllAtOnce', `k${i}`, { expiresAt: n(past) })));
      await Promise.all(Array.from({ length: 7 }, (_, i) => put(batched, 'Second', `k${i}`, { expiresAt: n(past) })));
      expect(batched.eddy.sweepExpiredItems()).toBe(30);
      expect(batched.eddy.sweepExpiredItems()).toBe(0);
      expect(await keysIn(batched, 'AllAtOnce')).toEqual([]);
      expect(await keysIn(batched, 'Second')).toEqual([]);
    } finally {
      await batched.close();
    }
  });

  it('stops with close(): the clock no longer triggers sweeps of the closed database', async () => {
    const errors: unknown[] = [];
    const logger = { error: (...args: unknown[]) => errors.push(args) } as unknown as NonNullable<EddyOptions['logger']>;
    const closing = await startTuned({ logger });
    await createTable(closing, 'Closing');
    await updateTtl(closing, 'Closing', true);
    await closing.close();
    closing.eddy.clock.advance(1000);
    expect(errors).toEqual([]);
  });
});
