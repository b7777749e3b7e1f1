import type Database from 'better-sqlite3';
import type { Clock } from '../clock.js';
import type { Db } from '../store/database.js';
import { IndexStore } from './indexes/index-store.js';
import { applyIndexWrites, checkCollectionSize, checkIndexKeys, ITEM_COLLECTION_SIZE_LIMIT, planIndexWrites, type IndexCharge, type IndexWritePlan } from './indexes/maintain.js';
import type { SortKeyRange } from './key-condition.js';
import type { Table } from './table-catalog.js';
import type { AttributeValue, Item } from './values/attribute-value.js';
import { expiryOf } from './ttl/expiry.js';
import { encodeKey } from './values/key-encoding.js';

/** One committed change to one item: what a stream record is built from. */
export interface ItemChange {
  table: Table;
  key: Item;
  oldItem: Item | undefined;
  newItem: Item | undefined;
  /** Set for deletes made by the service itself (TTL), not by a caller. */
  byService?: boolean;
}

/**
 * Called inside the write's transaction, so whatever a listener stores (a
 * stream record) commits or rolls back together with the item.
 */
export type ChangeListener = (change: ItemChange) => void;

interface StoredItem {
  item: string;
  size: number;
}

/** What one write did beyond the item itself. */
export interface WriteReport {
  /** The secondary indexes whose stored entries changed, and their write units (ReturnConsumedCapacity INDEXES). */
  indexCharges: readonly IndexCharge[];
}

/** ItemCollectionMetrics of one item collection (tables with local secondary indexes). */
export interface ItemCollectionMetrics {
  ItemCollectionKey: Item;
  SizeEstimateRangeGB: [number, number];
}

const NO_INDEX_WRITES: WriteReport = { indexCharges: [] };
const GIGABYTE = 1024 * 1024 * 1024;

/** A stored item as range reads return it: encoded key, JSON, size. */
export interface StoredRow {
  pk: Buffer;
  sk: Buffer;
  item: string;
  size: number;
}

const EMPTY = Buffer.alloc(0);
const wallClock: Clock = { now: () => Date.now() };

/**
 * Items on disk. Every write path (PutItem, UpdateItem, DeleteItem, and later
 * batches, transactions, PartiQL and TTL) goes through `write`, the one place
 * where change capture hooks in.
 */
export class ItemStore {
  private readonly listeners: ChangeListener[] = [];
  private readonly selectItem;
  private readonly upsertItem;
  private readonly deleteItem;
  private readonly countItems;
  /** One transaction wrapper built once; better-sqlite3 makes nested calls savepoints. */
  private readonly inTransaction: <T>(fn: () => T) => T;

  private readonly rangeStatements = new Map<string, Database.Statement<unknown[], StoredRow>>();

  /** Secondary index entries and item collection sizes (src/dynamodb/indexes/). */
  readonly indexes: IndexStore;
  /** The item collection size limit of tables with local secondary indexes (10 GB; tests lower it). */
  itemCollectionSizeLimit = ITEM_COLLECTION_SIZE_LIMIT;

  constructor(
    private readonly db: Db,
    /** Read only for tables with TTL enabled: expiries more than five years old are ignored. */
    private readonly clock: Clock = wallClock,
  ) {
    const runner = db.transaction((fn: () => unknown) => fn());
    this.inTransaction = <T>(fn: () => T): T => runner(fn) as T;
    this.selectItem = db.prepare<[number, Buffer, Buffer], StoredItem>('SELECT item, size FROM ddb_items WHERE table_id = ? AND pk = ? AND sk = ?');
    this.upsertItem = db.prepare<[number, Buffer, Buffer, string, number, number | null]>(
      'INSERT INTO ddb_items (table_id, pk, sk, item, size, expires_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (table_id, pk, sk) DO UPDATE SET item = excluded.item, size = excluded.size, expires_at = excluded.expires_at',
    );
    this.deleteItem = db.prepare<[number, Buffer, Buffer]>('DELETE FROM ddb_items WHERE table_id = ? AND pk = ? AND sk = ?');
    this.countItems = db.prepare<[number], { count: number; bytes: number | null }>('SELECT count(*) AS count, sum(size) AS bytes FROM ddb_items WHERE table_id = ?');
    this.indexes = new IndexStore(db);
  }

  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  /** Runs `fn` in one SQLite transaction (nested calls join the outer one). */
  transaction<T>(fn: () => T): T {
    return this.inTransaction(fn);
  }

  /** The stored item with this (validated) key, or undefined. */
  get(table: Table, key: Item): Item | undefined {
    const row = this.selectItem.get(table.id, ...encodedKey(table, key));
    return row ? (JSON.parse(row.item) as Item) : undefined;
  }

  /** The stored row with this encoded key (JSON and size), or undefined: index reads fetching from the table. */
  getStored(table: Table, pk: Buffer, sk: Buffer): { item: string; size: number } | undefined {
    return this.selectItem.get(table.id, pk, sk);
  }

  /**
   * Replaces (newItem) or removes (undefined) the item with `key`; `oldItem` is
   * what the caller read in the same transaction. Call inside `transaction`.
   * On a table with TTL enabled it also records when the item expires.
   *
   * On a table with secondary indexes it first refuses an item whose index
   * key attributes have the wrong type or are empty (ValidationException) and
   * a write that would grow an item collection past 10 GB
   * (ItemCollectionSizeLimitExceededException), before writing anything; then
   * it updates every index entry the write changes. The returned report says
   * which indexes were charged.
   */
  write(change: ItemChange, newSize: number): WriteReport {
    const table = change.table;
    const [pk, sk] = encodedKey(table, change.key);
    let plan: IndexWritePlan | undefined;
    if (table.indexes.length > 0) {
      if (change.newItem) checkIndexKeys(table, change.newItem);
      // The stored row, not the caller's copy, decides which entries to replace.
      const stored = this.selectItem.get(table.id, pk, sk);
      plan = planIndexWrites(table, stored ? (JSON.parse(stored.item) as Item) : undefined, stored?.size ?? 0, change.newItem, change.newItem ? newSize : 0);
      if (table.hasLocalIndexes) checkCollectionSize(this.indexes, table, pk, plan.collectionDelta, this.itemCollectionSizeLimit);
    }
    if (change.newItem) {
      const ttl = table.ttlAttribute;
      const expiresAt = ttl === undefined ? null : expiryOf(change.newItem[ttl], this.clock.now());
      this.upsertItem.run(table.id, pk, sk, JSON.stringify(change.newItem), newSize, expiresAt);
    } else this.deleteItem.run(table.id, pk, sk);
    if (plan) applyIndexWrites(this.indexes, table, pk, sk, plan);
    for (const listener of this.listeners) listener(change);
    return plan ? { indexCharges: plan.charges } : NO_INDEX_WRITES;
  }

  /**
   * ItemCollectionMetrics for the collection holding `key` as it stands (call
   * after the write, in its transaction), or undefined for a table without
   * local secondary indexes, which DynamoDB reports none for.
   */
  itemCollectionMetrics(table: Table, key: Item): ItemCollectionMetrics | undefined {
    if (!table.hasLocalIndexes) return undefined;
    const [pk] = encodedKey(table, key);
    const gigabytes = Math.floor(this.indexes.collectionSize(table, pk) / GIGABYTE);
    return { ItemCollectionKey: { [table.hashKey.name]: key[table.hashKey.name]! }, SizeEstimateRangeGB: [gigabytes, gigabytes + 1] };
  }

  /**
   * One partition's rows within sort-key bounds, in sort-key order (reversed
   * when `forward` is false), strictly after `startAfter` when given: Query
   * is a range scan of the primary key index, never a sort in JavaScript.
   */
  partitionRows(table: Table, partition: Buffer, range: SortKeyRange, forward: boolean, startAfter?: Buffer): IterableIterator<StoredRow> {
    const where = ['table_id = ?', 'pk = ?'];
    const params: unknown[] = [table.id, partition];
    if (range.lower) {
      where.push(range.lower.inclusive ? 'sk >= ?' : 'sk > ?');
      params.push(range.lower.bytes);
    }
    if (range.upper) {
      where.push(range.upper.inclusive ? 'sk <= ?' : 'sk < ?');
      params.push(range.upper.bytes);
    }
    if (startAfter) {
      where.push(forward ? 'sk > ?' : 'sk < ?');
      params.push(startAfter);
    }
    return this.rangeStatement(`${where.join(' AND ')} ORDER BY sk ${forward ? 'ASC' : 'DESC'}`).iterate(...params);
  }

  /** Every row of the table in primary-key order, strictly after `startAfter` when given (Scan). */
  tableRows(table: Table, startAfter?: { pk: Buffer; sk: Buffer }): IterableIterator<StoredRow> {
    if (!startAfter) return this.rangeStatement('table_id = ? ORDER BY pk, sk').iterate(table.id);
    return this.rangeStatement('table_id = ? AND (pk, sk) > (?, ?) ORDER BY pk, sk').iterate(table.id, startAfter.pk, startAfter.sk);
  }

  /** Up to `limit` rows of the table in primary-key order, strictly after `startAfter` (reads that write as they go). */
  tableRowPage(table: Table, startAfter: { pk: Buffer; sk: Buffer } | undefined, limit: number): StoredRow[] {
    if (!startAfter) return this.rangeStatement('table_id = ? ORDER BY pk, sk LIMIT ?').all(table.id, limit);
    return this.rangeStatement('table_id = ? AND (pk, sk) > (?, ?) ORDER BY pk, sk LIMIT ?').all(table.id, startAfter.pk, startAfter.sk, limit);
  }

  private rangeStatement(clause: string): Database.Statement<unknown[], StoredRow> {
    let statement = this.rangeStatements.get(clause);
    if (!statement) {
      statement = this.db.prepare<unknown[], StoredRow>(`SELECT pk, sk, item, size FROM ddb_items WHERE ${clause}`);
      this.rangeStatements.set(clause, statement);
    }
    return statement;
  }

  /** Item count and total item bytes, computed on demand. */
  stats(table: Table): { itemCount: number; sizeBytes: number } {
    const row = this.countItems.get(table.id)!;
    return { itemCount: row.count, sizeBytes: row.bytes ?? 0 };
  }
}

function keyBytes(value: AttributeValue): string {
  return (value.S ?? value.N ?? value.B)!;
}

export function encodedKey(table: Table, key: Item): [Buffer, Buffer] {
  const pk = encodeKey(table.hashKey.type, keyBytes(key[table.hashKey.name]!));
  const sk = table.rangeKey ? encodeKey(table.rangeKey.type, keyBytes(key[table.rangeKey.name]!)) : EMPTY;
  return [pk, sk];
}
