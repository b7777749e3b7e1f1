/** Small helpers the item, batch and transaction tests share. */
import { CreateTableCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { expect } from 'vitest';
import { rawDynamo } from './eddy.js';

export const S = (s: string): AttributeValue => ({ S: s });
export const N = (n: string): AttributeValue => ({ N: n });

/** DynamoDB's envelope for constraint violations. */
export const one = (message: string): string => `1 validation error detected: ${message}`;

/** A PAY_PER_REQUEST table with the given key attributes: [name, type, HASH or RANGE]. */
export const createTable = (name: string, keys: [string, 'S' | 'N' | 'B', 'HASH' | 'RANGE'][]) =>
  new CreateTableCommand({
    TableName: name,
    AttributeDefinitions: keys.map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    KeySchema: keys.map(([AttributeName, , KeyType]) => ({ AttributeName, KeyType })),
    BillingMode: 'PAY_PER_REQUEST',
  });

/** The ValidationException message of a raw request; fails the test on anything else. */
export async function refusal(endpoint: string, operation: string, body: object): Promise<string> {
  const { status, json } = await rawDynamo(endpoint, operation, body);
  expect(status, JSON.stringify(json)).toBe(400);
  expect(json.__type, json.message).toBe('com.amazon.coral.validate#ValidationException');
  return json.message as string;
}

/** A string attribute nested in `depth` single-member maps. */
export function deep(depth: number): AttributeValue {
  let value: AttributeValue = S('leaf');
  for (let i = 0; i < depth; i++) value = { M: { n: value } };
  return value;
}

export const ENUM_RCC =
  "Value 'BOGUS' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]";
export const ENUM_RICM =
  "Value 'BOGUS2' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member must satisfy enum value set: [SIZE, NONE]";
