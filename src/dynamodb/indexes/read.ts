/**
 * Query and Scan on a secondary index: which index, where a page starts,
 * whether items must be fetched from the table, what the read costs.
 *
 * Checks and texts follow DynamoDB's order as dynalite's query and scan tests
 * record it (checked against DynamoDB): the index, ConsistentRead on a global
 * index, the ExclusiveStartKey's index attributes, the key condition, Select
 * ALL_ATTRIBUTES on a global index that does not project everything, then the
 * ExclusiveStartKey's table key.
 */
import { AwsError } from '../../edge/errors.js';
import type { DynamoContext } from '../context.js';
import type { Condition, Operand, Projection } from '../expressions/index.js';
import { encodedKey, type StoredRow } from '../item-store.js';
import { checkKey } from '../keys.js';
import { readPage, type Select } from '../read-page.js';
import { readUnits, type ReturnConsumedCapacity } from '../capacity.js';
import { indexReadConsumedCapacity } from './capacity.js';
import { keyAttributeNames, type Table } from '../table-catalog.js';
import { typeOf, type Item } from '../values/attribute-value.js';
import { validateItem, type ValueLayer } from '../values/validate.js';
import type { IndexPosition, IndexRow } from './index-store.js';
import { indexKeyAttributes, indexKeyOf, type SecondaryIndex } from './schema.js';
import { ownValue, setOwn } from '../../own-property.js';

const READ_UNIT_BYTES = 4096;

const invalidStartKey = (): AwsError => new AwsError('ValidationException', 'The provided starting key is invalid');

/** The index a Query or Scan names, refused as DynamoDB refuses it. */
export function resolveReadIndex(ctx: DynamoContext, table: Table, indexName: string, consistentRead: boolean): SecondaryIndex {
  const index = table.indexes.find((i) => i.name === indexName);
  if (!index) throw new AwsError('ValidationException', `The table does not have the specified index: ${indexName}`);
  if (index.global && consistentRead) throw new AwsError('ValidationException', 'Consistent reads are not supported on global secondary indexes');
  if (index.global && ctx.tables.indexStatus(table, index.name).backfilling) {
    throw new AwsError('ValidationException', `Cannot read from backfilling global secondary index: ${index.name}`);
  }
  return index;
}

/**
 * An ExclusiveStartKey for an index, checked as far as the index goes: it
 * must hold exactly the table and index key attributes, the index ones of the
 * index's types. The table key is checked later (`indexStartPosition`).
 */
export function checkIndexStartKey(table: Table, index: SecondaryIndex, value: unknown, layer: ValueLayer): Item | undefined {
  if (value === undefined) return undefined;
  const key = validateItem(value, layer);
  const names = new Set([...keyAttributeNames(table), ...indexKeyAttributes(index).map((k) => k.name)]);
  if (Object.keys(key).length !== names.size) throw invalidStartKey();
  for (const attribute of indexKeyAttributes(index)) {
    const value = key[attribute.name];
    if (value === undefined) throw invalidStartKey();
    if (typeOf(value) !== attribute.type) throw new AwsError('ValidationException', 'The provided key element does not match the schema');
  }
  return key;
}

/** Where a read of the index resumes after `key`; checks the table key part. */
export function indexStartPosition(table: Table, index: SecondaryIndex, key: Item): IndexPosition {
  const tableKey: Item = {};
  for (const name of keyAttributeNames(table)) {
    const value = ownValue(key, name);
    if (value !== undefined) setOwn(tableKey, name, value);
  }
  try {
    checkKey(table, tableKey);
  } catch (error) {
    if (error instanceof AwsError) throw new AwsError('ValidationException', `The provided starting key is invalid: ${error.message}`);
    throw error;
  }
  const indexKey = indexKeyOf(index, key);
  if (!indexKey) throw invalidStartKey();
  const [tablePk, tableSk] = encodedKey(table, tableKey);
  return { pk: indexKey.pk, sk: indexKey.sk, tablePk, tableSk };
}

/** Select ALL_ATTRIBUTES needs every attribute; a global index cannot fetch what it does not hold. */
export function checkSelectOnIndex(index: SecondaryIndex, select: Select | undefined): void {
  if (select === 'ALL_ATTRIBUTES' && index.global && index.projected) {
    throw new AwsError(
      'ValidationException',
      `One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index ${index.name} because its projection type is not ALL`,
    );
  }
}

function operandNames(operand: Operand, out: Set<string>): void {
  if (operand.kind === 'path') {
    if (typeof operand.path[0] === 'string') out.add(operand.path[0]);
  } else if (operand.kind === 'size') operandNames(operand.operand, out);
}

function conditionNames(condition: Condition, out: Set<string>): void {
  switch (condition.kind) {
    case 'and':
    case 'or':
      conditionNames(condition.left, out);
      conditionNames(condition.right, out);
      break;
    case 'not':
      conditionNames(condition.condition, out);
      break;
    case 'compare':
      operandNames(condition.left, out);
      operandNames(condition.right, out);
      break;
    case 'between':
      for (const operand of [condition.operand, condition.low, condition.high]) operandNames(operand, out);
      break;
    case 'in':
      for (const operand of [condition.operand, ...condition.list]) operandNames(operand, out);
      break;
    case 'function':
      for (const operand of condition.args) operandNames(operand, out);
      break;
  }
}

/**
 * Whether a read of a local index must fetch each item from the table:
 * Select ALL_ATTRIBUTES, or a projection or filter naming an attribute the
 * index does not hold. A global index never fetches; it returns what it holds.
 */
export function needsTableFetch(index: SecondaryIndex, select: Select | undefined, projection: Projection | undefined, filter: Condition | undefined): boolean {
  if (index.global || !index.projected) return false;
  if (select === 'ALL_ATTRIBUTES') return true;
  const names = new Set<string>();
  for (const path of projection?.paths ?? []) if (typeof path[0] === 'string') names.add(path[0]);
  if (filter) conditionNames(filter, names);
  for (const name of names) if (!index.projected.has(name)) return true;
  return false;
}

/** Read units the fetches of one read cost: each item rounded up to 4 KB, halved for eventual consistency. */
export interface FetchTally {
  units: number;
}

/**
 * Index entries with the whole table item in place of the projection, each
 * fetch counted as it is read. An entry's size (what the page limit and the
 * index read count) stays the entry's.
 */
export function* withTableItems(ctx: DynamoContext, table: Table, rows: Iterable<IndexRow>, consistent: boolean, tally: FetchTally): Generator<StoredRow> {
  for (const row of rows) {
    const stored = ctx.items.getStored(table, row.table_pk, row.table_sk);
    if (!stored) continue;
    tally.units += (Math.max(1, Math.ceil(stored.size / READ_UNIT_BYTES)) * (consistent ? 1 : 0.5));
    yield { pk: row.pk, sk: row.sk, item: stored.item, size: row.size };
  }
}

/** LastEvaluatedKey of an index read: the table key, then the index key. */
export function indexLastKey(table: Table, index: SecondaryIndex, item: Item): Item {
  const key: Item = {};
  for (const name of [...keyAttributeNames(table), ...indexKeyAttributes(index).map((k) => k.name)]) setOwn(key, name, item[name]!);
  return key;
}

/**
 * One page of a Query or Scan on an index: index entries (fetching what the
 * index does not project from the table, for an LSI), the shared page reader,
 * and consumed capacity split between the index and the table fetches.
 */
export function readIndexPage(
  ctx: DynamoContext,
  table: Table,
  index: SecondaryIndex,
  entries: Iterable<IndexRow>,
  input: { Select?: Select; Limit?: number; ConsistentRead?: boolean; ReturnConsumedCapacity?: ReturnConsumedCapacity },
  filter: Condition | undefined,
  projection: Projection | undefined,
): Record<string, unknown> {
  const consistent = input.ConsistentRead === true;
  const fetches: FetchTally = { units: 0 };
  const rows: Iterable<StoredRow> = needsTableFetch(index, input.Select, projection, filter) ? withTableItems(ctx, table, entries, consistent, fetches) : entries;
  const { bytesRead, ...response } = readPage(rows, {
    limit: input.Limit,
    filter,
    projection,
    countOnly: input.Select === 'COUNT',
    lastKeyOf: (item) => indexLastKey(table, index, item),
  });
  return { ...response, ...indexReadConsumedCapacity(table, index, readUnits(bytesRead, consistent), fetches.units, input.ReturnConsumedCapacity) };
}
