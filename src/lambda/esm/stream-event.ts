import { formatSequenceNumber } from '../../streams/sequence-numbers.js';

/** One stream record as the function receives it, with what the engine needs to batch it. */
export interface EventRecord {
  /** Internal sequence (ddb_stream_records.seq). */
  seq: number;
  sequenceNumber: string;
  /** Eddy-clock epoch ms the record was written. */
  createdAt: number;
  /** The record's JSON in the event. */
  text: string;
  /** The record as filters see it. */
  value: Record<string, unknown>;
  /** Hash of the item key (partition + sort key): the key lane under parallelization. */
  keyHash: number;
}

interface StoredRecord {
  dynamodb: Record<string, unknown>;
  userIdentity?: { PrincipalId: string; Type: string };
  [field: string]: unknown;
}

/**
 * A stored stream record as Lambda delivers it: the GetRecords record with its
 * SequenceNumber (placed before SizeBytes, as AWS orders it), userIdentity
 * spelled `{type, principalId}`, and `eventSourceARN` (the stream ARN).
 */
export function toEventRecord(row: { seq: number; created_at: number; record: string }, streamArn: string): EventRecord {
  const stored = JSON.parse(row.record) as StoredRecord;
  const sequenceNumber = formatSequenceNumber(row.seq);
  const { SizeBytes, StreamViewType, ...rest } = stored.dynamodb;
  const { userIdentity, ...fields } = stored;
  const value: Record<string, unknown> = {
    ...fields,
    dynamodb: { ...rest, SequenceNumber: sequenceNumber, SizeBytes, StreamViewType },
    ...(userIdentity ? { userIdentity: { type: userIdentity.Type, principalId: userIdentity.PrincipalId } } : {}),
    eventSourceARN: streamArn,
  };
  return { seq: row.seq, sequenceNumber, createdAt: row.created_at, text: JSON.stringify(value), value, keyHash: fnv1a(JSON.stringify(rest.Keys)) };
}

/** The key lane (0..factor-1) of an item key under ParallelizationFactor `factor`. */
export function keyLane(keys: unknown, factor: number): number {
  return fnv1a(JSON.stringify(keys)) % factor;
}

/** FNV-1a: every change of one item hashes alike, so it stays in one key lane, in order. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** Lambda's synchronous payload limit: a batch stops growing before it. */
export const MAX_PAYLOAD_BYTES = 6_291_456;
/** `{"Records":[` + `]}` plus room for the tumbling window fields. */
export const EVENT_OVERHEAD_BYTES = 14;

export interface WindowFields {
  start: number;
  end: number;
  state: unknown;
  shardId: string;
  eventSourceArn: string;
  isFinalInvokeForWindow: boolean;
  isWindowTerminatedEarly: boolean;
}

/** The invocation payload: `{"Records":[...]}`, with the tumbling window fields when the mapping has a window. */
export function eventPayload(records: readonly EventRecord[], window?: WindowFields): string {
  const body = `{"Records":[${records.map((record) => record.text).join(',')}]`;
  if (!window) return `${body}}`;
  const extra = {
    window: { start: secondsIso(window.start), end: secondsIso(window.end) },
    state: window.state,
    shardId: window.shardId,
    eventSourceARN: window.eventSourceArn,
    isFinalInvokeForWindow: window.isFinalInvokeForWindow,
    isWindowTerminatedEarly: window.isWindowTerminatedEarly,
  };
  return `${body},${JSON.stringify(extra).slice(1)}`;
}

/** Window bounds as AWS writes them: `2020-12-09T07:04:00Z`. */
function secondsIso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
