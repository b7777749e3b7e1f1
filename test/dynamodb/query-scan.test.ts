import { CreateTableCommand, PutItemCommand, QueryCommand, ScanCommand, paginateQuery, paginateScan, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, startEddy, type TestEddy } from '../helpers/eddy.js';

let t: TestEddy;

const create = (name: string, sortType: 'S' | 'N' | 'B') =>
  t.ddb.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: sortType },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );

const numbers = ['-1e10', '-100', '-2.5', '-2', '-0.001', '0', '0.001', '1', '1.5', '2', '10', '99.99', '100', '1e10', '12345678901234567890123456789012345678'];

beforeAll(async () => {
  t = await startEddy();
  await create('Numbers', 'N');
  // Written in shuffled order: the read order must come from the key index.
  const shuffled = [...numbers].sort((a, b) => (a.length * 7 + b.charCodeAt(0)) % 5 - (b.length * 7 + a.charCodeAt(0)) % 5);
  for (const n of shuffled) await t.ddb.send(new PutItemCommand({ TableName: 'Numbers', Item: { pk: { S: 'p' }, sk: { N: n }, even: { BOOL: Number(n) % 2 === 0 } } }));
  await t.ddb.send(new PutItemCommand({ TableName: 'Numbers', Item: { pk: { S: 'other' }, sk: { N: '5' } } }));

  await create('Binary', 'B');
  for (const bytes of [[0xff], [0x00], [0x01, 0x00], [0x01], [0x80, 0x7f], [0x7f]]) {
    await t.ddb.send(new PutItemCommand({ TableName: 'Binary', Item: { pk: { S: 'p' }, sk: { B: new Uint8Array(bytes) } } }));
  }

  await create('Strings', 'S');
  for (const s of ['b', 'a', 'ab', 'abc', 'B', 'é', '😀', 'aa', 'z']) {
    await t.ddb.send(new PutItemCommand({ TableName: 'Strings', Item: { pk: { S: 'p' }, sk: { S: s } } }));
  }
});
afterAll(async () => t.close());

const sks = (items: Record<string, AttributeValue>[] | undefined) => items!.map((i) => i.sk!.N ?? i.sk!.S ?? Buffer.from(i.sk!.B!).toString('hex'));

describe('Query', () => {
  it('returns numeric sort keys in numeric order, both directions', async () => {
    const forward = await t.ddb.send(new QueryCommand({ TableName: 'Numbers', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } }));
    expect(sks(forward.Items)).toEqual(['-10000000000', '-100', '-2.5', '-2', '-0.001', '0', '0.001', '1', '1.5', '2', '10', '99.99', '100', '10000000000', '12345678901234567890123456789012345678']);
    expect(forward.Count).toBe(numbers.length);
    const backward = await t.ddb.send(new QueryCommand({ TableName: 'Numbers', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, ScanIndexForward: false }));
    expect(sks(backward.Items)).toEqual(sks(forward.Items).reverse());
  });

  it('returns binary sort keys in byte order and strings in UTF-8 byte order', async () => {
    const binary = await t.ddb.send(new QueryCommand({ TableName: 'Binary', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } }));
    expect(sks(binary.Items)).toEqual(['00', '01', '0100', '7f', '807f', 'ff']);
    const strings = await t.ddb.send(new QueryCommand({ TableName: 'Strings', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } }));
    expect(sks(strings.Items)).toEqual(['B', 'a', 'aa', 'ab', 'abc', 'b', 'z', 'é', '😀']);
  });

  it('applies every sort key condition', async () => {
    const q = async (condition: string, values: Record<string, AttributeValue>, table = 'Numbers') =>
      sks((await t.ddb.send(new QueryCommand({ TableName: table, KeyConditionExpression: `pk = :p AND ${condition}`, ExpressionAttributeValues: { ':p': { S: 'p' }, ...values } }))).Items);
    expect(await q('sk BETWEEN :a AND :b', { ':a': { N: '-2' }, ':b': { N: '1' } })).toEqual(['-2', '-0.001', '0', '0.001', '1']);
    expect(await q('sk < :a', { ':a': { N: '-2' } })).toEqual(['-10000000000', '-100', '-2.5']);
    expect(await q(':a <= sk', { ':a': { N: '100' } })).toEqual(['100', '10000000000', '12345678901234567890123456789012345678']);
    expect(await q('sk = :a', { ':a': { N: '1.50' } })).toEqual(['1.5']);
    expect(await q('begins_with(sk, :a)', { ':a': { S: 'a' } }, 'Strings')).toEqual(['a', 'aa', 'ab', 'abc']);
    expect(await q('begins_with(sk, :a)', { ':a': { B: new Uint8Array([0x01]) } }, 'Binary')).toEqual(['01', '0100']);
  });

  it('pages with Limit, counts before the filter, and resumes from LastEvaluatedKey', async () => {
    const first = await t.ddb.send(
      new QueryCommand({ TableName: 'Numbers', KeyConditionExpression: 'pk = :p', FilterExpression: 'even = :t', ExpressionAttributeValues: { ':p': { S: 'p' }, ':t': { BOOL: true } }, Limit: 6 }),
    );
    expect(first.ScannedCount).toBe(6);
    expect(sks(first.Items)).toEqual(['-10000000000', '-100', '-2', '0']);
    expect(first.LastEvaluatedKey).toEqual({ pk: { S: 'p' }, sk: { N: '0' } });
    const pages = [];
    for await (const page of paginateQuery({ client: t.ddb, pageSize: 4 }, { TableName: 'Numbers', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } })) {
      pages.push(sks(page.Items));
    }
    expect(pages.flat()).toHaveLength(numbers.length);
    expect(pages[0]).toHaveLength(4);
  });

  it('counts with Select COUNT and projects attributes', async () => {
    const counted = await t.ddb.send(new QueryCommand({ TableName: 'Numbers', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'other' } }, Select: 'COUNT' }));
    expect(counted.Count).toBe(1);
    expect(counted.Items).toBeUndefined();
    const projected = await t.ddb.send(
      new QueryCommand({ TableName: 'Numbers', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'other' } }, ProjectionExpression: 'sk' }),
    );
    expect(projected.Items).toEqual([{ sk: { N: '5' } }]);
  });

  it('supports the legacy KeyConditions and QueryFilter', async () => {
    const result = await t.ddb.send(
      new QueryCommand({
        TableName: 'Numbers',
        KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p' }] }, sk: { ComparisonOperator: 'GT', AttributeValueList: [{ N: '99' }] } },
        QueryFilter: { even: { ComparisonOperator: 'EQ', AttributeValueList: [{ BOOL: true }] } },
      }),
    );
    expect(sks(result.Items)).toEqual(['100', '10000000000', '12345678901234567890123456789012345678']);
    expect(result.ScannedCount).toBe(4);
  });

  it('stops a page at 1 MB read, before the filter', async () => {
    await create('Big', 'N');
    const blob = 'x'.repeat(100 * 1024);
    for (let i = 0; i < 25; i++) await t.ddb.send(new PutItemCommand({ TableName: 'Big', Item: { pk: { S: 'p' }, sk: { N: String(i) }, blob: { S: blob } } }));
    const first = await t.ddb.send(
      new QueryCommand({ TableName: 'Big', KeyConditionExpression: 'pk = :p', FilterExpression: 'sk < :zero', ExpressionAttributeValues: { ':p': { S: 'p' }, ':zero': { N: '0' } } }),
    );
    // Each item is ~100 KB, so the 11th item crosses 1 MB.
    expect(first.ScannedCount).toBe(11);
    expect(first.Count).toBe(0);
    expect(first.LastEvaluatedKey).toEqual({ pk: { S: 'p' }, sk: { N: '10' } });
    let total = 0;
    let pages = 0;
    for await (const page of paginateQuery({ client: t.ddb }, { TableName: 'Big', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } })) {
      total += page.Count!;
      pages++;
    }
    expect(total).toBe(25);
    expect(pages).toBe(3);
  });

  it('refuses bad key conditions with AWS texts', async () => {
    const cases: [string, Record<string, AttributeValue>, string][] = [
      ['sk = :a', { ':a': { N: '1' } }, 'Query condition missed key schema element: pk'],
      ['pk = :p OR sk = :a', { ':p': { S: 'p' }, ':a': { N: '1' } }, 'Invalid operator used in KeyConditionExpression: OR'],
      ['pk = :p AND sk = :a AND sk = :a', { ':p': { S: 'p' }, ':a': { N: '1' } }, 'KeyConditionExpressions must only contain one condition per key'],
      ['pk = :p AND sk = :a', { ':p': { S: 'p' }, ':a': { S: 'one' } }, 'One or more parameter values were invalid: Condition parameter type does not match schema type'],
      ['pk < :p', { ':p': { S: 'p' } }, 'Query key condition not supported'],
    ];
    for (const [KeyConditionExpression, ExpressionAttributeValues, message] of cases) {
      const error = await errorOf(() => t.ddb.send(new QueryCommand({ TableName: 'Numbers', KeyConditionExpression, ExpressionAttributeValues })));
      expect(error.name, KeyConditionExpression).toBe('ValidationException');
      expect(error.message, KeyConditionExpression).toBe(message);
    }
    const missing = await errorOf(() => t.ddb.send(new QueryCommand({ TableName: 'Numbers' })));
    expect(missing.message).toBe('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
    const index = await errorOf(() => t.ddb.send(new QueryCommand({ TableName: 'Numbers', IndexName: 'byX', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } })));
    expect(index.message).toBe('The table does not have the specified index: byX');
  });
});

describe('Scan', () => {
  it('reads every item once across pages', async () => {
    const seen: string[] = [];
    for await (const page of paginateScan({ client: t.ddb, pageSize: 3 }, { TableName: 'Numbers' })) {
      for (const item of page.Items!) seen.push(`${item.pk!.S}/${item.sk!.N}`);
    }
    expect(seen).toHaveLength(numbers.length + 1);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('splits a parallel scan into disjoint segments that cover the table', async () => {
    const all = new Set<string>();
    let sum = 0;
    for (let segment = 0; segment < 4; segment++) {
      for await (const page of paginateScan({ client: t.ddb, pageSize: 2 }, { TableName: 'Strings', Segment: segment, TotalSegments: 4 })) {
        for (const item of page.Items!) all.add(item.sk!.S!);
        sum += page.Count!;
      }
    }
    expect(sum).toBe(9);
    expect(all.size).toBe(9);
    const error = await errorOf(() => t.ddb.send(new ScanCommand({ TableName: 'Strings', Segment: 4, TotalSegments: 4 })));
    expect(error.message).toBe('The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 4 is not less than TotalSegments: 4');
  });

  it('filters with FilterExpression and the legacy ScanFilter', async () => {
    const expression = await t.ddb.send(new ScanCommand({ TableName: 'Numbers', FilterExpression: 'sk > :n', ExpressionAttributeValues: { ':n': { N: '99.99' } } }));
    expect(expression.Count).toBe(3);
    expect(expression.ScannedCount).toBe(numbers.length + 1);
    const legacy = await t.ddb.send(new ScanCommand({ TableName: 'Numbers', ScanFilter: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'other' }] } } }));
    expect(legacy.Items).toEqual([{ pk: { S: 'other' }, sk: { N: '5' } }]);
  });
});
