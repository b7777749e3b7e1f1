import type { SqsContext } from '../context.js';
import { checkAttributes } from '../queue-attributes.js';

/** Changes settable attributes; an empty string removes RedrivePolicy, RedriveAllowPolicy, Policy or KmsMasterKeyId. */
export function SetQueueAttributes(input: { QueueUrl: string; Attributes: Record<string, string> }, ctx: SqsContext): Record<string, never> {
  const queue = ctx.queues.byUrl(input.QueueUrl, ctx.region);
  const changes = checkAttributes(input.Attributes ?? {}, queue, false, (arn) => ctx.queues.byArn(arn));
  const attributes = { ...queue.attributes };
  for (const [name, value] of Object.entries(changes)) {
    if (value === '') delete attributes[name];
    else attributes[name] = value;
  }
  ctx.queues.catalog.setAttributes(queue, attributes, ctx.queues.clock.now());
  // A shorter delay or a redrive policy can make messages receivable now.
  ctx.queues.waiters.notify(queue.id);
  return {};
}
