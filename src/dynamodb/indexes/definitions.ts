/**
 * The secondary index parameters of CreateTable and of UpdateTable's
 * GlobalSecondaryIndexUpdates Create: DynamoDB's semantic checks, in its
 * order and with its texts, and the stored descriptions they produce.
 *
 * Sources: dynalite validations/createTable.js and its tests (checked
 * against DynamoDB), and later captures of DynamoDB's answers (unused
 * AttributeDefinitions, INCLUDE without NonKeyAttributes, duplicate
 * NonKeyAttributes, the PROVISIONED index without throughput).
 */
import { javaHashMapOrder } from '../../edge/request-validation.js';
import { invalidParameters, unsupported } from '../errors.js';
import { AwsError } from '../../edge/errors.js';
import type { KeySchemaElement, ProjectionType, StoredGlobalSecondaryIndex, StoredLocalSecondaryIndex, StoredProjection } from './schema.js';

export interface ProjectionInput {
  ProjectionType?: ProjectionType;
  NonKeyAttributes?: string[];
}

export interface ThroughputInput {
  ReadCapacityUnits: number;
  WriteCapacityUnits: number;
}

export interface LocalSecondaryIndexInput {
  IndexName: string;
  KeySchema: KeySchemaElement[];
  Projection: ProjectionInput;
}

export interface GlobalSecondaryIndexInput extends LocalSecondaryIndexInput {
  ProvisionedThroughput?: ThroughputInput;
  OnDemandThroughput?: unknown;
  WarmThroughput?: unknown;
}

export const MAX_LOCAL_INDEXES = 5;
export const MAX_GLOBAL_INDEXES = 20;
export const MAX_PROJECTED_ATTRIBUTES = 100;

const list = (names: readonly string[]): string => `[${names.join(', ')}]`;

/** "Some index key attributes are not defined", naming the index's key attributes. */
export function checkKeysDefined(keySchema: readonly KeySchemaElement[], defined: readonly string[]): void {
  const keys = keySchema.map((k) => k.AttributeName);
  if (keys.some((k) => !defined.includes(k))) {
    throw invalidParameters(`Some index key attributes are not defined in AttributeDefinitions. Keys: ${list(keys)}, AttributeDefinitions: ${list(defined)}`);
  }
}

/** Key element names and order: HASH first, then at most one RANGE. */
export function checkIndexKeySchema(keySchema: readonly KeySchemaElement[], global: boolean): void {
  if (keySchema[1] && keySchema[0]!.AttributeName === keySchema[1].AttributeName) {
    throw new AwsError('ValidationException', 'Both the Hash Key and the Range Key element in the KeySchema have the same name');
  }
  if (keySchema[0]!.KeyType !== 'HASH') throw new AwsError('ValidationException', 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  if (keySchema[1] && keySchema[1].KeyType !== 'RANGE') {
    // DynamoDB now accepts several HASH (and RANGE) attributes in a global index's key.
    if (global) throw unsupported('multi-attribute keys in global secondary indexes');
    throw new AwsError('ValidationException', 'Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
  }
}

/** The Projection rules; returns the projection as DescribeTable shows it (NonKeyAttributes sorted). */
export function checkProjection(projection: ProjectionInput): StoredProjection {
  const type = projection.ProjectionType;
  if (type === undefined) throw invalidParameters('Unknown ProjectionType: null');
  const nonKey = projection.NonKeyAttributes;
  if (nonKey !== undefined && type !== 'INCLUDE') throw invalidParameters(`ProjectionType is ${type}, but NonKeyAttributes is specified`);
  if (type !== 'INCLUDE') return { ProjectionType: type };
  if (nonKey === undefined) throw invalidParameters('ProjectionType is INCLUDE, but NonKeyAttributes is not specified');
  const seen = new Set<string>();
  for (const name of nonKey) {
    if (seen.has(name)) throw invalidParameters(`Duplicate element in NonKeyAttributes: ${name}`);
    seen.add(name);
  }
  return { ProjectionType: type, NonKeyAttributes: [...nonKey].sort() };
}

/** Refuses the per-index capacity settings Eddy does not simulate. */
export function refuseIndexThroughputModes(index: GlobalSecondaryIndexInput): void {
  if (index.OnDemandThroughput !== undefined) throw unsupported('OnDemandThroughput in global secondary indexes');
  if (index.WarmThroughput !== undefined) throw unsupported('WarmThroughput in global secondary indexes');
}

export interface CreateTableIndexInput {
  AttributeDefinitions: { AttributeName: string }[];
  KeySchema: KeySchemaElement[];
  BillingMode?: 'PROVISIONED' | 'PAY_PER_REQUEST';
  LocalSecondaryIndexes?: LocalSecondaryIndexInput[];
  GlobalSecondaryIndexes?: GlobalSecondaryIndexInput[];
}

/**
 * CreateTable's index checks, after the table's own key schema checks, and
 * the index descriptions to store. DynamoDB wants AttributeDefinitions to be
 * exactly the key attributes of the table and its indexes; with indexes, an
 * attribute no key uses is reported before any index rule.
 */
export function checkCreateTableIndexes(
  input: CreateTableIndexInput,
  tableArn: string,
): { GlobalSecondaryIndexes?: StoredGlobalSecondaryIndex[]; LocalSecondaryIndexes?: StoredLocalSecondaryIndex[] } {
  const locals = input.LocalSecondaryIndexes;
  const globals = input.GlobalSecondaryIndexes;
  if (locals === undefined && globals === undefined) return {};
  if (locals !== undefined && locals.length === 0) throw invalidParameters('List of LocalSecondaryIndexes is empty');
  if (globals !== undefined && globals.length === 0) throw invalidParameters('List of GlobalSecondaryIndexes is empty');

  const defined = input.AttributeDefinitions.map((d) => d.AttributeName);
  const used: string[] = [];
  for (const schema of [input.KeySchema, ...(globals ?? []).map((g) => g.KeySchema), ...(locals ?? []).map((l) => l.KeySchema)]) {
    for (const key of schema) if (!used.includes(key.AttributeName)) used.push(key.AttributeName);
  }
  if (defined.length > used.length && defined.some((name) => !used.includes(name))) {
    // "keys used" is a Java HashSet; AttributeDefinitions keeps the request's order.
    throw invalidParameters(`Some AttributeDefinitions are not used. AttributeDefinitions: ${list(defined)}, keys used: ${list(javaHashMapOrder(used))}`);
  }

  const names = new Set<string>();
  const tableHash = input.KeySchema[0]!.AttributeName;
  const storedLocals: StoredLocalSecondaryIndex[] = [];
  if (locals) {
    if (input.KeySchema.length !== 2) {
      throw invalidParameters('Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex');
    }
    for (const index of locals) {
      checkKeysDefined(index.KeySchema, defined);
      checkIndexKeySchema(index.KeySchema, false);
      if (index.KeySchema.length !== 2) throw invalidParameters(`Index KeySchema does not have a range key for index: ${index.IndexName}`);
      const indexHash = index.KeySchema[0]!.AttributeName;
      if (indexHash !== tableHash) {
        throw invalidParameters(
          `Index KeySchema does not have the same leading hash key as table KeySchema for index: ${index.IndexName}. index hash key: ${indexHash}, table hash key: ${tableHash}`,
        );
      }
      const projection = checkProjection(index.Projection);
      if (names.has(index.IndexName)) throw invalidParameters(`Duplicate index name: ${index.IndexName}`);
      names.add(index.IndexName);
      storedLocals.push({ IndexName: index.IndexName, KeySchema: copyKeySchema(index.KeySchema), Projection: projection, IndexArn: `${tableArn}/index/${index.IndexName}` });
    }
    if (locals.length > MAX_LOCAL_INDEXES) invalidParametersThrow(`Number of LocalSecondaryIndexes exceeds per-table limit of ${MAX_LOCAL_INDEXES}`);
  }

  const storedGlobals: StoredGlobalSecondaryIndex[] = [];
  if (globals) {
    const onDemand = input.BillingMode === 'PAY_PER_REQUEST';
    for (const index of globals) {
      checkKeysDefined(index.KeySchema, defined);
      checkIndexKeySchema(index.KeySchema, true);
      const projection = checkProjection(index.Projection);
      if (onDemand && index.ProvisionedThroughput) {
        throw invalidParameters(`ProvisionedThroughput should not be specified for index: ${index.IndexName} when BillingMode is PAY_PER_REQUEST`);
      }
      if (!onDemand && !index.ProvisionedThroughput) throw invalidParameters(`ProvisionedThroughput is not specified for index: ${index.IndexName}`);
      refuseIndexThroughputModes(index);
      if (names.has(index.IndexName)) throw invalidParameters(`Duplicate index name: ${index.IndexName}`);
      names.add(index.IndexName);
      storedGlobals.push(storedGlobalIndex(index, projection, tableArn));
    }
    if (globals.length > MAX_GLOBAL_INDEXES) invalidParametersThrow(`GlobalSecondaryIndex count exceeds the per-table limit of ${MAX_GLOBAL_INDEXES}`);
  }

  const projected = [...storedGlobals, ...storedLocals].reduce((sum, index) => sum + (index.Projection.NonKeyAttributes?.length ?? 0), 0);
  if (projected > MAX_PROJECTED_ATTRIBUTES) invalidParametersThrow(`Number of projected attributes in all indexes exceeds limit of ${MAX_PROJECTED_ATTRIBUTES}`);

  return {
    ...(storedLocals.length > 0 ? { LocalSecondaryIndexes: storedLocals } : {}),
    ...(storedGlobals.length > 0 ? { GlobalSecondaryIndexes: storedGlobals } : {}),
  };
}

function invalidParametersThrow(detail: string): never {
  throw invalidParameters(detail);
}

function copyKeySchema(keySchema: readonly KeySchemaElement[]): KeySchemaElement[] {
  return keySchema.map((k) => ({ AttributeName: k.AttributeName, KeyType: k.KeyType }));
}

/** A global index's stored description; on-demand tables show 0/0 throughput. */
export function storedGlobalIndex(index: GlobalSecondaryIndexInput, projection: StoredProjection, tableArn: string): StoredGlobalSecondaryIndex {
  return {
    IndexName: index.IndexName,
    KeySchema: copyKeySchema(index.KeySchema),
    Projection: projection,
    ProvisionedThroughput: {
      NumberOfDecreasesToday: 0,
      ReadCapacityUnits: index.ProvisionedThroughput?.ReadCapacityUnits ?? 0,
      WriteCapacityUnits: index.ProvisionedThroughput?.WriteCapacityUnits ?? 0,
    },
    IndexArn: `${tableArn}/index/${index.IndexName}`,
  };
}
