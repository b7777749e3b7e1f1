import { tableNotFound } from '../../dynamodb/errors.js';
import type { StreamsContext } from '../context.js';

interface ListStreamsInput {
  TableName?: string;
  Limit?: number;
  ExclusiveStartStreamArn?: string;
}

export function ListStreams(input: ListStreamsInput, ctx: StreamsContext): unknown {
  let streams = ctx.engine.store.streamsOf(ctx.accountId, ctx.region);
  if (input.TableName !== undefined) {
    const table = ctx.tables.find(ctx.accountId, ctx.region, input.TableName);
    // A deleted table's streams stay listable while their records live.
    if (!table && !streams.some((s) => s.table_name === input.TableName)) throw tableNotFound(input.TableName);
    streams = streams.filter((s) => s.table_name === input.TableName);
  }
  if (input.ExclusiveStartStreamArn !== undefined) streams = streams.filter((s) => s.arn > input.ExclusiveStartStreamArn!);
  const limit = input.Limit ?? 100;
  const page = streams.slice(0, limit);
  return {
    Streams: page.map((s) => ({ StreamArn: s.arn, TableName: s.table_name, StreamLabel: s.label })),
    ...(streams.length > limit ? { LastEvaluatedStreamArn: page[page.length - 1]!.arn } : {}),
  };
}
