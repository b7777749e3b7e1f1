/**
 * ConsumedCapacity with secondary indexes. TOTAL folds the indexes into
 * CapacityUnits; INDEXES also breaks it down into Table and the
 * GlobalSecondaryIndexes / LocalSecondaryIndexes maps, naming only the
 * indexes the operation touched.
 */
import type { ReturnConsumedCapacity } from '../capacity.js';
import type { WriteReport } from '../item-store.js';
import type { Table } from '../table-catalog.js';
import type { IndexCharge } from './maintain.js';
import type { SecondaryIndex } from './schema.js';

type CapacityMap = Record<string, { CapacityUnits: number }>;

function build(table: Table, tableUnits: number, charges: readonly IndexCharge[], mode: ReturnConsumedCapacity): Record<string, unknown> {
  const total = charges.reduce((sum, charge) => sum + charge.units, tableUnits);
  if (mode === 'TOTAL') return { ConsumedCapacity: { TableName: table.description.TableName, CapacityUnits: total } };
  if (mode !== 'INDEXES') return {};
  const globals: CapacityMap = {};
  const locals: CapacityMap = {};
  for (const charge of charges) {
    const map = charge.global ? globals : locals;
    map[charge.index] = { CapacityUnits: (map[charge.index]?.CapacityUnits ?? 0) + charge.units };
  }
  return {
    ConsumedCapacity: {
      TableName: table.description.TableName,
      CapacityUnits: total,
      Table: { CapacityUnits: tableUnits },
      ...(Object.keys(locals).length > 0 ? { LocalSecondaryIndexes: locals } : {}),
      ...(Object.keys(globals).length > 0 ? { GlobalSecondaryIndexes: globals } : {}),
    },
  };
}

/**
 * The ConsumedCapacity member of a write's response: the table's units plus
 * what `ItemStore.write` reported for the indexes (pass no report when nothing
 * was written, e.g. a failed condition or a delete of a missing item).
 */
export function writeConsumedCapacity(table: Table, tableUnits: number, report: WriteReport | undefined, mode: ReturnConsumedCapacity): Record<string, unknown> {
  return build(table, tableUnits, report?.indexCharges ?? [], mode);
}

/** The ConsumedCapacity member of a Query or Scan on an index: the index read plus any table fetches. */
export function indexReadConsumedCapacity(table: Table, index: SecondaryIndex, indexUnits: number, tableUnits: number, mode: ReturnConsumedCapacity): Record<string, unknown> {
  return build(table, tableUnits, [{ index: index.name, global: index.global, units: indexUnits }], mode);
}
