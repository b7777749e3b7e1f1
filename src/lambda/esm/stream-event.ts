import { formatSequenceNumber } from '../../streams/sequence-numbers.js';
import { withSequenceNumber } from '../../streams/stream-record.js';

/** One stream record as the function receives it, with what the engine needs to batch it. */
export interface EventRecord {
  /** Internal sequence (ddb_stream_records.seq). */
  seq: number;
  sequenceNumber: string;
  /** Eddy-clock epoch ms the record was written. */
  createdAt: number;
  /** The record's JSON in the event. */
  text: string;
  /** Hash of the item key (partition + sort key): picks the key lane under parallelization. */
  keyHash: number;
}

interface StoredRecord {
  dynamodb: Record<string, unknown>;
  userIdentity?: { PrincipalId: string; Type: string };
  [field: string]: unknown;
}

const SIZE_BYTES = ',"SizeBytes":';
const KEYS = '"Keys":';
const USER_IDENTITY = ',"userIdentity":';
const AFTER_KEYS = [',"NewImage":', ',"OldImage":', SIZE_BYTES];

/**
 * A stored stream record as Lambda delivers it: the GetRecords record with its
 * SequenceNumber (placed before SizeBytes, as AWS orders it), userIdentity
 * spelled `{type, principalId}`, and `eventSourceARN` (the stream ARN). The
 * stored text is spliced rather than parsed and written again (the stream
 * writes `dynamodb` last but for userIdentity, and SizeBytes after the
 * images); a record with userIdentity (a TTL delete) takes the slow way.
 */
export function toEventRecord(row: { seq: number; created_at: number; record: string }, streamArn: string): EventRecord {
  const stored = row.record;
  const sequenceNumber = formatSequenceNumber(row.seq);
  const size = stored.lastIndexOf(SIZE_BYTES);
  const text =
    size > 0 && !stored.includes(USER_IDENTITY, size)
      ? `${withSequenceNumber(stored, sequenceNumber).slice(0, -1)},"eventSourceARN":${JSON.stringify(streamArn)}}`
      : JSON.stringify(eventValue(JSON.parse(stored) as StoredRecord, sequenceNumber, streamArn));
  return { seq: row.seq, sequenceNumber, createdAt: row.created_at, text, keyHash: fnv1a(keysText(stored)) };
}

function eventValue(stored: StoredRecord, sequenceNumber: string, streamArn: string): Record<string, unknown> {
  const { SizeBytes, StreamViewType, ...rest } = stored.dynamodb;
  const { userIdentity, ...fields } = stored;
  return {
    ...fields,
    dynamodb: { ...rest, SequenceNumber: sequenceNumber, SizeBytes, StreamViewType },
    ...(userIdentity ? { userIdentity: { type: userIdentity.Type, principalId: userIdentity.PrincipalId } } : {}),
    eventSourceARN: streamArn,
  };
}

/**
 * The text of the record's Keys, up to the first image or SizeBytes after it:
 * the same for every record of one item key (whatever its key values hold),
 * which is all the lane hash needs.
 */
function keysText(stored: string): string {
  const start = stored.indexOf(KEYS);
  let end = stored.length;
  for (const marker of AFTER_KEYS) {
    const at = stored.indexOf(marker, start);
    if (at > 0 && at < end) end = at;
  }
  return stored.slice(start, end);
}

/** The key lane (0..factor-1) of an item key under ParallelizationFactor `factor`. */
export function keyLane(keys: unknown, factor: number): number {
  return fnv1a(`${KEYS}${JSON.stringify(keys)}`) % factor;
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
/** `{"Records":[` and `]}`. */
export const EVENT_OVERHEAD_BYTES = 14;
/** The tumbling window fields but the state: window bounds, shard id, ARN, flags (generous). */
export const WINDOW_FIELDS_BYTES = 1024;

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
