import type { EventSourceMappingConfiguration } from '@aws-sdk/client-lambda';
import type { EventSourceMapping, MappingState } from './mapping.js';

/** EventSourceMappingConfiguration on the wire: LastModified in epoch seconds. */
export type WireMappingConfiguration = Omit<EventSourceMappingConfiguration, 'LastModified' | 'StartingPositionTimestamp'> & {
  LastModified: number;
  StartingPositionTimestamp?: number;
};

/**
 * The state a mapping reports at `now`. Like a DynamoDB table in Eddy, a
 * mapping stays in the transitional state its last call put it in (Creating,
 * Enabling, Disabling, Updating) for `transitionMs` of Eddy's clock after
 * LastModified (0 by default: only the call's own response shows it), then
 * settles on Enabled or Disabled.
 */
export function reportedState(mapping: EventSourceMapping, now: number, transitionMs: number): MappingState {
  if (now < mapping.lastModified + transitionMs) return mapping.state;
  return mapping.enabled ? 'Enabled' : 'Disabled';
}

/**
 * A mapping as Lambda returns it, with the members Lambda returns for its kind
 * of source: stream mappings (DynamoDB) carry the stream settings, a
 * DestinationConfig (`{"OnFailure": {}}` when none is set) and
 * LastProcessingResult; SQS mappings carry none of those, and ScalingConfig
 * only when set. FilterCriteria appears only when filters are set.
 */
export function mappingConfiguration(mapping: EventSourceMapping, state: MappingState): WireMappingConfiguration {
  const out: WireMappingConfiguration = {
    UUID: mapping.uuid,
    BatchSize: mapping.batchSize,
    MaximumBatchingWindowInSeconds: mapping.maximumBatchingWindowInSeconds,
    EventSourceArn: mapping.eventSourceArn,
    FunctionArn: mapping.functionArn,
    LastModified: mapping.lastModified / 1000,
    State: state,
    StateTransitionReason: mapping.stateTransitionReason,
    FunctionResponseTypes: mapping.functionResponseTypes as EventSourceMappingConfiguration['FunctionResponseTypes'],
    EventSourceMappingArn: mapping.arn,
  };
  if (mapping.filterPatterns.length > 0) out.FilterCriteria = { Filters: mapping.filterPatterns.map((Pattern) => ({ Pattern })) };
  if (mapping.kind === 'sqs') {
    if (mapping.maximumConcurrency !== undefined) out.ScalingConfig = { MaximumConcurrency: mapping.maximumConcurrency };
    return out;
  }
  return {
    ...out,
    StartingPosition: mapping.startingPosition,
    ...(mapping.startingPositionTimestamp !== undefined ? { StartingPositionTimestamp: mapping.startingPositionTimestamp / 1000 } : {}),
    ParallelizationFactor: mapping.parallelizationFactor,
    LastProcessingResult: mapping.lastProcessingResult,
    DestinationConfig: { OnFailure: mapping.onFailureDestination ? { Destination: mapping.onFailureDestination } : {} },
    MaximumRecordAgeInSeconds: mapping.maximumRecordAgeInSeconds,
    BisectBatchOnFunctionError: mapping.bisectBatchOnFunctionError,
    MaximumRetryAttempts: mapping.maximumRetryAttempts,
    TumblingWindowInSeconds: mapping.tumblingWindowInSeconds,
  };
}
