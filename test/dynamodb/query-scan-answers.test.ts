/**
 * Query and Scan pages of whole items (no filter, projection or COUNT) are
 * answered with the stored JSON of the items spliced into the response
 * (src/dynamodb/read-page.ts), other pages by parsing each item. Both must
 * answer alike: these tests read the same pages both ways (a filter that
 * keeps every item takes the parsing path) and compare the answers whole,
 * through the SDK and as the bytes on the wire.
 */
import { BatchWriteItemCommand, CreateTableCommand, QueryCommand, ScanCommand, type AttributeValue, type QueryCommandInput, type ScanCommandInput } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawDynamo, startEddy, type TestEddy } from '../helpers/eddy.js';

let t: TestEddy;
const KEEP_ALL = { FilterExpression: 'attribute_exists(pk)' };

/** An item as written; `stored` gives it as DynamoDB returns it (numbers normalised). */
function item(p: number, s: number, stored = false): Record<string, AttributeValue> {
  return {
    pk: { S: `p${p}` },
    sk: { N: String(s) },
    text: { S: `"quoted" \\ back-slashed, ünïcödé 😀 \u2028 ${'x'.repeat(s * 300)}` },
    '7': { N: stored ? '-1500' : '-1.5e3' },
    nested: { M: { list: { L: [{ NULL: true }, { BOOL: false }, { B: new Uint8Array([0, 255, s]) }] }, set: { SS: stored ? ['a', 'b'] : ['b', 'a'] } } },
  };
}

beforeAll(async () => {
  t = await startEddy();
  await t.ddb.send(
    new CreateTableCommand({
      TableName: 'Answers',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  // Three partitions of 50 items of up to ~15 KB, 1.1 MB in all: a Scan without Limit stops its first page at 1 MB.
  for (let p = 0; p < 3; p++) {
    for (let from = 0; from < 50; from += 25) {
      const puts = Array.from({ length: 25 }, (_, i) => ({ PutRequest: { Item: item(p, from + i) } }));
      await t.ddb.send(new BatchWriteItemCommand({ RequestItems: { Answers: puts } }));
    }
  }
});
afterAll(async () => t.close());

const query = (extra: Partial<QueryCommandInput> = {}): QueryCommandInput => ({
  TableName: 'Answers',
  KeyConditionExpression: 'pk = :p',
  ExpressionAttributeValues: { ':p': { S: 'p1' } },
  ...extra,
});
const scan = (extra: Partial<ScanCommandInput> = {}): ScanCommandInput => ({ TableName: 'Answers', ...extra });
const withoutMetadata = <T extends { $metadata?: unknown }>(output: T): Omit<T, '$metadata'> => {
  const { $metadata: _ignored, ...rest } = output;
  return rest;
};

describe('Query and Scan answers of whole items', () => {
  const variants: [string, Partial<QueryCommandInput & ScanCommandInput>][] = [
    ['no options', {}],
    ['Limit in the middle', { Limit: 7 }],
    ['Limit equal to what is there (a LastEvaluatedKey all the same)', { Limit: 50 }],
    ['ConsumedCapacity TOTAL', { ReturnConsumedCapacity: 'TOTAL', Limit: 9 }],
    ['ConsumedCapacity INDEXES, consistent', { ReturnConsumedCapacity: 'INDEXES', ConsistentRead: true }],
    ['ConsumedCapacity NONE', { ReturnConsumedCapacity: 'NONE' }],
    ['Select ALL_ATTRIBUTES', { Select: 'ALL_ATTRIBUTES', Limit: 3 }],
  ];
  for (const [name, extra] of variants) {
    it(`Query, ${name}: the same answer as the parsing path`, async () => {
      const whole = await t.ddb.send(new QueryCommand(query(extra)));
      const parsed = await t.ddb.send(new QueryCommand(query({ ...extra, ...KEEP_ALL })));
      expect(whole.Items!.length).toBeGreaterThan(0);
      expect(withoutMetadata(whole)).toEqual(withoutMetadata(parsed));
      expect(whole.Items![0]).toEqual(item(1, 0, true));
    });

    it(`Scan, ${name}: the same answer as the parsing path`, async () => {
      const whole = await t.ddb.send(new ScanCommand(scan(extra)));
      const parsed = await t.ddb.send(new ScanCommand(scan({ ...extra, ...KEEP_ALL })));
      expect(whole.Items!.length).toBeGreaterThan(0);
      expect(withoutMetadata(whole)).toEqual(withoutMetadata(parsed));
    });
  }

  it('stops a Scan page at 1 MB read', async () => {
    const first = await t.ddb.send(new ScanCommand(scan()));
    expect(first.LastEvaluatedKey).toBeDefined();
    expect(first.Count).toBeLessThan(150);
  });

  it('resumes from each LastEvaluatedKey through the whole table, every item once, in the same pages as the parsing path', async () => {
    const pages = async (extra: Partial<ScanCommandInput>) => {
      const seen: string[][] = [];
      let start: Record<string, AttributeValue> | undefined;
      do {
        const page = await t.ddb.send(new ScanCommand(scan({ Limit: 11, ...extra, ...(start ? { ExclusiveStartKey: start } : {}) })));
        seen.push(page.Items!.map((i) => `${i.pk!.S}/${i.sk!.N}`));
        start = page.LastEvaluatedKey;
      } while (start);
      return seen;
    };
    const whole = await pages({});
    expect(whole.flat()).toHaveLength(150);
    expect(new Set(whole.flat()).size).toBe(150);
    expect(whole).toEqual(await pages(KEEP_ALL));
  });

  it('sends the bytes JSON.stringify of the parsed answer would, members in the same order', async () => {
    for (const body of [
      { TableName: 'Answers', Limit: 4, ReturnConsumedCapacity: 'TOTAL' },
      { TableName: 'Answers', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p2' } }, Limit: 2, ReturnConsumedCapacity: 'INDEXES' },
      { TableName: 'Answers', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'none' } } },
    ]) {
      const operation = 'KeyConditionExpression' in body ? 'Query' : 'Scan';
      const whole = await rawDynamo(t.endpoint, operation, body);
      const parsed = await rawDynamo(t.endpoint, operation, { ...body, ...KEEP_ALL });
      expect(whole.status).toBe(200);
      expect(whole.text).toBe(parsed.text);
    }
    const empty = await rawDynamo(t.endpoint, 'Query', { TableName: 'Answers', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'none' } } });
    expect(empty.text).toBe('{"Items":[],"Count":0,"ScannedCount":0}');
  });
});
