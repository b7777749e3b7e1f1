import { consumedCapacity, writeUnits, type ReturnConsumedCapacity } from '../capacity.js';
import type { DynamoContext } from '../context.js';
import { applyUpdate, checkKeyAttributeUpdates, compileExpressions, evaluateCondition, project, updateCharge, type ExpressionRequest } from '../expressions/index.js';
import { frontEndFor } from '../front-end.js';
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
  const frontEnd = frontEndFor(input);
  // DynamoDB reports these before it looks the table up, inside its validation envelope.
  const { keyInput, condition, update } = frontEnd.check(() => {
    const keyInput = validateItem(input.Key, frontEnd.valueLayer);
    const { condition, update } = compileExpressions(input, { keyAttributeNames: [], operation: 'UpdateItem', valueLayer: frontEnd.valueLayer, newerFrontEnd: frontEnd.newer });
    return { keyInput, condition, update };
  });
  const table = requireActiveTable(ctx, input.TableName);
  if (update) checkKeyAttributeUpdates(update, keyAttributeNames(table));
  const key = checkKey(table, keyInput);
  // What the statement writes counts against the limit too, before any condition is evaluated.
  const charge = update ? updateCharge(update) : undefined;
  if (charge !== undefined && charge > MAX_ITEM_SIZE) throw itemTooLargeError(true);

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
