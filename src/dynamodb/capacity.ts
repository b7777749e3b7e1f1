import type { Table } from './table-catalog.js';

export type ReturnConsumedCapacity = 'INDEXES' | 'TOTAL' | 'NONE' | undefined;

const WRITE_UNIT_BYTES = 1024;
const READ_UNIT_BYTES = 4096;

/**
 * Write capacity units: one per started KB of the larger of the item before and
 * after the write, at least one (a failed condition or a missing item still costs one).
 */
export function writeUnits(oldSize: number, newSize: number): number {
  return Math.max(1, Math.ceil(Math.max(oldSize, newSize) / WRITE_UNIT_BYTES));
}

/** Read capacity units: one per started 4 KB, at least one; half for eventually consistent reads. */
export function readUnits(size: number, consistent: boolean): number {
  const units = Math.max(1, Math.ceil(size / READ_UNIT_BYTES));
  return consistent ? units : units / 2;
}

/** The ConsumedCapacity member of a single-table response, or nothing for NONE. */
export function consumedCapacity(table: Table, units: number, mode: ReturnConsumedCapacity): Record<string, unknown> {
  if (mode === 'TOTAL') return { ConsumedCapacity: { TableName: table.description.TableName, CapacityUnits: units } };
  if (mode === 'INDEXES') return { ConsumedCapacity: { TableName: table.description.TableName, CapacityUnits: units, Table: { CapacityUnits: units } } };
  return {};
}
