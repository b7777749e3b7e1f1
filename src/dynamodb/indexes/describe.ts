import type { DynamoContext } from '../context.js';
import type { IndexStatus, Table } from '../table-catalog.js';
import type { IndexUpdateOutcome } from './global-index-updates.js';
import type { StoredGlobalSecondaryIndex } from './schema.js';

type Stats = Map<string, { itemCount: number; sizeBytes: number }>;

function describeGlobal(index: StoredGlobalSecondaryIndex, state: { status: IndexStatus; backfilling?: boolean }, stats: Stats): Record<string, unknown> {
  const counts = stats.get(index.IndexName);
  return {
    IndexName: index.IndexName,
    KeySchema: index.KeySchema,
    Projection: index.Projection,
    IndexStatus: state.status,
    ...(state.backfilling === undefined ? {} : { Backfilling: state.backfilling }),
    ProvisionedThroughput: index.ProvisionedThroughput,
    IndexSizeBytes: counts?.sizeBytes ?? 0,
    ItemCount: counts?.itemCount ?? 0,
    IndexArn: index.IndexArn,
  };
}

/**
 * The GlobalSecondaryIndexes and LocalSecondaryIndexes members of a
 * TableDescription, with counts computed on read (exact, where AWS refreshes
 * them every six hours). `creating` reports every global index CREATING, as
 * CreateTable's answer does. Indexes UpdateTable is deleting follow the
 * others, DELETING, until their transition ends.
 */
export function describeIndexes(ctx: DynamoContext, table: Table, creating: boolean): Record<string, unknown> {
  const d = table.description;
  const deleting = ctx.tables.deletingIndexes(table);
  if (!d.GlobalSecondaryIndexes && !d.LocalSecondaryIndexes && deleting.length === 0) return {};
  const stats: Stats = table.indexes.length > 0 ? ctx.items.indexes.stats(table) : new Map();
  const globals = [
    ...(d.GlobalSecondaryIndexes ?? []).map((index) =>
      describeGlobal(index, creating ? { status: 'CREATING' } : ctx.tables.indexStatus(table, index.IndexName), stats),
    ),
    ...deleting.map((index) => describeGlobal(index, { status: 'DELETING' }, stats)),
  ];
  const locals = (d.LocalSecondaryIndexes ?? []).map((index) => {
    const counts = stats.get(index.IndexName);
    return {
      IndexName: index.IndexName,
      KeySchema: index.KeySchema,
      Projection: index.Projection,
      IndexSizeBytes: counts?.sizeBytes ?? 0,
      ItemCount: counts?.itemCount ?? 0,
      IndexArn: index.IndexArn,
    };
  });
  return {
    ...(locals.length > 0 ? { LocalSecondaryIndexes: locals } : {}),
    ...(globals.length > 0 ? { GlobalSecondaryIndexes: globals } : {}),
  };
}

/**
 * UpdateTable's answer as DynamoDB gives it right after the request: a
 * created index CREATING and not yet backfilling (resource allocation), a
 * re-provisioned one UPDATING with its throughput before the change, a
 * deleted one DELETING.
 */
export function describeIndexUpdates(ctx: DynamoContext, table: Table, description: Record<string, unknown>, outcome: IndexUpdateOutcome): Record<string, unknown> {
  if (!outcome.created && !outcome.deleted && outcome.updated.size === 0) return description;
  const stats: Stats = table.indexes.length > 0 ? ctx.items.indexes.stats(table) : new Map();
  const stored = table.description.GlobalSecondaryIndexes ?? [];
  const globals = stored.map((index) => {
    if (index.IndexName === outcome.created) return describeGlobal(index, { status: 'CREATING', backfilling: false }, stats);
    const before = outcome.updated.get(index.IndexName);
    if (before) return describeGlobal({ ...index, ProvisionedThroughput: before }, { status: 'UPDATING' }, stats);
    return describeGlobal(index, ctx.tables.indexStatus(table, index.IndexName), stats);
  });
  if (outcome.deleted) globals.push(describeGlobal(outcome.deleted, { status: 'DELETING' }, stats));
  const { GlobalSecondaryIndexes: _previous, ...rest } = description;
  void _previous;
  // Keep DynamoDB's member order: the indexes follow BillingModeSummary (and LocalSecondaryIndexes).
  const ordered: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    ordered[key] = value;
    if (key === (rest.LocalSecondaryIndexes ? 'LocalSecondaryIndexes' : 'BillingModeSummary') && globals.length > 0) ordered.GlobalSecondaryIndexes = globals;
  }
  return ordered;
}
