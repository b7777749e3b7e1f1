import type { SqsContext } from '../context.js';
import { unknownAttribute } from '../errors.js';
import { ALL_ATTRIBUTE_NAMES } from '../queue-attributes.js';
import type { Queue } from '../queue-catalog.js';
import type { Queues } from '../queues.js';

/** Every attribute of a queue as GetQueueAttributes `All` shows it (all values strings, timestamps in epoch seconds). */
export function queueAttributes(queue: Queue, queues: Queues): Record<string, string> {
  const counts = queues.counts(queue);
  return {
    QueueArn: queue.arn,
    ApproximateNumberOfMessages: String(counts.visible),
    ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
    ApproximateNumberOfMessagesDelayed: String(counts.delayed),
    CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
    LastModifiedTimestamp: String(Math.floor(queue.modifiedAt / 1000)),
    ...queue.attributes,
  };
}

export function GetQueueAttributes(input: { QueueUrl: string; AttributeNames?: string[] }, ctx: SqsContext): { Attributes?: Record<string, string> } {
  const queue = ctx.queues.byUrl(input.QueueUrl, ctx.region);
  const names = input.AttributeNames ?? [];
  for (const name of names) if (name !== 'All' && !ALL_ATTRIBUTE_NAMES.has(name)) throw unknownAttribute(name);
  if (names.length === 0) return {};
  const all = queueAttributes(queue, ctx.queues);
  if (names.includes('All')) return { Attributes: all };
  const out: Record<string, string> = {};
  for (const name of names) if (all[name] !== undefined) out[name] = all[name];
  return Object.keys(out).length > 0 ? { Attributes: out } : {};
}
