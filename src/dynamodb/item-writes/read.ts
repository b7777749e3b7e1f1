/**
 * Reading one item by its key, as GetItem, BatchGetItem and TransactGetItems
 * do: the stored item (projected when asked) and the size its read is
 * charged for, the whole item's whatever the projection keeps.
 */
import { project, type Projection } from '../expressions/index.js';
import type { ItemStore } from '../item-store.js';
import type { Table } from '../table-catalog.js';
import type { Item } from '../values/attribute-value.js';

export interface ItemRead {
  /** The item, projected; undefined when there is none. */
  readonly item?: Item;
  /** Bytes read: the stored item's size, 0 when there is none. */
  readonly size: number;
}

export function readItem(items: ItemStore, table: Table, key: Item, projection?: Projection): ItemRead {
  const stored = items.getSized(table, key);
  if (!stored) return { size: 0 };
  return { item: projection ? project(projection, stored.item) : stored.item, size: stored.size };
}
