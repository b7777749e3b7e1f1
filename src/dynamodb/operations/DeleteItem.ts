import { writeUnits, type ReturnConsumedCapacity } from '../capacity.js';
import type { DynamoContext } from '../context.js';
import type { ExpressionRequest } from '../expressions/index.js';
import { frontEndFor } from '../front-end.js';
import { writeConsumedCapacity } from '../indexes/capacity.js';
import { itemCollectionMetricsMember } from '../indexes/item-collections.js';
import { applyWrite, keyedWrite, prepareDelete } from '../item-writes/index.js';
import { checkKey } from '../keys.js';
import { requireActiveTable } from '../require-table.js';
import { attributes } from '../return-values.js';

interface DeleteItemInput extends ExpressionRequest {
  TableName: string;
  Key: unknown;
  ReturnValues?: string;
  ReturnValuesOnConditionCheckFailure?: string;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
  ReturnItemCollectionMetrics?: 'SIZE' | 'NONE';
}

export function DeleteItem(input: DeleteItemInput, ctx: DynamoContext): unknown {
  const frontEnd = frontEndFor(input);
  // DynamoDB reports these before it looks the table up, inside its validation envelope.
  const prepared = frontEnd.check(() =>
    prepareDelete(input, { valueLayer: frontEnd.valueLayer, newerFrontEnd: frontEnd.newer, returnValues: input.ReturnValues }),
  );
  const table = requireActiveTable(ctx, input.TableName);
  const key = checkKey(table, prepared.keyInput);
  const write = keyedWrite(table, prepared, key);

  return ctx.items.transaction(() => {
    const { old, oldSize, report } = applyWrite(ctx.items, write);
    return {
      ...(input.ReturnValues === 'ALL_OLD' ? attributes(old) : {}),
      // A delete of an item that is not there writes nothing: no index is charged, no collection reported.
      ...writeConsumedCapacity(table, writeUnits(oldSize, 0), report, input.ReturnConsumedCapacity),
      ...(report ? itemCollectionMetricsMember(ctx.items, table, key, input.ReturnItemCollectionMetrics) : {}),
    };
  });
}
