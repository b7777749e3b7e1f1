import type { DynamoContext } from './context.js';
import { describeIndexes } from './indexes/describe.js';
import type { Table, TableStatus } from './table-catalog.js';

/**
 * The TableDescription AWS returns, with the figures computed on read. AWS
 * refreshes ItemCount and TableSizeBytes about every six hours; Eddy reports
 * them exactly, which no correct program can tell apart.
 */
export function describeTable(ctx: DynamoContext, table: Table, status?: TableStatus | 'DELETING'): Record<string, unknown> {
  const { itemCount, sizeBytes } = ctx.items.stats(table);
  const d = table.description;
  return {
    AttributeDefinitions: d.AttributeDefinitions,
    TableName: d.TableName,
    KeySchema: d.KeySchema,
    TableStatus: status ?? ctx.tables.status(table),
    CreationDateTime: d.CreationDateTime,
    ProvisionedThroughput: d.ProvisionedThroughput,
    TableSizeBytes: sizeBytes,
    ItemCount: itemCount,
    TableArn: d.TableArn,
    TableId: d.TableId,
    BillingModeSummary: d.BillingModeSummary,
    ...describeIndexes(ctx, table, status === 'CREATING'),
    ...(d.StreamSpecification ? { StreamSpecification: d.StreamSpecification } : {}),
    ...latestStream(ctx, table),
    ...(d.TableClassSummary ? { TableClassSummary: d.TableClassSummary } : {}),
    DeletionProtectionEnabled: d.DeletionProtectionEnabled,
  };
}

/** The newest stream of the table, kept after the stream is disabled, as AWS does. */
function latestStream(ctx: DynamoContext, table: Table): Record<string, string> {
  const stream = ctx.streams.latestStream(table.id);
  return stream ? { LatestStreamLabel: stream.label, LatestStreamArn: stream.arn } : {};
}
