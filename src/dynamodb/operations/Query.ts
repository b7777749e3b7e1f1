import { AwsError } from '../../edge/errors.js';
import { consumedCapacity, readUnits, type ReturnConsumedCapacity } from '../capacity.js';
import type { DynamoContext } from '../context.js';
import { compileExpressions, type ExpressionRequest } from '../expressions/index.js';
import { compileExpected } from '../expressions/legacy.js';
import { exclusiveStartKey } from '../exclusive-start-key.js';
import { checkIndexStartKey, checkSelectOnIndex, indexStartPosition, readIndexPage, resolveReadIndex } from '../indexes/read.js';
import { keyRangeOf, tableKey } from '../key-condition.js';
import { answerPage, checkSelect, type Select } from '../read-page.js';
import { requireActiveTable } from '../require-table.js';
import { keyOf, type Table } from '../table-catalog.js';
import type { Condition, Projection } from '../expressions/index.js';

interface QueryInput extends ExpressionRequest {
  TableName: string;
  IndexName?: string;
  Select?: Select;
  Limit?: number;
  ConsistentRead?: boolean;
  ScanIndexForward?: boolean;
  ExclusiveStartKey?: unknown;
  QueryFilter?: unknown;
  KeyConditions?: unknown;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
}

/** Reads one partition in sort-key order: a range scan of the key index, then filter and projection. */
export function Query(input: QueryInput, ctx: DynamoContext): unknown {
  const compiled = compileExpressions(input, { keyAttributeNames: [], operation: 'Query' });
  const keyCondition = compiled.keyCondition ?? (input.KeyConditions !== undefined ? compileExpected(input.KeyConditions, 'AND') : undefined);
  if (!keyCondition) {
    throw new AwsError('ValidationException', 'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
  }
  const filter = compiled.filter ?? compileExpected(input.QueryFilter, input.ConditionalOperator);
  checkSelect(input.Select, compiled.projection, input, input.IndexName);

  const table = requireActiveTable(ctx, input.TableName);
  if (input.IndexName !== undefined) return queryIndex(ctx, table, input.IndexName, input, keyCondition, filter, compiled.projection);
  const range = keyRangeOf(keyCondition, tableKey(table));
  const start = exclusiveStartKey(table, input.ExclusiveStartKey);
  if (start && !start.pk.equals(range.partition)) throw outsideBoundaries();
  const forward = input.ScanIndexForward !== false;
  const rows = ctx.items.partitionRows(table, range.partition, range.sort, forward, start?.sk);
  return answerPage(
    rows,
    { limit: input.Limit, filter, projection: compiled.projection, countOnly: input.Select === 'COUNT', lastKeyOf: (item) => keyOf(table, item) },
    (bytesRead) => consumedCapacity(table, readUnits(bytesRead, input.ConsistentRead === true), input.ReturnConsumedCapacity),
  );
}

const outsideBoundaries = (): AwsError =>
  new AwsError('ValidationException', 'The provided starting key is outside query boundaries based on provided conditions');

/**
 * Query on a secondary index: a range scan of the index's entries in index
 * key order (then table key order), with the checks of src/dynamodb/indexes/read.ts.
 */
function queryIndex(ctx: DynamoContext, table: Table, indexName: string, input: QueryInput, keyCondition: Condition, filter: Condition | undefined, projection: Projection | undefined): unknown {
  const consistent = input.ConsistentRead === true;
  const index = resolveReadIndex(ctx, table, indexName, consistent);
  const startKey = checkIndexStartKey(table, index, input.ExclusiveStartKey, 'current');
  const range = keyRangeOf(keyCondition, index);
  checkSelectOnIndex(index, input.Select);
  const start = startKey && indexStartPosition(table, index, startKey);
  if (start && !start.pk.equals(range.partition)) throw outsideBoundaries();
  const forward = input.ScanIndexForward !== false;
  const entries = ctx.items.indexes.partition(table, index.name, range.partition, range.sort, forward, start);
  return readIndexPage(ctx, table, index, entries, input, filter, projection);
}
