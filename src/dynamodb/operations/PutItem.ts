import { consumedCapacity, writeUnits, type ReturnConsumedCapacity } from '../capacity.js';
import type { DynamoContext } from '../context.js';
import { compileExpressions, evaluateCondition, type ExpressionRequest } from '../expressions/index.js';
import { frontEndFor } from '../front-end.js';
import { keyOfNewItem } from '../keys.js';
import { requireActiveTable } from '../require-table.js';
import { attributes, checkReturnValuesAllOldOrNone, conditionFailed } from '../return-values.js';
import { itemSize, itemTooLargeError, MAX_ITEM_SIZE } from '../values/size.js';
import { validateItem } from '../values/validate.js';

interface PutItemInput extends ExpressionRequest {
  TableName: string;
  Item: unknown;
  ReturnValues?: string;
  ReturnValuesOnConditionCheckFailure?: string;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
}

export function PutItem(input: PutItemInput, ctx: DynamoContext): unknown {
  const frontEnd = frontEndFor(input);
  // DynamoDB reports these before it looks the table up, inside its validation envelope.
  const { item, condition } = frontEnd.check(() => {
    const item = validateItem(input.Item, frontEnd.valueLayer);
    checkReturnValuesAllOldOrNone(input.ReturnValues);
    const { condition } = compileExpressions(input, { keyAttributeNames: [], operation: 'PutItem', valueLayer: frontEnd.valueLayer, newerFrontEnd: frontEnd.newer });
    return { item, condition };
  });
  const table = requireActiveTable(ctx, input.TableName);
  const key = keyOfNewItem(table, item);
  const size = itemSize(item);
  if (size > MAX_ITEM_SIZE) throw itemTooLargeError();

  return ctx.items.transaction(() => {
    const old = ctx.items.get(table, key);
    if (condition && !evaluateCondition(condition, old)) throw conditionFailed(old, input.ReturnValuesOnConditionCheckFailure);
    ctx.items.write({ table, key, oldItem: old, newItem: item }, size);
    return {
      ...(input.ReturnValues === 'ALL_OLD' ? attributes(old) : {}),
      ...consumedCapacity(table, writeUnits(old ? itemSize(old) : 0, size), input.ReturnConsumedCapacity),
    };
  });
}
