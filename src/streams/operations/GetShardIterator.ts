import { randomUUID } from 'node:crypto';
import { AwsError } from '../../edge/errors.js';
import type { StreamsContext } from '../context.js';
import { shardNotFound, streamNotFound } from '../errors.js';
import { parseSequenceNumber } from '../sequence-numbers.js';

type IteratorType = 'TRIM_HORIZON' | 'LATEST' | 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER';

interface GetShardIteratorInput {
  StreamArn: string;
  ShardId: string;
  ShardIteratorType: IteratorType;
  SequenceNumber?: string;
}

export function GetShardIterator(input: GetShardIteratorInput, ctx: StreamsContext): unknown {
  const { store } = ctx.engine;
  ctx.engine.rollOverDueShards();
  const stream = store.streamByArn.get(input.StreamArn);
  if (!stream) throw streamNotFound(input.StreamArn);
  const shard = store.shardById.get(input.ShardId);
  if (!shard || shard.stream_arn !== stream.arn) throw shardNotFound(input.ShardId, stream.arn);
  const trimmedThrough = store.trimmedThrough.get(shard.shard_id)?.trimmed_through ?? 0;
  const beforeFirst = Math.max(trimmedThrough, shard.starting_seq - 1);

  let after: number;
  const bySequence = input.ShardIteratorType === 'AT_SEQUENCE_NUMBER' || input.ShardIteratorType === 'AFTER_SEQUENCE_NUMBER';
  if (bySequence !== (input.SequenceNumber !== undefined)) {
    // Unverified wording: AWS documents that the two go together.
    throw new AwsError(
      'ValidationException',
      bySequence
        ? `SequenceNumber is required for ShardIteratorType ${input.ShardIteratorType}`
        : `SequenceNumber must not be specified for ShardIteratorType ${input.ShardIteratorType}`,
    );
  }
  if (input.ShardIteratorType === 'TRIM_HORIZON') {
    after = beforeFirst;
  } else if (input.ShardIteratorType === 'LATEST') {
    after = shard.ending_seq ?? Math.max(store.lastSeqOfShard(shard.shard_no) ?? 0, beforeFirst);
  } else {
    const seq = parseSequenceNumber(input.SequenceNumber!);
    const inShard = seq !== undefined && seq >= shard.starting_seq && (shard.ending_seq === null || seq <= shard.ending_seq);
    if (!inShard) {
      throw new AwsError('ValidationException', `Invalid SequenceNumber ${input.SequenceNumber} for shard ${shard.shard_id}`);
    }
    if (seq! <= trimmedThrough) {
      throw new AwsError('TrimmedDataAccessException', `Attempted to access data that has been trimmed: sequence number ${input.SequenceNumber} in shard ${shard.shard_id}`);
    }
    after = input.ShardIteratorType === 'AT_SEQUENCE_NUMBER' ? seq! - 1 : seq!;
  }
  const ShardIterator = ctx.iterators.encode({ streamArn: stream.arn, shardId: shard.shard_id, after, issuedAt: ctx.clock.now(), reader: randomUUID(), continued: false });
  return { ShardIterator };
}
