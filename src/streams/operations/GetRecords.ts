import { AwsError } from '../../edge/errors.js';
import { RawJson } from '../../edge/json-protocol.js';
import type { StreamsContext } from '../context.js';
import { formatSequenceNumber } from '../sequence-numbers.js';
import { withSequenceNumber } from '../stream-record.js';

/** Shard iterators expire 15 minutes after they are issued. */
export const ITERATOR_LIFETIME_MS = 15 * 60 * 1000;
const MAX_RECORDS = 1000;
const MAX_RESPONSE_BYTES = 1024 * 1024;

interface GetRecordsInput {
  ShardIterator: string;
  Limit?: number;
}

/**
 * Reads the records after the iterator's position. An empty page does not
 * mean the end: only a missing NextShardIterator does, once a closed shard is
 * read to its end.
 */
export function GetRecords(input: GetRecordsInput, ctx: StreamsContext): unknown {
  if (input.Limit !== undefined && input.Limit > MAX_RECORDS) {
    throw new AwsError('ValidationException', `1 validation error detected: Value '${input.Limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to ${MAX_RECORDS}`);
  }
  const position = ctx.iterators.decode(input.ShardIterator);
  // Unverified wording for a forged iterator.
  if (!position) throw new AwsError('ValidationException', 'Invalid ShardIterator');
  const now = ctx.clock.now();
  if (now - position.issuedAt > ITERATOR_LIFETIME_MS) {
    throw new AwsError('ExpiredIteratorException', `Iterator expired. The iterator was created at time ${new Date(position.issuedAt).toISOString()} while right now it's time ${new Date(now).toISOString()} which is further in the future than the tolerated delay of ${ITERATOR_LIFETIME_MS} milliseconds.`);
  }
  const { store } = ctx.engine;
  ctx.engine.rollOverDueShards();
  const shard = store.shardById.get(position.shardId);
  const trimmedThrough = store.trimmedThrough.get(position.shardId)?.trimmed_through ?? 0;
  // The iterator's shard went with its stream (deleted once a disabled stream's records expired).
  // AWS's wording as seen in public reports of real DynamoDB Streams answers; not in its documentation.
  if (!shard) throw new AwsError('ResourceNotFoundException', 'Invalid ShardId in ShardIterator');
  if (position.after < trimmedThrough) {
    throw new AwsError('TrimmedDataAccessException', 'Attempted to access data that has been trimmed');
  }
  if (!ctx.readers.admit(shard.shard_id, position.reader, position.continued, now)) {
    throw new AwsError('LimitExceededException', 'Too many concurrent readers of this shard; at most 2 processes should read a shard at once');
  }

  const rows = store.recordsAfter(shard.shard_no, position.after, input.Limit ?? MAX_RECORDS);
  const records: string[] = [];
  let bytes = 0;
  let last = position.after;
  for (const row of rows) {
    if (records.length > 0 && bytes + row.record.length > MAX_RESPONSE_BYTES) break;
    records.push(withSequenceNumber(row.record, formatSequenceNumber(row.seq)));
    bytes += row.record.length;
    last = row.seq;
  }
  const closedAndRead = shard.ending_seq !== null && store.recordsAfter(shard.shard_no, last, 1).length === 0;
  const next = closedAndRead ? '' : `,"NextShardIterator":${JSON.stringify(ctx.iterators.encode({ ...position, after: last, issuedAt: now, continued: true }))}`;
  // The records' JSON is spliced, not parsed and written again.
  return new RawJson(`{"Records":[${records.join(',')}]${next}}`);
}
