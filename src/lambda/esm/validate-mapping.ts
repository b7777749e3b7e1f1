/**
 * The semantic checks of CreateEventSourceMapping and UpdateEventSourceMapping
 * (the edge has already checked types, ranges and enums against the model),
 * with Lambda's InvalidParameterValueException texts. Pure: the operations
 * look up functions, sources and duplicates themselves.
 *
 * Texts verified against AWS captures (localstack's recorded snapshots, error
 * reports quoting AWS): the starting-position ones, "Maximum batch window in
 * seconds must be greater than 0 if maximum batch size is greater than 10",
 * the MaximumRecordAgeInSeconds one, "Batching window is not supported for
 * FIFO queues", "Unsupported <Parameter> parameter for given event source
 * mapping type." and "Invalid filter pattern definition.". Unverified, chosen
 * to read like Lambda's: the filter-count and the on-failure destination ones.
 */
import { compileFilterCriteria, compileSqsFilterCriteria, INVALID_FILTER_PATTERN_MESSAGE, PatternSyntaxError } from '../../event-patterns/index.js';
import { invalidParameter, notSupported } from '../errors.js';
import type { EventSourceKind, EventSourceMapping } from './mapping.js';

/** The members CreateEventSourceMapping and UpdateEventSourceMapping share. */
export interface MappingParameters {
  Enabled?: boolean;
  BatchSize?: number;
  FilterCriteria?: { Filters?: { Pattern?: string }[] };
  MaximumBatchingWindowInSeconds?: number;
  ParallelizationFactor?: number;
  DestinationConfig?: { OnSuccess?: { Destination?: string }; OnFailure?: { Destination?: string } };
  MaximumRecordAgeInSeconds?: number;
  BisectBatchOnFunctionError?: boolean;
  MaximumRetryAttempts?: number;
  TumblingWindowInSeconds?: number;
  FunctionResponseTypes?: string[];
  ScalingConfig?: { MaximumConcurrency?: number };
  SourceAccessConfigurations?: unknown;
  AmazonManagedKafkaEventSourceConfig?: unknown;
  SelfManagedKafkaEventSourceConfig?: unknown;
  DocumentDBEventSourceConfig?: unknown;
  KMSKeyArn?: unknown;
  MetricsConfig?: unknown;
  LoggingConfig?: unknown;
  ProvisionedPollerConfig?: unknown;
}

export interface CreateMappingInput extends MappingParameters {
  EventSourceArn?: string;
  FunctionName: string;
  StartingPosition?: 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';
  StartingPositionTimestamp?: number;
  Tags?: Record<string, string>;
  Topics?: unknown;
  Queues?: unknown;
  SelfManagedEventSource?: unknown;
}

export interface UpdateMappingInput extends MappingParameters {
  UUID: string;
  FunctionName?: string;
}

/** The tunable part of a mapping: what create defaults and update changes. */
export type MappingSettings = Pick<
  EventSourceMapping,
  | 'enabled'
  | 'batchSize'
  | 'maximumBatchingWindowInSeconds'
  | 'parallelizationFactor'
  | 'maximumRetryAttempts'
  | 'maximumRecordAgeInSeconds'
  | 'bisectBatchOnFunctionError'
  | 'tumblingWindowInSeconds'
  | 'functionResponseTypes'
  | 'filterPatterns'
  | 'onFailureDestination'
  | 'maximumConcurrency'
>;

/** Lambda's filter quota per mapping (it can be raised on AWS; Eddy keeps the default). */
export const MAX_FILTERS = 5;

/** Members Eddy does not simulate, with what a refusal calls them. */
const UNSUPPORTED: [keyof CreateMappingInput, string][] = [
  ['Topics', 'Topics (Kafka event sources)'],
  ['Queues', 'Queues (Amazon MQ event sources)'],
  ['SourceAccessConfigurations', 'SourceAccessConfigurations'],
  ['SelfManagedEventSource', 'SelfManagedEventSource (self-managed Kafka)'],
  ['AmazonManagedKafkaEventSourceConfig', 'AmazonManagedKafkaEventSourceConfig'],
  ['SelfManagedKafkaEventSourceConfig', 'SelfManagedKafkaEventSourceConfig'],
  ['DocumentDBEventSourceConfig', 'DocumentDBEventSourceConfig'],
  ['KMSKeyArn', 'KMSKeyArn (encrypted filter criteria)'],
  ['MetricsConfig', 'MetricsConfig (event source mapping metrics; Eddy serves them at /_eddy/metrics)'],
  ['LoggingConfig', 'LoggingConfig on event source mappings'],
  ['ProvisionedPollerConfig', 'ProvisionedPollerConfig (provisioned mode)'],
];

/** Refuses every member Eddy does not simulate, naming it. */
export function refuseUnsupported(input: CreateMappingInput | UpdateMappingInput): void {
  for (const [member, what] of UNSUPPORTED) {
    const value = (input as unknown as Record<string, unknown>)[member];
    if (value === undefined || value === null) continue;
    // An empty tag map or list asks for nothing.
    if (typeof value === 'object' && Object.keys(value).length === 0) continue;
    throw notSupported(what);
  }
}

/** A parsed event source ARN: its kind, or the reason Eddy cannot map it. */
export type SourceArn =
  | { kind: EventSourceKind; region: string; account: string; fifo: boolean }
  | { kind: 'unsupported'; service: string }
  | { kind: 'unrecognized' };

const ARN = /^arn:aws[a-zA-Z-]*:([a-zA-Z0-9-]+):([a-z0-9-]*):(\d{12})?:(.*)$/;

/** Services Lambda maps that Eddy does not simulate, as a refusal names them. */
const UNSIMULATED_SOURCES: Record<string, string> = {
  kafka: 'Amazon MSK event sources',
  mq: 'Amazon MQ event sources',
  rds: 'Amazon DocumentDB event sources',
};

export function parseSourceArn(arn: string): SourceArn {
  const match = ARN.exec(arn);
  if (!match) return { kind: 'unrecognized' };
  const [, service, region, account, resource] = match as unknown as [string, string, string, string, string];
  if (service === 'dynamodb' || service === 'kinesis' || service === 'sqs') {
    return { kind: service, region, account, fifo: service === 'sqs' && resource.endsWith('.fifo') };
  }
  if (UNSIMULATED_SOURCES[service]) return { kind: 'unsupported', service: UNSIMULATED_SOURCES[service] };
  return { kind: 'unrecognized' };
}

const unsupportedFor = (member: string) => invalidParameter(`Unsupported ${member} parameter for given event source mapping type.`);

/** The defaults Lambda gives a new mapping of each kind. */
export function defaultSettings(kind: EventSourceKind): MappingSettings {
  const common = { enabled: true, maximumBatchingWindowInSeconds: 0, functionResponseTypes: [], filterPatterns: [] };
  if (kind === 'sqs') return { ...common, batchSize: 10 };
  return {
    ...common,
    batchSize: 100,
    parallelizationFactor: 1,
    maximumRetryAttempts: -1,
    maximumRecordAgeInSeconds: -1,
    bisectBatchOnFunctionError: false,
    tumblingWindowInSeconds: 0,
  };
}

/**
 * The starting position of a new stream mapping. DynamoDB streams take
 * TRIM_HORIZON or LATEST; AT_TIMESTAMP is Kinesis-only; SQS takes none.
 */
export function checkStartingPosition(input: CreateMappingInput, kind: EventSourceKind): Pick<EventSourceMapping, 'startingPosition' | 'startingPositionTimestamp'> {
  if (kind === 'sqs') {
    if (input.StartingPosition !== undefined || input.StartingPositionTimestamp !== undefined) {
      throw invalidParameter('StartingPosition is not valid for SQS event sources.');
    }
    return {};
  }
  if (input.StartingPosition === undefined) {
    throw invalidParameter("1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.");
  }
  if (input.StartingPositionTimestamp !== undefined && input.StartingPosition !== 'AT_TIMESTAMP') {
    throw invalidParameter('Timestamp only valid with StartingPosition AT_TIMESTAMP');
  }
  if (input.StartingPosition === 'AT_TIMESTAMP') {
    if (kind === 'dynamodb') throw invalidParameter(`Unsupported starting position for arn type: ${input.EventSourceArn}`);
    throw notSupported('AT_TIMESTAMP on Kinesis streams');
  }
  return { startingPosition: input.StartingPosition };
}

/**
 * Applies the members of a create or update request to `current` (the
 * defaults on create), checking each against the source kind, then the
 * combinations Lambda checks on the result.
 */
export function applySettings(current: MappingSettings, input: MappingParameters, kind: EventSourceKind, fifo: boolean): MappingSettings {
  const next: MappingSettings = { ...current };
  if (input.DestinationConfig?.OnSuccess?.Destination) throw unsupportedFor('DestinationConfig');
  const stream = kind !== 'sqs';
  const streamOnly: [keyof MappingParameters, keyof MappingSettings][] = [
    ['ParallelizationFactor', 'parallelizationFactor'],
    ['MaximumRecordAgeInSeconds', 'maximumRecordAgeInSeconds'],
    ['BisectBatchOnFunctionError', 'bisectBatchOnFunctionError'],
    ['MaximumRetryAttempts', 'maximumRetryAttempts'],
    ['TumblingWindowInSeconds', 'tumblingWindowInSeconds'],
  ];
  for (const [member, setting] of streamOnly) {
    const value = input[member];
    if (value === undefined) continue;
    if (!stream) throw unsupportedFor(member);
    (next as Record<string, unknown>)[setting] = value;
  }
  if (input.DestinationConfig?.OnFailure !== undefined) {
    if (!stream) throw unsupportedFor('DestinationConfig');
    const destination = input.DestinationConfig.OnFailure.Destination;
    next.onFailureDestination = destination ? checkOnFailureDestination(destination) : undefined;
  }
  if (input.ScalingConfig !== undefined) {
    if (stream) throw unsupportedFor('ScalingConfig');
    next.maximumConcurrency = input.ScalingConfig.MaximumConcurrency;
  }
  if (input.Enabled !== undefined) next.enabled = input.Enabled;
  if (input.BatchSize !== undefined) next.batchSize = input.BatchSize;
  if (input.MaximumBatchingWindowInSeconds !== undefined) next.maximumBatchingWindowInSeconds = input.MaximumBatchingWindowInSeconds;
  if (input.FunctionResponseTypes !== undefined) next.functionResponseTypes = [...input.FunctionResponseTypes];
  if (input.FilterCriteria !== undefined) next.filterPatterns = checkFilters(input.FilterCriteria, kind);

  const age = next.maximumRecordAgeInSeconds;
  if (age !== undefined && age !== -1 && age < 60) {
    throw invalidParameter('MaximumRecordAgeInSeconds must be either -1 (forever) or between 60 and 604800 (inclusive)');
  }
  if (kind === 'sqs') checkSqsBatching(next, fifo);
  return next;
}

function checkSqsBatching(settings: MappingSettings, fifo: boolean): void {
  if (fifo) {
    if (settings.batchSize > 10) throw invalidParameter('Maximum batch size must be between 1 and 10 inclusive');
    if (settings.maximumBatchingWindowInSeconds > 0) throw invalidParameter('Batching window is not supported for FIFO queues');
    return;
  }
  if (settings.batchSize > 10 && settings.maximumBatchingWindowInSeconds === 0) {
    throw invalidParameter('Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10');
  }
}

/**
 * Stream failures go to an SQS queue or an SNS topic. S3 destinations exist
 * on AWS (Kafka and streams) but Eddy has no S3; anything else is refused.
 */
function checkOnFailureDestination(arn: string): string {
  const service = ARN.exec(arn)?.[1];
  if (service === 'sqs' || service === 'sns') return arn;
  if (service === 's3') throw notSupported('S3 on-failure destinations (Eddy simulates no S3; use an SQS queue or SNS topic)');
  throw invalidParameter(`The provided destination config DestinationConfig.OnFailure.Destination is invalid: ${arn} is not an SQS queue or SNS topic ARN.`);
}

/**
 * FilterCriteria: at most MAX_FILTERS patterns, each a valid EventBridge
 * pattern. An empty FilterCriteria (or Filters list) removes the filters.
 */
function checkFilters(criteria: NonNullable<MappingParameters['FilterCriteria']>, kind: EventSourceKind): string[] {
  const patterns = (criteria.Filters ?? []).map((filter) => filter.Pattern);
  if (patterns.length > MAX_FILTERS) {
    throw invalidParameter(`The number of filters in FilterCriteria (${patterns.length}) exceeds the limit of ${MAX_FILTERS}.`);
  }
  if (patterns.some((pattern) => pattern === undefined || pattern === '')) throw invalidParameter(INVALID_FILTER_PATTERN_MESSAGE);
  const valid = patterns as string[];
  try {
    if (kind === 'sqs') compileSqsFilterCriteria(valid);
    else compileFilterCriteria(valid);
  } catch (error) {
    if (error instanceof PatternSyntaxError) throw invalidParameter(INVALID_FILTER_PATTERN_MESSAGE);
    throw error;
  }
  return valid;
}
