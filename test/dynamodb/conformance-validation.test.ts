/**
 * How DynamoDB reports a bad request, checked against what real DynamoDB
 * answered in the 2026 captures of the Parity Suite (an independent DynamoDB
 * conformance suite, paritysuite/dynamodb-conformance; regional wording
 * resolved to the newest answer most regions give). Our own tests of the same
 * observable behaviour, through raw AWS JSON requests to a real server.
 */
import { CreateTableCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DYNAMODB_MODEL } from '../../src/dynamodb/model.js';
import { javaHashMapOrder, validateRequest } from '../../src/edge/request-validation.js';
import { rawDynamo, startEddy, type TestEddy } from '../helpers/eddy.js';

let t: TestEddy;

const keyed = (name: string, attributes: [string, 'S' | 'N' | 'B', 'HASH' | 'RANGE'][]) =>
  new CreateTableCommand({
    TableName: name,
    AttributeDefinitions: attributes.map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    KeySchema: attributes.map(([AttributeName, , KeyType]) => ({ AttributeName, KeyType })),
    BillingMode: 'PAY_PER_REQUEST',
  });

beforeAll(async () => {
  t = await startEddy();
  await t.ddb.send(keyed('Hash', [['pk', 'S', 'HASH']]));
  await t.ddb.send(keyed('HashB', [['pk', 'B', 'HASH']]));
  await t.ddb.send(keyed('HashN', [['pk', 'N', 'HASH']]));
  await t.ddb.send(keyed('Composite', [['pk', 'S', 'HASH'], ['sk', 'S', 'RANGE']]));
});
afterAll(async () => t.close());

const one = (message: string) => `1 validation error detected: ${message}`;
const INVALID = 'One or more parameter values were invalid: ';

/** The ValidationException message `operation` answers with; fails on anything else. */
async function refusal(operation: string, body: object): Promise<string> {
  const { status, json } = await rawDynamo(t.endpoint, operation, body);
  expect(status, JSON.stringify(json)).toBe(400);
  expect(json.__type, json.message).toBe('com.amazon.coral.validate#ValidationException');
  return json.message as string;
}

const S = (s: string) => ({ S: s });
const N = (n: string) => ({ N: n });

function deep(depth: number): object {
  let value: object = S('leaf');
  for (let i = 0; i < depth; i++) value = { M: { n: value } };
  return value;
}

describe('constraint violations of PutItem, UpdateItem and DeleteItem (the newer validation framework)', () => {
  const Item = { pk: S('x') };

  it('reports an empty table name alone, naming the member without echoing it', async () => {
    const expected = one("Value at 'TableName' failed to satisfy constraint: Member must have length greater than or equal to 1");
    expect(await refusal('PutItem', { TableName: '', Item: {} })).toBe(expected);
    expect(await refusal('PutItem', { TableName: '', Item, ReturnValues: 'INVALID' })).toBe(expected);
    expect(await refusal('DeleteItem', { TableName: '', Key: {} })).toBe(expected);
    expect(await refusal('UpdateItem', { TableName: '', Key: {} })).toBe(expected);
  });

  it('keeps the older per-value texts for a missing table name and for a plain name too long or badly spelt', async () => {
    expect(await refusal('PutItem', { Item })).toBe(one("Value null at 'tableName' failed to satisfy constraint: Member must not be null"));
    const long = 'a'.repeat(256);
    expect(await refusal('PutItem', { TableName: long, Item })).toBe(
      one(`Value '${long}' at 'tableName' failed to satisfy constraint: Member must have length less than or equal to 255`),
    );
    expect(await refusal('PutItem', { TableName: 'bad table!@#', Item })).toBe(
      one("Value 'bad table!@#' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"),
    );
  });

  it('words an unknown ReturnValues its own way and lists it between the other enums', async () => {
    const returnValues = 'Failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATE_NEW, NONE]';
    const capacity = "Value 'INVALID' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]";
    const metrics = "Value 'INVALID' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member must satisfy enum value set: [SIZE, NONE]";
    const enums = { ReturnValues: 'INVALID', ReturnConsumedCapacity: 'INVALID', ReturnItemCollectionMetrics: 'INVALID' };
    expect(await refusal('PutItem', { TableName: 'Hash', Item, ...enums })).toBe(`3 validation errors detected: ${capacity}; ${returnValues}; ${metrics}`);
    expect(await refusal('DeleteItem', { TableName: 'Hash', Key: Item, ReturnValues: 'INVALID', ReturnConsumedCapacity: 'INVALID' })).toBe(
      `2 validation errors detected: ${capacity}; ${returnValues}`,
    );
    // UpdateItem stops at the unknown ReturnValues.
    expect(await refusal('UpdateItem', { TableName: 'Hash', Key: Item, ReturnValues: 'INVALID', ReturnConsumedCapacity: 'INVALID' })).toBe(one(returnValues));
  });

  it('answers the older aggregate, in the validator’s member order, when the Key is missing altogether', async () => {
    const update = { UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': S('x') } };
    const emptyName = "Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1";
    const noKey = "Value null at 'key' failed to satisfy constraint: Member must not be null";
    expect(await refusal('UpdateItem', { TableName: '', ...update })).toBe(`2 validation errors detected: ${emptyName}; ${noKey}`);
    expect(await refusal('UpdateItem', { TableName: '', ...update, ReturnConsumedCapacity: 'INVALID', ReturnValues: 'INVALID' })).toBe(
      '4 validation errors detected: ' +
        "Value 'INVALID' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; " +
        `${emptyName}; ` +
        "Value 'INVALID' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]; " +
        noKey,
    );
    expect(
      await refusal('UpdateItem', {
        TableName: 'vo_upd_nokey',
        AttributeUpdates: { x: { Action: 'PUT', Value: S('1') } },
        Expected: { a: { Exists: false }, b: { Exists: false } },
        ConditionalOperator: 'XOR',
      }),
    ).toBe(
      "2 validation errors detected: Value 'XOR' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [OR, AND]; " +
        noKey,
    );
  });

  it('orders members as a java.util.HashMap of their names iterates', () => {
    // UpdateItem's 13 members fill a 32-bucket table.
    expect(javaHashMapOrder(['tableName', 'key', 'returnValues', 'returnConsumedCapacity'], 32)).toEqual(['returnConsumedCapacity', 'tableName', 'returnValues', 'key']);
    expect(javaHashMapOrder(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm'].map((c) => `m${c}`))).toEqual(
      javaHashMapOrder(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm'].map((c) => `m${c}`), 32),
    );
    expect(javaHashMapOrder(['localSecondaryIndexes', 'globalSecondaryIndexes'])).toEqual(['globalSecondaryIndexes', 'localSecondaryIndexes']);
    // A table twice as large moves returnValues after tableName.
    expect(javaHashMapOrder(['tableName', 'returnValues'])).toEqual(['returnValues', 'tableName']);
    expect(javaHashMapOrder(['tableName', 'returnValues'], 32)).toEqual(['tableName', 'returnValues']);
  });
});

describe('the validation envelope of PutItem, UpdateItem and DeleteItem', () => {
  const Item = { pk: S('em-put-envelope') };
  const Key = { pk: S('em-del-envelope') };

  it('wraps every check made before the table lookup', async () => {
    const put = (input: object) => refusal('PutItem', { TableName: 'Hash', Item, ...input });
    expect(await put({ ExpressionAttributeValues: { ':v': S('x') } })).toBe(one('ExpressionAttributeValues can only be specified when using expressions'));
    expect(await put({ ExpressionAttributeNames: { '#a': 'a' } })).toBe(one('ExpressionAttributeNames can only be specified when using expressions'));
    expect(await put({ ConditionExpression: '' })).toBe(one('Invalid ConditionExpression: The expression can not be empty;'));
    expect(await put({ Expected: { a: { Exists: true } } })).toBe(one(`${INVALID}Value must be provided when Exists is true for Attribute: a`));
    expect(await put({ Expected: { a: { ComparisonOperator: 'EQ' } } })).toBe(
      one(`${INVALID}Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: a`),
    );
    expect(await put({ Expected: { pk: { Exists: false } }, ConditionExpression: 'attribute_not_exists(pk)' })).toBe(
      one('Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}'),
    );
    expect(await put({ ConditionExpression: '((attribute_not_exists(pk)))' })).toBe(one('Invalid ConditionExpression: The expression has redundant parentheses;'));
    expect(await put({ ConditionExpression: 'contains(#a, #a)', ExpressionAttributeNames: { '#a': 'data' } })).toBe(
      one(
        'Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [data]',
      ),
    );
  });

  it('wraps DeleteItem’s parameter, expression and legacy condition checks', async () => {
    const del = (input: object) => refusal('DeleteItem', { TableName: 'Hash', Key, ...input });
    const condition = { ConditionExpression: 'attribute_exists(a)' };
    expect(await del({ ExpressionAttributeValues: { ':v': S('x') } })).toBe(one('ExpressionAttributeValues can only be specified when using expressions'));
    expect(await del({ Expected: { a: { Exists: false } }, ExpressionAttributeNames: { '#a': 'a' } })).toBe(
      one('ExpressionAttributeNames can only be specified when using expressions'),
    );
    expect(await del({ ...condition, ExpressionAttributeValues: {} })).toBe(one('ExpressionAttributeValues must not be empty'));
    expect(await del({ ...condition, ExpressionAttributeNames: {} })).toBe(one('ExpressionAttributeNames must not be empty'));
    expect(await del({ ReturnValues: 'ALL_NEW' })).toBe(one('ReturnValues can only be ALL_OLD or NONE'));
    expect(await del({ ReturnValues: 'UPDATED_NEW' })).toBe(one('ReturnValues can only be ALL_OLD or NONE'));
    const got = [
      await del({ Expected: { a: { Exists: true } } }),
      await del({ Expected: { a: { Exists: false, Value: S('x') } } }),
      await del({ Expected: { a: { Value: S('x'), ComparisonOperator: 'EQ', AttributeValueList: [S('x')] } } }),
      await del({ Expected: { a: { ComparisonOperator: 'EQ' } } }),
      await del({ Expected: { a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [S('x')] } } }),
    ];
    expect(got).toEqual([
      one(`${INVALID}Value must be provided when Exists is true for Attribute: a`),
      one(`${INVALID}Value cannot be used when Exists is false for Attribute: a`),
      one(`${INVALID}Value and AttributeValueList cannot be used together for Attribute: a`),
      one(`${INVALID}Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: a`),
      one(`${INVALID}Invalid number of argument(s) for the BETWEEN ComparisonOperator`),
    ]);
  });

  it('wraps UpdateItem’s expression errors, and leaves what is found after the lookup bare', async () => {
    const update = (input: object, table = 'Hash', key: object = { pk: S('em-upd-key-mod') }) => refusal('UpdateItem', { TableName: table, Key: key, ...input });
    expect(await update({ UpdateExpression: 'INVALID SYNTAX HERE', ExpressionAttributeValues: { ':v': S('val') } })).toBe(
      one('Invalid UpdateExpression: Syntax error; token: "INVALID", near: "INVALID SYNTAX"'),
    );
    expect(await update({ UpdateExpression: 'SET attr1 = :v', ExpressionAttributeValues: { ':v': S('v') }, ExpressionAttributeNames: { '#unused': 'x' } })).toBe(
      one('Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}'),
    );
    expect(await update({ UpdateExpression: 'SET attr1 = :v', ExpressionAttributeValues: { ':v': S('v'), ':unused': S('e') } })).toBe(
      one('Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}'),
    );
    expect(await update({ UpdateExpression: 'SET attr1 = :v' })).toBe(
      one('Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v'),
    );
    expect(await update({ UpdateExpression: 'SET b = :w', ConditionExpression: 'a = :v', ExpressionAttributeValues: { ':w': S('x') } })).toBe(
      one('Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :v'),
    );
    expect(await update({ UpdateExpression: '' })).toBe(one('Invalid UpdateExpression: The expression can not be empty;'));
    expect(
      await update({ UpdateExpression: 'SET attr1 = :v', ExpressionAttributeValues: { ':v': S('v') }, AttributeUpdates: { attr1: { Value: S('v'), Action: 'PUT' } } }),
    ).toBe(
      one('Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}'),
    );
    // After the table lookup: bare.
    expect(await update({ UpdateExpression: 'SET pk = :v', ExpressionAttributeValues: { ':v': S('new') } })).toBe(
      `${INVALID}Cannot update attribute pk. This attribute is part of the key`,
    );
    expect(await update({ UpdateExpression: 'SET sk = :v', ExpressionAttributeValues: { ':v': S('new') } }, 'Composite', { pk: S('a'), sk: S('b') })).toBe(
      `${INVALID}Cannot update attribute sk. This attribute is part of the key`,
    );
  });

  it('reports key problems found against the table bare', async () => {
    const emptyBinary = 'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: pk';
    expect(await refusal('PutItem', { TableName: 'HashB', Item: { pk: { B: '' } } })).toBe(emptyBinary);
    expect(await refusal('UpdateItem', { TableName: 'HashB', Key: { pk: { B: '' } }, UpdateExpression: 'SET a = :v', ExpressionAttributeValues: { ':v': S('x') } })).toBe(
      emptyBinary,
    );
    expect(await refusal('DeleteItem', { TableName: 'HashB', Key: { pk: { B: '' } } })).toBe(emptyBinary);
    expect(await refusal('DeleteItem', { TableName: 'Composite', Key: { pk: S('test') } })).toBe('The provided key element does not match the schema');
    const emptyString = 'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk';
    expect(await refusal('GetItem', { TableName: 'Hash', Key: { pk: S('') } })).toBe(emptyString);
    expect(await refusal('DeleteItem', { TableName: 'Hash', Key: { pk: S('') } })).toBe(emptyString);
    const missing = await rawDynamo(t.endpoint, 'DeleteItem', { TableName: 'does_not_exist_em_delete', Key: { pk: S('test') } });
    expect(missing.json).toEqual({ __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: 'Requested resource not found' });
  });

  it('leaves GetItem bare: it is not on the newer framework', async () => {
    expect(await refusal('GetItem', { TableName: 'Hash', Key: { pk: S('a') }, ProjectionExpression: 'a, a' })).toBe(
      'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]',
    );
  });
});

describe('attribute values: the current layer (PutItem, UpdateItem, DeleteItem enveloped; GetItem bare)', () => {
  const OVERFLOW = 'Number overflow. Attempting to store a number with magnitude larger than supported range';
  const UNDERFLOW = 'Number underflow. Attempting to store a number with magnitude smaller than supported range';
  const NOT_NUMERIC = 'The parameter cannot be converted to a numeric value';
  const SHAPES = ['abc', '', '1e126', '1e2147483647'];
  const CURRENT = [`${NOT_NUMERIC}: abc`, `${NOT_NUMERIC}: `, OVERFLOW, OVERFLOW];

  async function eachShape(send: (value: { N: string }, raw: string) => object, operation: string): Promise<string[]> {
    const got: string[] = [];
    for (const shape of SHAPES) got.push(await refusal(operation, send(N(shape), shape)));
    return got;
  }

  it('refuses every malformed number in a PutItem item inside the envelope', async () => {
    const cases: [string, string][] = [
      ['1e99999999999', OVERFLOW],
      ['-1e99999999999', OVERFLOW],
      ['1e-99999999999', UNDERFLOW],
      ['1e2147483648', OVERFLOW],
      ['1e2147483647', OVERFLOW],
      ['1e-2147483648', UNDERFLOW],
      ['1e126', OVERFLOW],
      ['1e-131', UNDERFLOW],
      ['abc', `${NOT_NUMERIC}: abc`],
      ['1.2.3', `${NOT_NUMERIC}: 1.2.3`],
      ['', `${NOT_NUMERIC}: `],
      [' 1', `${NOT_NUMERIC}:  1`],
      ['1 ', `${NOT_NUMERIC}: 1 `],
      ['0x10', `${NOT_NUMERIC}: 0x10`],
      ['1e', `${NOT_NUMERIC}: 1e`],
      ['NaN', `${NOT_NUMERIC}: NaN`],
      ['Infinity', `${NOT_NUMERIC}: Infinity`],
      ['1e9223372036854775808', `${NOT_NUMERIC}: 1e9223372036854775808`],
      ['0e126', OVERFLOW],
      ['0e-131', UNDERFLOW],
      ['1234567890123456789012345678901234567890', 'Attempting to store more than 38 significant digits in a Number'],
    ];
    const got: string[] = [];
    for (const [n] of cases) got.push(await refusal('PutItem', { TableName: 'Hash', Item: { pk: S('vl-n'), n: N(n) } }));
    expect(got).toEqual(cases.map(([, message]) => one(message)));
  });

  it('stores zero written with an exponent inside the range as 0', async () => {
    await rawDynamo(t.endpoint, 'PutItem', { TableName: 'Hash', Item: { pk: S('nx-zero'), val: N('0e125') } });
    const { Item } = await t.ddb.send(new GetItemCommand({ TableName: 'Hash', Key: { pk: S('nx-zero') }, ConsistentRead: true }));
    expect(Item?.val).toEqual({ N: '0' });
  });

  it('refuses a malformed number wherever it sits in a write, inside the envelope, naming no placeholder', async () => {
    const table = { TableName: 'Hash' };
    const member = await eachShape((_, raw) => ({ ...table, Item: { pk: S('vl-n'), n: { NS: ['1', raw] } } }), 'PutItem');
    const nested = await eachShape((v) => ({ ...table, Item: { pk: S('vl-n'), n: { M: { x: { L: [v] } } } } }), 'PutItem');
    const condition = await eachShape(
      (v) => ({ ...table, Item: { pk: S('vl-n') }, ConditionExpression: 'attribute_not_exists(pk) OR n = :v', ExpressionAttributeValues: { ':v': v } }),
      'PutItem',
    );
    const expected = await eachShape((v) => ({ ...table, Item: { pk: S('vl-n-expected') }, Expected: { n: { Value: v } } }), 'PutItem');
    const updateValue = await eachShape((v) => ({ ...table, Key: { pk: S('vl-n') }, UpdateExpression: 'SET n = :v', ExpressionAttributeValues: { ':v': v } }), 'UpdateItem');
    const attributeUpdates = await eachShape((v) => ({ ...table, Key: { pk: S('vl-n') }, AttributeUpdates: { n: { Action: 'PUT', Value: v } } }), 'UpdateItem');
    const updateKey = await eachShape(
      (v) => ({ TableName: 'HashN', Key: { pk: v }, UpdateExpression: 'SET n = :o', ExpressionAttributeValues: { ':o': N('1') } }),
      'UpdateItem',
    );
    const deleteValue = await eachShape((v) => ({ ...table, Key: { pk: S('vl-n') }, ConditionExpression: 'n = :v', ExpressionAttributeValues: { ':v': v } }), 'DeleteItem');
    const deleteKey = await eachShape((v) => ({ TableName: 'HashN', Key: { pk: v } }), 'DeleteItem');
    const want = CURRENT.map(one);
    expect({ member, nested, condition, expected, updateValue, attributeUpdates, updateKey, deleteValue, deleteKey }).toEqual({
      member: want,
      nested: want,
      condition: want,
      expected: want,
      updateValue: want,
      attributeUpdates: want,
      updateKey: want,
      deleteValue: want,
      deleteKey: want,
    });
    // Expected values are checked before anything is written.
    const { Item } = await t.ddb.send(new GetItemCommand({ TableName: 'Hash', Key: { pk: S('vl-n-expected') }, ConsistentRead: true }));
    expect(Item).toBeUndefined();
  });

  it('refuses a malformed number in a GetItem key bare, in the current wording', async () => {
    expect(await eachShape((v) => ({ TableName: 'HashN', Key: { pk: v } }), 'GetItem')).toEqual(CURRENT);
  });

  // SS b, a, b; BS 0xff, 0x00, 0x00; NS 2, 1, 2.
  const DUPES = [{ SS: ['b', 'a', 'b'] }, { BS: ['/w==', 'AA==', 'AA=='] }, { NS: ['2', '1', '2'] }];
  const DUPE_CURRENT = [
    `${INVALID}Input collection ["a", "b", "b"] contains duplicates.`,
    `${INVALID}Input collection ["AA==","/w==","AA=="]of type BS contains duplicates.`,
    `${INVALID}Input collection contains duplicates.`,
  ];

  async function eachSet(operation: string, send: (set: object) => object): Promise<string[]> {
    const got: string[] = [];
    for (const set of DUPES) got.push(await refusal(operation, send(set)));
    return got;
  }

  it('lists a duplicate set member sorted up to the repeat, and names no number', async () => {
    const table = { TableName: 'Hash' };
    const item = await eachSet('PutItem', (d) => ({ ...table, Item: { pk: S('vl-d'), s: d } }));
    const condition = await eachSet('PutItem', (d) => ({
      ...table,
      Item: { pk: S('vl-d') },
      ConditionExpression: 'attribute_not_exists(pk) OR s = :t',
      ExpressionAttributeValues: { ':t': d },
    }));
    const expected = await eachSet('PutItem', (d) => ({ ...table, Item: { pk: S('vl-d') }, Expected: { s: { Value: d } } }));
    const updateCondition = await eachSet('UpdateItem', (d) => ({
      ...table,
      Key: { pk: S('vl-d') },
      UpdateExpression: 'SET o = :o',
      ConditionExpression: 'attribute_not_exists(pk) OR s = :t',
      ExpressionAttributeValues: { ':o': N('1'), ':t': d },
    }));
    const attributeUpdates = await eachSet('UpdateItem', (d) => ({ ...table, Key: { pk: S('vl-d') }, AttributeUpdates: { s: { Action: 'PUT', Value: d } } }));
    const updateKey = await eachSet('UpdateItem', (d) => ({ ...table, Key: { pk: d }, UpdateExpression: 'SET o = :o', ExpressionAttributeValues: { ':o': N('1') } }));
    const deleteKey = await eachSet('DeleteItem', (d) => ({ ...table, Key: { pk: d } }));
    const get = await eachSet('GetItem', (d) => ({ ...table, Key: { pk: d } }));
    const want = DUPE_CURRENT.map(one);
    expect({ item, condition, expected, updateCondition, attributeUpdates, updateKey, deleteKey, get }).toEqual({
      item: want,
      condition: want,
      expected: want,
      updateCondition: want,
      attributeUpdates: want,
      updateKey: want,
      deleteKey: want,
      get: DUPE_CURRENT,
    });
  });

  it('words empty sets, duplicate empty members and NULL false, inside the envelope', async () => {
    const put = (value: object) => refusal('PutItem', { TableName: 'Hash', Item: { pk: S('em-put'), bad: value } });
    expect(await put({ SS: [] })).toBe(one(`${INVALID}An string set  may not be empty`));
    expect(await put({ NS: [] })).toBe(one(`${INVALID}An number set  may not be empty`));
    expect(await put({ BS: [] })).toBe(one(`${INVALID}Binary sets should not be empty`));
    expect(await put({ NS: [''] })).toBe(one(`${NOT_NUMERIC}: `));
    expect(await put({ SS: ['', ''] })).toBe(one(`${INVALID}Input collection ["", ""] contains duplicates.`));
    expect(await put({ BS: ['', ''] })).toBe(one(`${INVALID}Input collection ["",""]of type BS contains duplicates.`));
    expect(await put({ NULL: false })).toBe(one(`${INVALID}Null attribute value types must have the value of true`));
  });

  it('refuses a value nested past 32 levels in an UpdateItem value inside the envelope, naming no placeholder', async () => {
    const message = await refusal('UpdateItem', {
      TableName: 'Hash',
      Key: { pk: S('nest-cond-eav') },
      UpdateExpression: 'SET touched = :t',
      ConditionExpression: '#d = :deep',
      ExpressionAttributeNames: { '#d': 'data' },
      ExpressionAttributeValues: { ':t': S('y'), ':deep': deep(32) },
    });
    expect(message).toBe(one('Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit'));
  });
});

describe('requests nested past what the newer framework reads (about 62 levels) get the older answers', () => {
  const absent = 'deep_order_absent';
  const key = (pk: object) => ({ pk, sk: S('1') });
  const XOR_OLDER =
    "1 validation error detected: Value 'XOR' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [OR, AND]";
  const RV_OLDER =
    "1 validation error detected: Value 'BOGUS' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]";
  const condition = (depth: number) => ({ ConditionExpression: '#d = :deep', ExpressionAttributeNames: { '#d': 'd' }, ExpressionAttributeValues: { ':deep': deep(depth) } });

  it('reports ConditionalOperator in its older enum wording ahead of an Expected value nested 100 levels', async () => {
    const expected = { Expected: { a: { Value: deep(100) }, b: { Exists: false } }, ConditionalOperator: 'XOR' };
    expect(await refusal('PutItem', { TableName: absent, Item: key(S('a')), ...expected })).toBe(XOR_OLDER);
    expect(await refusal('UpdateItem', { TableName: absent, Key: key(S('a')), AttributeUpdates: { x: { Action: 'PUT', Value: S('1') } }, ...expected })).toBe(
      XOR_OLDER,
    );
    // At 40 levels the newer framework answers, in its own form.
    expect(await refusal('PutItem', { TableName: absent, Item: key(S('a')), Expected: { a: { Value: deep(40) }, b: { Exists: false } }, ConditionalOperator: 'XOR' })).toBe(
      one('Failed to satisfy constraint: Member must satisfy enum value set: [ALL, OR]'),
    );
  });

  it('reads DeleteItem’s ReturnValues in the older form past the limit, in the newer one at 40 levels', async () => {
    const del = (input: object) => refusal('DeleteItem', { TableName: absent, Key: key(S('a')), ...input });
    expect(await del({ ...condition(63), ReturnValues: 'BOGUS' })).toBe(RV_OLDER);
    expect(await del({ Expected: { d: { Value: deep(63) } }, ReturnValues: 'BOGUS' })).toBe(RV_OLDER);
    expect(await refusal('DeleteItem', { TableName: absent, Key: key(deep(100)), ReturnValues: 'BOGUS' })).toBe(RV_OLDER);
    expect(await del({ ...condition(100), ReturnValues: 'UPDATED_NEW' })).toBe('ReturnValues can only be ALL_OLD or NONE');
    expect(await del({ ...condition(40), ReturnValues: 'BOGUS' })).toBe(
      one('Failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATE_NEW, NONE]'),
    );
    expect(await del({ ...condition(40), ReturnValues: 'UPDATED_NEW' })).toBe(one('ReturnValues can only be ALL_OLD or NONE'));
  });
});

describe('expression size', () => {
  it('stops an oversized UpdateExpression’s message at the semicolon; a condition’s names its size', async () => {
    const update = 'SET ' + Array.from({ length: 500 }, (_, i) => `a${i} = :v`).join(', ');
    expect(await refusal('UpdateItem', { TableName: 'Hash', Key: { pk: S('a') }, UpdateExpression: update, ExpressionAttributeValues: { ':v': S('x') } })).toBe(
      one('Invalid UpdateExpression: Expression size has exceeded the maximum allowed size;'),
    );
    const condition = 'a = :v' + ' AND a = :v'.repeat(373);
    expect(await refusal('DeleteItem', { TableName: 'Hash', Key: { pk: S('a') }, ConditionExpression: condition, ExpressionAttributeValues: { ':v': S('x') } })).toBe(
      one('Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4109'),
    );
  });
});

describe('constraints on a map’s keys and values (the validator’s rule, as BatchWriteItem answers it)', () => {
  const opaque = new Set(['AttributeValue']);
  const validationMessage = (shape: string, input: object): string => {
    try {
      validateRequest(DYNAMODB_MODEL, shape, input, opaque);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('expected a ValidationException');
  };

  it('reports a bad map value once for the whole map, listing every constraint of the value', () => {
    expect(validationMessage('BatchWriteItemInput', { RequestItems: { Tab: [] } })).toBe(
      one(
        "Value '{Tab=[]}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]",
      ),
    );
    const requests = Array.from({ length: 26 }, (_, i) => ({ PutRequest: { Item: { pk: S(`bw-${i}`) } } }));
    expect(validationMessage('BatchWriteItemInput', { RequestItems: { Tab: requests } })).toMatch(
      /^1 validation error detected: Value '\{Tab=\[WriteRequest\(putRequest=PutRequest\(item=\{pk=.+\}\), deleteRequest=null\), .+\]\}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: \[Member must have length less than or equal to 25, Member must have length greater than or equal to 1\]$/s,
    );
  });
});

describe('constraints on attribute names (the keys of an item)', () => {
  const opaque = new Set(['AttributeValue']);
  const batch = (name: string) => ({ RequestItems: { Tab: [{ PutRequest: { Item: { pk: S('a'), [name]: S('x') } } }] } });

  it('takes names of up to 65,535 characters and reports a longer one once for the item', () => {
    expect(() => validateRequest(DYNAMODB_MODEL, 'BatchWriteItemInput', batch('n'.repeat(65_535)), opaque)).not.toThrow();
    let message = '';
    try {
      validateRequest(DYNAMODB_MODEL, 'BatchWriteItemInput', batch('n'.repeat(65_536)), opaque);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.startsWith("1 validation error detected: Value '{pk=")).toBe(true);
    expect(message.endsWith("' at 'requestItems.Tab.member.1.member.putRequest.item' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 65535]")).toBe(true);
  });
});

describe('CreateTable constraint violations', () => {
  const base = {
    TableName: 'vo_ct_index_names',
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
  };
  const lsi = (name: string) => ({
    IndexName: name,
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'lr', KeyType: 'RANGE' },
    ],
    Projection: { ProjectionType: 'ALL' },
  });
  const gsi = (name: string) => ({ IndexName: name, KeySchema: [{ AttributeName: 'gh', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } });
  const tooShort = (name: string, member: string) =>
    `Value '${name}' at '${member}.1.member.indexName' failed to satisfy constraint: Member must have length greater than or equal to 3`;

  it('lists the GSI error before the LSI error, whatever the request order or the names', async () => {
    expect(await refusal('CreateTable', { ...base, LocalSecondaryIndexes: [lsi('l1')], GlobalSecondaryIndexes: [gsi('g1')] })).toBe(
      `2 validation errors detected: ${tooShort('g1', 'globalSecondaryIndexes')}; ${tooShort('l1', 'localSecondaryIndexes')}`,
    );
    expect(await refusal('CreateTable', { ...base, LocalSecondaryIndexes: [lsi('aa')], GlobalSecondaryIndexes: [gsi('zz')] })).toBe(
      `2 validation errors detected: ${tooShort('zz', 'globalSecondaryIndexes')}; ${tooShort('aa', 'localSecondaryIndexes')}`,
    );
  });

  it('refuses more than two key schema elements, printing them as DynamoDB’s request objects', async () => {
    const message = await refusal('CreateTable', {
      TableName: 'threekey',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: ['pk', 'sk', 'extra'].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
        { AttributeName: 'extra', KeyType: 'RANGE' },
      ],
    });
    expect(message).toBe(
      one(
        "Value '[KeySchemaElement(attributeName=pk, keyType=HASH), KeySchemaElement(attributeName=sk, keyType=RANGE), KeySchemaElement(attributeName=extra, keyType=RANGE)]' at 'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2",
      ),
    );
  });

  it('reports a badly spelt table name with the request’s other violations, and a duplicate key attribute as an invalid key schema', async () => {
    const badName = await refusal('CreateTable', { TableName: 'x!', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [] });
    expect(badName).toContain("Value 'x!' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3");
    expect(badName).toContain("Value 'x!' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
    const duplicate = await refusal('CreateTable', {
      TableName: 'dupkey',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'pk', KeyType: 'RANGE' },
      ],
    });
    expect(duplicate).toContain('Invalid KeySchema');
    expect(await refusal('CreateTable', { TableName: 'badbilling', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'INVALID_MODE' })).toBe(
      one("Value 'INVALID_MODE' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]"),
    );
  });

  it('requires AttributeDefinitions and KeySchema, which the published model made optional (a table without them used to be an internal error)', async () => {
    expect(await refusal('CreateTable', { TableName: 'nokeys', BillingMode: 'PAY_PER_REQUEST' })).toBe(
      "2 validation errors detected: Value null at 'keySchema' failed to satisfy constraint: Member must not be null; Value null at 'attributeDefinitions' failed to satisfy constraint: Member must not be null",
    );
    const withIndex = { TableName: 'nokeys', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }], GlobalSecondaryIndexes: [gsi('byg')] };
    expect(await refusal('CreateTable', withIndex)).toBe(one("Value null at 'keySchema' failed to satisfy constraint: Member must not be null"));
  });
});
