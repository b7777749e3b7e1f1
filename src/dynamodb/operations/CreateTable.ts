import { randomUUID } from 'node:crypto';
import { AwsError } from '../../edge/errors.js';
import type { DynamoContext } from '../context.js';
import { invalidParameters, unsupported } from '../errors.js';
import { checkCreateTableIndexes, type GlobalSecondaryIndexInput, type LocalSecondaryIndexInput } from '../indexes/definitions.js';
import type { StreamViewType } from '../../streams/stream-record.js';
import { checkCreateStreamSpecification, type StreamSpecification } from '../stream-specification.js';
import type { KeyType, StoredTableDescription, Tag } from '../table-catalog.js';
import { describeTable } from '../table-description.js';

interface CreateTableInput {
  TableName: string;
  AttributeDefinitions: { AttributeName: string; AttributeType: KeyType }[];
  KeySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
  BillingMode?: 'PROVISIONED' | 'PAY_PER_REQUEST';
  ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  StreamSpecification?: StreamSpecification;
  Tags?: Tag[];
  TableClass?: string;
  DeletionProtectionEnabled?: boolean;
  LocalSecondaryIndexes?: LocalSecondaryIndexInput[];
  GlobalSecondaryIndexes?: GlobalSecondaryIndexInput[];
  SSESpecification?: unknown;
  ResourcePolicy?: unknown;
  OnDemandThroughput?: unknown;
  WarmThroughput?: unknown;
}

const MAX_CAPACITY_UNITS = 1_000_000_000_000;

export function CreateTable(input: CreateTableInput, ctx: DynamoContext): unknown {
  const ref = ctx.tables.resolveName(ctx.accountId, ctx.region, input.TableName);
  for (const name of ['SSESpecification', 'ResourcePolicy', 'OnDemandThroughput', 'WarmThroughput'] as const) {
    if (input[name] !== undefined) throw unsupported(name);
  }

  const billingMode = input.BillingMode ?? 'PROVISIONED';
  if (billingMode === 'PAY_PER_REQUEST') {
    if (input.ProvisionedThroughput) {
      throw invalidParameters('Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
    }
  } else {
    const pt = input.ProvisionedThroughput;
    if (!pt) throw invalidParameters('ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED');
    if (pt.ReadCapacityUnits > MAX_CAPACITY_UNITS) throw new AwsError('ValidationException', `Given value ${pt.ReadCapacityUnits} for ReadCapacityUnits is out of bounds`);
    if (pt.WriteCapacityUnits > MAX_CAPACITY_UNITS) throw new AwsError('ValidationException', `Given value ${pt.WriteCapacityUnits} for WriteCapacityUnits is out of bounds`);
  }

  checkKeySchema(input);
  const tableArn = `arn:aws:dynamodb:${ref.region}:${ref.account}:table/${ref.name}`;
  const indexes = checkCreateTableIndexes(input, tableArn);
  const stream = checkCreateStreamSpecification(input.StreamSpecification);

  if (ctx.tables.find(ref.account, ref.region, ref.name)) {
    throw new AwsError('ResourceInUseException', `Table already exists: ${ref.name}`);
  }

  const now = ctx.clock.now() / 1000;
  const description: StoredTableDescription = {
    TableName: ref.name,
    TableArn: tableArn,
    TableId: randomUUID(),
    AttributeDefinitions: input.AttributeDefinitions.map((d) => ({ AttributeName: d.AttributeName, AttributeType: d.AttributeType })),
    KeySchema: input.KeySchema.map((k) => ({ AttributeName: k.AttributeName, KeyType: k.KeyType })),
    CreationDateTime: now,
    ProvisionedThroughput: {
      NumberOfDecreasesToday: 0,
      ReadCapacityUnits: input.ProvisionedThroughput?.ReadCapacityUnits ?? 0,
      WriteCapacityUnits: input.ProvisionedThroughput?.WriteCapacityUnits ?? 0,
    },
    BillingModeSummary: billingMode === 'PAY_PER_REQUEST' ? { BillingMode: billingMode, LastUpdateToPayPerRequestDateTime: now } : { BillingMode: billingMode },
    ...(stream ? { StreamSpecification: stream } : {}),
    ...(input.TableClass ? { TableClassSummary: { TableClass: input.TableClass } } : {}),
    DeletionProtectionEnabled: input.DeletionProtectionEnabled ?? false,
    ...indexes,
  };
  const table = ctx.tables.create(ref.account, ref.region, description, input.Tags ?? [], ctx.config.tableTransitionMs);
  if (stream) ctx.streams.enable(table, stream.StreamViewType as StreamViewType, streamShardsTag(input.Tags));
  // AWS answers CreateTable with CREATING whatever happens next.
  return { TableDescription: describeTable(ctx, table, 'CREATING') };
}

/** The key schema rules, in the order DynamoDB reports them. */
function checkKeySchema(input: CreateTableInput): void {
  const defined = input.AttributeDefinitions.map((d) => d.AttributeName);
  const keys = input.KeySchema.map((k) => k.AttributeName);
  if (keys.length > defined.length) throw new AwsError('ValidationException', 'Invalid KeySchema: Some index key attribute have no definition');
  if (keys.some((k) => !defined.includes(k))) {
    throw invalidParameters(`Some index key attributes are not defined in AttributeDefinitions. Keys: [${keys.join(', ')}], AttributeDefinitions: [${defined.join(', ')}]`);
  }
  if (keys.length === 2 && keys[0] === keys[1]) {
    throw new AwsError('ValidationException', 'Both the Hash Key and the Range Key element in the KeySchema have the same name');
  }
  if (input.KeySchema[0]!.KeyType !== 'HASH') throw new AwsError('ValidationException', 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  if (input.KeySchema[1] && input.KeySchema[1].KeyType !== 'RANGE') {
    throw new AwsError('ValidationException', 'Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
  }
  if (new Set(defined).size !== defined.length) {
    throw invalidParameters('Cannot have two attributes with the same name');
  }
  // With secondary indexes, their keys count too (src/dynamodb/indexes/definitions.ts).
  if (input.LocalSecondaryIndexes === undefined && input.GlobalSecondaryIndexes === undefined && keys.length !== defined.length) {
    throw invalidParameters('Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions');
  }
}

/**
 * Eddy extension: the tag `eddy:stream-shards` (1 to 100) overrides the
 * number of open stream shards (--stream-shards) for this table.
 */
function streamShardsTag(tags: Tag[] | undefined): number | undefined {
  const tag = tags?.find((t) => t.Key === 'eddy:stream-shards');
  if (!tag) return undefined;
  const n = /^\d+$/.test(tag.Value) ? Number(tag.Value) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > 100) {
    throw invalidParameters(`Tag eddy:stream-shards must be a whole number from 1 to 100, not '${tag.Value}'`);
  }
  return n;
}
