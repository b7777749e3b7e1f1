import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawDynamo, startEddy, type TestEddy } from '../helpers/eddy.js';

let t: TestEddy;
beforeAll(async () => {
  t = await startEddy();
});
afterAll(async () => t.close());

describe('AWS JSON 1.0 edge', () => {
  it('answers with x-amzn-RequestId, a correct x-amz-crc32 and the JSON 1.0 content type', async () => {
    const res = await rawDynamo(t.endpoint, 'ListTables', {});
    expect(res.status).toBe(200);
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[A-Z0-9]{52}$/);
    expect(res.headers.get('x-amz-crc32')).toBe(String(crc32(Buffer.from(res.text))));
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(res.json).toEqual({ TableNames: [] });
  });

  it('answers malformed JSON with SerializationException', async () => {
    const res = await rawDynamo(t.endpoint, 'ListTables', '{"Limit": ');
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ __type: 'com.amazon.coral.service#SerializationException' });
  });

  it('answers wrong JSON types with the Java-flavoured SerializationException texts', async () => {
    const asString = await rawDynamo(t.endpoint, 'ListTables', { Limit: 'ten' });
    expect(asString.json).toEqual({ __type: 'com.amazon.coral.service#SerializationException', Message: 'class java.lang.String can not be converted to an Integer' });
    const asNumber = await rawDynamo(t.endpoint, 'DescribeTable', { TableName: 12 });
    expect(asNumber.json.Message).toBe('class java.lang.Short can not be converted to an String');
    const asList = await rawDynamo(t.endpoint, 'DescribeTable', { TableName: ['a'] });
    expect(asList.json.Message).toBe('Start of list found where not expected');
  });

  it('answers an unknown operation with UnknownOperationException, never a fake success', async () => {
    const res = await rawDynamo(t.endpoint, 'RestoreTableFromBackup', {});
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ __type: 'com.amazon.coral.service#UnknownOperationException' });
    const nonsense = await rawDynamo(t.endpoint, 'Frobnicate', {});
    expect(nonsense.json.__type).toBe('com.amazon.coral.service#UnknownOperationException');
  });

  it('refuses unsigned requests with MissingAuthenticationTokenException', async () => {
    const res = await rawDynamo(t.endpoint, 'ListTables', {}, { Authorization: '' });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ __type: 'com.amazon.coral.service#MissingAuthenticationTokenException', message: 'Request is missing Authentication Token' });
  });

  it('collects up to ten constraint violations into one ValidationException', async () => {
    const res = await rawDynamo(t.endpoint, 'ListTables', { Limit: 0, ExclusiveStartTableName: 'x' });
    expect(res.json).toEqual({
      __type: 'com.amazon.coral.validate#ValidationException',
      message:
        "2 validation errors detected: Value 'x' at 'exclusiveStartTableName' failed to satisfy constraint: Member must have length greater than or equal to 3; Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    });
  });

  it('refuses bodies over 16 MB with 413 and keeps serving', async () => {
    const huge = 'x'.repeat(16 * 1024 * 1024 + 10);
    const res = await fetch(t.endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'DynamoDB_20120810.ListTables' },
      body: huge,
    }).catch((error: unknown) => error);
    if (res instanceof Response) expect(res.status).toBe(413);
    else expect(String(res)).toMatch(/fetch failed|socket|ECONNRESET|EPIPE/);
    const after = await rawDynamo(t.endpoint, 'ListTables', {});
    expect(after.status).toBe(200);
  });

  it('serves health on /_eddy/health', async () => {
    const res = await fetch(`${t.endpoint}/_eddy/health`);
    expect(res.status).toBe(200);
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(await res.json()).toMatchObject({ status: 'ok', version, region: 'us-east-1', accountId: '000000000000' });
  });

  it('survives hostile input: deep nesting, prototype keys, binary garbage', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect((await rawDynamo(t.endpoint, 'ListTables', deep)).status).toBe(400);
    const proto = await rawDynamo(t.endpoint, 'ListTables', '{"__proto__": {"Limit": 1}, "constructor": 1}');
    expect(proto.status).toBe(200);
    const garbage = await rawDynamo(t.endpoint, 'PutItem', Buffer.from([0xff, 0xfe, 0x00, 0x01]).toString('latin1'));
    expect(garbage.status).toBe(400);
    expect((await rawDynamo(t.endpoint, 'ListTables', {})).status).toBe(200);
  });

  it('keeps an attribute named "__proto__", also as a table key', async () => {
    const create = await rawDynamo(t.endpoint, 'CreateTable', {
      TableName: 'proto',
      AttributeDefinitions: [{ AttributeName: '__proto__', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: '__proto__', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    expect(create.status).toBe(200);
    const put = await rawDynamo(t.endpoint, 'PutItem', '{"TableName":"proto","Item":{"__proto__":{"S":"k"},"a":{"M":{"__proto__":{"N":"1"}}}}}');
    expect(put.status).toBe(200);
    const get = await rawDynamo(t.endpoint, 'GetItem', '{"TableName":"proto","Key":{"__proto__":{"S":"k"}}}');
    expect(get.status).toBe(200);
    expect(get.text).toBe('{"Item":{"__proto__":{"S":"k"},"a":{"M":{"__proto__":{"N":"1"}}}}}');
    // Without it, the key is missing: no object's prototype stands in for it.
    const missing = await rawDynamo(t.endpoint, 'PutItem', '{"TableName":"proto","Item":{"a":{"S":"x"}}}');
    expect(missing.json).toEqual({ __type: 'com.amazon.coral.validate#ValidationException', message: 'One or more parameter values were invalid: Missing the key __proto__ in the item' });
    const batch = await rawDynamo(t.endpoint, 'BatchWriteItem', '{"RequestItems":{"proto":[{"PutRequest":{"Item":{"a":{"S":"x"}}}}]}}');
    expect(batch.json.message).toBe('The provided key element does not match the schema');
    const wrongKey = await rawDynamo(t.endpoint, 'GetItem', '{"TableName":"proto","Key":{"b":{"S":"k"}}}');
    expect(wrongKey.json.message).toBe('The provided key element does not match the schema');
  });

  it('answers a JSON null among the structures of a list with a null-member ValidationException, and changes nothing', async () => {
    const cases: [string, object, string][] = [
      ['CreateTable', { TableName: 'NullMembers', AttributeDefinitions: [null], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }, 'attributeDefinitions.1.member'],
      ['TransactWriteItems', { TransactItems: [{ ConditionCheck: { TableName: 'NullMembers', Key: { pk: { S: 'a' } }, ConditionExpression: 'attribute_exists(pk)' } }, null] }, 'transactItems.2.member'],
      ['TransactGetItems', { TransactItems: [null] }, 'transactItems.1.member'],
      ['BatchWriteItem', { RequestItems: { NullMembers: [null] } }, 'requestItems.NullMembers.member.1.member'],
      ['BatchExecuteStatement', { Statements: [null] }, 'statements.1.member'],
      ['ExecuteTransaction', { TransactStatements: [null] }, 'transactStatements.1.member'],
      ['TagResource', { ResourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/NullMembers', Tags: [null] }, 'tags.1.member'],
    ];
    for (const [operation, body, path] of cases) {
      const res = await rawDynamo(t.endpoint, operation, body);
      expect(res.status, operation).toBe(400);
      expect(res.json, operation).toEqual({
        __type: 'com.amazon.coral.validate#ValidationException',
        message: `1 validation error detected: Value null at '${path}' failed to satisfy constraint: Member must not be null`,
      });
    }
    expect((await rawDynamo(t.endpoint, 'ListTables', {})).json.TableNames).not.toContain('NullMembers');
  });
});
