import type { SqsContext } from '../context.js';
import { checkTags } from '../tags.js';

export function TagQueue(input: { QueueUrl: string; Tags: Record<string, string> }, ctx: SqsContext): Record<string, never> {
  const queue = ctx.queues.byUrl(input.QueueUrl, ctx.region);
  checkTags(input.Tags ?? {}, queue.tags);
  ctx.queues.catalog.setTags(queue, { ...queue.tags, ...input.Tags });
  return {};
}

export function UntagQueue(input: { QueueUrl: string; TagKeys: string[] }, ctx: SqsContext): Record<string, never> {
  const queue = ctx.queues.byUrl(input.QueueUrl, ctx.region);
  const tags = { ...queue.tags };
  for (const key of input.TagKeys ?? []) delete tags[key];
  ctx.queues.catalog.setTags(queue, tags);
  return {};
}

export function ListQueueTags(input: { QueueUrl: string }, ctx: SqsContext): { Tags?: Record<string, string> } {
  const queue = ctx.queues.byUrl(input.QueueUrl, ctx.region);
  return Object.keys(queue.tags).length > 0 ? { Tags: { ...queue.tags } } : {};
}
