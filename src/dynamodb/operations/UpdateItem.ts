import { writeUnits, type ReturnConsumedCapacity } from '../capacity.js';
import type { DynamoContext } from '../context.js';
import { checkKeyAttributeUpdates, project, updateCharge, type ExpressionRequest } from '../expressions/index.js';
import { frontEndFor } from '../front-end.js';
import { writeConsumedCapacity } from '../indexes/capacity.js';
import { itemCollectionMetricsMember } from '../indexes/item-collections.js';
import { applyWrite, keyedWrite, prepareUpdate } from '../item-writes/index.js';
import { checkKey } from '../keys.js';
import { requireActiveTable } from '../require-table.js';
import { attributes } from '../return-values.js';
import { keyAttributeNames } from '../table-catalog.js';
import type { Item } from '../values/attribute-value.js';
import { itemTooLargeError, MAX_ITEM_SIZE } from '../values/size.js';

interface UpdateItemInput extends ExpressionRequest {
  TableName: string;
  Key: unknown;
  ReturnValues?: 'NONE' | 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW';
  ReturnValuesOnConditionCheckFailure?: string;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
  ReturnItemCollectionMetrics?: 'SIZE' | 'NONE';
}

/** Updates an item, creating it (from its key) when it does not exist yet. */
export function UpdateItem(input: UpdateItemInput, ctx: DynamoContext): unknown {
  const frontEnd = frontEndFor(input);
  // DynamoDB reports these before it looks the table up, inside its validation envelope.
  const prepared = frontEnd.check(() => prepareUpdate(input, { valueLayer: frontEnd.valueLayer, newerFrontEnd: frontEnd.newer }));
  const table = requireActiveTable(ctx, input.TableName);
  if (prepared.update) checkKeyAttributeUpdates(prepared.update, keyAttributeNames(table));
  const key = checkKey(table, prepared.keyInput);
  // What the statement writes counts against the limit too, before any condition is evaluated.
  const charge = prepared.update ? updateCharge(prepared.update) : undefined;
  if (charge !== undefined && charge > MAX_ITEM_SIZE) throw itemTooLargeError(true);
  const write = keyedWrite(table, prepared, key);

  return ctx.items.transaction(() => {
    const { old, oldSize, item, size, updatedPaths, report } = applyWrite(ctx.items, write);
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
        returned = item && project(updatedPaths, item);
        break;
    }
    return {
      ...attributes(returned),
      ...writeConsumedCapacity(table, writeUnits(oldSize, size), report, input.ReturnConsumedCapacity),
      ...itemCollectionMetricsMember(ctx.items, table, key, input.ReturnItemCollectionMetrics),
    };
  });
}
