import type { ItemCollectionMetrics, ItemStore } from '../item-store.js';
import type { Table } from '../table-catalog.js';
import type { Item } from '../values/attribute-value.js';

/**
 * The ItemCollectionMetrics member of a single-item write's response: only
 * for ReturnItemCollectionMetrics SIZE on a table with local secondary
 * indexes, measured after the write (call inside its transaction). `key` is
 * the item's table key.
 */
export function itemCollectionMetricsMember(items: ItemStore, table: Table, key: Item, mode: string | undefined): { ItemCollectionMetrics?: ItemCollectionMetrics } {
  if (mode !== 'SIZE') return {};
  const metrics = items.itemCollectionMetrics(table, key);
  return metrics ? { ItemCollectionMetrics: metrics } : {};
}
