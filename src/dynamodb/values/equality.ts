/**
 * Equality and ordering of attribute values with DynamoDB semantics, for
 * conditions (=, <>, IN, contains), update DELETE/ADD on sets and ReturnValues.
 *
 * Numbers compare numerically ("1" equals "1.0"), binaries by their bytes,
 * sets as unordered sets, lists in order and maps by key.
 */
import type { AttributeValue, Item } from './attribute-value.js';
import { typeOf } from './attribute-value.js';
import { compareNumbers, normalizeNumber } from './number.js';

/**
 * DynamoDB orders strings by their UTF-8 bytes. JavaScript's `<` compares
 * UTF-16 code units, which disagrees for characters above U+FFFF against
 * U+E000..U+FFFF, so compare the bytes.
 */
export function compareStrings(a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')) as -1 | 0 | 1;
}

/** Binaries (base64 on the wire) order by their raw bytes, unsigned. */
export function compareBinaries(a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a, 'base64'), Buffer.from(b, 'base64')) as -1 | 0 | 1;
}

/** A key that is equal for equal set members, so sets compare as JS Sets. */
function memberKeys(values: readonly string[], canonical: (value: string) => string): Set<string> {
  return new Set(values.map(canonical));
}

function setsEqual(a: readonly string[], b: readonly string[], canonical: (value: string) => string): boolean {
  const left = memberKeys(a, canonical);
  const right = memberKeys(b, canonical);
  if (left.size !== right.size) return false;
  for (const key of left) if (!right.has(key)) return false;
  return true;
}

const sameText = (value: string): string => value;
const binaryKey = (value: string): string => Buffer.from(value, 'base64').toString('base64');

/** Deep equality of two attribute values with DynamoDB semantics. */
export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  const type = typeOf(a);
  if (type !== typeOf(b)) return false;
  switch (type) {
    case 'S':
      return a.S === b.S;
    case 'N':
      return compareNumbers(a.N!, b.N!) === 0;
    case 'B':
      return compareBinaries(a.B!, b.B!) === 0;
    case 'BOOL':
      return a.BOOL === b.BOOL;
    case 'NULL':
      return a.NULL === b.NULL;
    case 'SS':
      return setsEqual(a.SS!, b.SS!, sameText);
    case 'NS':
      return setsEqual(a.NS!, b.NS!, (n) => normalizeNumber(n));
    case 'BS':
      return setsEqual(a.BS!, b.BS!, binaryKey);
    case 'L': {
      const left = a.L!;
      const right = b.L!;
      return left.length === right.length && left.every((element, i) => valuesEqual(element, right[i]!));
    }
    case 'M':
      return itemsEqual(a.M!, b.M!);
  }
}

/** Two items (or map values) are equal when they have the same names with equal values. */
export function itemsEqual(a: Item, b: Item): boolean {
  const names = Object.keys(a);
  if (names.length !== Object.keys(b).length) return false;
  return names.every((name) => Object.hasOwn(b, name) && valuesEqual(a[name]!, b[name]!));
}

const SET_ORDER = { SS: compareStrings, NS: compareNumbers, BS: compareBinaries } as const;

/**
 * A set's members in the order DynamoDB stores and returns them: strings and
 * binaries bytewise, numbers by value ("GetItem returns a set's members in
 * DynamoDB's own order, not as written", Parity Suite, eu-west-2, October 2026).
 */
export function sortSetMembers(type: keyof typeof SET_ORDER, members: readonly string[]): string[] {
  return [...members].sort(SET_ORDER[type]);
}
