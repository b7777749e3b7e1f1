import {
  CreateTableCommand,
  DeleteItemCommand,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
  UpdateTimeToLiveCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generator } from '../helpers/random.js';
import { readRecords, recordToJson, startStreamsEddy, type StreamsEddy } from './records-support.js';

// Random writes through every expression feature (nested paths, list
// indexes, if_not_exists, list_append, arithmetic, ADD and DELETE on sets,
// conditions of every kind), many of them refused. Whatever happened, the
// stream must tell it exactly: replaying each key's records in order, every
// OldImage is the previous record's NewImage, and the last NewImage (none
// after a REMOVE) is the item the table holds now; and the global index holds
// exactly the items that have its key.

const NAMES = ['a', 'b', 'l', 'm', 's', 'n', 'ns', 'bs', 'g', 'ttl', 'x'];
const VALUES: AttributeValue[] = [
  { N: '1' }, { N: '-1.5e10' }, { N: '99999999999999999999999999999999999999' }, { S: '' }, { S: 'abc' }, { B: new Uint8Array([0, 1]) }, { BOOL: true }, { NULL: true },
  { L: [] }, { L: [{ N: '1' }, { S: 'x' }, { L: [{ M: {} }] }] }, { M: {} }, { M: { a: { M: { b: { L: [{ N: '2' }] } } } } }, { SS: ['a', 'b'] }, { NS: ['1', '2'] }, { BS: [new Uint8Array([0, 1])] },
];
const KEYS = 5;

type Random = ReturnType<typeof generator>;

function path(g: Random): string {
  let text = `#${g.pick(NAMES)}`;
  for (let i = g.int(3); i > 0; i--) text += g.next() < 0.5 ? `[${g.pick([0, 1, 2, 5])}]` : `.#${g.pick(NAMES)}`;
  return text;
}

const value = (g: Random): string => `:v${g.int(VALUES.length)}`;

function operand(g: Random): string {
  const r = g.next();
  if (r < 0.4) return path(g);
  if (r < 0.7) return value(g);
  if (r < 0.8) return `if_not_exists(${path(g)}, ${value(g)})`;
  if (r < 0.9) return `list_append(${g.next() < 0.5 ? path(g) : value(g)}, ${g.next() < 0.5 ? path(g) : value(g)})`;
  return `${path(g)} ${g.pick(['+', '-'])} ${value(g)}`;
}

function update(g: Random): string {
  const clauses: string[] = [];
  if (g.next() < 0.8) clauses.push(`SET ${Array.from({ length: 1 + g.int(3) }, () => `${path(g)} = ${operand(g)}`).join(', ')}`);
  if (g.next() < 0.3) clauses.push(`REMOVE ${Array.from({ length: 1 + g.int(2) }, () => path(g)).join(', ')}`);
  if (g.next() < 0.3) clauses.push(`ADD ${path(g)} ${value(g)}`);
  if (g.next() < 0.3) clauses.push(`DELETE ${path(g)} ${value(g)}`);
  return clauses.join(' ') || `SET #a = ${value(g)}`;
}

function condition(g: Random, depth = 0): string {
  const r = g.next();
  if (depth < 2 && r < 0.2) return `(${condition(g, depth + 1)}) ${g.pick(['AND', 'OR'])} ${condition(g, depth + 1)}`;
  if (depth < 2 && r < 0.25) return `NOT ${condition(g, depth + 1)}`;
  return g.pick([
    () => `attribute_exists(${path(g)})`,
    () => `attribute_not_exists(${path(g)})`,
    () => `begins_with(${path(g)}, ${operand(g)})`,
    () => `contains(${path(g)}, ${operand(g)})`,
    () => `size(${path(g)}) ${g.pick(['=', '<', '>=', '<>'])} ${operand(g)}`,
    () => `${operand(g)} ${g.pick(['=', '<>', '<', '<=', '>', '>='])} ${operand(g)}`,
    () => `${path(g)} BETWEEN ${operand(g)} AND ${operand(g)}`,
    () => `${path(g)} IN (${operand(g)}, ${operand(g)})`,
  ])();
}

/** The names and values an expression uses: DynamoDB refuses unused ones. */
function placeholders(text: string): { ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, AttributeValue> } {
  const names = Object.fromEntries(NAMES.filter((name) => new RegExp(`#${name}(?![\\w])`).test(text)).map((name) => [`#${name}`, name]));
  const values = Object.fromEntries(VALUES.map((v, i) => [`:v${i}`, v] as const).filter(([key]) => new RegExp(`${key}(?![\\w])`).test(text)));
  return { ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}), ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}) };
}

async function randomWrites(t: StreamsEddy, g: Random, count: number): Promise<number> {
  let accepted = 0;
  for (let i = 0; i < count; i++) {
    const Key = { pk: { S: `k${g.int(KEYS)}` } };
    const r = g.next();
    let request: Promise<unknown>;
    if (r < 0.2) {
      const Item: Record<string, AttributeValue> = { ...Key };
      for (const name of NAMES) if (g.next() < 0.4) Item[name] = g.pick(VALUES);
      request = t.ddb.send(new PutItemCommand({ TableName: 'Replay', Item }));
    } else if (r < 0.85) {
      const UpdateExpression = update(g);
      const ConditionExpression = g.next() < 0.4 ? condition(g) : undefined;
      request = t.ddb.send(new UpdateItemCommand({ TableName: 'Replay', Key, UpdateExpression, ConditionExpression, ...placeholders(`${UpdateExpression} ${ConditionExpression ?? ''}`) }));
    } else {
      const ConditionExpression = g.next() < 0.7 ? condition(g) : undefined;
      request = t.ddb.send(new DeleteItemCommand({ TableName: 'Replay', Key, ConditionExpression, ...placeholders(ConditionExpression ?? '') }));
    }
    try {
      await request;
      accepted++;
    } catch (error) {
      // Refusals are part of the game; anything but a client error is not.
      expect((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode, String(error)).toBe(400);
    }
  }
  return accepted;
}

/** `value` with the entries of every object in name order. */
function namesInOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(namesInOrder);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((name) => [name, namesInOrder((value as Record<string, unknown>)[name])]),
  );
}

/** Checks that the index holds exactly the table's items with a number g (it is sparse); returns how many it holds. */
async function checkIndex(): Promise<number> {
  const table = await t.ddb.send(new ScanCommand({ TableName: 'Replay', ConsistentRead: true }));
  const indexed = await t.ddb.send(new ScanCommand({ TableName: 'Replay', IndexName: 'ByG' }));
  // Compared as sets of items: attribute order is no part of an item (a streamed table stores its items' attributes in name order, its index entries as written).
  const sorted = (items: unknown[]) => items.map((item) => JSON.stringify(namesInOrder(recordToJson(item)))).sort();
  expect(sorted(indexed.Items!)).toEqual(sorted(table.Items!.filter((item) => item.g?.N !== undefined)));
  return indexed.Items!.length;
}

let t: StreamsEddy;
beforeEach(async () => {
  t = await startStreamsEddy({ streamShards: 3 });
  await t.ddb.send(
    new CreateTableCommand({
      TableName: 'Replay',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'N' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      GlobalSecondaryIndexes: [{ IndexName: 'ByG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    }),
  );
  await t.ddb.send(new UpdateTimeToLiveCommand({ TableName: 'Replay', TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' } }));
});
afterEach(async () => {
  await t.close();
});

describe('the stream replays the table', () => {
  for (const seed of [1, 2]) {
    it(`after 800 random expression writes (seed ${seed}): old images chain, the last new image is the item`, async () => {
      const g = generator(seed);
      let accepted = 0;
      let largestIndex = 0;
      for (let round = 0; round < 8; round++) {
        accepted += await randomWrites(t, g, 100);
        largestIndex = Math.max(largestIndex, await checkIndex());
      }
      // Some writes go through, some are refused: both paths are exercised.
      expect(accepted).toBeGreaterThan(100);
      expect(accepted).toBeLessThan(800);
      expect(largestIndex).toBeGreaterThan(0);

      const records = await readRecords(t, 'Replay');
      expect(records.length).toBeGreaterThan(50);
      const replayed = new Map<string, unknown>();
      for (const record of records) {
        const key = record.dynamodb!.Keys!.pk!.S!;
        expect(recordToJson(record.dynamodb!.OldImage), `OldImage of ${record.eventName} ${key} #${record.dynamodb!.SequenceNumber}`).toEqual(replayed.get(key));
        replayed.set(key, record.eventName === 'REMOVE' ? undefined : recordToJson(record.dynamodb!.NewImage));
      }
      const { Items } = await t.ddb.send(new ScanCommand({ TableName: 'Replay', ConsistentRead: true }));
      const table = new Map(Items!.map((item) => [item.pk!.S!, recordToJson(item)]));
      for (let i = 0; i < KEYS; i++) expect(table.get(`k${i}`), `k${i}`).toEqual(replayed.get(`k${i}`));
    }, 60_000);
  }
});
