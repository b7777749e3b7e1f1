/**
 * Items put from a request body without a backslash are stored by quoting
 * their strings (src/dynamodb/values/item-json.ts) instead of through
 * JSON.stringify. The stored text is what GetItem answers and what stream
 * capture compares, so the same item must be stored as the same text however
 * it was sent: with escapes (JSON.stringify's path) or without (the quoting
 * path), by PutItem, BatchWriteItem or TransactWriteItems. Raw requests, since
 * an SDK never escapes a character that needs none; the stream read with the
 * SDK v3 DynamoDB Streams client.
 */
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawDynamo } from '../helpers/eddy.js';
import { readRecords, startStreamsEddy, type StreamsEddy } from '../streams/records-support.js';

let t: StreamsEddy;

beforeAll(async () => {
  // Each test reads the whole stream again: more readers of its shard than AWS allows at once.
  t = await startStreamsEddy({ streamMaxReadersPerShard: 100 });
  await t.ddb.send(
    new CreateTableCommand({
      TableName: 'plain',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
});

afterAll(async () => {
  await t.close();
});

/**
 * One item's JSON, without a backslash: integer-like names (JSON.stringify
 * writes them first), a "__proto__" attribute, sets that validation sorts and
 * normalizes, nested maps and lists, non-ASCII text and U+2028.
 */
const itemJson = (pk: string) =>
  `{"pk":{"S":"${pk}"},"b":{"S":"a/b <c> 'd' é 😀 \u2028"},"10":{"N":"1.50"},"2":{"BOOL":false},"__proto__":{"M":{"z":{"NULL":true},"0":{"L":[{"S":""},{"N":"-0.0"},{"B":"AAE="}]}}},` +
  `"ss":{"SS":["y","x"]},"ns":{"NS":["10","9.0"]},"bs":{"BS":["AQ==","AA=="]}}`;

/** The same item's JSON with escapes a client may use for characters that need none. */
const escaped = (json: string) => json.replace(/a\/b/, 'a\\/b').replace('<c>', '\\u003cc\\u003e').replace('é', '\\u00e9').replace('😀', '\\ud83d\\ude00').replace('"ss"', '"\\u0073s"');

/** Puts one item's JSON by each write operation that takes items from the body. */
const puts: Record<string, (item: string) => Promise<{ status: number; text: string }>> = {
  PutItem: (item) => rawDynamo(t.endpoint, 'PutItem', `{"TableName":"plain","Item":${item}}`),
  BatchWriteItem: (item) => rawDynamo(t.endpoint, 'BatchWriteItem', `{"RequestItems":{"plain":[{"PutRequest":{"Item":${item}}}]}}`),
  TransactWriteItems: (item) => rawDynamo(t.endpoint, 'TransactWriteItems', `{"TransactItems":[{"Put":{"TableName":"plain","Item":${item}}}]}`),
};

async function storedText(pk: string): Promise<string> {
  const { status, text } = await rawDynamo(t.endpoint, 'GetItem', { TableName: 'plain', Key: { pk: { S: pk } } });
  expect(status).toBe(200);
  return text;
}

const recordsOf = async (pk: string) => (await readRecords(t, 'plain')).filter((record) => record.dynamodb?.Keys?.pk?.S === pk);

describe('an item sent with or without escapes', () => {
  for (const [operation, put] of Object.entries(puts)) {
    it(`${operation}: is stored as the same text, and rewriting it either way appends no stream record`, async () => {
      const pk = `key-${operation}`;
      // The two bodies: one without a backslash, one with escapes, of the same item.
      expect(itemJson(pk)).not.toContain('\\');
      expect(escaped(itemJson(pk))).toContain('\\u00e9');
      expect(JSON.parse(escaped(itemJson(pk)))).toEqual(JSON.parse(itemJson(pk)));
      expect((await put(escaped(itemJson(pk)))).status).toBe(200);
      const withEscapes = await storedText(pk);
      expect((await put(itemJson(pk))).status).toBe(200);
      const plain = await storedText(pk);
      expect(plain).toBe(withEscapes);
      expect((await put(escaped(itemJson(pk)))).status).toBe(200);
      expect(await storedText(pk)).toBe(withEscapes);

      // The answer is DynamoDB's JSON of the item as validation left it, in a
      // streamed table's canonical order: the key first, then attributes and
      // map entries in name order.
      expect(plain.indexOf('"pk":')).toBeLessThan(plain.indexOf('"10":'));
      expect(plain.indexOf('"10":')).toBeLessThan(plain.indexOf('"2":'));
      expect(plain.indexOf('"0":')).toBeLessThan(plain.indexOf('"z":'));
      const answered = JSON.parse(plain).Item;
      expect(Object.keys(answered)).toEqual(['2', '10', 'pk', '__proto__', 'b', 'bs', 'ns', 'ss']);
      expect(answered['10']).toEqual({ N: '1.5' });
      expect(answered.ss).toEqual({ SS: ['x', 'y'] });
      expect(answered.ns).toEqual({ NS: ['9', '10'] });
      expect(answered.bs).toEqual({ BS: ['AA==', 'AQ=='] });
      expect(answered.__proto__).toEqual({ M: { '0': { L: [{ S: '' }, { N: '0' }, { B: 'AAE=' }] }, z: { NULL: true } } });
      expect(answered.b.S).toBe("a/b <c> 'd' é 😀 \u2028");

      const records = await recordsOf(pk);
      expect(records.map((record) => record.eventName)).toEqual(['INSERT']);
    });
  }

  it('a change sent without escapes after one sent with them is one MODIFY whose images are the two items', async () => {
    const pk = 'key-change';
    expect((await puts.PutItem!(escaped(itemJson(pk)))).status).toBe(200);
    expect((await puts.BatchWriteItem!(itemJson(pk).replace('"2":{"BOOL":false}', '"2":{"BOOL":true}'))).status).toBe(200);
    const records = await recordsOf(pk);
    expect(records.map((record) => record.eventName)).toEqual(['INSERT', 'MODIFY']);
    expect(records[1]!.dynamodb!.OldImage!['2']).toEqual({ BOOL: false });
    expect(records[1]!.dynamodb!.NewImage!['2']).toEqual({ BOOL: true });
  });

  it('strings that need escaping are stored escaped and answered as sent', async () => {
    const pk = 'key-escapes';
    const text = 'quote " backslash \\ newline \n tab \t nul \u0000 é';
    expect((await puts.PutItem!(JSON.stringify({ pk: { S: pk }, s: { S: text }, m: { M: { 'a"b': { SS: ['x\\y'] } } } }))).status).toBe(200);
    const answered = JSON.parse(await storedText(pk)).Item;
    expect(answered).toEqual({ pk: { S: pk }, s: { S: text }, m: { M: { 'a"b': { SS: ['x\\y'] } } } });
  });
});
