import {
  CreateTableCommand,
  ExecuteStatementCommand,
  GetItemCommand,
  PutItemCommand,
  type AttributeValue,
  type ExecuteStatementCommandInput,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemChange } from '../../src/dynamodb/item-store.js';
import { errorOf, startEddy, type TestEddy } from '../helpers/eddy.js';

type Item = Record<string, AttributeValue>;

const NOT_WELL_FORMED = "Statement wasn't well formed, can't be processed: ";

let t: TestEddy;
const changes: ItemChange[] = [];

async function createTable(TableName: string, hash: [string, 'S' | 'N'], range?: [string, 'S' | 'N']): Promise<void> {
  await t.ddb.send(
    new CreateTableCommand({
      TableName,
      AttributeDefinitions: [
        { AttributeName: hash[0], AttributeType: hash[1] },
        ...(range ? [{ AttributeName: range[0], AttributeType: range[1] }] : []),
      ],
      KeySchema: [{ AttributeName: hash[0], KeyType: 'HASH' }, ...(range ? [{ AttributeName: range[0], KeyType: 'RANGE' as const }] : [])],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
}

beforeAll(async () => {
  t = await startEddy();
  t.eddy.items.onChange((change) => changes.push(change));
  await createTable('PqHash', ['pk', 'S']);
  await createTable('PqComposite', ['pk', 'S'], ['sk', 'S']);
  await createTable('PqRange', ['pk', 'S'], ['sk', 'N']);
  await createTable('PqNumbers', ['pk', 'N']);
});
afterAll(async () => t.close());

const put = (TableName: string, Item: Item) => t.ddb.send(new PutItemCommand({ TableName, Item }));
const stored = async (TableName: string, Key: Item) => (await t.ddb.send(new GetItemCommand({ TableName, Key, ConsistentRead: true }))).Item;

async function run(Statement: string, Parameters?: AttributeValue[], extra: Partial<ExecuteStatementCommandInput> = {}) {
  const { $metadata: _metadata, ...output } = await t.ddb.send(new ExecuteStatementCommand({ Statement, ...(Parameters ? { Parameters } : {}), ...extra }));
  return output;
}

async function refused(Statement: string, Parameters?: AttributeValue[], extra: Partial<ExecuteStatementCommandInput> = {}) {
  return errorOf(() => t.ddb.send(new ExecuteStatementCommand({ Statement, ...(Parameters ? { Parameters } : {}), ...extra })));
}

async function expectValidation(Statement: string, message: string, Parameters?: AttributeValue[]): Promise<void> {
  const error = await refused(Statement, Parameters);
  expect(error.name).toBe('ValidationException');
  expect(error.message).toBe(message);
}

/** Every item of a SELECT, following NextToken; also returns the page sizes. */
async function selectAll(Statement: string, Limit?: number, Parameters?: AttributeValue[]) {
  const items: Item[] = [];
  const pages: number[] = [];
  let NextToken: string | undefined;
  do {
    const page = await run(Statement, Parameters, { ...(Limit ? { Limit } : {}), ...(NextToken ? { NextToken } : {}) });
    items.push(...(page.Items ?? []));
    pages.push(page.Items?.length ?? 0);
    NextToken = page.NextToken;
    if (NextToken) expect(page.LastEvaluatedKey).toBeDefined();
  } while (NextToken);
  return { items, pages };
}

describe('SELECT', () => {
  beforeAll(async () => {
    for (let i = 1; i <= 5; i++) {
      await put('PqRange', { pk: { S: 'p' }, sk: { N: String(i) }, n: { N: String(i * 10) }, tag: { S: i % 2 ? 'odd' : 'even' } });
    }
    await put('PqRange', { pk: { S: 'q' }, sk: { N: '1' }, n: { N: '100' }, tag: { S: 'odd' } });
    await put('PqHash', {
      pk: { S: 'doc' },
      m: { M: { k: { L: [{ S: 'c' }, { S: 'd' }] }, sub: { S: 'x' } } },
      l: { L: [{ S: 'a' }, { S: 'b' }] },
      ss: { SS: ['a', 'b', 'c'] },
      s: { S: 'str' },
      nul: { NULL: true },
      flag: { BOOL: true },
    });
  });

  const sks = (items: Item[] | undefined) => (items ?? []).map((item) => item.sk!.N);

  it('reads one item by its full key, and nothing when it is missing', async () => {
    expect((await run(`SELECT * FROM "PqRange" WHERE pk = 'p' AND sk = 3`)).Items).toEqual([
      { pk: { S: 'p' }, sk: { N: '3' }, n: { N: '30' }, tag: { S: 'odd' } },
    ]);
    expect((await run(`SELECT * FROM "PqRange" WHERE pk = 'p' AND sk = 9`)).Items).toEqual([]);
  });

  it('queries a partition in sort-key order with sort-key conditions', async () => {
    expect(sks((await run(`SELECT * FROM "PqRange" WHERE pk = 'p'`)).Items)).toEqual(['1', '2', '3', '4', '5']);
    expect(sks((await run(`SELECT * FROM "PqRange" WHERE pk = 'p' AND sk BETWEEN 2 AND 4`)).Items)).toEqual(['2', '3', '4']);
    expect(sks((await run(`SELECT * FROM "PqRange" WHERE pk = 'p' AND sk > 3`)).Items)).toEqual(['4', '5']);
    expect(sks((await run(`SELECT * FROM "PqRange" WHERE 2 >= sk AND pk = 'p'`)).Items)).toEqual(['1', '2']);
    expect(sks((await run(`SELECT * FROM "PqRange" WHERE pk = 'p' AND sk >= 2 AND sk < 4 AND tag = 'even'`)).Items)).toEqual(['2']);
  });

  it('orders by the sort key descending with ORDER BY', async () => {
    expect(sks((await run(`SELECT * FROM "PqRange" WHERE pk = 'p' ORDER BY sk DESC`)).Items)).toEqual(['5', '4', '3', '2', '1']);
    expect(sks((await run(`SELECT * FROM "PqRange" WHERE pk = 'p' ORDER BY sk ASC`)).Items)).toEqual(['1', '2', '3', '4', '5']);
  });

  it('refuses ORDER BY without WHERE, on a non-key attribute, or without a partition key condition', async () => {
    await expectValidation(`SELECT * FROM "PqRange" ORDER BY sk`, 'Must have WHERE clause in the statement when using ORDER BY clause.');
    await expectValidation(`SELECT * FROM "PqRange" WHERE pk = 'p' ORDER BY n`, 'Variable reference n in ORDER BY clause must be part of the primary key');
    await expectValidation(
      `SELECT * FROM "PqRange" WHERE n > 1 ORDER BY sk`,
      'Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.',
    );
  });

  it('scans the table when the WHERE does not name a partition, and filters', async () => {
    const items = (await run(`SELECT pk, sk FROM "PqRange" WHERE n >= 40`)).Items!;
    expect(items.map((item) => `${item.pk!.S}${item.sk!.N}`).sort()).toEqual(['p4', 'p5', 'q1']);
    const all = (await run(`SELECT * FROM "PqRange"`)).Items!;
    expect(all).toHaveLength(6);
    // A non-equality on the partition key reads the whole table too.
    expect((await run(`SELECT * FROM "PqRange" WHERE pk > 'p'`)).Items!.map((item) => item.pk!.S)).toEqual(['q']);
  });

  it('reads several partitions for IN and OR on the partition key', async () => {
    const items = (await run(`SELECT pk, sk FROM "PqRange" WHERE pk IN ['q', 'p'] AND sk = 1`)).Items!;
    expect(items).toEqual([
      { pk: { S: 'q' }, sk: { N: '1' } },
      { pk: { S: 'p' }, sk: { N: '1' } },
    ]);
    const either = (await run(`SELECT sk FROM "PqRange" WHERE pk = 'p' AND (sk = 1 OR sk = 5)`)).Items!;
    expect(sks(either)).toEqual(['1', '5']);
  });

  it('refuses overlapping reads and too many of them, with DynamoDB texts', async () => {
    const overlapping = 'Overlapping conditions with range keys are not supported in where clause';
    await expectValidation(`SELECT * FROM "PqRange" WHERE pk IN ['p', 'p']`, overlapping);
    await expectValidation(`SELECT * FROM "PqRange" WHERE pk = 'p' AND (sk > 1 OR sk < 4)`, overlapping);
    await expectValidation(`SELECT * FROM "PqRange" WHERE pk = 'p' AND (sk = 1 OR tag = 'odd')`, overlapping);
    const values = Array.from({ length: 51 }, (_, i) => `'v${i}'`).join(', ');
    await expectValidation(`SELECT * FROM "PqRange" WHERE pk IN [${values}]`, 'Too many decomposed read operations for a given query.');
    // A branch without the partition key makes it a scan: no decomposition, no refusal.
    expect((await run(`SELECT * FROM "PqRange" WHERE pk IN [${values}] OR tag = 'none'`)).Items).toEqual([]);
  });

  it('reads the whole table when a key attribute sits under NOT or <>', async () => {
    expect(sks((await run(`SELECT * FROM "PqRange" WHERE pk = 'p' AND sk <> 1 AND sk <> 5`)).Items)).toEqual(['2', '3', '4']);
    expect(sks((await run(`SELECT * FROM "PqRange" WHERE pk = 'p' AND NOT sk = 1 OR pk = 'p' AND sk = 2`)).Items)).toEqual([
      '2',
      '3',
      '4',
      '5',
    ]);
  });

  it('refuses a key value of the wrong type', async () => {
    await expectValidation(`SELECT * FROM "PqRange" WHERE pk = 1`, "Key attribute's data type should match its data type in table's schema: Key pk");
    await expectValidation(
      `SELECT * FROM "PqRange" WHERE pk = 'p' AND sk IN [1, '2']`,
      "Key attribute's data type should match its data type in table's schema: Key sk",
    );
  });

  it('projects paths, naming each column by its last name and the indexes after it', async () => {
    expect((await run(`SELECT s, m.k[1], m.sub, l[0], absent FROM "PqHash" WHERE pk = 'doc'`)).Items).toEqual([
      { s: { S: 'str' }, 'k[1]': { S: 'd' }, sub: { S: 'x' }, 'l[0]': { S: 'a' } },
    ]);
    expect((await run(`SELECT "s" FROM "PqHash" WHERE pk = 'doc'`)).Items).toEqual([{ s: { S: 'str' } }]);
  });

  it('refuses projections DynamoDB refuses', async () => {
    await expectValidation(`SELECT m.sub, sub FROM "PqHash" WHERE pk = 'doc'`, 'Duplicate identifiers in select clause: sub');
    await expectValidation(`SELECT *, s FROM "PqHash"`, "Other attributes should not be present in the projection when '*' is used.");
    await expectValidation(`SELECT s AS t FROM "PqHash"`, 'Aliasing is not supported');
    const statement = `SELECT attribute_exists(ss) FROM "PqHash" WHERE pk = 'doc'`;
    await expectValidation(statement, 'Unexpected path component at 1:8:16');
    await expectValidation(`SELECT l[-1] FROM "PqHash" WHERE pk = 'doc'`, 'List index is not within the allowable range; index: [-1] at 1:11:1');
    await expectValidation(`SELECT pk.x FROM "PqHash" WHERE pk = 'doc'`, "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key pk");
  });

  it('evaluates condition functions, IS and boolean comparisons', async () => {
    const matches = async (condition: string) => (await run(`SELECT pk FROM "PqHash" WHERE pk = 'doc' AND ${condition}`)).Items!.length === 1;
    expect(await matches('attribute_exists(ss)')).toBe(true);
    expect(await matches('attribute_exists(nope)')).toBe(false);
    expect(await matches('ATTRIBUTE_NOT_EXISTS(nope)')).toBe(true);
    expect(await matches('attribute_exists(m.sub) AND attribute_exists(l[1])')).toBe(true);
    expect(await matches('size(s) = 3')).toBe(true);
    expect(await matches('size(s) = 4')).toBe(false);
    expect(await matches(`attribute_type(ss, 'SS')`)).toBe(true);
    expect(await matches(`attribute_type(ss, 'S')`)).toBe(false);
    expect(await matches(`begins_with(s, 'st')`)).toBe(true);
    expect(await matches(`contains(ss, 'b')`)).toBe(true);
    expect(await matches(`NOT contains(ss, 'z')`)).toBe(true);
    expect(await matches('nul IS NULL')).toBe(true);
    expect(await matches('s IS NOT NULL')).toBe(true);
    expect(await matches('s IS NULL')).toBe(false);
    expect(await matches('nope IS MISSING')).toBe(true);
    expect(await matches('s IS NOT MISSING')).toBe(true);
    expect(await matches('flag IS BOOL AND s IS STRING AND ss IS NOT LIST')).toBe(true);
    expect(await matches('attribute_exists(ss) = true')).toBe(true);
    expect(await matches('(size(s) = 4 OR s = 1) = false')).toBe(true);
    expect(await matches('attribute_exists(nope) IN [true, false]')).toBe(true);
    expect(await matches('attribute_exists(s) = flag')).toBe(true);
    expect(await matches('attribute_exists(s) = 1')).toBe(false);
    expect(await matches(`s IN ['x', ?]`.replace('?', `'str'`))).toBe(true);
    expect(await matches(`s BETWEEN 'a' AND 'z'`)).toBe(true);
    expect(await matches(`s IN ('str')`)).toBe(true);
    expect(await matches(`s NOT IN ('str', 'x')`)).toBe(false);
  });

  it('compares sets as unordered and lists as ordered, with parameters', async () => {
    const matches = async (condition: string, value: AttributeValue) =>
      (await run(`SELECT pk FROM "PqHash" WHERE pk = ? AND ${condition}`, [{ S: 'doc' }, value])).Items!.length === 1;
    expect(await matches('ss = ?', { SS: ['c', 'a', 'b'] })).toBe(true);
    expect(await matches('ss <> ?', { SS: ['c', 'a', 'b'] })).toBe(false);
    expect(await matches('l = ?', { L: [{ S: 'b' }, { S: 'a' }] })).toBe(false);
    expect(await matches('m = ?', { M: { sub: { S: 'x' }, k: { L: [{ S: 'c' }, { S: 'd' }] } } })).toBe(true);
  });

  it('refuses WHERE clauses DynamoDB refuses, with its texts', async () => {
    const prefix = `SELECT * FROM "PqHash" WHERE pk = 'doc' AND `;
    const cases: [string, string][] = [
      [`attribute_exists('ss')`, 'Operator or function requires a document path; operator or function: attribute_exists'],
      ['attribute_exists()', 'Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 0'],
      ['flag > true', 'Incorrect operand type for operator or function; operator or function: >, operand type: BOOL'],
      ['attribute_exists(s) > false', 'Incorrect operand type for operator or function; operator or function: >, operand type: BOOL'],
      ['attribute_type(l, 1)', 'Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N'],
      [`attribute_type(l, 'X')`, 'Invalid attribute type name found; type: X, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}'],
      ['s = s', 'The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [s]'],
      ['x IS MISSING = MISSING', 'MISSING must be compared using IS operator'],
      ['x IS INT', 'Unsupported data type for IS operator: INTEGER. Supported data types are [MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST] at 1:47:2'],
      [`s LIKE 'a%'`, 'Unsupported operator in Condition Expression. Operator: like'],
      ['n + 1 = 2', 'Unsupported operator in Condition Expression. Operator: +'],
      ['s IN []', 'IN operator must have a left hand argument of type Variable Reference and right hand argument of type Seq with at least one member'],
      ['s', 'The arguments to AND/OR must be Expressions'],
      [`set_add(ss, <<'x'>>) = ss`, `Unrecognized function: set_add at 1:45:7`],
      ['EXISTS(ss)', 'Unrecognized function: exists at 1:45:6'],
      ['a.*.b = 1', 'Unpivot path component like a.*.b are not supported at 1:46:1'],
    ];
    for (const [condition, message] of cases) {
      const error = await refused(prefix + condition);
      expect(`${condition} -> ${error.message}`).toBe(`${condition} -> ${message}`);
    }
    await expectValidation(`SELECT * FROM "PqHash" WHERE size(s)`, 'WHERE clause must contain an expression that resolves to a boolean');
    const values = Array.from({ length: 101 }, (_, i) => `'v${i}'`).join(', ');
    await expectValidation(`${prefix}s IN [${values}]`, 'The IN operator is provided with too many operands; number of operands: 101');
  });

  it('pages with Limit and NextToken through a partition, counting evaluated items', async () => {
    const { items, pages } = await selectAll(`SELECT * FROM "PqRange" WHERE pk = 'p'`, 2);
    expect(sks(items)).toEqual(['1', '2', '3', '4', '5']);
    expect(pages).toEqual([2, 2, 1]);
    // Limit counts items read, not items returned: the filter leaves some pages short.
    const odd = await selectAll(`SELECT * FROM "PqRange" WHERE pk = 'p' AND tag = 'odd'`, 2);
    expect(sks(odd.items)).toEqual(['1', '3', '5']);
    expect(odd.pages).toEqual([1, 1, 1]);
  });

  it('pages descending, across the reads of an IN, and through a scan', async () => {
    expect(sks((await selectAll(`SELECT * FROM "PqRange" WHERE pk = 'p' ORDER BY sk DESC`, 2)).items)).toEqual(['5', '4', '3', '2', '1']);
    const across = await selectAll(`SELECT pk, sk FROM "PqRange" WHERE pk IN ['q', 'p']`, 2);
    expect(across.items.map((item) => `${item.pk!.S}${item.sk!.N}`)).toEqual(['q1', 'p1', 'p2', 'p3', 'p4', 'p5']);
    const scan = await selectAll(`SELECT pk, sk FROM "PqRange"`, 4);
    expect(scan.items).toHaveLength(6);
    expect(new Set(scan.items.map((item) => `${item.pk!.S}${item.sk!.N}`)).size).toBe(6);
    const hashOnly = await selectAll(`SELECT pk FROM "PqHash" WHERE pk IN ['doc', 'none']`, 1);
    expect(hashOnly.items).toEqual([{ pk: { S: 'doc' } }]);
  });

  it('returns LastEvaluatedKey with NextToken', async () => {
    const page = await run(`SELECT * FROM "PqRange" WHERE pk = 'p'`, undefined, { Limit: 2 });
    expect(page.LastEvaluatedKey).toEqual({ pk: { S: 'p' }, sk: { N: '2' } });
    expect(typeof page.NextToken).toBe('string');
    const last = await run(`SELECT * FROM "PqRange" WHERE pk = 'p'`);
    expect(last.NextToken).toBeUndefined();
    expect(last.LastEvaluatedKey).toBeUndefined();
  });

  it('refuses a NextToken from another statement, a bad one and an expired one', async () => {
    const statement = `SELECT * FROM "PqRange" WHERE pk = 'p'`;
    const { NextToken } = await run(statement, undefined, { Limit: 1 });
    const other = await refused(`SELECT * FROM "PqRange" WHERE pk = 'q'`, undefined, { NextToken });
    expect([other.name, other.message]).toEqual(['ValidationException', 'NextToken does not match request']);
    const bad = await refused(statement, undefined, { NextToken: 'bm90IGEgdG9rZW4=' });
    expect([bad.name, bad.message]).toEqual(['ValidationException', 'Invalid NextToken']);
    t.eddy.clock.advance(60 * 60 * 1000);
    const expired = await refused(statement, undefined, { NextToken });
    expect([expired.name, expired.message]).toEqual(['ValidationException', 'Given NextToken has already expired']);
  });

  it('reports read capacity when asked', async () => {
    const strong = await run(`SELECT * FROM "PqRange" WHERE pk = 'p' AND sk = 1`, undefined, { ReturnConsumedCapacity: 'TOTAL', ConsistentRead: true });
    expect(strong.ConsumedCapacity).toEqual({ TableName: 'PqRange', CapacityUnits: 1 });
    const eventual = await run(`SELECT * FROM "PqRange" WHERE pk = 'p' AND sk = 1`, undefined, { ReturnConsumedCapacity: 'TOTAL' });
    expect(eventual.ConsumedCapacity).toEqual({ TableName: 'PqRange', CapacityUnits: 0.5 });
    expect((await run(`SELECT * FROM "PqRange" WHERE pk = 'p'`)).ConsumedCapacity).toBeUndefined();
  });

  it('refuses an index (Eddy has none) and a missing table with DynamoDB texts', async () => {
    await expectValidation(`SELECT * FROM "PqRange"."byTag" WHERE tag = 'odd'`, 'The table does not have the specified index');
    const missing = await refused(`SELECT * FROM "PqMissing" WHERE pk = 'x'`);
    expect([missing.name, missing.message]).toEqual(['ResourceNotFoundException', 'Requested resource not found']);
    await expectValidation(
      `SELECT * FROM "ab"`,
      "Table name should be within the length [3, 255] and only contain 'a-z', 'A-Z', '0-9', '-', '_', '.'.",
    );
    await expectValidation(`SELECT * FROM "PqRange"."a"."b"`, 'A path may contain at most 2 components in the FROM clause');
  });

  it('reads numbers written with exponents or without a leading digit', async () => {
    await put('PqNumbers', { pk: { N: '7310000' } });
    await put('PqNumbers', { pk: { N: '-7.3' } });
    for (const literal of ['7.31e6', '7.31E+6', '731e4', '73100000e-1']) {
      expect((await run(`SELECT * FROM "PqNumbers" WHERE pk = ${literal}`)).Items).toEqual([{ pk: { N: '7310000' } }]);
    }
    expect((await run(`SELECT * FROM "PqNumbers" WHERE pk = -.73e1`)).Items).toEqual([{ pk: { N: '-7.3' } }]);
  });
});

describe('INSERT', () => {
  it('inserts an item that GetItem then reads, and answers with an empty Items list', async () => {
    const output = await run(`INSERT INTO "PqHash" VALUE {'pk': 'ins-1', 'n': 1.50, 'l': [1, 'two'], 'm': {'k': true}, 'ns': <<3, 1>>, 'z': null}`);
    expect(output.Items).toEqual([]);
    expect(await stored('PqHash', { pk: { S: 'ins-1' } })).toEqual({
      pk: { S: 'ins-1' },
      n: { N: '1.5' },
      l: { L: [{ N: '1' }, { S: 'two' }] },
      m: { M: { k: { BOOL: true } } },
      ns: { NS: ['3', '1'] },
      z: { NULL: true },
    });
  });

  it('takes values from parameters', async () => {
    await run(`INSERT INTO "PqComposite" VALUE {'pk': ?, 'sk': ?, 'b': ?}`, [{ S: 'ins-p' }, { S: 's' }, { B: new Uint8Array([1, 2]) }]);
    expect((await stored('PqComposite', { pk: { S: 'ins-p' }, sk: { S: 's' } }))?.b).toEqual({ B: new Uint8Array([1, 2]) });
  });

  it('refuses an item that exists with DuplicateItemException', async () => {
    await run(`INSERT INTO "PqHash" VALUE {'pk': 'ins-dup', 'v': 'first'}`);
    const error = await refused(`INSERT INTO "PqHash" VALUE {'pk': 'ins-dup', 'v': 'second'}`);
    expect([error.name, error.message]).toEqual(['DuplicateItemException', 'Duplicate primary key exists in table']);
    expect((await stored('PqHash', { pk: { S: 'ins-dup' } }))?.v).toEqual({ S: 'first' });
  });

  it('refuses items DynamoDB refuses, with its texts', async () => {
    await expectValidation(`INSERT INTO "PqComposite" VALUE {'pk': 'x'}`, 'One or more parameter values were invalid: Missing the key sk in the item');
    await expectValidation(
      `INSERT INTO "PqComposite" VALUE {'pk': 'x', 'sk': 1}`,
      'One or more parameter values were invalid: Type mismatch for key sk expected: S actual: N',
    );
    await expectValidation(`INSERT INTO "PqHash" VALUE {'pk': 'x'} RETURNING ALL OLD *`, 'RETURNING is not supported in INSERT');
    const parameterItem = `INSERT INTO "PqHash" VALUE ?`;
    await expectValidation(
      parameterItem,
      `Unsupported format in item expression. Please use struct format {...} to express item values for insert statement. at 1:${parameterItem.indexOf('?') + 1}:1`,
      [{ M: { pk: { S: 'x' } } }],
    );
    const withCall = `INSERT INTO "PqHash" VALUE {'pk': 'x', 'ss': set_add(<<'a'>>, <<'b'>>)}`;
    await expectValidation(withCall, `Unsupported data type: set_add under key root at 1:${withCall.indexOf('set_add') + 1}:7`);
    const missing = `INSERT INTO "PqHash" VALUE {'pk': 'x', 'gone': MISSING}`;
    await expectValidation(missing, `Unsupported data type: MISSING under key root at 1:${missing.indexOf('MISSING') + 1}:7`);
    await expectValidation(`INSERT INTO "PqHash" VALUE {'pk': 'x', 'm': {'x': 1e126}}`, 'Number overflow. Attempting to store a number with magnitude larger than supported range under root.x');
    await expectValidation(`INSERT INTO "PqHash" VALUE {'pk': 'x', 'l': [1, 1e126]}`, 'Number overflow. Attempting to store a number with magnitude larger than supported range under root[1]');
    const big = 'x'.repeat(400 * 1024);
    await expectValidation(`INSERT INTO "PqHash" VALUE {'pk': 'big', 'p': ?}`, 'Item size has exceeded the maximum allowed size', [{ S: big }]);
    expect(await stored('PqHash', { pk: { S: 'x' } })).toBeUndefined();
  });
});

describe('UPDATE', () => {
  const seed = (pk: string, extra: Item = {}) =>
    put('PqHash', { pk: { S: pk }, n: { N: '5' }, s: { S: 'str' }, l: { L: [{ S: 'a' }, { S: 'b' }] }, ss: { SS: ['a', 'b'] }, m: { M: { x: { N: '1' } } }, ...extra });

  it('applies SET and REMOVE as UpdateItem would, visible to GetItem', async () => {
    await seed('upd-1');
    const output = await run(
      `UPDATE "PqHash" SET n = n + 2, s = ?, l = list_append(l, ['c']) SET m.y = if_not_exists(m.y, 7) SET ss = set_add(ss, <<'z'>>) REMOVE m.x WHERE pk = 'upd-1'`,
      [{ S: 'new' }],
    );
    expect(output.Items).toEqual([]);
    expect(await stored('PqHash', { pk: { S: 'upd-1' } })).toEqual({
      pk: { S: 'upd-1' },
      n: { N: '7' },
      s: { S: 'new' },
      l: { L: [{ S: 'a' }, { S: 'b' }, { S: 'c' }] },
      ss: { SS: ['a', 'b', 'z'] },
      m: { M: { y: { N: '7' } } },
    });
  });

  it('removes set members with set_delete, and the attribute with the last of them', async () => {
    await seed('upd-del');
    await run(`UPDATE "PqHash" SET ss = set_delete(ss, <<'a'>>) SET n = n - 1 WHERE pk = 'upd-del'`);
    expect((await stored('PqHash', { pk: { S: 'upd-del' } }))?.ss).toEqual({ SS: ['b'] });
    await run(`UPDATE "PqHash" SET ss = SET_DELETE(ss, <<'b'>>) WHERE pk = 'upd-del'`);
    const item = await stored('PqHash', { pk: { S: 'upd-del' } });
    expect(item?.ss).toBeUndefined();
    expect(item?.n).toEqual({ N: '4' });
  });

  it('runs the FROM-first form', async () => {
    await seed('upd-ff');
    const output = await run(`FROM "PqHash" WHERE pk = 'upd-ff' SET c = 1 REMOVE s RETURNING MODIFIED NEW *`);
    expect(output.Items).toEqual([{ c: { N: '1' } }]);
    expect((await stored('PqHash', { pk: { S: 'upd-ff' } }))?.s).toBeUndefined();
  });

  it('returns ALL OLD, MODIFIED OLD, ALL NEW and MODIFIED NEW', async () => {
    await seed('upd-ret');
    const allOld = await run(`UPDATE "PqHash" SET n = 6 WHERE pk = 'upd-ret' RETURNING ALL OLD *`);
    expect(allOld.Items![0]).toMatchObject({ pk: { S: 'upd-ret' }, n: { N: '5' }, s: { S: 'str' } });
    expect((await run(`UPDATE "PqHash" SET n = 7 WHERE pk = 'upd-ret' RETURNING MODIFIED OLD *`)).Items).toEqual([{ n: { N: '6' } }]);
    const allNew = await run(`UPDATE "PqHash" SET n = 8 WHERE pk = 'upd-ret' RETURNING ALL NEW *`);
    expect(allNew.Items![0]).toMatchObject({ pk: { S: 'upd-ret' }, n: { N: '8' }, s: { S: 'str' } });
    expect((await run(`UPDATE "PqHash" SET l[1] = 'x' WHERE pk = 'upd-ret' RETURNING MODIFIED NEW *`)).Items).toEqual([{ l: { L: [{ S: 'x' }] } }]);
    // Nothing to return is an empty Items list.
    expect((await run(`UPDATE "PqHash" SET fresh = 1 WHERE pk = 'upd-ret' RETURNING MODIFIED OLD *`)).Items).toEqual([]);
    expect((await run(`UPDATE "PqHash" REMOVE fresh WHERE pk = 'upd-ret' RETURNING MODIFIED NEW *`)).Items).toEqual([]);
  });

  it('fails a missing item or a false condition with ConditionalCheckFailedException, changing nothing', async () => {
    const missing = await refused(`UPDATE "PqHash" SET n = 1 WHERE pk = 'upd-absent'`);
    expect([missing.name, missing.message]).toEqual(['ConditionalCheckFailedException', 'The conditional request failed']);
    expect(await stored('PqHash', { pk: { S: 'upd-absent' } })).toBeUndefined();

    await seed('upd-cond');
    const failed = await refused(`UPDATE "PqHash" SET n = 9 WHERE pk = 'upd-cond' AND s = 'other'`);
    expect(failed.name).toBe('ConditionalCheckFailedException');
    expect(failed.Item).toBeUndefined();
    await run(`UPDATE "PqHash" SET n = 9 WHERE pk = 'upd-cond' AND s = 'str' AND attribute_exists(l)`);
    expect((await stored('PqHash', { pk: { S: 'upd-cond' } }))?.n).toEqual({ N: '9' });

    const withItem = await refused(`UPDATE "PqHash" SET n = 1 WHERE pk = 'upd-cond' AND n = 0`, undefined, { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' });
    expect(withItem.name).toBe('ConditionalCheckFailedException');
    expect(withItem.Item).toMatchObject({ pk: { S: 'upd-cond' }, n: { N: '9' } });
  });

  it('refuses updates DynamoDB refuses, with its texts', async () => {
    await seed('upd-bad');
    const where = ` WHERE pk = 'upd-bad'`;
    await expectValidation(`UPDATE "PqHash" SET n = 1 WHERE s = 'str'`, 'Where clause does not contain a mandatory equality on all key attributes');
    await expectValidation(`UPDATE "PqHash" SET n = 1`, 'Where clause does not contain a mandatory equality on all key attributes');
    await expectValidation(`UPDATE "PqHash" SET n = 1 WHERE pk = 'a' AND pk = 'b'`, 'Multiple conditions on same key pk. Only single item Update/Insert/Delete are supported');
    await expectValidation(`UPDATE "PqHash" SET pk = 'b'${where}`, 'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key');
    await expectValidation(`UPDATE "PqHash" SET n = 'a' + 1${where}`, 'Incorrect operand type for operator or function; operator or function: +, operand type: S');
    await expectValidation(`UPDATE "PqHash" SET n = n - null${where}`, 'Incorrect operand type for operator or function; operator or function: -, operand type: NULL');
    await expectValidation(`UPDATE "PqHash" SET s = n${where} AND s IS NULL RETURNING ALL OLD *, ALL NEW *`, 'Invalid syntax with multiple returning elements in RETURNING clause');
    await expectValidation(`UPDATE "PqHash" SET a = 1, a = 2${where}`, 'Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]');
    await expectValidation(`UPDATE "PqHash" SET s = set_add(s, <<'x'>>)${where}`, 'An operand in the update expression has an incorrect data type');
    await expectValidation(`UPDATE "PqHash" SET ss = set_add(ss, <<1>>)${where}`, 'An operand in the update expression has an incorrect data type');
    await expectValidation(`UPDATE "PqHash" SET ss = set_add(ss, <<'x', 'x'>>)${where}`, 'One or more parameter values were invalid: Input collection [x, x] contains duplicates.');
    await expectValidation(`UPDATE "PqHash" SET ss = set_add(ss, <<>>)${where}`, 'Empty bags are not supported');
    await expectValidation(`UPDATE "PqHash" SET nope[0] = 'x'${where}`, 'The document path provided in the update expression is invalid for update');
    await expectValidation(`UPDATE "PqHash" SET x = y${where}`, 'The provided expression refers to an attribute that does not exist in the item');
    const inList = `UPDATE "PqHash" SET x = [?]${where}`;
    await expectValidation(inList, `Unsupported data type: Parameter under key root[0] at 1:${inList.indexOf('?') + 1}:1`, [{ S: 'v' }]);
    await expectValidation(`UPDATE "PqHash" SET n = 1e-131${where}`, 'Number underflow. Attempting to store a number with magnitude smaller than supported range under root');

    const positions: [string, (statement: string) => string][] = [
      [`t = set_add(ss, <<'x'>>)`, (s) => `The first argument to SET_ADD must equal the assignment value at 1:${s.indexOf('set_add') + 1}:7`],
      [`ss = set_add(ss, 'x')`, (s) => `The second argument to SET_ADD must be a value with type SET at 1:${s.indexOf('ss', s.indexOf('set_add')) + 1}:2`],
      [`ss = set_add(ss)`, (s) => `SET_ADD must have exactly two arguments at 1:${s.indexOf('set_add') + 1}:7`],
      [`t = set_delete(ss, <<'a'>>)`, (s) => `The first argument to SET_DELETE must equal the assignment value at 1:${s.indexOf('set_delete') + 1}:10`],
    ];
    for (const [set, message] of positions) {
      const statement = `UPDATE "PqHash" SET ${set}${where}`;
      await expectValidation(statement, message(statement));
    }
    expect(await stored('PqHash', { pk: { S: 'upd-bad' } })).toMatchObject({ n: { N: '5' }, s: { S: 'str' } });
  });

  it('refuses an update that leaves the item too large or too deep', async () => {
    await seed('upd-big');
    await expectValidation(`UPDATE "PqHash" SET p = ? WHERE pk = 'upd-big'`, 'Item size to update has exceeded the maximum allowed size', [{ S: 'x'.repeat(400 * 1024) }]);
    let deep: AttributeValue = { S: 'x' };
    for (let i = 0; i < 31; i++) deep = { M: { a: deep } };
    await expectValidation(`UPDATE "PqHash" SET m.deep = ? WHERE pk = 'upd-big'`, 'Nesting Levels have exceeded supported limits', [deep]);
    expect((await stored('PqHash', { pk: { S: 'upd-big' } }))?.m).toEqual({ M: { x: { N: '1' } } });
  });
});

describe('DELETE', () => {
  it('deletes an item, returning it with RETURNING ALL OLD *', async () => {
    await put('PqComposite', { pk: { S: 'del' }, sk: { S: '1' }, v: { S: 'gone' } });
    await put('PqComposite', { pk: { S: 'del' }, sk: { S: '2' }, v: { S: 'gone too' } });
    expect((await run(`DELETE FROM "PqComposite" WHERE pk = 'del' AND sk = '1'`)).Items).toEqual([]);
    expect(await stored('PqComposite', { pk: { S: 'del' }, sk: { S: '1' } })).toBeUndefined();
    expect((await run(`DELETE FROM "PqComposite" WHERE sk = '2' AND pk = 'del' RETURNING ALL OLD *`)).Items).toEqual([
      { pk: { S: 'del' }, sk: { S: '2' }, v: { S: 'gone too' } },
    ]);
  });

  it('succeeds without deleting anything when the item is missing, whatever the condition', async () => {
    expect((await run(`DELETE FROM "PqComposite" WHERE pk = 'del-none' AND sk = '1' AND v = 'x' RETURNING ALL OLD *`)).Items).toEqual([]);
  });

  it('fails a false condition on an existing item and keeps it', async () => {
    await put('PqComposite', { pk: { S: 'del-cond' }, sk: { S: '1' }, name: { S: 'alpha' } });
    const error = await refused(`DELETE FROM "PqComposite" WHERE pk = 'del-cond' AND sk = '1' AND NOT begins_with("name", 'al')`);
    expect(error.name).toBe('ConditionalCheckFailedException');
    expect(await stored('PqComposite', { pk: { S: 'del-cond' }, sk: { S: '1' } })).toBeDefined();
    await run(`DELETE FROM "PqComposite" WHERE pk = 'del-cond' AND sk = '1' AND "name" = 'alpha'`);
    expect(await stored('PqComposite', { pk: { S: 'del-cond' }, sk: { S: '1' } })).toBeUndefined();
  });

  it('refuses deletes DynamoDB refuses, with its texts', async () => {
    await expectValidation(`DELETE FROM "PqComposite" WHERE pk = 'del'`, 'Where clause does not contain a mandatory equality on all key attributes');
    for (const returning of ['MODIFIED OLD', 'ALL NEW', 'MODIFIED NEW']) {
      await expectValidation(
        `DELETE FROM "PqComposite" WHERE pk = 'del' AND sk = '2' RETURNING ${returning} *`,
        `Invalid returning clause: RETURNING ${returning} *. Only RETURNING ALL OLD * is allowed in DELETE statements.`,
      );
    }
    await expectValidation(`DELETE FROM "PqComposite"."index" WHERE pk = 'a' AND sk = 'b'`, 'This operation is not supported on an index');
    await expectValidation(`DELETE FROM "PqComposite" WHERE pk = true AND sk = 'b'`, 'Key value must be of type S, N, or B. Key name: pk, Key type: BOOL');
    await expectValidation(`DELETE FROM "PqComposite" WHERE pk = 1 AND sk = 'b'`, "Key attribute's data type should match its data type in table's schema: Key pk");
    await expectValidation(
      `DELETE FROM "PqComposite" WHERE pk = '' AND sk = 'b'`,
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
    );
  });
});

describe('statements and parameters', () => {
  it('refuses what the parser cannot read, with DynamoDB details', async () => {
    await expectValidation(`SELECT * FROM "PqHash" WHERE pk = 'x' foo`, `${NOT_WELL_FORMED}Unexpected token after expression`);
    await expectValidation(`SELECT * FROM "PqHash" WHERE`, `${NOT_WELL_FORMED}Unexpected term`);
    await expectValidation(`SELECT * FROM "PqHash" WHERE pk = 1 # note`, NOT_WELL_FORMED);
    await expectValidation(`SELECT * FROM "PqHash" WHERE pk = 1e2147483648`, NOT_WELL_FORMED);
    await expectValidation(`SELECT * FROM "PqHash" WHERE attribute_exists(m.inner)`, `${NOT_WELL_FORMED}Invalid path dot component`);
    await expectValidation(`SELECTT * FROMM "PqHash"`, `${NOT_WELL_FORMED}Expected data manipulation`);
    await expectValidation(`SELECT * FROM "PqHash" t WHERE pk = 'x'`, 'Aliasing is not supported');
  });

  it('accepts comments, a final semicolon and lower-case keywords', async () => {
    await put('PqHash', { pk: { S: 'comments' }, note: { S: 'a--b /*c*/' } });
    const output = await run(`-- first\nselect/**/note from "PqHash" -- the table\nwhere pk/* key */= 'comments'; -- done`);
    expect(output.Items).toEqual([{ note: { S: 'a--b /*c*/' } }]);
  });

  it('needs exactly as many parameters as the statement has', async () => {
    const message = "Number of parameters in request and statement don't match.";
    await expectValidation(`SELECT * FROM "PqHash" WHERE pk = ?`, message);
    await expectValidation(`SELECT * FROM "PqHash" WHERE pk = 'x'`, message, [{ S: 'x' }]);
    await expectValidation(`SELECT * FROM "PqHash" WHERE pk = ? AND a = ?`, message, [{ S: 'x' }]);
  });

  it('reads parameters as DynamoDB does for PartiQL, before the statement', async () => {
    const select = `SELECT * FROM "PqHash" WHERE pk = 'x' AND n = ?`;
    await expectValidation(select, 'The parameter cannot be converted to a numeric value: 1e99999999999', [{ N: '1e99999999999' }]);
    await expectValidation(select, 'The parameter cannot be converted to a numeric value', [{ N: '' }]);
    await expectValidation(select, 'Number underflow. Attempting to store a number with magnitude smaller than supported range', [{ N: '1e2147483647' }]);
    await expectValidation(select, 'The parameter cannot be converted to a numeric value: 1e99999999999', [{ NS: ['1', '1e99999999999'] }]);
    await expectValidation(`UPDATE "PqHash" SET WHERE`, 'One or more parameter values were invalid: Input collection [a, a] contains duplicates.', [{ SS: ['a', 'a'] }]);
    await expectValidation(select, 'One or more parameter values were invalid: Null attribute value types must have the value of true', [{ NULL: false }]);
    let deep: AttributeValue = { S: 'leaf' };
    for (let i = 0; i < 40; i++) deep = { M: { n: deep } };
    const nest = 'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';
    const pair = `SELECT * FROM "PqHash" WHERE pk = 'x' AND a = ? AND b = ?`;
    await expectValidation(pair, nest, [deep, { N: 'abc' }]);
    await expectValidation(pair, 'The parameter cannot be converted to a numeric value: abc', [{ N: 'abc' }, deep]);
  });

  it('refuses EXISTS outside ExecuteTransaction', async () => {
    await expectValidation(`EXISTS(SELECT * FROM "PqHash" WHERE pk = 'x' AND a = 1)`, 'EXISTS can only be used in ExecuteTransaction write requests.');
  });

  it('reports write capacity when asked', async () => {
    const output = await run(`INSERT INTO "PqHash" VALUE {'pk': 'cap'}`, undefined, { ReturnConsumedCapacity: 'TOTAL' });
    expect(output.ConsumedCapacity).toEqual({ TableName: 'PqHash', CapacityUnits: 1 });
  });

  it('sends every write through the item store, so change capture sees it', async () => {
    changes.length = 0;
    await run(`INSERT INTO "PqHash" VALUE {'pk': 'captured', 'v': 1}`);
    await run(`UPDATE "PqHash" SET v = 2 WHERE pk = 'captured'`);
    await run(`DELETE FROM "PqHash" WHERE pk = 'captured'`);
    expect(changes.map((change) => [change.table.description.TableName, change.key, change.oldItem?.v, change.newItem?.v])).toEqual([
      ['PqHash', { pk: { S: 'captured' } }, undefined, { N: '1' }],
      ['PqHash', { pk: { S: 'captured' } }, { N: '1' }, { N: '2' }],
      ['PqHash', { pk: { S: 'captured' } }, { N: '2' }, undefined],
    ]);
  });
});
