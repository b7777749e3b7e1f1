import { consumedCapacity, readUnits, type ReturnConsumedCapacity } from '../capacity.js';
import type { DynamoContext } from '../context.js';
import { compileExpressions, type ExpressionRequest } from '../expressions/index.js';
import { RawJson } from '../../edge/json-protocol.js';
import { encodedKey } from '../item-store.js';
import { readItem } from '../item-writes/index.js';
import { checkKey } from '../keys.js';
import { requireActiveTable } from '../require-table.js';
import { validateItem } from '../values/validate.js';

interface GetItemInput extends ExpressionRequest {
  TableName: string;
  Key: unknown;
  ConsistentRead?: boolean;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
}

/** Reads are always strongly consistent in Eddy; ConsistentRead only changes the capacity reported. */
export function GetItem(input: GetItemInput, ctx: DynamoContext): unknown {
  const keyInput = validateItem(input.Key);
  // DynamoDB reports expression errors before it looks the table up.
  const { projection } = compileExpressions(input, { keyAttributeNames: [], operation: 'GetItem' });
  const table = requireActiveTable(ctx, input.TableName);
  const key = checkKey(table, keyInput);
  if (!projection) {
    // The hot path: the stored JSON goes into the response as it is.
    const stored = ctx.items.getStored(table, ...encodedKey(table, key));
    const capacity = consumedCapacity(table, readUnits(stored?.size ?? 0, input.ConsistentRead === true), input.ReturnConsumedCapacity);
    if (!stored) return capacity;
    if (!capacity.ConsumedCapacity) return new RawJson(`{"Item":${stored.item}}`);
    return new RawJson(`{"Item":${stored.item},${JSON.stringify(capacity).slice(1, -1)}}`);
  }
  const { item, size } = readItem(ctx.items, table, key, projection);
  const capacity = consumedCapacity(table, readUnits(size, input.ConsistentRead === true), input.ReturnConsumedCapacity);
  if (!item) return capacity;
  return { Item: item, ...capacity };
}
