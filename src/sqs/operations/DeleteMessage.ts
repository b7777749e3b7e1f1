import type { SqsContext } from '../context.js';

export function DeleteMessage(input: { QueueUrl: string; ReceiptHandle: string }, ctx: SqsContext): Record<string, never> {
  const queue = ctx.queues.byUrl(input.QueueUrl, ctx.region);
  ctx.queues.deleteMessage(queue, input.ReceiptHandle);
  return {};
}
