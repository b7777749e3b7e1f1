/**
 * Item sizes as DynamoDB counts them, for the 400 KB item limit, capacity
 * units and table statistics.
 *
 * Rules (AWS developer guide "DynamoDB item sizes and formats", cross-checked
 * with dynalite db/index.js `itemSize`/`valSize`, whose numbers were fitted to
 * DynamoDB's consumed capacity):
 *  - an attribute costs its name in UTF-8 bytes plus its value;
 *  - S: UTF-8 bytes; B: raw (decoded) bytes; N: see {@link numberSize};
 *  - BOOL and NULL: 1 byte;
 *  - SS, NS, BS: the sum of their members, with no overhead;
 *  - L and M: 3 bytes plus, per element, 1 byte and the element's size
 *    (for M also the key in UTF-8 bytes).
 */
import type { AttributeValue, Item } from './attribute-value.js';
import { numberSize } from './number.js';
import { validationError, type AwsError } from '../../edge/errors.js';

/** DynamoDB's maximum item size: 400 KB. */
export const MAX_ITEM_SIZE = 400 * 1024;

/** PutItem, BatchWriteItem and TransactWriteItems Put: the item as sent is too big. */
export const ITEM_TOO_LARGE_MESSAGE = 'Item size has exceeded the maximum allowed size';
/** UpdateItem and TransactWriteItems Update: the item after the update is too big. */
export const UPDATED_ITEM_TOO_LARGE_MESSAGE = 'Item size to update has exceeded the maximum allowed size';

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Decoded length of a base64 value. */
export function binaryLength(base64: string): number {
  return Buffer.byteLength(base64, 'base64');
}

function sum<T>(values: readonly T[], size: (value: T) => number): number {
  let total = 0;
  for (const value of values) total += size(value);
  return total;
}

/** Size in bytes of one attribute value, without its name. */
export function attributeValueSize(value: AttributeValue): number {
  if (value.S !== undefined) return utf8Length(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return binaryLength(value.B);
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return sum(value.SS, utf8Length);
  if (value.NS !== undefined) return sum(value.NS, numberSize);
  if (value.BS !== undefined) return sum(value.BS, binaryLength);
  if (value.L !== undefined) return 3 + sum(value.L, (element) => 1 + attributeValueSize(element));
  if (value.M !== undefined) {
    return 3 + sum(Object.keys(value.M), (key) => 1 + utf8Length(key) + attributeValueSize(value.M![key]!));
  }
  throw new TypeError('attribute value has no type');
}

/** Size in bytes of an item: every attribute's name plus its value. */
export function itemSize(item: Item): number {
  let total = 0;
  for (const name of Object.keys(item)) total += utf8Length(name) + attributeValueSize(item[name]!);
  return total;
}

/**
 * Throws DynamoDB's error when an item exceeds 400 KB. `updated` selects the
 * UpdateItem wording, which DynamoDB uses for the item an update produces.
 */
export function checkItemSize(item: Item, updated = false): void {
  if (itemSize(item) > MAX_ITEM_SIZE) throw itemTooLargeError(updated);
}

export function itemTooLargeError(updated = false): AwsError {
  return validationError(updated ? UPDATED_ITEM_TOO_LARGE_MESSAGE : ITEM_TOO_LARGE_MESSAGE);
}
