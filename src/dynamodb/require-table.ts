import type { DynamoContext } from './context.js';
import { resourceNotFound, tableNotFound } from './errors.js';
import type { Table } from './table-catalog.js';

/** For control-plane operations: any existing table, or "Table: X not found". */
export function requireTable(ctx: DynamoContext, tableName: string): Table {
  const table = ctx.tables.find(ctx.accountId, ctx.region, tableName);
  if (!table) throw tableNotFound(ctx.tables.resolveName(ctx.accountId, ctx.region, tableName).name);
  return table;
}

/**
 * For item operations: the table must exist and be readable/writable. A table
 * still CREATING answers "Requested resource not found", as on AWS.
 */
export function requireActiveTable(ctx: DynamoContext, tableName: string): Table {
  const table = ctx.tables.find(ctx.accountId, ctx.region, tableName);
  if (!table || ctx.tables.status(table) === 'CREATING') throw resourceNotFound();
  return table;
}
