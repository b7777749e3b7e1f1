/**
 * Index maintenance for one item write, in two steps so that nothing is
 * written when a check fails: `checkIndexKeys` and `planIndexWrites` only
 * read; ItemStore.write applies the plan after the item itself.
 */
import { AwsError } from '../../edge/errors.js';
import { invalidParameters } from '../errors.js';
import type { Table } from '../table-catalog.js';
import { typeOf, type Item } from '../values/attribute-value.js';
import { itemsEqual } from '../values/equality.js';
import { itemSize } from '../values/size.js';
import { validateIndexKeyAttribute } from '../values/validate.js';
import type { IndexStore } from './index-store.js';
import { indexKeyAttributes, indexKeyOf, projectEntry, type SecondaryIndex } from './schema.js';

/** DynamoDB's limit on an item collection of a table with local secondary indexes. */
export const ITEM_COLLECTION_SIZE_LIMIT = 10 * 1024 * 1024 * 1024;

const WRITE_UNIT_BYTES = 1024;

/** What a write cost on one index, for ReturnConsumedCapacity INDEXES. */
export interface IndexCharge {
  index: string;
  global: boolean;
  units: number;
}

interface Entry {
  pk: Buffer;
  sk: Buffer;
  item: Item;
  size: number;
}

interface IndexWrite {
  index: SecondaryIndex;
  remove?: Entry;
  put?: Entry;
}

/** The index side of one item write. */
export interface IndexWritePlan {
  writes: IndexWrite[];
  charges: IndexCharge[];
  /** Change of the item collection's bytes (items and local index entries); 0 without local indexes. */
  collectionDelta: number;
}

/**
 * Refuses an item whose index key attributes have the wrong type or are
 * empty strings or binaries, with DynamoDB's texts. Checks the global
 * indexes, then the local ones, each from the last declared, as DynamoDB
 * reports them (dynalite db/index.js `validateItem`). An attribute the item
 * does not have is fine: the item is just not in that index.
 */
export function checkIndexKeys(table: Table, item: Item): void {
  const globals = table.indexes.filter((i) => i.global).reverse();
  const locals = table.indexes.filter((i) => !i.global).reverse();
  for (const index of [...globals, ...locals]) {
    for (const key of indexKeyAttributes(index)) {
      const value = item[key.name];
      if (value === undefined) continue;
      const actual = typeOf(value);
      if (actual !== key.type) {
        throw invalidParameters(`Type mismatch for Index Key ${key.name} Expected: ${key.type} Actual: ${actual} IndexName: ${index.name}`);
      }
      validateIndexKeyAttribute(index.name, key.name, value);
    }
  }
}

function entryOf(index: SecondaryIndex, item: Item | undefined): Entry | undefined {
  if (!item) return undefined;
  const key = indexKeyOf(index, item);
  if (!key) return undefined;
  const projected = projectEntry(index, item);
  return { ...key, item: projected, size: itemSize(projected) };
}

const units = (bytes: number): number => Math.max(1, Math.ceil(bytes / WRITE_UNIT_BYTES));

/**
 * What a write from `oldItem` to `newItem` does to each index. An index is
 * charged only when what it stores changes, as DynamoDB does: a put for a new
 * entry, a delete for a removed one, both when the index key moved, one
 * update when only projected attributes changed, nothing otherwise.
 */
export function planIndexWrites(table: Table, oldItem: Item | undefined, oldSize: number, newItem: Item | undefined, newSize: number): IndexWritePlan {
  const writes: IndexWrite[] = [];
  const charges: IndexCharge[] = [];
  let collectionDelta = table.hasLocalIndexes ? newSize - oldSize : 0;
  for (const index of table.indexes) {
    const before = entryOf(index, oldItem);
    const after = entryOf(index, newItem);
    if (!before && !after) continue;
    const sameKey = before !== undefined && after !== undefined && before.pk.equals(after.pk) && before.sk.equals(after.sk);
    if (sameKey && itemsEqual(before!.item, after!.item)) continue;
    let charged = 0;
    if (before && !sameKey) charged += units(before.size);
    if (after) charged += units(sameKey ? Math.max(before!.size, after.size) : after.size);
    writes.push({ index, ...(before && !sameKey ? { remove: before } : {}), ...(after ? { put: after } : {}) });
    charges.push({ index: index.name, global: index.global, units: charged });
    if (!index.global) collectionDelta += (after?.size ?? 0) - (before?.size ?? 0);
  }
  return { writes, charges, collectionDelta };
}

/** Throws ItemCollectionSizeLimitExceededException when a growing collection would pass the limit. */
export function checkCollectionSize(store: IndexStore, table: Table, tablePk: Buffer, delta: number, limit: number): void {
  if (delta <= 0) return;
  if (store.collectionSize(table, tablePk) + delta > limit) {
    throw new AwsError('ItemCollectionSizeLimitExceededException', 'Item collection size limit exceeded');
  }
}

/** Writes a plan's entries; `tablePk`/`tableSk` are the item's encoded table key. */
export function applyIndexWrites(store: IndexStore, table: Table, tablePk: Buffer, tableSk: Buffer, plan: IndexWritePlan): void {
  for (const { index, remove, put } of plan.writes) {
    if (remove) store.delete(table, index.name, remove.pk, remove.sk, tablePk, tableSk);
    if (put) store.put(table, index.name, put.pk, put.sk, tablePk, tableSk, JSON.stringify(put.item), put.size);
  }
  if (table.hasLocalIndexes) store.addToCollection(table, tablePk, plan.collectionDelta);
}

/** Rows of the table in key order, `limit` at a time, strictly after a key (ItemStore.tableRowPage). */
export type RowPages = (after: { pk: Buffer; sk: Buffer } | undefined, limit: number) => { pk: Buffer; sk: Buffer; item: string }[];

const BACKFILL_PAGE = 500;

/**
 * Fills a new index from the table's items (UpdateTable creating a global
 * secondary index), a page at a time: SQLite cannot write while a read is
 * still stepping. Items whose index key has the wrong type or is empty are
 * left out, as DynamoDB's backfill leaves its index key violations out.
 */
export function backfillIndex(store: IndexStore, table: Table, index: SecondaryIndex, pages: RowPages): void {
  let after: { pk: Buffer; sk: Buffer } | undefined;
  for (;;) {
    const rows = pages(after, BACKFILL_PAGE);
    for (const row of rows) {
      const entry = entryOf(index, JSON.parse(row.item) as Item);
      if (entry) store.put(table, index.name, entry.pk, entry.sk, row.pk, row.sk, JSON.stringify(entry.item), entry.size);
    }
    if (rows.length < BACKFILL_PAGE) return;
    after = rows[rows.length - 1]!;
  }
}
