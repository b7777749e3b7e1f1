/**
 * What a statement reads or writes, found in its FROM clause and its WHERE
 * clause.
 *
 * Writes (UPDATE, DELETE) name one item: the WHERE must hold an equality on
 * every key attribute at its top level (joined by AND); the rest of the
 * WHERE becomes the write's condition.
 *
 * A SELECT is decomposed, as DynamoDB does, into key reads: equality (or IN)
 * on the partition key, and sort-key conditions, through AND and OR. A
 * statement that decomposes into reads that all name a partition runs as
 * those Queries (a GetItem-sized range when the sort key is pinned too);
 * DynamoDB refuses reads that overlap and more than 50 of them. Anything it
 * cannot decompose (a branch without the partition key, a NOT or `<>` on a
 * key attribute, a non-equality on the partition key) reads the whole table,
 * with the full WHERE as a filter.
 */
import { validationError } from '../../edge/errors.js';
import type { Path } from '../expressions/ast.js';
import { equal, order } from '../expressions/compare.js';
import type { SortKeyRange } from '../key-condition.js';
import type { KeyAttribute, Table } from '../table-catalog.js';
import { typeOf, type AttributeValue, type Item } from '../values/attribute-value.js';
import { encodeKey } from '../values/key-encoding.js';
import { validateKeyAttribute } from '../values/validate.js';
import type { Expr } from './ast.js';
import type { Node } from './condition.js';
import {
  DML_FROM,
  DML_ON_INDEX,
  FROM_LIST_INDEX,
  FROM_PATH_TOO_LONG,
  invalid,
  keyTypeMismatch,
  keyValueType,
  MISSING_KEY_EQUALITY,
  multipleKeyConditions,
  nestedKeyPath,
  OVERLAPPING_CONDITIONS,
  TABLE_NAME,
  TOO_MANY_READS,
  UNEXPECTED_FROM_SOURCE,
  UNPIVOT_PATH,
  WILDCARD_PATH,
} from './errors.js';

// --- FROM ----------------------------------------------------------------

export interface Source {
  readonly table: string;
  readonly index?: string;
}

const TABLE_NAME_PATTERN = /^[a-zA-Z0-9_.-]{3,255}$/;

function tableName(name: string): string {
  if (!TABLE_NAME_PATTERN.test(name)) throw validationError(TABLE_NAME);
  return name;
}

/** `"Table"` or `"Table"."Index"`. */
export function readSource(expr: Expr): Source {
  let names: string[];
  if (expr.type === 'identifier') {
    names = [expr.name];
  } else if (expr.type === 'path' && expr.root.type === 'identifier') {
    names = [expr.root.name];
    for (const step of expr.steps) {
      if (step.kind === 'name') names.push(step.name);
      else if (step.kind === 'index') throw validationError(FROM_LIST_INDEX);
      else throw invalid(step.kind === 'unpivot' ? UNPIVOT_PATH : WILDCARD_PATH, step.position);
    }
  } else {
    throw validationError(UNEXPECTED_FROM_SOURCE);
  }
  if (names.length > 2) throw validationError(FROM_PATH_TOO_LONG);
  const [table, index] = names.map(tableName) as [string, string | undefined];
  return index === undefined ? { table } : { table, index };
}

/** The table of an UPDATE or DELETE: no index. */
export function writeSource(expr: Expr): string {
  const source = readSource(expr);
  if (source.index !== undefined) throw validationError(DML_ON_INDEX);
  return source.table;
}

/** The table of an INSERT: a bare name. */
export function insertTarget(expr: Expr): string {
  if (expr.type !== 'identifier') throw invalid(DML_FROM, expr.position);
  return tableName(expr.name);
}

// --- keys ----------------------------------------------------------------

export const keyAttributes = (table: Table): KeyAttribute[] => (table.rangeKey ? [table.hashKey, table.rangeKey] : [table.hashKey]);

/** The key attribute a node reads directly (`pk`, not `pk.x`), if any. */
function keyName(node: Node, table: Table): string | undefined {
  if (node.kind !== 'path' || node.path.length !== 1) return undefined;
  const [name] = node.path;
  return keyAttributes(table).some((key) => key.name === name) ? (name as string) : undefined;
}

/** Refuses paths that reach into a key attribute (`pk.x`, `pk[0]`). */
export function checkKeyPaths(paths: readonly Path[], table: Table): void {
  for (const path of paths) {
    const key = keyAttributes(table).find((attribute) => attribute.name === path[0]);
    if (key && path.length > 1) throw validationError(nestedKeyPath(key.name));
  }
}

/** The leaves of a tree of ANDs, in order. */
function conjuncts(node: Node, out: Node[] = []): Node[] {
  if (node.kind === 'and') {
    conjuncts(node.left, out);
    conjuncts(node.right, out);
  } else {
    out.push(node);
  }
  return out;
}

const andAll = (nodes: readonly Node[]): Node | undefined =>
  nodes.reduce<Node | undefined>((left, right) => (left ? { kind: 'and', left, right } : right), undefined);

/** `key = value` (either way round): the key name and value. */
function keyEquality(node: Node, table: Table): { name: string; value: AttributeValue } | undefined {
  if (node.kind !== 'compare' || node.op !== '=') return undefined;
  for (const [path, value] of [[node.left, node.right], [node.right, node.left]] as const) {
    const name = keyName(path, table);
    if (name !== undefined && value.kind === 'value') return { name, value: value.value };
  }
  return undefined;
}

function checkKeyValue(table: Table, name: string, value: AttributeValue): void {
  const type = typeOf(value);
  if (type !== 'S' && type !== 'N' && type !== 'B') throw validationError(keyValueType(name, type));
  const attribute = keyAttributes(table).find((key) => key.name === name)!;
  if (type !== attribute.type) throw validationError(keyTypeMismatch(name));
}

/**
 * The key an UPDATE or DELETE writes, and the rest of its WHERE as the
 * write's condition. For EXISTS (`firstWins`) the first equality on a key
 * attribute is the key and any later one stays in the condition, where
 * DynamoDB refuses a second value for a write.
 */
export function writeKey(where: Node | undefined, table: Table, firstWins = false): { key: Item; condition?: Node } {
  if (!where) throw validationError(MISSING_KEY_EQUALITY);
  const key: Item = {};
  const rest: Node[] = [];
  for (const leaf of conjuncts(where)) {
    const equality = keyEquality(leaf, table);
    if (!equality) {
      rest.push(leaf);
      continue;
    }
    const existing = key[equality.name];
    if (existing && firstWins) {
      rest.push(leaf);
      continue;
    }
    if (existing && !equal(existing, equality.value)) throw validationError(multipleKeyConditions(equality.name));
    key[equality.name] = equality.value;
  }
  const attributes = keyAttributes(table);
  if (!attributes.every((attribute) => key[attribute.name] !== undefined)) throw validationError(MISSING_KEY_EQUALITY);
  for (const attribute of attributes) checkKeyValue(table, attribute.name, key[attribute.name]!);
  for (const attribute of attributes) validateKeyAttribute(attribute.name, key[attribute.name]!, attribute === table.rangeKey ? 'RANGE' : 'HASH');
  const condition = andAll(rest);
  return condition ? { key, condition } : { key };
}

/**
 * The key of a SELECT in BatchExecuteStatement or ExecuteTransaction: its
 * WHERE holds nothing but equalities (or one-value INs) on the key
 * attributes, agreeing with each other. Undefined when it does not.
 */
export function singleItemKey(where: Node | undefined, table: Table): Item | undefined {
  if (!where) return undefined;
  const key: Item = {};
  for (const leaf of conjuncts(where)) {
    let equality = keyEquality(leaf, table);
    if (!equality && leaf.kind === 'in' && leaf.list.length === 1) {
      equality = keyEquality({ kind: 'compare', op: '=', left: leaf.operand, right: leaf.list[0]! }, table);
    }
    if (!equality) return undefined;
    const existing = key[equality.name];
    if (existing && !equal(existing, equality.value)) return undefined;
    key[equality.name] = equality.value;
  }
  return keyAttributes(table).every((attribute) => key[attribute.name] !== undefined) ? key : undefined;
}

// --- SELECT decomposition ------------------------------------------------

/** DynamoDB's limit on the reads one SELECT decomposes into. */
export const MAX_READS = 50;

type SortOp = '=' | '<' | '<=' | '>' | '>=' | 'between' | 'begins_with';

interface SortCondition {
  readonly op: SortOp;
  readonly values: readonly AttributeValue[];
}

interface Branch {
  readonly partition?: AttributeValue;
  readonly sort: readonly SortCondition[];
}

/** One Query of a decomposed SELECT. */
export interface KeyRead {
  readonly partitionValue: AttributeValue;
  readonly partition: Buffer;
  readonly sort: SortKeyRange;
  /** The sort-key conditions contradict each other: nothing to read. */
  readonly empty: boolean;
}

/** A statement that cannot be decomposed into key reads: read the whole table. */
class ScanInstead extends Error {}

const MIRRORED = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const;
/** Stops a statement whose decomposition explodes long before it is enumerated. */
const MAX_BRANCHES = 4096;

function leafBranches(node: Node, table: Table): Branch[] {
  const hash = table.hashKey.name;
  const range = table.rangeKey?.name;
  const isHash = (n: Node): boolean => keyName(n, table) === hash;
  const isRange = (n: Node): boolean => range !== undefined && keyName(n, table) === range;
  const any: Branch[] = [{ sort: [] }];
  switch (node.kind) {
    case 'compare': {
      for (const [subject, other, op] of [
        [node.left, node.right, node.op],
        [node.right, node.left, node.op === '<>' ? '<>' : MIRRORED[node.op]],
      ] as const) {
        if (isHash(subject)) {
          if (op !== '=') throw new ScanInstead();
          return other.kind === 'value' ? [{ partition: other.value, sort: [] }] : any;
        }
        if (isRange(subject)) {
          if (op === '<>') throw new ScanInstead();
          return other.kind === 'value' ? [{ sort: [{ op, values: [other.value] }] }] : any;
        }
      }
      return any;
    }
    case 'between':
      if (isHash(node.operand)) throw new ScanInstead();
      if (isRange(node.operand) && node.low.kind === 'value' && node.high.kind === 'value') {
        return [{ sort: [{ op: 'between', values: [node.low.value, node.high.value] }] }];
      }
      return any;
    case 'in':
      if (isHash(node.operand) || isRange(node.operand)) {
        if (!node.list.every((member) => member.kind === 'value')) throw new ScanInstead();
        const values = node.list.map((member) => (member as Extract<Node, { kind: 'value' }>).value);
        return isHash(node.operand)
          ? values.map((value) => ({ partition: value, sort: [] }))
          : values.map((value) => ({ sort: [{ op: '=', values: [value] }] }));
      }
      return any;
    case 'function': {
      const [subject, other] = node.args;
      if (subject && isHash(subject)) throw new ScanInstead();
      if (subject && isRange(subject)) {
        if (node.name !== 'begins_with') throw new ScanInstead();
        return other?.kind === 'value' ? [{ sort: [{ op: 'begins_with', values: [other.value] }] }] : any;
      }
      return any;
    }
    case 'not': {
      const inner = node.operand;
      const operands =
        inner.kind === 'compare' ? [inner.left, inner.right]
        : inner.kind === 'between' || inner.kind === 'in' ? [inner.operand]
        : inner.kind === 'function' ? inner.args
        : [];
      if (operands.some((operand) => isHash(operand) || isRange(operand))) throw new ScanInstead();
      return any;
    }
    default:
      return any;
  }
}

function branches(node: Node, table: Table): Branch[] {
  if (node.kind === 'or') return [...branches(node.left, table), ...branches(node.right, table)];
  if (node.kind !== 'and') return leafBranches(node, table);
  const left = branches(node.left, table);
  const right = branches(node.right, table);
  if (left.length * right.length > MAX_BRANCHES) throw validationError(TOO_MANY_READS);
  const out: Branch[] = [];
  for (const a of left) {
    for (const b of right) {
      if (a.partition && b.partition && !equal(a.partition, b.partition)) throw new ScanInstead();
      const partition = a.partition ?? b.partition;
      out.push({ ...(partition ? { partition } : {}), sort: [...a.sort, ...b.sort] });
    }
  }
  return out;
}

type Bound = { bytes: Buffer; inclusive: boolean } | undefined;

/** The tighter of two lower (or upper) bounds. */
function tighter(a: Bound, b: Bound, lower: boolean): Bound {
  if (!a) return b;
  if (!b) return a;
  const comparison = Buffer.compare(a.bytes, b.bytes);
  if (comparison === 0) return { bytes: a.bytes, inclusive: a.inclusive && b.inclusive };
  return (comparison > 0) === lower ? a : b;
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

function sortRange(conditions: readonly SortCondition[], key: KeyAttribute): SortKeyRange {
  let lower: Bound;
  let upper: Bound;
  const bytes = (value: AttributeValue): Buffer => encodeKey(key.type, value[key.type] as string);
  for (const { op, values } of conditions) {
    const [first, second] = values.map(bytes) as [Buffer, Buffer | undefined];
    switch (op) {
      case '=':
        lower = tighter(lower, { bytes: first, inclusive: true }, true);
        upper = tighter(upper, { bytes: first, inclusive: true }, false);
        break;
      case '<':
      case '<=':
        upper = tighter(upper, { bytes: first, inclusive: op === '<=' }, false);
        break;
      case '>':
      case '>=':
        lower = tighter(lower, { bytes: first, inclusive: op === '>=' }, true);
        break;
      case 'between':
        lower = tighter(lower, { bytes: first, inclusive: true }, true);
        upper = tighter(upper, { bytes: second!, inclusive: true }, false);
        break;
      case 'begins_with': {
        lower = tighter(lower, { bytes: first, inclusive: true }, true);
        const end = prefixEnd(first);
        if (end) upper = tighter(upper, { bytes: end, inclusive: false }, false);
        break;
      }
    }
  }
  return { ...(lower ? { lower } : {}), ...(upper ? { upper } : {}) };
}

function isEmptyRange({ lower, upper }: SortKeyRange): boolean {
  if (!lower || !upper) return false;
  const comparison = Buffer.compare(lower.bytes, upper.bytes);
  return comparison > 0 || (comparison === 0 && !(lower.inclusive && upper.inclusive));
}

/** Whether two sort-key ranges share a key. */
function rangesOverlap(a: SortKeyRange, b: SortKeyRange): boolean {
  const lower = tighter(a.lower, b.lower, true);
  const upper = tighter(a.upper, b.upper, false);
  return !isEmptyRange({ ...(lower ? { lower } : {}), ...(upper ? { upper } : {}) });
}

function checkSortType(condition: SortCondition, key: KeyAttribute): void {
  for (const value of condition.values) {
    if (typeOf(value) !== key.type) throw validationError(keyTypeMismatch(key.name));
  }
  if (condition.op === 'begins_with' && key.type === 'N') throw validationError(keyTypeMismatch(key.name));
}

/**
 * The key reads a SELECT's WHERE decomposes into, or 'scan' when it reads
 * the whole table.
 */
export function planReads(where: Node | undefined, table: Table): KeyRead[] | 'scan' {
  if (!where) return 'scan';
  let found: Branch[];
  try {
    found = branches(where, table);
  } catch (error) {
    if (error instanceof ScanInstead) return 'scan';
    throw error;
  }
  if (found.some((branch) => branch.partition === undefined)) return 'scan';
  for (const branch of found) {
    if (typeOf(branch.partition!) !== table.hashKey.type) throw validationError(keyTypeMismatch(table.hashKey.name));
    if (table.rangeKey) for (const condition of branch.sort) checkSortType(condition, table.rangeKey);
  }
  if (found.length > MAX_READS) throw validationError(TOO_MANY_READS);
  const reads = found.map((branch): KeyRead => {
    const sort = table.rangeKey ? sortRange(branch.sort, table.rangeKey) : {};
    const partitionValue = branch.partition!;
    return {
      partitionValue,
      partition: encodeKey(table.hashKey.type, partitionValue[table.hashKey.type] as string),
      sort,
      empty: isEmptyRange(sort),
    };
  });
  for (let i = 0; i < reads.length; i++) {
    for (let j = 0; j < i; j++) {
      if (reads[i]!.partition.equals(reads[j]!.partition) && rangesOverlap(reads[i]!.sort, reads[j]!.sort)) {
        throw validationError(OVERLAPPING_CONDITIONS);
      }
    }
  }
  return reads;
}

/**
 * ORDER BY's "non-optional" partition key condition: an equality on the
 * partition key that every OR branch carries.
 */
export function hasHashCondition(node: Node, table: Table): boolean {
  switch (node.kind) {
    case 'or':
      return hasHashCondition(node.left, table) && hasHashCondition(node.right, table);
    case 'and':
      return hasHashCondition(node.left, table) || hasHashCondition(node.right, table);
    case 'compare': {
      const hash = (subject: Node, other: Node): boolean => keyName(subject, table) === table.hashKey.name && other.kind === 'value';
      return hash(node.left, node.right) || hash(node.right, node.left);
    }
    case 'in':
    case 'between':
      return keyName(node.operand, table) === table.hashKey.name;
    default:
      return false;
  }
}

/** Orders reads by partition key value. */
export function comparePartitions(a: KeyRead, b: KeyRead): number {
  return order(a.partitionValue, b.partitionValue) ?? 0;
}
