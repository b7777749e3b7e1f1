import { consumedCapacity, writeUnits, type ReturnConsumedCapacity } from '../capacity.js';
import type { DynamoContext } from '../context.js';
import { compileExpressions, evaluateCondition, type ExpressionRequest } from '../expressions/index.js';
import { frontEndFor } from '../front-end.js';
import { checkKey } from '../keys.js';
import { requireActiveTable } from '../require-table.js';
import { attributes, checkReturnValuesAllOldOrNone, conditionFailed } from '../return-values.js';
import { itemSize } from '../values/size.js';
import { validateItem } from '../values/validate.js';

interface DeleteItemInput extends ExpressionRequest {
  TableName: string;
  Key: unknown;
  ReturnValues?: string;
  ReturnValuesOnConditionCheckFailure?: string;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
}

export function DeleteItem(input: DeleteItemInput, ctx: DynamoContext): unknown {
  const frontEnd = frontEndFor(input);
  // DynamoDB reports these before it looks the table up, inside its validation envelope.
  const { keyInput, condition } = frontEnd.check(() => {
    const keyInput = validateItem(input.Key, frontEnd.valueLayer);
    checkReturnValuesAllOldOrNone(input.ReturnValues);
    const { condition } = compileExpressions(input, { keyAttributeNames: [], operation: 'DeleteItem', valueLayer: frontEnd.valueLayer, newerFrontEnd: frontEnd.newer });
    return { keyInput, condition };
  });
  const table = requireActiveTable(ctx, input.TableName);
  const key = checkKey(table, keyInput);

  return ctx.items.transaction(() => {
    const old = ctx.items.get(table, key);
    if (condition && !evaluateCondition(condition, old)) throw conditionFailed(old, input.ReturnValuesOnConditionCheckFailure);
    if (old) ctx.items.write({ table, key, oldItem: old, newItem: undefined }, 0);
    return {
      ...(input.ReturnValues === 'ALL_OLD' ? attributes(old) : {}),
      ...consumedCapacity(table, writeUnits(old ? itemSize(old) : 0, 0), input.ReturnConsumedCapacity),
    };
  });
}
