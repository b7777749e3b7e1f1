import type { SqsContext } from '../context.js';
import { invalidParameter } from '../errors.js';

/** VisibilityTimeout 0..43200 seconds (12 hours). */
export function checkVisibilityTimeout(seconds: number): void {
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 43200) {
    throw invalidParameter('VisibilityTimeout', seconds, 'Must be between 0 and 43200, if provided.');
  }
}

export function ChangeMessageVisibility(input: { QueueUrl: string; ReceiptHandle: string; VisibilityTimeout: number }, ctx: SqsContext): Record<string, never> {
  const queue = ctx.queues.byUrl(input.QueueUrl, ctx.region);
  checkVisibilityTimeout(input.VisibilityTimeout);
  ctx.queues.changeVisibility(queue, input.ReceiptHandle, input.VisibilityTimeout);
  return {};
}
