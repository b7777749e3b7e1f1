import { AwsError, validationError } from '../../edge/errors.js';
import { writeUnits, type ReturnConsumedCapacity } from '../capacity.js';
import type { DynamoContext } from '../context.js';
import { checkKeyAttributeUpdates } from '../expressions/index.js';
import {
  CapacityByTable,
  checkKeyValues,
  CollectionMetrics,
  commitWrite,
  evaluateWrite,
  findReplay,
  isUpFrontRefusal,
  itemIdentity,
  keyedWrite,
  matchKey,
  NO_REASON,
  prepareCheck,
  prepareDelete,
  preparePut,
  prepareUpdate,
  putWrite,
  reasonFor,
  replayCapacity,
  requestHash,
  runAll,
  saveToken,
  TRANSACTION_FACTOR,
  transactionCanceled,
  type ItemWrite,
  type KeyedInput,
  type PreparedKeyed,
  type PreparedPut,
  type PutInput,
} from '../item-writes/index.js';
import { requireActiveTable } from '../require-table.js';
import { keyAttributeNames } from '../table-catalog.js';
import { itemTooLargeError, MAX_ITEM_SIZE } from '../values/size.js';

type Named<T> = T & { TableName: string };

interface TransactWriteItem {
  ConditionCheck?: Named<KeyedInput>;
  Put?: Named<PutInput>;
  Delete?: Named<KeyedInput>;
  Update?: Named<KeyedInput>;
}

interface TransactWriteItemsInput {
  TransactItems: TransactWriteItem[];
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
  ReturnItemCollectionMetrics?: 'SIZE' | 'NONE';
  ClientRequestToken?: string;
}

/** Parity Suite error-messages/transactWriteItems (captured). */
export const MULTIPLE_OPERATIONS = 'Transaction request cannot include multiple operations on one item';
/** Not captured: the text moto and other emulators give for an action with none or several of the four. */
export const ONE_ACTION = 'TransactItems can only contain one of Check, Put, Update or Delete';
/** AWS's documented limit on the items of one transaction. */
export const MAX_TRANSACTION_ITEM_BYTES = 4 * 1024 * 1024;
/** Not captured: an emulator's text for the 4 MB limit. */
export const TRANSACTION_TOO_LARGE =
  'Collection size of items exceeded, which can also be caused by the aggregate size of the items in the transaction exceeding the 4MB limit';

/** An action bound to its table: a write, or the schema mismatch it cancels with when it runs. */
type Bound = { readonly write: ItemWrite; readonly mismatch?: undefined } | { readonly write?: undefined; readonly mismatch: AwsError };

/** Step 1, no table: the action's values and expressions (older value layer), and a Put's size. */
function prepare(action: TransactWriteItem, plainStrings: boolean | undefined): { tableName: string; request: PreparedPut | PreparedKeyed } {
  const given = (['ConditionCheck', 'Put', 'Delete', 'Update'] as const).filter((kind) => action[kind] !== undefined);
  if (given.length !== 1) throw validationError(ONE_ACTION);
  const options = { valueLayer: 'older' as const, plainStrings };
  if (action.Put) {
    const put = preparePut(action.Put, options);
    // Knowable from the request, so refused up front (an Update's size cancels instead).
    if (put.size > MAX_ITEM_SIZE) throw itemTooLargeError();
    return { tableName: action.Put.TableName, request: put };
  }
  if (action.Update) return { tableName: action.Update.TableName, request: prepareUpdate(action.Update, options) };
  if (action.Delete) return { tableName: action.Delete.TableName, request: prepareDelete(action.Delete, options) };
  return { tableName: action.ConditionCheck!.TableName, request: prepareCheck(action.ConditionCheck!, options) };
}

/** Step 2: the table, key values (reported up front) and the key's fit to the schema (reported as a cancellation). */
function bind(ctx: DynamoContext, { tableName, request }: ReturnType<typeof prepare>): Bound {
  const table = requireActiveTable(ctx, tableName);
  if (request.kind === 'put') {
    checkKeyValues(table, request.item);
    const match = matchKey(table, request.item, 'item');
    return match.key ? { write: putWrite(table, request, match.key) } : { mismatch: match.mismatch };
  }
  if (request.update) checkKeyAttributeUpdates(request.update, keyAttributeNames(table));
  checkKeyValues(table, request.keyInput);
  const match = matchKey(table, request.keyInput, 'key');
  return match.key ? { write: keyedWrite(table, request, match.key) } : { mismatch: match.mismatch };
}

/**
 * Up to 100 ConditionChecks, Puts, Updates and Deletes on distinct items,
 * all or nothing.
 *
 * Order of checks (Parity Suite tier3 validation-ordering/transactions and
 * error-messages/transactWriteItems, captured): every action's values and
 * expressions before any table is looked up (an unused value or a malformed
 * condition anywhere wins over a missing table anywhere); then the tables,
 * key values (an empty key is a ValidationException) and two actions on one
 * item. Then, in one SQLite transaction, every action is evaluated against the
 * items as they are; a key of the wrong shape, a failed condition or an update
 * that breaks a limit gives that action its reason, and any reason cancels
 * the transaction with all of them, in order. Only when none fails are the
 * writes made, so a cancelled transaction writes nothing and calls no change
 * listener. The store can still refuse a write as it makes it (secondary
 * index keys, item collection size): that cancels the transaction with the
 * action's reason, and the rollback takes back every write before it,
 * whatever the change listeners stored.
 *
 * ClientRequestToken: see item-writes/tokens.ts. ReturnItemCollectionMetrics
 * as BatchWriteItem (item-writes/collections.ts); a ConditionCheck writes
 * nothing and reports no collection.
 */
export function TransactWriteItems(input: TransactWriteItemsInput, ctx: DynamoContext): unknown {
  const prepared = input.TransactItems.map((action) => prepare(action, ctx.plainJsonBody));
  const bound = prepared.map((action) => bind(ctx, action));

  const seen = new Set<string>();
  for (const { write } of bound) {
    if (!write) continue;
    const identity = itemIdentity(write.table, write.key);
    if (seen.has(identity)) throw validationError(MULTIPLE_OPERATIONS);
    seen.add(identity);
  }
  const putBytes = prepared.reduce((total, { request }) => total + (request.kind === 'put' ? request.size : 0), 0);
  if (putBytes > MAX_TRANSACTION_ITEM_BYTES) throw validationError(TRANSACTION_TOO_LARGE);

  const hash = requestHash('TransactWriteItems', input.TransactItems);
  const replay = findReplay(ctx, input.ClientRequestToken, hash);
  if (replay) return replayCapacity(ctx, replay, input.ReturnConsumedCapacity);

  return ctx.items.transaction(() => {
    const evaluated = runAll(bound, (action) => {
      if (action.mismatch) throw action.mismatch;
      return evaluateWrite(ctx.items, action.write);
    });
    const capacity = new CapacityByTable();
    const collections = new CollectionMetrics(ctx.items, input.ReturnItemCollectionMetrics);
    evaluated.forEach((action, i) => {
      try {
        if (commitWrite(ctx.items, action)) collections.add(action.write.table, action.write.key);
      } catch (error) {
        // The store refuses some writes only as it makes them (secondary index keys, item
        // collection size): that action's reason, unless DynamoDB would have refused the
        // value up front. Throwing rolls back what was written.
        if (!(error instanceof AwsError) || isUpFrontRefusal(error)) throw error;
        throw transactionCanceled(evaluated.map((_, j) => (j === i ? reasonFor(error) : NO_REASON)));
      }
      // A ConditionCheck is billed as a write of the item it reads.
      capacity.addWrite(action.write.table, TRANSACTION_FACTOR * writeUnits(action.oldSize, action.size));
    });
    const targets = evaluated.map(({ write }) => ({ tableName: write.table.description.TableName, key: write.key }));
    saveToken(ctx, input.ClientRequestToken, hash, targets);
    return { ...capacity.transactional(input.ReturnConsumedCapacity), ...collections.response() };
  });
}
