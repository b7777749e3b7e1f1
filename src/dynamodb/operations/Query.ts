import { AwsError } from '../../edge/errors.js';
import { consumedCapacity, readUnits, type ReturnConsumedCapacity } from '../capacity.js';
import type { DynamoContext } from '../context.js';
import { compileExpressions, type ExpressionRequest } from '../expressions/index.js';
import { compileExpected } from '../expressions/legacy.js';
import { exclusiveStartKey } from '../exclusive-start-key.js';
import { keyRangeOf, tableKey } from '../key-condition.js';
import { checkSelect, readPage, type Select } from '../read-page.js';
import { requireActiveTable } from '../require-table.js';
import { keyOf } from '../table-catalog.js';

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
  if (input.IndexName !== undefined) {
    throw new AwsError('ValidationException', `The table does not have the specified index: ${input.IndexName}`);
  }
  const range = keyRangeOf(keyCondition, tableKey(table));
  const start = exclusiveStartKey(table, input.ExclusiveStartKey);
  if (start && !start.pk.equals(range.partition)) {
    throw new AwsError('ValidationException', 'The provided starting key is outside query boundaries based on provided conditions');
  }
  const forward = input.ScanIndexForward !== false;
  const page = readPage(ctx.items.partitionRows(table, range.partition, range.sort, forward, start?.sk), {
    limit: input.Limit,
    filter,
    projection: compiled.projection,
    countOnly: input.Select === 'COUNT',
    lastKeyOf: (item) => keyOf(table, item),
  });
  const { bytesRead, ...response } = page;
  return { ...response, ...consumedCapacity(table, readUnits(bytesRead, input.ConsistentRead === true), input.ReturnConsumedCapacity) };
}
