/**
 * The "apply inside the transaction" half of every item write: read the
 * stored item, check the condition, work out the new item, write it through
 * `ItemStore.write`. PutItem, UpdateItem, DeleteItem, BatchWriteItem and
 * TransactWriteItems all end here.
 *
 * Two steps, so that a transaction can check every action before it writes
 * any: `evaluateWrite` only reads (and throws DynamoDB's error for this
 * write), `commitWrite` only writes. `applyWrite` is both, for a write on its
 * own. Call them inside `ctx.items.transaction`.
 */
import { applyUpdate, evaluateCondition, type Condition, type Path, type Update } from '../expressions/index.js';
import type { ItemStore } from '../item-store.js';
import { conditionFailed } from '../return-values.js';
import type { Table } from '../table-catalog.js';
import type { Item } from '../values/attribute-value.js';
import { itemSize, itemTooLargeError, MAX_ITEM_SIZE } from '../values/size.js';

interface WriteBase {
  readonly table: Table;
  /** The item's key, checked against the table's schema. */
  readonly key: Item;
  readonly condition?: Condition;
  /** ReturnValuesOnConditionCheckFailure: ALL_OLD puts the stored item on the ConditionalCheckFailedException. */
  readonly returnOnFailure?: string;
}

/** Replaces the item with `item` (PutItem, PutRequest, a transaction's Put). */
export interface PutWrite extends WriteBase {
  readonly kind: 'put';
  readonly item: Item;
  readonly size: number;
  /** None of the item's strings needs escaping in JSON (values/item-json.ts): it came from a request body without a backslash. */
  readonly plainStrings?: boolean;
}

/** Updates the item, creating it from its key when there is none (UpdateItem, a transaction's Update). */
export interface UpdateWrite extends WriteBase {
  readonly kind: 'update';
  readonly update?: Update;
}

/** Removes the item if there is one (DeleteItem, DeleteRequest, a transaction's Delete). */
export interface DeleteWrite extends WriteBase {
  readonly kind: 'delete';
}

/** Only checks the condition (a transaction's ConditionCheck). */
export interface CheckWrite extends WriteBase {
  readonly kind: 'check';
  readonly condition: Condition;
}

export type ItemWrite = PutWrite | UpdateWrite | DeleteWrite | CheckWrite;

/** What a write found and what it leaves. */
export interface Evaluated {
  readonly write: ItemWrite;
  /** The stored item before the write. */
  readonly old: Item | undefined;
  readonly oldSize: number;
  /** The item after the write: undefined when deleted (or never there), the old item for a check. */
  readonly item: Item | undefined;
  readonly size: number;
  /** The paths an update wrote (ReturnValues UPDATED_OLD / UPDATED_NEW). */
  readonly updatedPaths: readonly Path[];
}

/**
 * Reads the stored item and decides the write without making it. Throws
 * ConditionalCheckFailedException (with the item for ALL_OLD), or the
 * ValidationException an update raises (operand types, the finished item
 * over 400 KB).
 */
export function evaluateWrite(items: ItemStore, write: ItemWrite): Evaluated {
  const stored = items.getSized(write.table, write.key);
  const old = stored?.item;
  if (write.condition && !evaluateCondition(write.condition, old)) throw conditionFailed(old, write.returnOnFailure);
  const oldSize = stored?.size ?? 0;
  const unchanged = { write, old, oldSize, updatedPaths: [] };
  switch (write.kind) {
    case 'put':
      return { ...unchanged, item: write.item, size: write.size };
    case 'delete':
      return { ...unchanged, item: undefined, size: 0 };
    case 'check':
      return { ...unchanged, item: old, size: oldSize };
    case 'update': {
      const base: Item = old ?? { ...write.key };
      const { item, updatedPaths } = write.update ? applyUpdate(write.update, base) : { item: base, updatedPaths: [] };
      const size = itemSize(item);
      if (size > MAX_ITEM_SIZE) throw itemTooLargeError(true);
      return { write, old, oldSize, item, size, updatedPaths };
    }
  }
}

/** What `ItemStore.write` reports about a write (its secondary index charges). */
export type StoreReport = ReturnType<ItemStore['write']>;

/**
 * Makes an evaluated write through the one write path and returns the
 * store's report, or undefined when nothing is written (a check, a delete of
 * nothing). The store may still refuse the write (secondary index keys, item
 * collection size) with an AwsError.
 */
export function commitWrite(items: ItemStore, evaluated: Evaluated): StoreReport | undefined {
  const { write, old, item, size } = evaluated;
  if (write.kind === 'check') return undefined;
  if (write.kind === 'delete' && !old) return undefined;
  const change = { table: write.table, key: write.key, oldItem: old, newItem: item };
  // Only a put's item is the request's own; an update's mixes in the stored item's strings.
  return items.write(write.kind === 'put' && write.plainStrings === true ? { ...change, plainStrings: true } : change, size);
}

/** Evaluates and commits one write. */
export function applyWrite(items: ItemStore, write: ItemWrite): Evaluated & { readonly report: StoreReport | undefined } {
  const evaluated = evaluateWrite(items, write);
  return { ...evaluated, report: commitWrite(items, evaluated) };
}

/**
 * A put that needs nothing of the item it replaces but its size: no
 * condition, no ReturnValues (PutItem's hot path, BatchWriteItem's puts).
 * The store overwrites the item without parsing the one it replaces.
 */
export function overwriteItem(items: ItemStore, write: PutWrite): { readonly oldSize: number; readonly size: number; readonly report: StoreReport } {
  const { oldSize, report } = items.overwrite(write.table, write.key, write.item, write.size, write.plainStrings);
  return { oldSize, size: write.size, report };
}
