import { AwsError } from '../../edge/errors.js';
import type { DynamoContext } from '../context.js';
import { invalidParameters, unsupported } from '../errors.js';
import { requireTable } from '../require-table.js';
import type { KeyType, StoredTableDescription } from '../table-catalog.js';
import { describeTable } from '../table-description.js';
import { describeIndexUpdates } from '../indexes/describe.js';
import {
  applyIndexStorage,
  applyIndexUpdates,
  checkIndexUpdateRequest,
  hasIndexUpdates,
  startIndexTransitions,
  type GlobalSecondaryIndexUpdate,
} from '../indexes/global-index-updates.js';
import { checkUpdateStreamSpecification, type StreamSpecification } from '../stream-specification.js';
import type { StreamViewType } from '../../streams/stream-record.js';

interface UpdateTableInput {
  TableName: string;
  BillingMode?: 'PROVISIONED' | 'PAY_PER_REQUEST';
  ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  DeletionProtectionEnabled?: boolean;
  TableClass?: string;
  AttributeDefinitions?: { AttributeName: string; AttributeType: KeyType }[];
  StreamSpecification?: StreamSpecification;
  GlobalSecondaryIndexUpdates?: GlobalSecondaryIndexUpdate[];
  SSESpecification?: unknown;
  ReplicaUpdates?: unknown;
  OnDemandThroughput?: unknown;
  WarmThroughput?: unknown;
  MultiRegionConsistency?: unknown;
  GlobalTableWitnessUpdates?: unknown;
}

export function UpdateTable(input: UpdateTableInput, ctx: DynamoContext): unknown {
  const table = requireTable(ctx, input.TableName);
  // AttributeDefinitions only matter to a GlobalSecondaryIndexUpdates Create; DynamoDB ignores them otherwise.
  for (const name of ['SSESpecification', 'ReplicaUpdates', 'OnDemandThroughput', 'WarmThroughput', 'MultiRegionConsistency', 'GlobalTableWitnessUpdates'] as const) {
    if (input[name] !== undefined) throw unsupported(`${name} in UpdateTable`);
  }
  if (
    input.BillingMode === undefined &&
    input.ProvisionedThroughput === undefined &&
    input.DeletionProtectionEnabled === undefined &&
    input.TableClass === undefined &&
    input.StreamSpecification === undefined &&
    !hasIndexUpdates(input)
  ) {
    throw new AwsError('ValidationException', 'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required');
  }
  const status = ctx.tables.status(table);
  if (status !== 'ACTIVE') {
    throw new AwsError('ResourceInUseException', `Attempt to change a resource which is still in use: Table is being ${status === 'CREATING' ? 'created' : 'updated'}: ${table.description.TableName}`);
  }
  checkIndexUpdateRequest(input);

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
  const streamChange = input.StreamSpecification && checkUpdateStreamSpecification(input.StreamSpecification, current.StreamSpecification, current.TableName);
  if (streamChange) {
    if ('enable' in streamChange) next.StreamSpecification = { StreamEnabled: true, StreamViewType: streamChange.enable };
    else delete next.StreamSpecification;
  }
  if (input.TableClass !== undefined) next.TableClassSummary = { TableClass: input.TableClass, LastUpdateDateTime: now };
  const indexUpdates = applyIndexUpdates(table, input, next, current.BillingModeSummary.BillingMode, now);

  // The new description and the index entries it implies (backfill, removal) commit together.
  const updated = ctx.items.transaction(() => {
    const updated = ctx.tables.update(table, next, ctx.config.tableTransitionMs);
    applyIndexStorage(ctx.items, updated, indexUpdates);
    return updated;
  });
  startIndexTransitions(ctx, updated, indexUpdates);
  if (streamChange && 'enable' in streamChange) ctx.streams.enable(updated, streamChange.enable as StreamViewType);
  if (streamChange && 'disable' in streamChange) ctx.streams.disable(updated.id);
  return { TableDescription: describeIndexUpdates(ctx, updated, describeTable(ctx, updated, 'UPDATING'), indexUpdates) };
}
