import type { StreamsContext } from '../context.js';
import { describeShard, streamStatus } from '../describe.js';
import { streamNotFound } from '../errors.js';

interface DescribeStreamInput {
  StreamArn: string;
  Limit?: number;
  ExclusiveStartShardId?: string;
}

export function DescribeStream(input: DescribeStreamInput, ctx: StreamsContext): unknown {
  ctx.engine.rollOverDueShards();
  const stream = ctx.engine.store.streamByArn.get(input.StreamArn);
  if (!stream) throw streamNotFound(input.StreamArn);
  let shards = ctx.engine.store.shardsOf(stream.arn);
  if (input.ExclusiveStartShardId !== undefined) {
    const at = shards.findIndex((s) => s.shard_id === input.ExclusiveStartShardId);
    shards = at === -1 ? [] : shards.slice(at + 1);
  }
  const limit = input.Limit ?? 100;
  const page = shards.slice(0, limit);
  return {
    StreamDescription: {
      StreamArn: stream.arn,
      StreamLabel: stream.label,
      StreamStatus: streamStatus(stream),
      StreamViewType: stream.view_type,
      CreationRequestDateTime: stream.created_at / 1000,
      TableName: stream.table_name,
      KeySchema: JSON.parse(stream.key_schema),
      Shards: page.map(describeShard),
      ...(shards.length > limit ? { LastEvaluatedShardId: page[page.length - 1]!.shard_id } : {}),
    },
  };
}
