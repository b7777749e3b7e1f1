import type { Comparator } from './ast.js';
/**
 * DynamoDB's comparison semantics for conditions. Values of different types
 * never compare; only numbers, strings and binaries have an order (numbers
 * numerically, strings by their UTF-8 bytes, binaries by their bytes).
 */
import { typeOf, type AttributeType, type AttributeValue } from '../values/attribute-value.js';
import { compareBinaries, compareStrings, valuesEqual } from '../values/equality.js';
import { compareNumbers } from '../values/number.js';
import { binaryLength } from '../values/size.js';

export const ORDERED_TYPES: ReadonlySet<AttributeType> = new Set(['N', 'S', 'B']);

/** -1, 0 or 1 for two values of the same ordered type, undefined otherwise. */
export function order(a: AttributeValue, b: AttributeValue): -1 | 0 | 1 | undefined {
  if (a.N !== undefined && b.N !== undefined) return compareNumbers(a.N, b.N);
  if (a.S !== undefined && b.S !== undefined) return compareStrings(a.S, b.S);
  if (a.B !== undefined && b.B !== undefined) return compareBinaries(a.B, b.B);
  return undefined;
}

export function equal(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  return a !== undefined && b !== undefined && valuesEqual(a, b);
}

const bytes = (base64: string): Buffer => Buffer.from(base64, 'base64');

/** begins_with: a string prefix of a string, or a byte prefix of a binary. */
export function beginsWith(value: AttributeValue | undefined, prefix: AttributeValue | undefined): boolean {
  if (value === undefined || prefix === undefined) return false;
  if (value.S !== undefined && prefix.S !== undefined) return value.S.startsWith(prefix.S);
  if (value.B !== undefined && prefix.B !== undefined) {
    const whole = bytes(value.B);
    const start = bytes(prefix.B);
    return start.length <= whole.length && whole.subarray(0, start.length).equals(start);
  }
  return false;
}

/**
 * contains: a substring of a string, a byte sequence within a binary, a
 * member of a set of the operand's type, or an element of a list equal to
 * the operand.
 */
export function contains(value: AttributeValue | undefined, operand: AttributeValue | undefined): boolean {
  if (value === undefined || operand === undefined) return false;
  switch (typeOf(value)) {
    case 'S':
      return operand.S !== undefined && value.S!.includes(operand.S);
    case 'B':
      return operand.B !== undefined && bytes(value.B!).includes(bytes(operand.B));
    case 'SS':
      return operand.S !== undefined && value.SS!.includes(operand.S);
    case 'NS':
      return operand.N !== undefined && value.NS!.some((member) => compareNumbers(member, operand.N!) === 0);
    case 'BS':
      return operand.B !== undefined && value.BS!.some((member) => compareBinaries(member, operand.B!) === 0);
    case 'L':
      return value.L!.some((element) => valuesEqual(element, operand));
    default:
      return false;
  }
}

/**
 * size(): a string's length in UTF-16 code units (what DynamoDB counts:
 * size of "é𝄞" is 3), a binary's bytes, the members of a set or list, the
 * entries of a map. Numbers, booleans and nulls have no size.
 */
export function sizeOf(value: AttributeValue | undefined): AttributeValue | undefined {
  if (value === undefined) return undefined;
  let size: number;
  if (value.S !== undefined) size = value.S.length;
  else if (value.B !== undefined) size = binaryLength(value.B);
  else if (value.SS !== undefined) size = value.SS.length;
  else if (value.NS !== undefined) size = value.NS.length;
  else if (value.BS !== undefined) size = value.BS.length;
  else if (value.L !== undefined) size = value.L.length;
  else if (value.M !== undefined) size = Object.keys(value.M).length;
  else return undefined;
  return { N: String(size) };
}

/**
 * A comparator applied as DynamoDB applies it: `=`/`<>` on any values, the
 * orderings only between two values of one ordered type (N, S, B); a missing
 * value makes every ordering false.
 */
export function compare(op: Comparator, left: AttributeValue | undefined, right: AttributeValue | undefined): boolean {
  if (op === '=') return equal(left, right);
  if (op === '<>') return !equal(left, right);
  if (left === undefined || right === undefined) return false;
  const comparison = order(left, right);
  if (comparison === undefined) return false;
  switch (op) {
    case '<':
      return comparison < 0;
    case '<=':
      return comparison <= 0;
    case '>':
      return comparison > 0;
    case '>=':
      return comparison >= 0;
  }
}
