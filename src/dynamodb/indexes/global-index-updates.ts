/**
 * UpdateTable's GlobalSecondaryIndexUpdates: creating, deleting and
 * re-provisioning global secondary indexes, with DynamoDB's rules and texts.
 *
 * Sources: captures of DynamoDB's answers (one Create or Delete per call,
 * LimitExceededException texts, "AttributeDefinitions is not specified for
 * index", the throughput rules per billing mode, the unknown-index
 * ResourceNotFoundException, AttributeDefinitions pruned when an index goes)
 * and dynalite validations/updateTable.js.
 */
import { AwsError } from '../../edge/errors.js';
import type { DynamoContext } from '../context.js';
import { invalidParameters } from '../errors.js';
import type { ItemStore } from '../item-store.js';
import type { KeyType, StoredTableDescription, Table } from '../table-catalog.js';
import {
  checkIndexKeySchema,
  checkProjection,
  MAX_GLOBAL_INDEXES,
  MAX_PROJECTED_ATTRIBUTES,
  refuseIndexThroughputModes,
  storedGlobalIndex,
  type GlobalSecondaryIndexInput,
  type ThroughputInput,
} from './definitions.js';
import { backfillIndex } from './maintain.js';
import type { StoredGlobalSecondaryIndex, StoredIndexThroughput } from './schema.js';

export interface GlobalSecondaryIndexUpdate {
  Create?: GlobalSecondaryIndexInput;
  Update?: { IndexName: string; ProvisionedThroughput?: ThroughputInput; OnDemandThroughput?: unknown; WarmThroughput?: unknown };
  Delete?: { IndexName: string };
}

/** The members of an UpdateTable request that GlobalSecondaryIndexUpdates interact with. */
export interface IndexUpdateRequest {
  AttributeDefinitions?: { AttributeName: string; AttributeType: KeyType }[];
  GlobalSecondaryIndexUpdates?: GlobalSecondaryIndexUpdate[];
  ProvisionedThroughput?: unknown;
  StreamSpecification?: unknown;
  DeletionProtectionEnabled?: boolean;
  TableClass?: string;
}

/** What the updates did, for the response and for what happens after the write. */
export interface IndexUpdateOutcome {
  created?: string;
  deleted?: StoredGlobalSecondaryIndex;
  /** Re-provisioned indexes and their throughput before (UpdateTable's answer still shows it). */
  updated: Map<string, StoredIndexThroughput>;
}

const limitExceeded = (detail: string): AwsError => new AwsError('LimitExceededException', `Subscriber limit exceeded: ${detail}`);

/** Whether the request carries at least one index update (an empty list counts as none). */
export const hasIndexUpdates = (input: IndexUpdateRequest): boolean => (input.GlobalSecondaryIndexUpdates?.length ?? 0) > 0;

/**
 * The checks on the shape of GlobalSecondaryIndexUpdates and on what may
 * accompany it, made before the table's own changes.
 */
export function checkIndexUpdateRequest(input: IndexUpdateRequest): void {
  const updates = input.GlobalSecondaryIndexUpdates;
  if (updates === undefined) return;
  if (updates.length === 0) throw invalidParameters('List of GlobalSecondaryIndexUpdates is empty');
  const names = new Set<string>();
  for (const update of updates) {
    const actions = [update.Create, update.Update, update.Delete].filter((a) => a !== undefined);
    if (actions.length === 0) {
      throw invalidParameters('One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null');
    }
    if (actions.length > 1) throw invalidParameters('Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate object');
    const name = actions[0]!.IndexName;
    if (names.has(name)) throw invalidParameters(`Only one global secondary index update per index is allowed simultaneously. Index: ${name}`);
    names.add(name);
  }
  const createsOrDeletes = updates.filter((u) => u.Create || u.Delete).length;
  if (createsOrDeletes > 0 && input.ProvisionedThroughput !== undefined) throw invalidParameters('You cannot create or delete index while updating table IOPS');
  if (createsOrDeletes > 0 && input.StreamSpecification !== undefined) throw invalidParameters('You cannot create or delete index while changing stream status');
  if (input.DeletionProtectionEnabled !== undefined) throw invalidParameters('DeletionProtection modification must be the only operation in the request');
  if (input.TableClass !== undefined) throw invalidParameters('TableClass modification must be the only operation in the request');
  if (createsOrDeletes > 1) throw limitExceeded('Only 1 online index can be created or deleted simultaneously per table');
}

function definitionsUsed(description: StoredTableDescription): Set<string> {
  const used = new Set(description.KeySchema.map((k) => k.AttributeName));
  for (const index of [...(description.GlobalSecondaryIndexes ?? []), ...(description.LocalSecondaryIndexes ?? [])]) {
    for (const key of index.KeySchema) used.add(key.AttributeName);
  }
  return used;
}

function throughputUpdate(current: StoredIndexThroughput, requested: ThroughputInput, name: string, now: number): StoredIndexThroughput {
  if (requested.ReadCapacityUnits === current.ReadCapacityUnits && requested.WriteCapacityUnits === current.WriteCapacityUnits) {
    throw new AwsError(
      'ValidationException',
      `The provisioned throughput for the index ${name} will not change. The requested value equals the current value. ` +
        `Current ReadCapacityUnits provisioned for index ${name}: ${current.ReadCapacityUnits}. Requested ReadCapacityUnits: ${requested.ReadCapacityUnits}. ` +
        `Current WriteCapacityUnits provisioned for index ${name}: ${current.WriteCapacityUnits}. Requested WriteCapacityUnits: ${requested.WriteCapacityUnits}. ` +
        'Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.',
    );
  }
  const increased = requested.ReadCapacityUnits > current.ReadCapacityUnits || requested.WriteCapacityUnits > current.WriteCapacityUnits;
  const decreased = requested.ReadCapacityUnits < current.ReadCapacityUnits || requested.WriteCapacityUnits < current.WriteCapacityUnits;
  return {
    ...current,
    ReadCapacityUnits: requested.ReadCapacityUnits,
    WriteCapacityUnits: requested.WriteCapacityUnits,
    ...(increased ? { LastIncreaseDateTime: now } : {}),
    ...(decreased ? { LastDecreaseDateTime: now, NumberOfDecreasesToday: current.NumberOfDecreasesToday + 1 } : {}),
  };
}

/**
 * Applies the index updates to `next` (the table's new description, whose
 * billing mode is already decided), in the request's order, and returns what
 * they did. `previousMode` is the billing mode before this request. Call
 * `applyIndexStorage` with the updated table in the transaction that stores it.
 */
export function applyIndexUpdates(table: Table, input: IndexUpdateRequest, next: StoredTableDescription, previousMode: 'PROVISIONED' | 'PAY_PER_REQUEST', now: number): IndexUpdateOutcome {
  const outcome: IndexUpdateOutcome = { updated: new Map() };
  const mode = next.BillingModeSummary.BillingMode;
  const current = table.description;
  const tableName = current.TableName;
  const findGlobal = (name: string) => next.GlobalSecondaryIndexes?.find((g) => g.IndexName === name);
  const isLocal = (name: string) => current.LocalSecondaryIndexes?.some((l) => l.IndexName === name) ?? false;
  const notFound = (name: string) => new AwsError('ResourceNotFoundException', `Requested resource not found: Index ${name} for table ${tableName}`);

  for (const update of input.GlobalSecondaryIndexUpdates ?? []) {
    if (update.Delete) {
      const name = update.Delete.IndexName;
      if (isLocal(name)) throw new AwsError('ValidationException', `Cannot delete an index that is not a GlobalSecondaryIndex: ${name}`);
      const index = findGlobal(name);
      if (!index) throw notFound(name);
      next.GlobalSecondaryIndexes = next.GlobalSecondaryIndexes!.filter((g) => g !== index);
      outcome.deleted = index;
    } else if (update.Update) {
      const name = update.Update.IndexName;
      if (isLocal(name)) throw new AwsError('ValidationException', `Cannot update an index that is not a GlobalSecondaryIndex: ${name}`);
      const index = findGlobal(name);
      if (!index) throw notFound(name);
      refuseIndexThroughputModes(update.Update as GlobalSecondaryIndexInput);
      const requested = update.Update.ProvisionedThroughput;
      if (mode === 'PAY_PER_REQUEST') {
        throw invalidParameters(`The only Updates for index: ${name} when TableThroughputMode is PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput`);
      }
      if (!requested) throw invalidParameters(`ProvisionedThroughput must be specified for index: ${name}`);
      outcome.updated.set(name, index.ProvisionedThroughput);
      const replaced = { ...index, ProvisionedThroughput: previousMode === 'PAY_PER_REQUEST' ? { ...index.ProvisionedThroughput, ...requested } : throughputUpdate(index.ProvisionedThroughput, requested, name, now) };
      next.GlobalSecondaryIndexes = next.GlobalSecondaryIndexes!.map((g) => (g === index ? replaced : g));
    } else if (update.Create) {
      createIndex(table, input, update.Create, next, mode);
      outcome.created = update.Create.IndexName;
    }
  }

  if (mode === 'PROVISIONED' && previousMode === 'PAY_PER_REQUEST') {
    for (const index of next.GlobalSecondaryIndexes ?? []) {
      if (index.IndexName !== outcome.created && !outcome.updated.has(index.IndexName)) {
        throw invalidParameters(`ProvisionedThroughput must be specified for index: ${index.IndexName}`);
      }
    }
  }
  if (mode === 'PAY_PER_REQUEST' && previousMode === 'PROVISIONED') {
    next.GlobalSecondaryIndexes = next.GlobalSecondaryIndexes?.map((g) => ({
      ...g,
      ProvisionedThroughput: { NumberOfDecreasesToday: g.ProvisionedThroughput.NumberOfDecreasesToday, ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
    }));
  }

  if (outcome.deleted) {
    const used = definitionsUsed(next);
    next.AttributeDefinitions = next.AttributeDefinitions.filter((d) => used.has(d.AttributeName));
  }
  if (next.GlobalSecondaryIndexes?.length === 0) delete next.GlobalSecondaryIndexes;
  return outcome;
}

function createIndex(table: Table, input: IndexUpdateRequest, create: GlobalSecondaryIndexInput, next: StoredTableDescription, mode: 'PROVISIONED' | 'PAY_PER_REQUEST'): void {
  const name = create.IndexName;
  const existing = [...(next.GlobalSecondaryIndexes ?? []), ...(next.LocalSecondaryIndexes ?? [])];
  if (existing.some((i) => i.IndexName === name)) throw new AwsError('ValidationException', 'Attempting to create an index which already exists');
  const requestDefinitions = input.AttributeDefinitions;
  if (requestDefinitions === undefined) throw invalidParameters(`AttributeDefinitions is not specified for index: ${name}`);
  const keys = create.KeySchema.map((k) => k.AttributeName);
  const known = new Map<string, KeyType>(next.AttributeDefinitions.map((d) => [d.AttributeName, d.AttributeType]));
  const offered = new Map<string, KeyType>(requestDefinitions.map((d) => [d.AttributeName, d.AttributeType]));
  if (keys.some((k) => !known.has(k) && !offered.has(k))) {
    throw invalidParameters(
      `Some index key attributes are not defined in AttributeDefinitions. Keys: [${keys.join(', ')}], AttributeDefinitions: [${requestDefinitions.map((d) => d.AttributeName).join(', ')}]`,
    );
  }
  checkIndexKeySchema(create.KeySchema, true);
  const projection = checkProjection(create.Projection);
  if (mode === 'PROVISIONED' && !create.ProvisionedThroughput) {
    throw invalidParameters(`Both ReadCapacityUnits and WriteCapacityUnits must be specified for index: ${name}`);
  }
  if (mode === 'PAY_PER_REQUEST' && create.ProvisionedThroughput) {
    throw invalidParameters(`Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for index: ${name} when BillingMode is PAY_PER_REQUEST`);
  }
  refuseIndexThroughputModes(create);
  if ((next.GlobalSecondaryIndexes?.length ?? 0) >= MAX_GLOBAL_INDEXES) {
    throw limitExceeded(`Number of global secondary indexes exceeds per-table limit of ${MAX_GLOBAL_INDEXES}`);
  }
  const projected = [...existing.map((i) => i.Projection), projection].reduce((sum, p) => sum + (p.NonKeyAttributes?.length ?? 0), 0);
  if (projected > MAX_PROJECTED_ATTRIBUTES) throw invalidParameters(`Number of projected attributes in all indexes exceeds limit of ${MAX_PROJECTED_ATTRIBUTES}`);

  // An attribute already defined keeps its type: the table's keys and other indexes rely on it.
  for (const key of keys) {
    if (!known.has(key)) next.AttributeDefinitions = [...next.AttributeDefinitions, { AttributeName: key, AttributeType: offered.get(key)! }];
  }
  next.GlobalSecondaryIndexes = [...(next.GlobalSecondaryIndexes ?? []), storedGlobalIndex(create, projection, table.description.TableArn)];
}

/**
 * Stores what the updates did to the index entries, in the transaction that
 * stores the new description: a created index is backfilled from the table's
 * items, a deleted one loses its entries.
 */
export function applyIndexStorage(items: ItemStore, table: Table, outcome: IndexUpdateOutcome): void {
  if (outcome.deleted) items.indexes.drop(table, outcome.deleted.IndexName);
  if (outcome.created) {
    const index = table.indexes.find((i) => i.name === outcome.created)!;
    backfillIndex(items.indexes, table, index, (after, limit) => items.tableRowPage(table, after, limit));
  }
}

/** Starts the transitions DescribeTable shows: CREATING (backfilling), UPDATING, DELETING. */
export function startIndexTransitions(ctx: DynamoContext, table: Table, outcome: IndexUpdateOutcome): void {
  const ms = ctx.config.tableTransitionMs;
  if (outcome.created) ctx.tables.startIndexTransition(table, outcome.created, 'CREATING', ms);
  if (outcome.deleted) ctx.tables.startIndexTransition(table, outcome.deleted.IndexName, 'DELETING', ms, outcome.deleted);
  for (const name of outcome.updated.keys()) ctx.tables.startIndexTransition(table, name, 'UPDATING', ms);
}
