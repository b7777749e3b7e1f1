import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, rawDynamo, startEddy, type TestEddy } from '../helpers/eddy.js';

let t: TestEddy;
beforeAll(async () => {
  t = await startEddy();
  await t.ddb.send(
    new CreateTableCommand({
      TableName: 'Items',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await t.ddb.send(
    new CreateTableCommand({
      TableName: 'Composite',
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
});
afterAll(async () => t.close());

describe('PutItem and GetItem', () => {
  it('round-trips every attribute type, normalising numbers as DynamoDB does', async () => {
    const bytes = new Uint8Array([0, 1, 2, 255]);
    await t.ddb.send(
      new PutItemCommand({
        TableName: 'Items',
        Item: {
          pk: { S: 'all-types' },
          s: { S: 'text' },
          n: { N: '1.50' },
          negZero: { N: '-0' },
          big: { N: '12345678901234567890123456789012345678' },
          b: { B: bytes },
          bool: { BOOL: false },
          nul: { NULL: true },
          m: { M: { inner: { L: [{ N: '01' }, { S: '' }] } } },
          ss: { SS: ['b', 'a'] },
          ns: { NS: ['2', '1.0'] },
          bs: { BS: [new Uint8Array([1]), new Uint8Array([2])] },
          emptyString: { S: '' },
        },
      }),
    );
    const { Item } = await t.ddb.send(new GetItemCommand({ TableName: 'Items', Key: { pk: { S: 'all-types' } } }));
    expect(Item).toMatchObject({
      s: { S: 'text' },
      n: { N: '1.5' },
      negZero: { N: '0' },
      big: { N: '12345678901234567890123456789012345678' },
      bool: { BOOL: false },
      nul: { NULL: true },
      m: { M: { inner: { L: [{ N: '1' }, { S: '' }] } } },
      emptyString: { S: '' },
    });
    expect(Item?.b?.B).toEqual(bytes);
    expect(new Set(Item?.ss?.SS)).toEqual(new Set(['a', 'b']));
    expect(new Set(Item?.ns?.NS)).toEqual(new Set(['1', '2']));
    expect(Item?.bs?.BS).toHaveLength(2);
  });

  it('returns nothing for a missing item, and projects nested paths', async () => {
    const missing = await t.ddb.send(new GetItemCommand({ TableName: 'Items', Key: { pk: { S: 'nobody' } } }));
    expect(missing.Item).toBeUndefined();
    await t.ddb.send(
      new PutItemCommand({
        TableName: 'Items',
        Item: { pk: { S: 'nested' }, a: { M: { b: { S: 'keep' }, c: { S: 'drop' } } }, l: { L: [{ S: 'x' }, { S: 'y' }, { S: 'z' }] }, other: { S: 'drop' } },
      }),
    );
    const { Item } = await t.ddb.send(
      new GetItemCommand({ TableName: 'Items', Key: { pk: { S: 'nested' } }, ProjectionExpression: 'a.b, l[2], #o2', ExpressionAttributeNames: { '#o2': 'pk' } }),
    );
    expect(Item).toEqual({ pk: { S: 'nested' }, a: { M: { b: { S: 'keep' } } }, l: { L: [{ S: 'z' }] } });
  });

  it('replaces the whole item and returns ALL_OLD', async () => {
    await t.ddb.send(new PutItemCommand({ TableName: 'Items', Item: { pk: { S: 'replace' }, old: { S: '1' } } }));
    const result = await t.ddb.send(new PutItemCommand({ TableName: 'Items', Item: { pk: { S: 'replace' }, fresh: { S: '2' } }, ReturnValues: 'ALL_OLD' }));
    expect(result.Attributes).toEqual({ pk: { S: 'replace' }, old: { S: '1' } });
    const { Item } = await t.ddb.send(new GetItemCommand({ TableName: 'Items', Key: { pk: { S: 'replace' } } }));
    expect(Item).toEqual({ pk: { S: 'replace' }, fresh: { S: '2' } });
    const bad = await errorOf(() => t.ddb.send(new PutItemCommand({ TableName: 'Items', Item: { pk: { S: 'x' } }, ReturnValues: 'ALL_NEW' })));
    expect(bad.message).toBe('1 validation error detected: ReturnValues can only be ALL_OLD or NONE');
  });

  it('checks conditions and returns the current item on failure with ALL_OLD', async () => {
    const put = (extra: object) => t.ddb.send(new PutItemCommand({ TableName: 'Items', Item: { pk: { S: 'cond' }, v: { N: '1' } }, ...extra }));
    await put({ ConditionExpression: 'attribute_not_exists(pk)' });
    const failure = await errorOf(() => put({ ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
    expect(failure).toBeInstanceOf(ConditionalCheckFailedException);
    expect(failure.message).toBe('The conditional request failed');
    expect(failure.Item).toEqual({ pk: { S: 'cond' }, v: { N: '1' } });
    const withoutItem = await errorOf(() => put({ ConditionExpression: 'attribute_not_exists(pk)' }));
    expect(withoutItem.Item).toBeUndefined();
    await put({ ConditionExpression: 'v = :one AND size(pk) < :ten', ExpressionAttributeValues: { ':one': { N: '1.0' }, ':ten': { N: '10' } } });
  });

  it('validates keys against the schema', async () => {
    const cases: [object, string][] = [
      [{ other: { S: 'x' } }, 'One or more parameter values were invalid: Missing the key pk in the item'],
      [{ pk: { N: '1' } }, 'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N'],
      [{ pk: { S: '' } }, 'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk'],
      [{ pk: { S: 'x'.repeat(2049) } }, 'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes'],
    ];
    for (const [Item, message] of cases) {
      const error = await errorOf(() => t.ddb.send(new PutItemCommand({ TableName: 'Items', Item: Item as any })));
      expect(error.name).toBe('ValidationException');
      expect(error.message).toBe(message);
    }
    const wrongKey = await errorOf(() => t.ddb.send(new GetItemCommand({ TableName: 'Composite', Key: { pk: { S: 'a' } } })));
    expect(wrongKey.message).toBe('The provided key element does not match the schema');
    const extraKey = await errorOf(() => t.ddb.send(new GetItemCommand({ TableName: 'Items', Key: { pk: { S: 'a' }, x: { S: 'b' } } })));
    expect(extraKey.message).toBe('The provided key element does not match the schema');
  });

  it('refuses items over 400 KB and changes nothing', async () => {
    const error = await errorOf(() => t.ddb.send(new PutItemCommand({ TableName: 'Items', Item: { pk: { S: 'huge' }, data: { S: 'x'.repeat(400 * 1024) } } })));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe('Item size has exceeded the maximum allowed size');
    expect((await t.ddb.send(new GetItemCommand({ TableName: 'Items', Key: { pk: { S: 'huge' } } }))).Item).toBeUndefined();
  });

  it('answers ResourceNotFoundException for a missing table', async () => {
    const error = await errorOf(() => t.ddb.send(new PutItemCommand({ TableName: 'Missing', Item: { pk: { S: 'a' } } })));
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.message).toBe('Requested resource not found');
  });

  it('reports consumed capacity with AWS arithmetic', async () => {
    const put = await t.ddb.send(
      new PutItemCommand({ TableName: 'Items', Item: { pk: { S: 'cap' }, data: { S: 'x'.repeat(1500) } }, ReturnConsumedCapacity: 'TOTAL' }),
    );
    expect(put.ConsumedCapacity).toEqual({ TableName: 'Items', CapacityUnits: 2 });
    const eventual = await t.ddb.send(new GetItemCommand({ TableName: 'Items', Key: { pk: { S: 'cap' } }, ReturnConsumedCapacity: 'TOTAL' }));
    expect(eventual.ConsumedCapacity).toEqual({ TableName: 'Items', CapacityUnits: 0.5 });
    const strong = await t.ddb.send(new GetItemCommand({ TableName: 'Items', Key: { pk: { S: 'cap' } }, ConsistentRead: true, ReturnConsumedCapacity: 'INDEXES' }));
    expect(strong.ConsumedCapacity).toEqual({ TableName: 'Items', CapacityUnits: 1, Table: { CapacityUnits: 1 } });
    const none = await t.ddb.send(new GetItemCommand({ TableName: 'Items', Key: { pk: { S: 'cap' } } }));
    expect(none.ConsumedCapacity).toBeUndefined();
  });
});

describe('DeleteItem', () => {
  it('deletes conditionally and returns ALL_OLD', async () => {
    await t.ddb.send(new PutItemCommand({ TableName: 'Composite', Item: { pk: { S: 'a' }, sk: { N: '1' }, v: { S: 'x' } } }));
    const failed = await errorOf(() =>
      t.ddb.send(new DeleteItemCommand({ TableName: 'Composite', Key: { pk: { S: 'a' }, sk: { N: '1.0' } }, ConditionExpression: 'v = :y', ExpressionAttributeValues: { ':y': { S: 'y' } } })),
    );
    expect(failed.name).toBe('ConditionalCheckFailedException');
    const deleted = await t.ddb.send(new DeleteItemCommand({ TableName: 'Composite', Key: { pk: { S: 'a' }, sk: { N: '1.0' } }, ReturnValues: 'ALL_OLD' }));
    expect(deleted.Attributes).toEqual({ pk: { S: 'a' }, sk: { N: '1' }, v: { S: 'x' } });
    const again = await t.ddb.send(new DeleteItemCommand({ TableName: 'Composite', Key: { pk: { S: 'a' }, sk: { N: '1' } }, ReturnValues: 'ALL_OLD' }));
    expect(again.Attributes).toBeUndefined();
  });
});

describe('UpdateItem', () => {
  it('creates the item when missing and applies SET/REMOVE/ADD/DELETE', async () => {
    const created = await t.ddb.send(
      new UpdateItemCommand({
        TableName: 'Items',
        Key: { pk: { S: 'upd' } },
        UpdateExpression: 'SET #c = if_not_exists(#c, :zero) + :one, tags = :tags, profile = :profile ADD visits :one',
        ExpressionAttributeNames: { '#c': 'count' },
        ExpressionAttributeValues: { ':zero': { N: '0' }, ':one': { N: '1' }, ':tags': { SS: ['a', 'b', 'c'] }, ':profile': { M: { name: { S: 'Ada' }, langs: { L: [{ S: 'en' }] } } } },
        ReturnValues: 'ALL_NEW',
      }),
    );
    expect(created.Attributes).toMatchObject({ pk: { S: 'upd' }, count: { N: '1' }, visits: { N: '1' } });

    const updated = await t.ddb.send(
      new UpdateItemCommand({
        TableName: 'Items',
        Key: { pk: { S: 'upd' } },
        UpdateExpression: 'SET profile.langs = list_append(profile.langs, :more), #c = #c - :one DELETE tags :ab REMOVE visits',
        ConditionExpression: 'attribute_exists(pk) AND #c = :one',
        ExpressionAttributeNames: { '#c': 'count' },
        ExpressionAttributeValues: { ':one': { N: '1' }, ':more': { L: [{ S: 'fr' }] }, ':ab': { SS: ['a', 'b'] } },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    expect(updated.Attributes).toEqual({ profile: { M: { langs: { L: [{ S: 'en' }, { S: 'fr' }] } } }, count: { N: '0' }, tags: { SS: ['c'] } });
    const { Item } = await t.ddb.send(new GetItemCommand({ TableName: 'Items', Key: { pk: { S: 'upd' } } }));
    expect(Item?.visits).toBeUndefined();
    expect(Item?.profile).toEqual({ M: { name: { S: 'Ada' }, langs: { L: [{ S: 'en' }, { S: 'fr' }] } } });
  });

  it('returns UPDATED_OLD and refuses to touch key attributes', async () => {
    await t.ddb.send(new PutItemCommand({ TableName: 'Items', Item: { pk: { S: 'old' }, a: { N: '5' }, b: { S: 'same' } } }));
    const result = await t.ddb.send(
      new UpdateItemCommand({ TableName: 'Items', Key: { pk: { S: 'old' } }, UpdateExpression: 'SET a = :v', ExpressionAttributeValues: { ':v': { N: '6' } }, ReturnValues: 'UPDATED_OLD' }),
    );
    expect(result.Attributes).toEqual({ a: { N: '5' } });
    const keyError = await errorOf(() =>
      t.ddb.send(new UpdateItemCommand({ TableName: 'Items', Key: { pk: { S: 'old' } }, UpdateExpression: 'SET pk = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } })),
    );
    expect(keyError.message).toBe('One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key');
  });

  it('reports expression errors with AWS texts and changes nothing', async () => {
    await t.ddb.send(new PutItemCommand({ TableName: 'Items', Item: { pk: { S: 'errs' }, n: { N: '1' }, s: { S: 'text' } } }));
    // Errors found before the table lookup come inside DynamoDB's validation envelope, those found applying the update do not.
    const one = (message: string) => `1 validation error detected: ${message}`;
    const cases: [object, string][] = [
      [{ UpdateExpression: 'SET status = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } }, one('Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status')],
      [{ UpdateExpression: 'SET a = :v', ExpressionAttributeValues: { ':v': { S: 'x' }, ':unused': { S: 'y' } } }, one('Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}')],
      [{ UpdateExpression: 'SET a = :v', ExpressionAttributeValues: { ':v': { S: 'x' } }, ExpressionAttributeNames: { '#n': 'n' } }, one('Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}')],
      [{ UpdateExpression: 'SET n = n + :v', ExpressionAttributeValues: { ':v': { S: 'x' } } }, one('Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S')],
      [{ UpdateExpression: 'SET n = s + :v', ExpressionAttributeValues: { ':v': { N: '1' } } }, 'An operand in the update expression has an incorrect data type'],
      [{ UpdateExpression: 'SET a = :v, a = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } }, one('Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]')],
    ];
    for (const [extra, message] of cases) {
      const error = await errorOf(() => t.ddb.send(new UpdateItemCommand({ TableName: 'Items', Key: { pk: { S: 'errs' } }, ...extra })));
      expect(error.name, message).toBe('ValidationException');
      expect(error.message).toBe(message);
    }
    const { Item } = await t.ddb.send(new GetItemCommand({ TableName: 'Items', Key: { pk: { S: 'errs' } } }));
    expect(Item).toEqual({ pk: { S: 'errs' }, n: { N: '1' }, s: { S: 'text' } });
  });

  it('adds 38-digit numbers without floating-point drift', async () => {
    await t.ddb.send(new PutItemCommand({ TableName: 'Items', Item: { pk: { S: 'precise' }, n: { N: '0.1' } } }));
    const result = await t.ddb.send(
      new UpdateItemCommand({
        TableName: 'Items',
        Key: { pk: { S: 'precise' } },
        UpdateExpression: 'ADD n :v',
        ExpressionAttributeValues: { ':v': { N: '0.2' } },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    expect(result.Attributes).toEqual({ n: { N: '0.3' } });
  });
});

describe('DocumentClient (@aws-sdk/lib-dynamodb)', () => {
  it('puts, gets, updates with conditions and deletes native JavaScript values', async () => {
    const doc = DynamoDBDocumentClient.from(t.ddb);
    await doc.send(new PutCommand({ TableName: 'Composite', Item: { pk: 'doc', sk: 1, tags: new Set(['x']), nested: { list: [1, 'two', null, true] } } }));
    const got = await doc.send(new GetCommand({ TableName: 'Composite', Key: { pk: 'doc', sk: 1 } }));
    expect(got.Item).toEqual({ pk: 'doc', sk: 1, tags: new Set(['x']), nested: { list: [1, 'two', null, true] } });
    const updated = await doc.send(
      new UpdateCommand({
        TableName: 'Composite',
        Key: { pk: 'doc', sk: 1 },
        // LIST is a DynamoDB reserved word, so it needs a placeholder.
        UpdateExpression: 'SET nested.#list[1] = :v ADD tags :t',
        ConditionExpression: 'contains(tags, :x)',
        ExpressionAttributeNames: { '#list': 'list' },
        ExpressionAttributeValues: { ':v': 'deux', ':t': new Set(['y']), ':x': 'x' },
        ReturnValues: 'ALL_NEW',
      }),
    );
    expect(updated.Attributes?.nested).toEqual({ list: [1, 'deux', null, true] });
    expect(updated.Attributes?.tags).toEqual(new Set(['x', 'y']));
    const failed = await errorOf(() => doc.send(new DeleteCommand({ TableName: 'Composite', Key: { pk: 'doc', sk: 1 }, ConditionExpression: 'attribute_not_exists(pk)' })));
    expect(failed.name).toBe('ConditionalCheckFailedException');
    await doc.send(new DeleteCommand({ TableName: 'Composite', Key: { pk: 'doc', sk: 1 } }));
    expect((await doc.send(new GetCommand({ TableName: 'Composite', Key: { pk: 'doc', sk: 1 } }))).Item).toBeUndefined();
  });
});

describe('attribute value validation over the wire', () => {
  it('refuses malformed attribute values with AWS errors', async () => {
    const put = (item: object) => rawDynamo(t.endpoint, 'PutItem', { TableName: 'Items', Item: { pk: { S: 'v' }, ...item } });
    const one = (message: string) => `1 validation error detected: ${message}`;
    expect((await put({ a: {} })).json.message).toBe(one('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes'));
    expect((await put({ a: { S: 'x', N: '1' } })).json.message).toBe(one('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes'));
    expect((await put({ a: { N: 'abc' } })).json.__type).toBe('com.amazon.coral.validate#ValidationException');
    expect((await put({ a: { N: '1'.repeat(39) } })).json.message).toBe(one('Attempting to store more than 38 significant digits in a Number'));
    expect((await put({ a: { NULL: false } })).json.message).toContain('Null attribute value types must have the value of true');
    expect((await put({ a: { S: 5 } })).json.__type).toBe('com.amazon.coral.service#SerializationException');
    expect((await rawDynamo(t.endpoint, 'GetItem', { TableName: 'Items', Key: { pk: { S: 'v' } } })).json).toEqual({});
  });
});
