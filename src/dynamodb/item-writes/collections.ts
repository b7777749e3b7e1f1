/**
 * ItemCollectionMetrics of the operations that write to several tables
 * (BatchWriteItem, TransactWriteItems) with ReturnItemCollectionMetrics=SIZE:
 * per table, one entry for each item written, read after the write in its
 * transaction. Only tables with local secondary indexes have item
 * collections; the others report nothing, as DynamoDB does.
 */
import type { ItemStore } from '../item-store.js';
import type { Table } from '../table-catalog.js';
import type { Item } from '../values/attribute-value.js';

type Metrics = NonNullable<ReturnType<ItemStore['itemCollectionMetrics']>>;

export class CollectionMetrics {
  private readonly byTable: Record<string, Metrics[]> = {};

  constructor(
    private readonly items: ItemStore,
    private readonly mode: 'SIZE' | 'NONE' | undefined,
  ) {}

  /** Records the collection of an item just written. */
  add(table: Table, key: Item): void {
    if (this.mode !== 'SIZE') return;
    const metrics = this.items.itemCollectionMetrics(table, key);
    if (metrics) (this.byTable[table.description.TableName] ??= []).push(metrics);
  }

  /** `{ ItemCollectionMetrics }` when any table has collections to report, else nothing. */
  response(): { ItemCollectionMetrics?: Record<string, Metrics[]> } {
    return Object.keys(this.byTable).length > 0 ? { ItemCollectionMetrics: this.byTable } : {};
  }
}
