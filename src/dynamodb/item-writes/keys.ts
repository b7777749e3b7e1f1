/**
 * Keys as batches and transactions check them. DynamoDB splits a key's
 * problems in two there (Parity Suite error-messages/transactWriteItems,
 * batchWriteItem): a key value that is empty or too long is reported up
 * front, as a ValidationException for the whole request; a key that does not
 * fit the schema (an attribute missing, or of another type) is reported when
 * the action runs: a transaction cancels with it, a batch words it "The
 * provided key element does not match the schema".
 */
import { AwsError } from '../../edge/errors.js';
import { encodedKey } from '../item-store.js';
import { checkKey, keyOfNewItem } from '../keys.js';
import type { KeyAttribute, Table } from '../table-catalog.js';
import { typeOf, type AttributeValue, type Item } from '../values/attribute-value.js';
import { validateKeyAttribute, type KeyRole } from '../values/validate.js';
import { ownValue, setOwn } from '../../own-property.js';

export const SCHEMA_MISMATCH = 'The provided key element does not match the schema';

/** A key that fits the table's schema, or the ValidationException saying how it does not. */
export type KeyMatch = { readonly key: Item; readonly mismatch?: undefined } | { readonly key?: undefined; readonly mismatch: AwsError };

/**
 * Checks the values of the key attributes `candidate` has with the schema's
 * type: not an empty string or binary, not over the key size limits. Throws
 * DynamoDB's ValidationException.
 */
export function checkKeyValues(table: Table, candidate: Item): void {
  checkKeyValue(table.hashKey, candidate, 'HASH');
  if (table.rangeKey) checkKeyValue(table.rangeKey, candidate, 'RANGE');
}

/**
 * {@link checkKeyValues}, then the key `matchKey(table, item, 'item')` would
 * find when every key attribute is there with the schema's type, else
 * undefined (let matchKey say what does not fit).
 */
export function checkedKey(table: Table, candidate: Item): Item | undefined {
  const hash = checkKeyValue(table.hashKey, candidate, 'HASH');
  const range = table.rangeKey && checkKeyValue(table.rangeKey, candidate, 'RANGE');
  if (!hash || (table.rangeKey && !range)) return undefined;
  // Built as keyOfNewItem builds it.
  const key: Item = {};
  setOwn(key, table.hashKey.name, hash);
  if (table.rangeKey) setOwn(key, table.rangeKey.name, range!);
  return key;
}

/** The value of a key attribute, checked, when the candidate has it with the schema's type. */
function checkKeyValue(attribute: KeyAttribute, candidate: Item, role: KeyRole): AttributeValue | undefined {
  const value = ownValue(candidate, attribute.name);
  if (value === undefined || typeOf(value) !== attribute.type) return undefined;
  validateKeyAttribute(attribute.name, value, role);
  return value;
}

/**
 * Matches an item to put (`source` 'item': "Missing the key pk in the item",
 * "Type mismatch for key ...") or a Key parameter ('key': "The provided key
 * element does not match the schema") against the table's key schema. Call
 * after {@link checkKeyValues}, so that only schema problems remain.
 */
export function matchKey(table: Table, candidate: Item, source: 'item' | 'key'): KeyMatch {
  try {
    return { key: source === 'item' ? keyOfNewItem(table, candidate) : checkKey(table, candidate) };
  } catch (error) {
    if (error instanceof AwsError && error.code === 'ValidationException') return { mismatch: error };
    throw error;
  }
}

/** One string per item of one table, for "one item at most once" checks. */
export function itemIdentity(table: Table, key: Item): string {
  const [pk, sk] = encodedKey(table, key);
  return `${table.id}:${keyIdentity(pk, sk)}`;
}

/** One string per key of one table, from the key as {@link encodedKey} encoded it (checks within one table). */
export function keyIdentity(pk: Buffer, sk: Buffer): string {
  // latin1 maps each byte to one character (cheaper than hex); the length prefix keeps "pk then sk" unambiguous.
  return `${pk.length}:${pk.toString('latin1')}${sk.toString('latin1')}`;
}
