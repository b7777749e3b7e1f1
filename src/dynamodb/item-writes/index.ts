/**
 * Item writes shared by PutItem, UpdateItem, DeleteItem, BatchWriteItem and
 * TransactWriteItems (and item reads by GetItem, BatchGetItem and
 * TransactGetItems).
 *
 * A write goes through two steps:
 *
 *  - prepare (prepare.ts): `preparePut` / `prepareUpdate` / `prepareDelete` /
 *    `prepareCheck` check the request's values and compile its expressions
 *    without the table; `putWrite` / `keyedWrite` then bind the result to its
 *    table and key, giving an `ItemWrite`. Each surface checks the key its own
 *    way between the two (keys.ts: PutItem and DeleteItem throw at once,
 *    batches reword a schema mismatch, transactions cancel with it).
 *  - apply (apply.ts), inside `ctx.items.transaction`: `evaluateWrite` reads
 *    the stored item, checks the condition and computes the new item;
 *    `commitWrite` writes it through `ItemStore.write`; `applyWrite` does
 *    both. A transaction evaluates every action before committing any, so a
 *    cancelled one calls no change listener at all.
 *
 * Around them: capacity.ts (ConsumedCapacity per table, transactional
 * units), collections.ts (ItemCollectionMetrics), cancellation.ts (TransactionCanceledException), tokens.ts
 * (ClientRequestToken idempotency) and batch-validation.ts (how the batch
 * operations word constraint violations).
 */
export { applyWrite, commitWrite, evaluateWrite, overwriteItem, type CheckWrite, type DeleteWrite, type Evaluated, type ItemWrite, type PutWrite, type StoreReport, type UpdateWrite } from './apply.js';
export {
  keyedWrite,
  prepareCheck,
  prepareDelete,
  preparePut,
  prepareUpdate,
  putWrite,
  type KeyedInput,
  type PreparedKeyed,
  type PreparedPut,
  type PrepareOptions,
  type PutInput,
} from './prepare.js';
export { checkedKey, checkKeyValues, itemIdentity, keyIdentity, matchKey, SCHEMA_MISMATCH, type KeyMatch } from './keys.js';
export { readItem, type ItemRead } from './read.js';
export { CapacityByTable, TRANSACTION_FACTOR } from './capacity.js';
export { CollectionMetrics } from './collections.js';
export { isUpFrontRefusal, NO_REASON, reasonFor, runAll, transactionCanceled, type CancellationReason } from './cancellation.js';
export { findReplay, IDEMPOTENT_MISMATCH_MESSAGE, replayCapacity, requestHash, saveToken, TOKEN_LIFETIME_MS, type TokenTarget } from './tokens.js';
export {
  BATCH_WRITE_EMPTY,
  batchGetConstraintReport,
  batchWriteConstraintReport,
  checkBatchGetTableNames,
  checkBatchWriteTableNames,
} from './batch-validation.js';
