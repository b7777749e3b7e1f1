import { AwsError } from '../../edge/errors.js';
import type { DynamoContext } from '../context.js';
import { invalidParameters, unsupported } from '../errors.js';
import { requireTable } from '../require-table.js';
import type { StoredTableDescription } from '../table-catalog.js';
import { describeTable } from '../table-description.js';

interface UpdateTableInput {
  TableName: string;
  BillingMode?: 'PROVISIONED' | 'PAY_PER_REQUEST';
  ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  DeletionProtectionEnabled?: boolean;
  TableClass?: string;
  AttributeDefinitions?: unknown;
  StreamSpecification?: unknown;
  GlobalSecondaryIndexUpdates?: unknown;
  SSESpecification?: unknown;
  ReplicaUpdates?: unknown;
  OnDemandThroughput?: unknown;
  WarmThroughput?: unknown;
  MultiRegionConsistency?: unknown;
  GlobalTableWitnessUpdates?: unknown;
}

export function UpdateTable(input: UpdateTableInput, ctx: DynamoContext): unknown {
  const table = requireTable(ctx, input.TableName);
  for (const name of ['StreamSpecification', 'GlobalSecondaryIndexUpdates', 'SSESpecification', 'ReplicaUpdates', 'OnDemandThroughput', 'WarmThroughput', 'MultiRegionConsistency', 'GlobalTableWitnessUpdates', 'AttributeDefinitions'] as const) {
    if (input[name] !== undefined) throw unsupported(`${name} in UpdateTable`);
  }
  if (input.BillingMode === undefined && input.ProvisionedThroughput === undefined && input.DeletionProtectionEnabled === undefined && input.TableClass === undefined) {
    throw new AwsError('ValidationException', 'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required');
  }
  const status = ctx.tables.status(table);
  if (status !== 'ACTIVE') {
    throw new AwsError('ResourceInUseException', `Attempt to change a resource which is still in use: Table is being ${status === 'CREATING' ? 'created' : 'updated'}: ${table.description.TableName}`);
  }

  const current = table.description;
  const next: StoredTableDescription = structuredClone(current);
  const now = ctx.clock.now() / 1000;
  const mode = input.BillingMode ?? current.BillingModeSummary.BillingMode;

  if (mode === 'PAY_PER_REQUEST') {
    if (input.ProvisionedThroughput) {
      throw invalidParameters('Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
    }
    if (current.BillingModeSummary.BillingMode !== 'PAY_PER_REQUEST') {
      next.BillingModeSummary = { BillingMode: 'PAY_PER_REQUEST', LastUpdateToPayPerRequestDateTime: now };
      next.ProvisionedThroughput = { NumberOfDecreasesToday: current.ProvisionedThroughput.NumberOfDecreasesToday, ReadCapacityUnits: 0, WriteCapacityUnits: 0 };
    }
  } else {
    const pt = input.ProvisionedThroughput;
    if (current.BillingModeSummary.BillingMode === 'PAY_PER_REQUEST' && !pt) {
      throw invalidParameters('ProvisionedThroughput must be specified when BillingMode is PROVISIONED');
    }
    if (pt) {
      const cur = current.ProvisionedThroughput;
      if (current.BillingModeSummary.BillingMode === 'PROVISIONED' && pt.ReadCapacityUnits === cur.ReadCapacityUnits && pt.WriteCapacityUnits === cur.WriteCapacityUnits) {
        throw new AwsError(
          'ValidationException',
          `The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: ${cur.ReadCapacityUnits}. Requested ReadCapacityUnits: ${pt.ReadCapacityUnits}. Current WriteCapacityUnits provisioned for the table: ${cur.WriteCapacityUnits}. Requested WriteCapacityUnits: ${pt.WriteCapacityUnits}. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.`,
        );
      }
      const increased = pt.ReadCapacityUnits > cur.ReadCapacityUnits || pt.WriteCapacityUnits > cur.WriteCapacityUnits;
      const decreased = pt.ReadCapacityUnits < cur.ReadCapacityUnits || pt.WriteCapacityUnits < cur.WriteCapacityUnits;
      next.ProvisionedThroughput = {
        ...cur,
        ReadCapacityUnits: pt.ReadCapacityUnits,
        WriteCapacityUnits: pt.WriteCapacityUnits,
        ...(increased ? { LastIncreaseDateTime: now } : {}),
        ...(decreased && current.BillingModeSummary.BillingMode === 'PROVISIONED'
          ? { LastDecreaseDateTime: now, NumberOfDecreasesToday: cur.NumberOfDecreasesToday + 1 }
          : {}),
      };
      next.BillingModeSummary = { ...current.BillingModeSummary, BillingMode: 'PROVISIONED' };
    }
  }
  if (input.DeletionProtectionEnabled !== undefined) next.DeletionProtectionEnabled = input.DeletionProtectionEnabled;
  if (input.TableClass !== undefined) next.TableClassSummary = { TableClass: input.TableClass, LastUpdateDateTime: now };

  const updated = ctx.tables.update(table, next, ctx.config.tableTransitionMs);
  return { TableDescription: describeTable(ctx, updated, 'UPDATING') };
}
