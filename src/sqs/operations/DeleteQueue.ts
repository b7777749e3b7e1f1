import type { SqsContext } from '../context.js';

/** Deletes the queue and its messages at once (AWS takes up to 60 s); long polls on it end empty. */
export function DeleteQueue(input: { QueueUrl: string }, ctx: SqsContext): Record<string, never> {
  ctx.queues.deleteQueue(ctx.queues.byUrl(input.QueueUrl, ctx.region));
  return {};
}
