import { AwsError } from '../../edge/errors.js';
import { consumedCapacity, readUnits, type ReturnConsumedCapacity } from '../capacity.js';
import type { DynamoContext } from '../context.js';
import { compileExpressions, type ExpressionRequest } from '../expressions/index.js';
import { compileExpected } from '../expressions/legacy.js';
import { exclusiveStartKey } from '../exclusive-start-key.js';
import { checkIndexStartKey, checkSelectOnIndex, indexStartPosition, readIndexPage, resolveReadIndex } from '../indexes/read.js';
import type { ItemRow, StoredRow } from '../item-store.js';
import type { IndexRow } from '../indexes/index-store.js';
import { answerPage, checkSelect, type Select } from '../read-page.js';
import { requireActiveTable } from '../require-table.js';
import { keyOf, type Table } from '../table-catalog.js';
import type { Condition, Projection } from '../expressions/index.js';

interface ScanInput extends ExpressionRequest {
  TableName: string;
  IndexName?: string;
  Select?: Select;
  Limit?: number;
  ConsistentRead?: boolean;
  ExclusiveStartKey?: unknown;
  ScanFilter?: unknown;
  Segment?: number;
  TotalSegments?: number;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
}

/** Reads the whole table in key order, one page at a time; parallel scans split it by partition key. */
export function Scan(input: ScanInput, ctx: DynamoContext): unknown {
  // Scan checks attribute values in DynamoDB's older layer (Parity Suite valueLayers.test.ts).
  const compiled = compileExpressions(input, { keyAttributeNames: [], operation: 'Scan', valueLayer: 'older' });
  const filter = compiled.filter ?? compileExpected(input.ScanFilter, input.ConditionalOperator, 'older');
  checkSegments(input.Segment, input.TotalSegments);
  checkSelect(input.Select, compiled.projection, input, input.IndexName);

  const table = requireActiveTable(ctx, input.TableName);
  if (input.IndexName !== undefined) return scanIndex(ctx, table, input.IndexName, input, filter, compiled.projection);
  const start = exclusiveStartKey(table, input.ExclusiveStartKey, 'older');
  // Only a parallel scan needs each row's partition key (to pick its segment).
  const rows: Iterable<ItemRow> =
    input.TotalSegments !== undefined ? inSegment(ctx.items.tableRows(table, start), input.Segment!, input.TotalSegments) : ctx.items.tableItemRows(table, start);
  return answerPage(
    rows,
    { limit: input.Limit, filter, projection: compiled.projection, countOnly: input.Select === 'COUNT', lastKeyOf: (item) => keyOf(table, item) },
    (bytesRead) => consumedCapacity(table, readUnits(bytesRead, input.ConsistentRead === true), input.ReturnConsumedCapacity),
  );
}

/** Scan of a secondary index: its entries in index key order, then table key order. */
function scanIndex(ctx: DynamoContext, table: Table, indexName: string, input: ScanInput, filter: Condition | undefined, projection: Projection | undefined): unknown {
  const consistent = input.ConsistentRead === true;
  const index = resolveReadIndex(ctx, table, indexName, consistent);
  const startKey = checkIndexStartKey(table, index, input.ExclusiveStartKey, 'older');
  checkSelectOnIndex(index, input.Select);
  const start = startKey && indexStartPosition(table, index, startKey);
  let entries: Iterable<IndexRow> = ctx.items.indexes.all(table, index.name, start);
  if (input.TotalSegments !== undefined) entries = inSegment(entries, input.Segment!, input.TotalSegments);
  return readIndexPage(ctx, table, index, entries, input, filter, projection);
}

function checkSegments(segment: number | undefined, totalSegments: number | undefined): void {
  if (segment !== undefined && totalSegments === undefined) {
    throw new AwsError('ValidationException', 'The TotalSegments parameter is required but was not present in the request when Segment parameter is present');
  }
  if (totalSegments !== undefined && segment === undefined) {
    throw new AwsError('ValidationException', 'The Segment parameter is required but was not present in the request when parameter TotalSegments is present');
  }
  if (segment !== undefined && totalSegments !== undefined && segment >= totalSegments) {
    throw new AwsError('ValidationException', `The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${segment} is not less than TotalSegments: ${totalSegments}`);
  }
}

/** FNV-1a of the encoded partition key: every item falls in exactly one segment, stable across pages. */
export function segmentOf(partition: Buffer, totalSegments: number): number {
  let hash = 0x811c9dc5;
  for (const byte of partition) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % totalSegments;
}

function* inSegment<Row extends StoredRow>(rows: Iterable<Row>, segment: number, totalSegments: number): Generator<Row> {
  for (const row of rows) if (segmentOf(row.pk, totalSegments) === segment) yield row;
}
