import type Database from 'better-sqlite3';
import type { Clock } from '../clock.js';
import type { Db } from '../store/database.js';
import { IndexStore } from './indexes/index-store.js';
import { applyIndexWrites, checkCollectionSize, checkIndexKeys, ITEM_COLLECTION_SIZE_LIMIT, planIndexWrites, type IndexCharge, type IndexWritePlan } from './indexes/maintain.js';
import { sortKeyBounds, type SortKeyRange } from './key-condition.js';
import type { Table } from './table-catalog.js';
import type { AttributeValue, Item } from './values/attribute-value.js';
import { expiryOf } from './ttl/expiry.js';
import { itemJson } from './values/item-json.js';
import { encodeKey } from './values/key-encoding.js';

/** One change to one item, as {@link ChangeListener}s see it. */
export interface ItemChange {
  table: Table;
  key: Item;
  /** The item before the change; {@link ItemStore.overwrite} parses it from its stored JSON only when read. */
  readonly oldItem: Item | undefined;
  newItem: Item | undefined;
  /** Set for deletes made by the service itself (TTL), not by a caller. */
  byService?: boolean;
  /** True when none of newItem's strings needs escaping in JSON (values/item-json.ts): a put's item from a request body without a backslash. */
  plainStrings?: boolean;
}

/** A change as listeners see it: with the new item's JSON and size as written (undefined for a delete). */
export interface WrittenChange extends ItemChange {
  readonly newStored: StoredItem | undefined;
}

/**
 * Called inside the write's transaction, so whatever a listener stores
 * commits or rolls back together with the item. Stream capture does not use
 * listeners (it is in SQLite: {@link WriteObserver}); tests observe writes
 * through them.
 */
export type ChangeListener = (change: WrittenChange) => void;

/**
 * Told of every write before it is made, and of rollbacks: stream capture
 * (src/streams/streams-engine.ts), whose SQLite triggers append each
 * change's record in the write's own statement and need things ready first.
 */
export interface WriteObserver {
  /**
   * Before a write to `table` (outside any statement of it: may read and
   * write the database); `byService` for TTL deletes. True when the table's
   * changes are captured: its rows are then written with their canonical
   * text (values/item-json.ts) and the position and time their record takes.
   */
  beforeWrite(table: Table, byService: boolean): boolean;
  /**
   * The position (shard and sequence number) the record of a put to the
   * captured table's row (pk, sk) takes if the put appends one. Taken for
   * every such put: one that changes nothing leaves a gap in the sequence
   * numbers, as AWS's have gaps.
   */
  recordPosition(table: Table, pk: Buffer, sk: Buffer): number | bigint;
  /** The time of the records appended now (Eddy's clock, epoch ms). */
  recordTime(): number;
  /** After a transaction of the store rolled back (what `beforeWrite` did in it is undone). */
  afterRollback(): void;
}

/** Which tables a listener observes: it sees the changes of those only. */
export type ObservedTables = (table: Table) => boolean;

/** An item's JSON as stored, and its size by DynamoDB's rules (`itemSize` of that item). */
export interface StoredItem {
  readonly item: string;
  readonly size: number;
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

/** A stored item's JSON and size: what Query's page reader needs. */
export type ItemRow = Pick<StoredRow, 'item' | 'size'>;

/** A stored item as range reads return it: encoded key, JSON, size. */
export interface StoredRow {
  pk: Buffer;
  sk: Buffer;
  item: string;
  size: number;
}

/** A put {@link ItemStore.putBlindAll} makes: the item, its size and its key as {@link encodedKey} encodes it. */
export interface BlindPut {
  readonly pk: Buffer;
  readonly sk: Buffer;
  readonly item: Item;
  readonly size: number;
  /** As {@link ItemChange.plainStrings}. */
  readonly plainStrings?: boolean;
}

const EMPTY = Buffer.alloc(0);
/** Rows one upsert statement of {@link ItemStore.putBlindAll} writes at most: a batch's 25 puts in one. */
const MAX_UPSERT_ROWS = 25;
const UPSERT_COLUMNS = 'INSERT INTO ddb_items (table_id, pk, sk, item, size, expires_at, stream_pos, stream_at) VALUES ';
const UPSERT_CONFLICT =
  ' ON CONFLICT (table_id, pk, sk) DO UPDATE SET item = excluded.item, size = excluded.size, expires_at = excluded.expires_at, stream_pos = excluded.stream_pos, stream_at = excluded.stream_at';
const wallClock: Clock = { now: () => Date.now() };

/**
 * Items on disk. Every write path (PutItem, UpdateItem, DeleteItem, batches,
 * transactions, PartiQL and TTL) goes through `write`; puts that need nothing
 * of the item they replace take its shortcuts `overwrite` (the replaced item
 * is parsed only if a listener reads it) and `putBlind` (not read at all, when
 * no listener observes the table and it has no index). Each tells the
 * {@link WriteObserver} first: stream capture's triggers see every row change
 * whichever path made it.
 */
export class ItemStore {
  private readonly listeners: { readonly listener: ChangeListener; readonly observes?: ObservedTables }[] = [];
  private observer: WriteObserver | undefined;
  private readonly selectItem;
  private readonly upsertItem;
  /** Multi-row upserts by row count and kind of table ({@link upsertStatement}), prepared when first needed. */
  private readonly upsertRows: Database.Statement<unknown[]>[] = [];
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
    this.inTransaction = <T>(fn: () => T): T => {
      try {
        return runner(fn) as T;
      } catch (error) {
        this.observer?.afterRollback();
        throw error;
      }
    };
    this.selectItem = db.prepare<[number, Buffer, Buffer], StoredItem>('SELECT item, size FROM ddb_items WHERE table_id = ? AND pk = ? AND sk = ?');
    this.upsertItem = db.prepare<[number, Buffer, Buffer, string, number, number | null, number | bigint | null, number | null]>(`${UPSERT_COLUMNS}(?, ?, ?, ?, ?, ?, ?, ?)${UPSERT_CONFLICT}`);
    this.deleteItem = db.prepare<[number, Buffer, Buffer]>('DELETE FROM ddb_items WHERE table_id = ? AND pk = ? AND sk = ?');
    this.countItems = db.prepare<[number], { count: number; bytes: number | null }>('SELECT count(*) AS count, sum(size) AS bytes FROM ddb_items WHERE table_id = ?');
    this.indexes = new IndexStore(db);
  }

  /**
   * Calls `listener` with every change to the tables it `observes` (every
   * table when not given), inside the write's transaction. A listener that
   * observes only some tables lets writes to the others skip what only it
   * would need: a put then need not read the item it replaces ({@link putBlind}).
   */
  onChange(listener: ChangeListener, observes?: ObservedTables): void {
    this.listeners.push(observes ? { listener, observes } : { listener });
  }

  /** Sets the one {@link WriteObserver} (stream capture). */
  observeWrites(observer: WriteObserver): void {
    this.observer = observer;
  }

  /**
   * Whether writes to `table` must know the item they replace: to update its
   * secondary index entries, or for a listener that observes the table.
   */
  needsReplacedItem(table: Table): boolean {
    return table.indexes.length > 0 || this.listeners.some(({ observes }) => !observes || observes(table));
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

  /** The stored item with this (validated) key and its size as stored with it (DynamoDB's count), or undefined. */
  getSized(table: Table, key: Item): { item: Item; size: number } | undefined {
    const row = this.selectItem.get(table.id, ...encodedKey(table, key));
    return row ? { item: JSON.parse(row.item) as Item, size: row.size } : undefined;
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
    const captured = this.observer?.beforeWrite(table, change.byService === true) === true;
    const [pk, sk] = encodedKey(table, change.key);
    // Serialised once: the row stores this text and listeners copy it.
    const written: WrittenChange = { ...change, newStored: change.newItem && { item: itemJson(change.newItem, change.plainStrings, captured ? table : undefined), size: newSize } };
    if (table.indexes.length === 0) return this.store(written, pk, sk, undefined, 0, captured);
    if (change.newItem) checkIndexKeys(table, change.newItem);
    // The stored row, not the caller's copy, decides which entries to replace.
    const stored = this.selectItem.get(table.id, pk, sk);
    return this.store(written, pk, sk, stored ? (JSON.parse(stored.item) as Item) : undefined, stored?.size ?? 0, captured);
  }

  /**
   * Replaces the item with `key` by `item` for a caller that needs nothing of
   * the item it replaces but its size (PutItem without a condition or
   * ReturnValues, BatchWriteItem's puts), and returns that size as stored.
   * Listeners still get the old item: the stored JSON is parsed only if one
   * reads it. Call inside `transaction`; refusals as for {@link write}.
   * `plainStrings` as {@link ItemChange.plainStrings}.
   */
  overwrite(table: Table, key: Item, item: Item, size: number, plainStrings?: boolean): { oldSize: number; report: WriteReport } {
    const captured = this.observer?.beforeWrite(table, false) === true;
    const [pk, sk] = encodedKey(table, key);
    const stored = this.selectItem.get(table.id, pk, sk);
    let old: Item | undefined;
    let parsed = stored === undefined;
    const change: WrittenChange = {
      table,
      key,
      get oldItem() {
        if (!parsed) {
          old = JSON.parse(stored!.item) as Item;
          parsed = true;
        }
        return old;
      },
      newItem: item,
      newStored: { item: itemJson(item, plainStrings, captured ? table : undefined), size },
    };
    if (table.indexes.length > 0) checkIndexKeys(table, item);
    const oldSize = stored?.size ?? 0;
    return { oldSize, report: this.store(change, pk, sk, table.indexes.length > 0 ? change.oldItem : undefined, oldSize, captured) };
  }

  /**
   * The write itself, once the key is encoded and (on a table with
   * secondary indexes) the new item's index keys are checked: `storedItem`
   * and `storedSize` are the row being replaced, read only for indexes.
   */
  private store(change: WrittenChange, pk: Buffer, sk: Buffer, storedItem: Item | undefined, storedSize: number, captured: boolean): WriteReport {
    const { table, newItem, newStored } = change;
    let plan: IndexWritePlan | undefined;
    if (table.indexes.length > 0) {
      plan = planIndexWrites(table, storedItem, storedSize, newItem, newStored?.size ?? 0);
      if (table.hasLocalIndexes) checkCollectionSize(this.indexes, table, pk, plan.collectionDelta, this.itemCollectionSizeLimit);
    }
    if (newItem && newStored) this.upsert(table, pk, sk, newItem, newStored, captured);
    else this.deleteItem.run(table.id, pk, sk);
    if (plan) applyIndexWrites(this.indexes, table, pk, sk, plan);
    for (const { listener, observes } of this.listeners) if (!observes || observes(table)) listener(change);
    return plan ? { indexCharges: plan.charges } : NO_INDEX_WRITES;
  }

  /**
   * PutItem's hot path: writes `item` over whatever `key` holds without
   * reading it, in one statement (its own transaction unless inside one), for
   * a caller that needs nothing of the replaced item. Only for a table where
   * the store needs nothing of it either: {@link needsReplacedItem} false, so
   * there are no index entries to update and no listener to tell.
   * `plainStrings` as {@link ItemChange.plainStrings}.
   */
  putBlind(table: Table, key: Item, item: Item, size: number, plainStrings?: boolean): void {
    if (this.needsReplacedItem(table)) throw new Error(`putBlind on table ${table.description.TableName}, whose writes need the item they replace`);
    const captured = this.observer?.beforeWrite(table, false) === true;
    const [pk, sk] = encodedKey(table, key);
    this.upsertBlind(table, [{ pk, sk, item, size, plainStrings }], 0, 1, captured);
  }

  /**
   * {@link putBlind} for several items of one table (BatchWriteItem's puts),
   * written in that order with one statement per 25: a put of a key written
   * before in `puts` replaces it, as separate puts would.
   */
  putBlindAll(table: Table, puts: readonly BlindPut[]): void {
    if (this.needsReplacedItem(table)) throw new Error(`putBlindAll on table ${table.description.TableName}, whose writes need the item they replace`);
    const captured = this.observer?.beforeWrite(table, false) === true;
    for (let start = 0; start < puts.length; start += MAX_UPSERT_ROWS) this.upsertBlind(table, puts, start, Math.min(start + MAX_UPSERT_ROWS, puts.length), captured);
  }

  /** Writes `puts[start..end)` (at most {@link MAX_UPSERT_ROWS}) with one statement; `captured`: canonical, with their records' positions. */
  private upsertBlind(table: Table, puts: readonly BlindPut[], start: number, end: number, captured: boolean): void {
    const hasSortKey = table.rangeKey !== undefined;
    const expires = table.ttlAttribute !== undefined;
    const params: unknown[] = [];
    for (let i = start; i < end; i++) {
      const { pk, sk, item, size, plainStrings } = puts[i]!;
      params.push(table.id, pk);
      if (hasSortKey) params.push(sk);
      params.push(itemJson(item, plainStrings, captured ? table : undefined), size);
      if (expires) params.push(this.expiresAt(table, item));
      if (captured) params.push(this.observer!.recordPosition(table, pk, sk), this.observer!.recordTime());
    }
    this.upsertStatement(end - start, hasSortKey, expires, captured).run(params);
  }

  /**
   * The upsert of `rows` rows, prepared once per row count and kind of table.
   * Fewer values to bind: a table without a sort key has the empty one, a
   * table without TTL no expiry, a table without a stream no record
   * position and time, written as constants.
   */
  private upsertStatement(rows: number, hasSortKey: boolean, expires: boolean, captured: boolean): Database.Statement<unknown[]> {
    const index = ((rows * 2 + (hasSortKey ? 1 : 0)) * 2 + (expires ? 1 : 0)) * 2 + (captured ? 1 : 0);
    let statement = this.upsertRows[index];
    if (!statement) {
      const row = `(?, ?, ${hasSortKey ? '?' : "X''"}, ?, ?, ${expires ? '?' : 'NULL'}, ${captured ? '?, ?' : 'NULL, NULL'})`;
      statement = this.db.prepare<unknown[]>(UPSERT_COLUMNS + new Array<string>(rows).fill(row).join(', ') + UPSERT_CONFLICT);
      this.upsertRows[index] = statement;
    }
    return statement;
  }

  /**
   * Stores `item` as `stored` (its JSON and size), recording when it expires
   * on a table with TTL enabled; `captured`: with the position and time of
   * the record the capture trigger appends if the item changed.
   */
  private upsert(table: Table, pk: Buffer, sk: Buffer, item: Item, stored: StoredItem, captured: boolean): void {
    const expiresAt = this.expiresAt(table, item);
    if (captured) this.upsertItem.run(table.id, pk, sk, stored.item, stored.size, expiresAt, this.observer!.recordPosition(table, pk, sk), this.observer!.recordTime());
    else this.upsertItem.run(table.id, pk, sk, stored.item, stored.size, expiresAt, null, null);
  }

  /** When `item` expires (epoch seconds) on a table with TTL enabled, else null. */
  private expiresAt(table: Table, item: Item): number | null {
    const ttl = table.ttlAttribute;
    return ttl === undefined ? null : expiryOf(item[ttl], this.clock.now());
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
  partitionRows(table: Table, partition: Buffer, range: SortKeyRange, forward: boolean, startAfter?: Buffer): IterableIterator<ItemRow> {
    const where = ['table_id = ?', 'pk = ?'];
    const params: unknown[] = [table.id, partition];
    sortKeyBounds(range, where, params);
    if (startAfter) {
      where.push(forward ? 'sk > ?' : 'sk < ?');
      params.push(startAfter);
    }
    // Only item and size: the key BLOBs would be copied into new Buffers per row and never used.
    return this.rangeStatement(`${where.join(' AND ')} ORDER BY sk ${forward ? 'ASC' : 'DESC'}`, 'item, size').iterate(...params);
  }

  /** Every row of the table in primary-key order, strictly after `startAfter` when given (Scan). */
  tableRows(table: Table, startAfter?: { pk: Buffer; sk: Buffer }): IterableIterator<StoredRow> {
    if (!startAfter) return this.rangeStatement('table_id = ? ORDER BY pk, sk').iterate(table.id);
    return this.rangeStatement('table_id = ? AND (pk, sk) > (?, ?) ORDER BY pk, sk').iterate(table.id, startAfter.pk, startAfter.sk);
  }

  /** Like `tableRows`, without the key BLOBs (a Scan page that does not split segments never reads them). */
  tableItemRows(table: Table, startAfter?: { pk: Buffer; sk: Buffer }): IterableIterator<ItemRow> {
    if (!startAfter) return this.rangeStatement('table_id = ? ORDER BY pk, sk', 'item, size').iterate(table.id);
    return this.rangeStatement('table_id = ? AND (pk, sk) > (?, ?) ORDER BY pk, sk', 'item, size').iterate(table.id, startAfter.pk, startAfter.sk);
  }

  /** Up to `limit` rows of the table in primary-key order, strictly after `startAfter` (reads that write as they go). */
  tableRowPage(table: Table, startAfter: { pk: Buffer; sk: Buffer } | undefined, limit: number): StoredRow[] {
    if (!startAfter) return this.rangeStatement('table_id = ? ORDER BY pk, sk LIMIT ?').all(table.id, limit);
    return this.rangeStatement('table_id = ? AND (pk, sk) > (?, ?) ORDER BY pk, sk LIMIT ?').all(table.id, startAfter.pk, startAfter.sk, limit);
  }

  private rangeStatement(clause: string, columns = 'pk, sk, item, size'): Database.Statement<unknown[], StoredRow> {
    const sql = `SELECT ${columns} FROM ddb_items WHERE ${clause}`;
    let statement = this.rangeStatements.get(sql);
    if (!statement) {
      statement = this.db.prepare<unknown[], StoredRow>(sql);
      this.rangeStatements.set(sql, statement);
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
