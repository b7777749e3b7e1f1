/**
 * ConsumedCapacity of operations that touch several tables: one entry per
 * table, in the order the request first names them.
 *
 * Batches report like single-item operations: CapacityUnits (and, for
 * INDEXES, Table.CapacityUnits). Transactions cost twice the units of the same
 * reads and writes, and report the split as well: ReadCapacityUnits and/or
 * WriteCapacityUnits next to CapacityUnits, and inside Table for INDEXES.
 * Only the kind a transaction consumed appears (Parity Suite
 * transactWriteItems "ConsumedCapacity" and issue #69: TransactWriteItems
 * reports write units only, a ConditionCheck included; a same-token replay
 * read units only; TransactGetItems read units).
 */
import { consumedCapacity, type ReturnConsumedCapacity } from '../capacity.js';
import type { Table } from '../table-catalog.js';

/** Transactional reads and writes cost twice the units of plain ones. */
export const TRANSACTION_FACTOR = 2;

interface TableUnits {
  readonly table: Table;
  read: number;
  write: number;
}

export class CapacityByTable {
  private readonly tables = new Map<number, TableUnits>();

  /** Counts a table in (from the request), so that it reports even when nothing was consumed yet. */
  private entry(table: Table): TableUnits {
    let entry = this.tables.get(table.id);
    if (!entry) this.tables.set(table.id, (entry = { table, read: 0, write: 0 }));
    return entry;
  }

  addRead(table: Table, units: number): void {
    this.entry(table).read += units;
  }

  addWrite(table: Table, units: number): void {
    this.entry(table).write += units;
  }

  /** `{ ConsumedCapacity: [...] }` as BatchGetItem and BatchWriteItem answer it, or nothing for NONE. */
  batch(mode: ReturnConsumedCapacity): { ConsumedCapacity?: unknown[] } {
    if (mode !== 'TOTAL' && mode !== 'INDEXES') return {};
    return { ConsumedCapacity: [...this.tables.values()].map(({ table, read, write }) => consumedCapacity(table, read + write, mode).ConsumedCapacity) };
  }

  /** `{ ConsumedCapacity: [...] }` as the transaction operations answer it: units as counted, split by kind. */
  transactional(mode: ReturnConsumedCapacity): { ConsumedCapacity?: unknown[] } {
    if (mode !== 'TOTAL' && mode !== 'INDEXES') return {};
    return {
      ConsumedCapacity: [...this.tables.values()].map(({ table, read, write }) => {
        const split = {
          CapacityUnits: read + write,
          ...(read > 0 ? { ReadCapacityUnits: read } : {}),
          ...(write > 0 ? { WriteCapacityUnits: write } : {}),
        };
        return { TableName: table.description.TableName, ...split, ...(mode === 'INDEXES' ? { Table: split } : {}) };
      }),
    };
  }
}
