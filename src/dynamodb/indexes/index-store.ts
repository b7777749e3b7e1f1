import type Database from 'better-sqlite3';
import type { Db } from '../../store/database.js';
import { sortKeyBounds, type SortKeyRange } from '../key-condition.js';
import type { Table } from '../table-catalog.js';

/** One stored index entry as range reads return it. */
export interface IndexRow {
  /** Encoded index partition key. */
  pk: Buffer;
  /** Encoded index sort key (empty without one). */
  sk: Buffer;
  table_pk: Buffer;
  table_sk: Buffer;
  /** The projected item (JSON). */
  item: string;
  size: number;
}

/** Where an index read resumes: strictly after this entry. */
export interface IndexPosition {
  pk: Buffer;
  sk: Buffer;
  tablePk: Buffer;
  tableSk: Buffer;
}

/**
 * The rows of `ddb_index_items` and `ddb_item_collections`. Only
 * ItemStore.write (and UpdateTable's backfill and index deletion, inside the
 * transaction that changes the table's description) change them.
 */
export class IndexStore {
  private readonly upsert;
  private readonly remove;
  private readonly dropIndex;
  private readonly counts;
  private readonly collection;
  private readonly addCollection;
  private readonly pruneCollection;
  private readonly rangeStatements = new Map<string, Database.Statement<unknown[], IndexRow>>();

  constructor(private readonly db: Db) {
    this.upsert = db.prepare<[number, string, Buffer, Buffer, Buffer, Buffer, string, number]>(
      'INSERT INTO ddb_index_items (table_id, index_name, pk, sk, table_pk, table_sk, item, size) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ' +
        'ON CONFLICT (table_id, index_name, pk, sk, table_pk, table_sk) DO UPDATE SET item = excluded.item, size = excluded.size',
    );
    this.remove = db.prepare<[number, string, Buffer, Buffer, Buffer, Buffer]>(
      'DELETE FROM ddb_index_items WHERE table_id = ? AND index_name = ? AND pk = ? AND sk = ? AND table_pk = ? AND table_sk = ?',
    );
    this.dropIndex = db.prepare<[number, string]>('DELETE FROM ddb_index_items WHERE table_id = ? AND index_name = ?');
    this.counts = db.prepare<[number], { index_name: string; count: number; bytes: number | null }>(
      'SELECT index_name, count(*) AS count, sum(size) AS bytes FROM ddb_index_items WHERE table_id = ? GROUP BY index_name',
    );
    this.collection = db.prepare<[number, Buffer], { size: number }>('SELECT size FROM ddb_item_collections WHERE table_id = ? AND pk = ?');
    this.addCollection = db.prepare<[number, Buffer, number]>(
      'INSERT INTO ddb_item_collections (table_id, pk, size) VALUES (?, ?, ?) ON CONFLICT (table_id, pk) DO UPDATE SET size = size + excluded.size',
    );
    this.pruneCollection = db.prepare<[number, Buffer]>('DELETE FROM ddb_item_collections WHERE table_id = ? AND pk = ? AND size <= 0');
  }

  put(table: Table, index: string, pk: Buffer, sk: Buffer, tablePk: Buffer, tableSk: Buffer, json: string, size: number): void {
    this.upsert.run(table.id, index, pk, sk, tablePk, tableSk, json, size);
  }

  delete(table: Table, index: string, pk: Buffer, sk: Buffer, tablePk: Buffer, tableSk: Buffer): void {
    this.remove.run(table.id, index, pk, sk, tablePk, tableSk);
  }

  /** Removes every entry of one index (UpdateTable deleting a global secondary index). */
  drop(table: Table, index: string): void {
    this.dropIndex.run(table.id, index);
  }

  /** Entry count and bytes per index, computed on demand. */
  stats(table: Table): Map<string, { itemCount: number; sizeBytes: number }> {
    const stats = new Map<string, { itemCount: number; sizeBytes: number }>();
    for (const row of this.counts.all(table.id)) stats.set(row.index_name, { itemCount: row.count, sizeBytes: row.bytes ?? 0 });
    return stats;
  }

  /** Bytes of the item collection with partition key `pk` (tables with local secondary indexes). */
  collectionSize(table: Table, pk: Buffer): number {
    return this.collection.get(table.id, pk)?.size ?? 0;
  }

  addToCollection(table: Table, pk: Buffer, delta: number): void {
    if (delta === 0) return;
    this.addCollection.run(table.id, pk, delta);
    if (delta < 0) this.pruneCollection.run(table.id, pk);
  }

  /**
   * One index partition's entries within sort-key bounds, in index sort-key
   * order and then table-key order (all reversed when `forward` is false),
   * strictly after `startAfter` when given.
   */
  partition(table: Table, index: string, partition: Buffer, range: SortKeyRange, forward: boolean, startAfter?: IndexPosition): IterableIterator<IndexRow> {
    const where = ['table_id = ?', 'index_name = ?', 'pk = ?'];
    const params: unknown[] = [table.id, index, partition];
    sortKeyBounds(range, where, params);
    if (startAfter) {
      where.push(forward ? '(sk, table_pk, table_sk) > (?, ?, ?)' : '(sk, table_pk, table_sk) < (?, ?, ?)');
      params.push(startAfter.sk, startAfter.tablePk, startAfter.tableSk);
    }
    const order = forward ? 'ASC' : 'DESC';
    return this.rangeStatement(`${where.join(' AND ')} ORDER BY sk ${order}, table_pk ${order}, table_sk ${order}`).iterate(...params);
  }

  /** Every entry of an index in index-key order, strictly after `startAfter` when given (Scan). */
  all(table: Table, index: string, startAfter?: IndexPosition): IterableIterator<IndexRow> {
    const order = 'ORDER BY pk, sk, table_pk, table_sk';
    if (!startAfter) return this.rangeStatement(`table_id = ? AND index_name = ? ${order}`).iterate(table.id, index);
    return this.rangeStatement(`table_id = ? AND index_name = ? AND (pk, sk, table_pk, table_sk) > (?, ?, ?, ?) ${order}`).iterate(
      table.id,
      index,
      startAfter.pk,
      startAfter.sk,
      startAfter.tablePk,
      startAfter.tableSk,
    );
  }

  private rangeStatement(clause: string): Database.Statement<unknown[], IndexRow> {
    let statement = this.rangeStatements.get(clause);
    if (!statement) {
      statement = this.db.prepare<unknown[], IndexRow>(`SELECT pk, sk, table_pk, table_sk, item, size FROM ddb_index_items WHERE ${clause}`);
      this.rangeStatements.set(clause, statement);
    }
    return statement;
  }
}
