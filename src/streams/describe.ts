import type { ShardRow, StreamRow } from './stream-store.js';
import { formatSequenceNumber } from './sequence-numbers.js';

export function streamStatus(row: StreamRow): 'ENABLED' | 'DISABLED' {
  return row.disabled_at === null ? 'ENABLED' : 'DISABLED';
}

export function describeShard(shard: ShardRow): Record<string, unknown> {
  return {
    ShardId: shard.shard_id,
    SequenceNumberRange: {
      StartingSequenceNumber: formatSequenceNumber(shard.starting_seq),
      ...(shard.ending_seq !== null ? { EndingSequenceNumber: formatSequenceNumber(shard.ending_seq) } : {}),
    },
    ...(shard.parent_shard_id ? { ParentShardId: shard.parent_shard_id } : {}),
  };
}
