import { AwsError } from '../edge/errors.js';
import { encodedKey } from './item-store.js';
import { checkKey } from './keys.js';
import type { Table } from './table-catalog.js';
import { validateItem, type ValueLayer } from './values/validate.js';

/** Validates an ExclusiveStartKey against the table's key and returns its encoding. */
export function exclusiveStartKey(table: Table, value: unknown, layer: ValueLayer = 'current'): { pk: Buffer; sk: Buffer } | undefined {
  if (value === undefined) return undefined;
  const key = validateItem(value, layer);
  try {
    checkKey(table, key);
  } catch (error) {
    if (error instanceof AwsError) throw new AwsError('ValidationException', `The provided starting key is invalid: ${error.message}`);
    throw error;
  }
  const [pk, sk] = encodedKey(table, key);
  return { pk, sk };
}
