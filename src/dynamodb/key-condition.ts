import { AwsError } from '../edge/errors.js';
import type { Condition, Operand } from './expressions/index.js';
import { invalidParameters } from './errors.js';
import type { KeyAttribute, Table } from './table-catalog.js';
import type { AttributeValue } from './values/attribute-value.js';
import { encodeKey } from './values/key-encoding.js';

/** Bounds on the encoded sort key; undefined means open. */
export interface SortKeyRange {
  lower?: { bytes: Buffer; inclusive: boolean };
  upper?: { bytes: Buffer; inclusive: boolean };
}

/** Adds `range`'s bounds on the `sk` column to a WHERE clause's terms and parameters (Query on a table or an index). */
export function sortKeyBounds(range: SortKeyRange, where: string[], params: unknown[]): void {
  if (range.lower) {
    where.push(range.lower.inclusive ? 'sk >= ?' : 'sk > ?');
    params.push(range.lower.bytes);
  }
  if (range.upper) {
    where.push(range.upper.inclusive ? 'sk <= ?' : 'sk < ?');
    params.push(range.upper.bytes);
  }
}

export interface KeyRange {
  partition: Buffer;
  sort: SortKeyRange;
}

/** One comparison of a key attribute with literal values. */
interface KeyClause {
  attribute: string;
  op: '=' | '<' | '<=' | '>' | '>=' | 'between' | 'begins_with';
  values: AttributeValue[];
}

const notSupported = (): AwsError => new AwsError('ValidationException', 'Query key condition not supported');

/** Splits `a AND b` into its clauses; anything but AND is refused with DynamoDB's text. */
function clausesOf(condition: Condition, out: Condition[] = []): Condition[] {
  if (condition.kind === 'and') {
    clausesOf(condition.left, out);
    clausesOf(condition.right, out);
  } else if (condition.kind === 'or' || condition.kind === 'not') {
    throw new AwsError('ValidationException', `Invalid operator used in KeyConditionExpression: ${condition.kind.toUpperCase()}`);
  } else {
    out.push(condition);
  }
  return out;
}

function attributeOf(operand: Operand): string | undefined {
  if (operand.kind !== 'path') return undefined;
  if (operand.path.length !== 1 || typeof operand.path[0] !== 'string') throw notSupported();
  return operand.path[0];
}

function valueOf(operand: Operand): AttributeValue {
  if (operand.kind !== 'value') throw notSupported();
  return operand.value;
}

const MIRRORED = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const;

function toClause(condition: Condition): KeyClause {
  switch (condition.kind) {
    case 'compare': {
      if (condition.op === '<>') throw new AwsError('ValidationException', 'Unsupported operator in KeyConditionExpression: <>');
      const left = attributeOf(condition.left);
      if (left !== undefined) return { attribute: left, op: condition.op, values: [valueOf(condition.right)] };
      const right = attributeOf(condition.right);
      if (right === undefined) throw notSupported();
      return { attribute: right, op: MIRRORED[condition.op], values: [valueOf(condition.left)] };
    }
    case 'between': {
      const attribute = attributeOf(condition.operand);
      if (attribute === undefined) throw notSupported();
      return { attribute, op: 'between', values: [valueOf(condition.low), valueOf(condition.high)] };
    }
    case 'function': {
      if (condition.name !== 'begins_with') {
        throw new AwsError('ValidationException', `Invalid operator used in KeyConditionExpression: ${condition.name}`);
      }
      const attribute = attributeOf(condition.args[0]!);
      if (attribute === undefined) throw notSupported();
      return { attribute, op: 'begins_with', values: [valueOf(condition.args[1]!)] };
    }
    case 'in':
      throw new AwsError('ValidationException', 'Invalid operator used in KeyConditionExpression: IN');
    default:
      throw notSupported();
  }
}

function encodedValue(key: KeyAttribute, value: AttributeValue): Buffer {
  const raw = value[key.type];
  if (typeof raw !== 'string') throw invalidParameters('Condition parameter type does not match schema type');
  return encodeKey(key.type, raw);
}

/** The smallest byte string greater than every string starting with `prefix`, or undefined. */
function prefixEnd(prefix: Buffer): Buffer | undefined {
  let end = prefix.length;
  while (end > 0 && prefix[end - 1] === 0xff) end--;
  if (end === 0) return undefined;
  const out = Buffer.from(prefix.subarray(0, end));
  out[end - 1]! += 1;
  return out;
}

function sortRange(key: KeyAttribute, clause: KeyClause): SortKeyRange {
  const [first, second] = clause.values.map((v) => encodedValue(key, v));
  switch (clause.op) {
    case '=':
      return { lower: { bytes: first!, inclusive: true }, upper: { bytes: first!, inclusive: true } };
    case '<':
      return { upper: { bytes: first!, inclusive: false } };
    case '<=':
      return { upper: { bytes: first!, inclusive: true } };
    case '>':
      return { lower: { bytes: first!, inclusive: false } };
    case '>=':
      return { lower: { bytes: first!, inclusive: true } };
    case 'between':
      if (Buffer.compare(first!, second!) > 0) {
        throw new AwsError('ValidationException', 'Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound');
      }
      return { lower: { bytes: first!, inclusive: true }, upper: { bytes: second!, inclusive: true } };
    case 'begins_with': {
      if (key.type === 'N') throw invalidParameters('Condition parameter type does not match schema type');
      const end = prefixEnd(first!);
      return { lower: { bytes: first!, inclusive: true }, ...(end ? { upper: { bytes: end, inclusive: false } } : {}) };
    }
  }
}

/**
 * Turns a compiled KeyConditionExpression (or KeyConditions) into the byte
 * range Query scans: equality on the partition key, at most one condition on
 * the sort key (`key` is the table's or an index's key schema).
 */
export function keyRangeOf(condition: Condition, key: { hashKey: KeyAttribute; rangeKey?: KeyAttribute }): KeyRange {
  const clauses = clausesOf(condition).map(toClause);
  if (clauses.length > 2) throw new AwsError('ValidationException', 'KeyConditionExpressions must only contain one condition per key');
  const hash = clauses.filter((c) => c.attribute === key.hashKey.name);
  const range = clauses.filter((c) => key.rangeKey && c.attribute === key.rangeKey.name);
  if (hash.length > 1 || range.length > 1) throw new AwsError('ValidationException', 'KeyConditionExpressions must only contain one condition per key');
  if (hash.length === 0) throw new AwsError('ValidationException', `Query condition missed key schema element: ${key.hashKey.name}`);
  if (hash.length + range.length !== clauses.length) {
    const other = clauses.find((c) => c.attribute !== key.hashKey.name && c.attribute !== key.rangeKey?.name)!;
    throw new AwsError('ValidationException', `Query condition missed key schema element: ${key.rangeKey?.name ?? other.attribute}`);
  }
  const hashClause = hash[0]!;
  if (hashClause.op !== '=') throw notSupported();
  return {
    partition: encodedValue(key.hashKey, hashClause.values[0]!),
    sort: range[0] && key.rangeKey ? sortRange(key.rangeKey, range[0]) : {},
  };
}

/** Used by callers that need the table's own key schema. */
export const tableKey = (table: Table) => ({ hashKey: table.hashKey, rangeKey: table.rangeKey });
