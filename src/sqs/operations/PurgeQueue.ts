import type { SqsContext } from '../context.js';

/** Deletes every message now (AWS: within 60 s); one purge per queue per 60 s of Eddy's clock. */
export function PurgeQueue(input: { QueueUrl: string }, ctx: SqsContext): Record<string, never> {
  ctx.queues.purge(ctx.queues.byUrl(input.QueueUrl, ctx.region));
  return {};
}
