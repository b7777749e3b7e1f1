import { validationError } from '../../edge/errors.js';
import { readUnits, type ReturnConsumedCapacity } from '../capacity.js';
import type { DynamoContext } from '../context.js';
import { compileExpressions, type ExpressionRequest } from '../expressions/index.js';
import { CapacityByTable, checkKeyValues, itemIdentity, matchKey, readItem, runAll, TRANSACTION_FACTOR } from '../item-writes/index.js';
import { requireActiveTable } from '../require-table.js';
import { validateItem } from '../values/validate.js';
import { MULTIPLE_OPERATIONS } from './TransactWriteItems.js';

interface Get extends ExpressionRequest {
  TableName: string;
  Key: unknown;
}

interface TransactGetItemsInput {
  TransactItems: { Get: Get }[];
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
}

/**
 * Up to 100 items read together, each with its own projection, as of one
 * moment (one SQLite transaction). Like TransactWriteItems: every Get's key
 * values (older layer) and projection first, then the tables and key values,
 * then reading, where a key of the wrong shape cancels the whole read with a
 * ValidationError reason (Parity Suite error-messages/transactGetItems).
 * Two Gets of one item are refused with TransactWriteItems' text (the suite
 * records that they are refused, not the wording). Each read costs twice a
 * strongly consistent one, a missing item included.
 */
export function TransactGetItems(input: TransactGetItemsInput, ctx: DynamoContext): unknown {
  const prepared = input.TransactItems.map(({ Get: get }) => {
    const keyInput = validateItem(get.Key, 'older');
    const { projection } = compileExpressions(get, { keyAttributeNames: [], operation: 'GetItem', valueLayer: 'older' });
    return { get, keyInput, projection };
  });

  const seen = new Set<string>();
  const bound = prepared.map(({ get, keyInput, projection }) => {
    const table = requireActiveTable(ctx, get.TableName);
    checkKeyValues(table, keyInput);
    const match = matchKey(table, keyInput, 'key');
    if (match.key) {
      const identity = itemIdentity(table, match.key);
      if (seen.has(identity)) throw validationError(MULTIPLE_OPERATIONS);
      seen.add(identity);
    }
    return { table, match, projection };
  });

  return ctx.items.transaction(() => {
    const capacity = new CapacityByTable();
    const responses = runAll(bound, ({ table, match, projection }) => {
      if (!match.key) throw match.mismatch;
      const { item, size } = readItem(ctx.items, table, match.key, projection);
      capacity.addRead(table, TRANSACTION_FACTOR * readUnits(size, true));
      return item ? { Item: item } : {};
    });
    return { Responses: responses, ...capacity.transactional(input.ReturnConsumedCapacity) };
  });
}
