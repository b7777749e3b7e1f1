import { writeUnits, type ReturnConsumedCapacity } from '../capacity.js';
import type { DynamoContext } from '../context.js';
import type { ExpressionRequest } from '../expressions/index.js';
import { frontEndFor } from '../front-end.js';
import { writeConsumedCapacity } from '../indexes/capacity.js';
import { itemCollectionMetricsMember } from '../indexes/item-collections.js';
import { applyWrite, overwriteItem, preparePut, putWrite } from '../item-writes/index.js';
import { keyOfNewItem } from '../keys.js';
import { requireActiveTable } from '../require-table.js';
import { attributes } from '../return-values.js';
import { itemTooLargeError, MAX_ITEM_SIZE } from '../values/size.js';

interface PutItemInput extends ExpressionRequest {
  TableName: string;
  Item: unknown;
  ReturnValues?: string;
  ReturnValuesOnConditionCheckFailure?: string;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
  ReturnItemCollectionMetrics?: 'SIZE' | 'NONE';
}

export function PutItem(input: PutItemInput, ctx: DynamoContext): unknown {
  const frontEnd = frontEndFor(input);
  // DynamoDB reports these before it looks the table up, inside its validation envelope.
  const prepared = frontEnd.check(() =>
    preparePut(input, { valueLayer: frontEnd.valueLayer, newerFrontEnd: frontEnd.newer, returnValues: input.ReturnValues, plainStrings: ctx.plainJsonBody }),
  );
  const table = requireActiveTable(ctx, input.TableName);
  const key = keyOfNewItem(table, prepared.item);
  if (prepared.size > MAX_ITEM_SIZE) throw itemTooLargeError();
  const write = putWrite(table, prepared, key);
  const returnOld = input.ReturnValues === 'ALL_OLD';
  const reportsCapacity = input.ReturnConsumedCapacity === 'TOTAL' || input.ReturnConsumedCapacity === 'INDEXES';

  if (!write.condition && !returnOld && !reportsCapacity && !ctx.items.needsReplacedItem(table)) {
    // The hot path: nothing needs the item this put replaces (not even its
    // size), so it is not read: one upsert, no BEGIN/COMMIT. A table without
    // indexes has no ItemCollectionMetrics, so the answer is empty.
    ctx.items.putBlind(table, key, write.item, write.size, write.plainStrings);
    return {};
  }
  return ctx.items.transaction(() => {
    // Without a condition or ALL_OLD only the replaced item's size matters: the store does not parse it.
    const { old, oldSize, size, report } = write.condition || returnOld ? applyWrite(ctx.items, write) : { old: undefined, ...overwriteItem(ctx.items, write) };
    return {
      ...(returnOld ? attributes(old) : {}),
      ...writeConsumedCapacity(table, writeUnits(oldSize, size), report, input.ReturnConsumedCapacity),
      ...itemCollectionMetricsMember(ctx.items, table, key, input.ReturnItemCollectionMetrics),
    };
  });
}
