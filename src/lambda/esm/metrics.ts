/**
 * What `GET /_eddy/metrics` serves and `eddy status` shows: each stored
 * mapping with the engine's counters, as JSON or in the Prometheus text
 * exposition format (version 0.0.4).
 */
import type { EventSourceMapping, MappingCounters, MappingMetrics, MappingState } from './mapping.js';
import { reportedState } from './mapping-configuration.js';

/** One mapping's row of `eddy status`: its configuration's essentials and the engine's counters. */
export interface MappingStatus extends MappingCounters {
  uuid: string;
  functionArn: string;
  functionName: string;
  eventSourceArn: string;
  state: MappingState;
  batchSize: number;
  lastProcessingResult: string;
  shards: MappingMetrics['shards'];
}

const nameOf = (functionArn: string): string => functionArn.slice(functionArn.lastIndexOf(':') + 1);

/**
 * Joins the stored mappings (the control plane's truth: state, last result)
 * with the engine's counters; a mapping the engine has not counted yet shows zeros.
 */
export function mappingStatuses(mappings: EventSourceMapping[], metrics: MappingMetrics[], now: number, transitionMs: number): MappingStatus[] {
  const byUuid = new Map(metrics.map((m) => [m.uuid, m]));
  return mappings.map((mapping) => {
    const counted = byUuid.get(mapping.uuid);
    return {
      uuid: mapping.uuid,
      functionArn: mapping.functionArn,
      functionName: nameOf(mapping.functionArn),
      eventSourceArn: mapping.eventSourceArn,
      state: reportedState(mapping, now, transitionMs),
      batchSize: mapping.batchSize,
      lastProcessingResult: counted?.lastProcessingResult ?? mapping.lastProcessingResult,
      iteratorAgeMs: counted?.iteratorAgeMs ?? 0,
      invocations: counted?.invocations ?? 0,
      errors: counted?.errors ?? 0,
      throttles: counted?.throttles ?? 0,
      recordsDelivered: counted?.recordsDelivered ?? 0,
      recordsFiltered: counted?.recordsFiltered ?? 0,
      recordsFailed: counted?.recordsFailed ?? 0,
      onFailureSends: counted?.onFailureSends ?? 0,
      shards: counted?.shards ?? [],
    };
  });
}

/** A label value as the exposition format writes it: backslash, quote and newline escaped. */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

const labels = (pairs: Record<string, string>): string =>
  `{${Object.entries(pairs)
    .map(([name, value]) => `${name}="${escapeLabel(value)}"`)
    .join(',')}}`;

type Family = { name: string; type: 'gauge' | 'counter'; help: string; value: (s: MappingStatus) => number };

/** Per-mapping families; counters count since Eddy started (the engine keeps them in memory). */
const FAMILIES: Family[] = [
  { name: 'eddy_esm_iterator_age_milliseconds', type: 'gauge', help: 'Age of the last record of the last batch handed to the function (AWS IteratorAge).', value: (s) => s.iteratorAgeMs },
  { name: 'eddy_esm_invocations_total', type: 'counter', help: 'Function invocations made by the mapping.', value: (s) => s.invocations },
  { name: 'eddy_esm_errors_total', type: 'counter', help: 'Invocations that ended in a function error.', value: (s) => s.errors },
  { name: 'eddy_esm_throttles_total', type: 'counter', help: 'Invocations refused for concurrency (retried without consuming attempts).', value: (s) => s.throttles },
  { name: 'eddy_esm_records_delivered_total', type: 'counter', help: 'Records handed to the function and checkpointed.', value: (s) => s.recordsDelivered },
  { name: 'eddy_esm_records_filtered_total', type: 'counter', help: 'Records dropped by FilterCriteria (checkpointed, never delivered).', value: (s) => s.recordsFiltered },
  { name: 'eddy_esm_records_failed_total', type: 'counter', help: 'Records given up on (retries exhausted or too old).', value: (s) => s.recordsFailed },
  { name: 'eddy_esm_on_failure_sends_total', type: 'counter', help: 'Failure records sent to the on-failure destination.', value: (s) => s.onFailureSends },
];

/**
 * The Prometheus text format: one family per counter, labelled by mapping
 * UUID, function name and event source ARN; `eddy_esm_info` carries the state
 * and last processing result; per-shard lag (records behind) and iterator age
 * are labelled by shard too.
 */
export function renderPrometheus(statuses: MappingStatus[]): string {
  const lines: string[] = [];
  lines.push('# HELP eddy_esm_info Event source mapping state and last processing result (value always 1).', '# TYPE eddy_esm_info gauge');
  for (const s of statuses) {
    lines.push(`eddy_esm_info${labels({ uuid: s.uuid, function: s.functionName, event_source_arn: s.eventSourceArn, state: s.state, last_processing_result: s.lastProcessingResult })} 1`);
  }
  for (const family of FAMILIES) {
    lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type}`);
    for (const s of statuses) lines.push(`${family.name}${labels({ uuid: s.uuid, function: s.functionName, event_source_arn: s.eventSourceArn })} ${family.value(s)}`);
  }
  lines.push('# HELP eddy_esm_shard_lag_records Committed records of the shard not yet processed, filtered or given up on.', '# TYPE eddy_esm_shard_lag_records gauge');
  for (const s of statuses) {
    for (const shard of s.shards) lines.push(`eddy_esm_shard_lag_records${labels({ uuid: s.uuid, function: s.functionName, shard: shard.shardId })} ${shard.lagRecords}`);
  }
  lines.push('# HELP eddy_esm_shard_iterator_age_milliseconds Age of the last record of the shard handed to the function.', '# TYPE eddy_esm_shard_iterator_age_milliseconds gauge');
  for (const s of statuses) {
    for (const shard of s.shards) lines.push(`eddy_esm_shard_iterator_age_milliseconds${labels({ uuid: s.uuid, function: s.functionName, shard: shard.shardId })} ${shard.iteratorAgeMs}`);
  }
  return `${lines.join('\n')}\n`;
}
