import { consumedCapacity, writeUnits, type ReturnConsumedCapacity } from '../capacity.js';
import type { DynamoContext } from '../context.js';
import { applyUpdate, checkKeyAttributeUpdates, compileExpressions, evaluateCondition, project, type ExpressionRequest } from '../expressions/index.js';
import { checkKey } from '../keys.js';
import { requireActiveTable } from '../require-table.js';
import { attributes, conditionFailed } from '../return-values.js';
import { keyAttributeNames } from '../table-catalog.js';
import type { Item } from '../values/attribute-value.js';
import { itemSize, itemTooLargeError, MAX_ITEM_SIZE } from '../values/size.js';
import { validateItem } from '../values/validate.js';

interface UpdateItemInput extends ExpressionRequest {
  TableName: string;
  Key: unknown;
  ReturnValues?: 'NONE' | 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW';
  ReturnValuesOnConditionCheckFailure?: string;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
}

/** Updates an item, creating it (from its key) when it does not exist yet. */
export function UpdateItem(input: UpdateItemInput, ctx: DynamoContext): unknown {
  const keyInput = validateItem(input.Key);
  // DynamoDB reports expression errors before it looks the table up.
  const { condition, update } = compileExpressions(input, { keyAttributeNames: [], operation: 'UpdateItem' });
  const table = requireActiveTable(ctx, input.TableName);
  if (update) checkKeyAttributeUpdates(update, keyAttributeNames(table));
  const key = checkKey(table, keyInput);

  return ctx.items.transaction(() => {
    const old = ctx.items.get(table, key);
    if (condition && !evaluateCondition(condition, old)) throw conditionFailed(old, input.ReturnValuesOnConditionCheckFailure);
    const base: Item = old ?? { ...key };
    const { item, updatedPaths } = update ? applyUpdate(update, base) : { item: base, updatedPaths: [] };
    const size = itemSize(item);
    if (size > MAX_ITEM_SIZE) throw itemTooLargeError(true);
    ctx.items.write({ table, key, oldItem: old, newItem: item }, size);

    let returned: Item | undefined;
    switch (input.ReturnValues) {
      case 'ALL_OLD':
        returned = old;
        break;
      case 'ALL_NEW':
        returned = item;
        break;
      case 'UPDATED_OLD':
        returned = old && project(updatedPaths, old);
        break;
      case 'UPDATED_NEW':
        returned = project(updatedPaths, item);
        break;
    }
    return {
      ...attributes(returned),
      ...consumedCapacity(table, writeUnits(old ? itemSize(old) : 0, size), input.ReturnConsumedCapacity),
    };
  });
}
