/**
 * An event source mapping as Eddy keeps it: the control plane
 * (src/lambda/operations/*EventSourceMapping.ts) writes it, the engine
 * (src/lambda/esm/engine.ts) runs it. Field names follow the Lambda API's
 * EventSourceMappingConfiguration; every value here is already validated and
 * defaulted, so the engine never re-checks a parameter.
 */
export type EventSourceKind = 'dynamodb' | 'sqs' | 'kinesis';

/** Lambda's mapping states, as GetEventSourceMapping reports them. */
export type MappingState = 'Creating' | 'Enabling' | 'Enabled' | 'Disabling' | 'Disabled' | 'Updating' | 'Deleting';

export interface EventSourceMapping {
  uuid: string;
  /** `arn:aws:lambda:<region>:<account>:event-source-mapping:<uuid>`. */
  arn: string;
  account: string;
  region: string;
  kind: EventSourceKind;
  eventSourceArn: string;
  /** The unqualified function ARN the mapping invokes. */
  functionArn: string;
  /** What the user asked for; `state` says where the mapping is on its way there. */
  enabled: boolean;
  state: MappingState;
  stateTransitionReason: string;
  /** Epoch milliseconds (Eddy clock) of the last create or update. */
  lastModified: number;
  /** "No records processed", then "OK" or "PROBLEM: ..." as the engine reports. */
  lastProcessingResult: string;

  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  /** Streams only (DynamoDB, Kinesis). */
  startingPosition?: 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';
  /** Epoch milliseconds; Kinesis AT_TIMESTAMP only. */
  startingPositionTimestamp?: number;
  /** Streams only; 1..10. */
  parallelizationFactor?: number;
  /** Streams only; -1 = until the record expires. */
  maximumRetryAttempts?: number;
  /** Streams only; -1 = no limit, else 60..604800. */
  maximumRecordAgeInSeconds?: number;
  bisectBatchOnFunctionError?: boolean;
  /** Streams only; 0 = no tumbling window. */
  tumblingWindowInSeconds?: number;
  /** [] or ['ReportBatchItemFailures']. */
  functionResponseTypes: string[];
  /** The raw FilterCriteria.Filters[].Pattern strings, validated at create/update. */
  filterPatterns: string[];
  /** DestinationConfig.OnFailure.Destination (an SQS queue or SNS topic ARN). */
  onFailureDestination?: string;
  /** SQS only: ScalingConfig.MaximumConcurrency (2..1000). */
  maximumConcurrency?: number;
}

/**
 * Where an on-failure record goes: implemented by SQS (a queue ARN) and SNS (a
 * topic ARN). `send` rejects with an Error whose message says why when the
 * destination does not exist.
 */
export interface FailureDestinations {
  send(destinationArn: string, message: string): Promise<void> | void;
}

/** The counters of one mapping, written by its consumer (src/lambda/esm/engine.ts keeps them across pauses and updates). */
export interface MappingCounters {
  /** Age (ms) of the last record of the last batch when it was handed to the function (AWS's IteratorAge). */
  iteratorAgeMs: number;
  invocations: number;
  /** Invocations that ended in a function error (or a response the engine counts as one). */
  errors: number;
  /** Invocations refused for concurrency (TooManyRequestsException); retried without consuming attempts. */
  throttles: number;
  recordsDelivered: number;
  recordsFiltered: number;
  /** Records given up on (retries exhausted or too old), whether or not a destination took them. */
  recordsFailed: number;
  onFailureSends: number;
}

/** What `eddy status` and `/_eddy/metrics` show for one mapping: its counters, state and lag per shard. */
export interface MappingMetrics extends MappingCounters {
  uuid: string;
  functionArn: string;
  eventSourceArn: string;
  state: MappingState;
  lastProcessingResult: string;
  shards: { shardId: string; lagRecords: number; iteratorAgeMs: number; checkpoint?: string }[];
}

/** The engine as the control plane drives it (implemented by src/lambda/esm/engine.ts). */
export interface MappingRunner {
  /** Created, updated, enabled or disabled (after the control plane's store commit): start, reconfigure or pause its consumers. Disabled keeps checkpoints. */
  apply(mapping: EventSourceMapping): void;
  /** Deleted: stop its consumers and drop its checkpoints. */
  remove(uuid: string): void;
  /** Resolves true once every enabled mapping has processed, filtered or sent to its on-failure destination every record committed before the call (and anything those invocations wrote that feeds other mappings), false on timeout. */
  drain(timeoutMs: number): Promise<boolean>;
  metrics(): MappingMetrics[];
  close(): Promise<void>;
}
