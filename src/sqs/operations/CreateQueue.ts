import type { SqsContext } from '../context.js';
import { sqsError } from '../errors.js';
import { checkAttributes, initialAttributes } from '../queue-attributes.js';
import { checkQueueName, queueArn, queueUrl } from '../queue-names.js';
import { checkTags } from '../tags.js';

interface Input {
  QueueName: string;
  Attributes?: Record<string, string>;
  tags?: Record<string, string>;
}

/** Creates a queue, or answers the existing one's URL when every attribute given matches it. */
export function CreateQueue(input: Input, ctx: SqsContext): { QueueUrl: string } {
  const given = input.Attributes ?? {};
  const name = input.QueueName;
  const fifo = given.FifoQueue === 'true';
  checkQueueName(name, fifo);
  const address = { account: ctx.accountId, region: ctx.region, name };
  const attributes = checkAttributes(given, { arn: queueArn(address), fifo }, true, (arn) => ctx.queues.byArn(arn));
  const tags = input.tags ?? {};
  checkTags(tags);

  const existing = ctx.queues.catalog.get(address);
  if (existing) {
    // Only the attributes given are compared (an empty RedrivePolicy means none).
    for (const [key, value] of Object.entries(attributes)) {
      if ((existing.attributes[key] ?? '') !== value && !(key === 'FifoQueue' && value === 'false' && !existing.fifo)) {
        throw sqsError('QueueNameExists', `A queue already exists with the same name and a different value for attribute ${key}`);
      }
    }
    return { QueueUrl: queueUrl(ctx.host, existing) };
  }
  const now = ctx.queues.clock.now();
  if (ctx.queues.recentlyDeleted(`${address.account}/${address.region}/${name}`, now)) {
    throw sqsError('QueueDeletedRecently', 'You must wait 60 seconds after deleting a queue before you can create another with the same name.');
  }
  const queue = ctx.queues.catalog.create(address, initialAttributes(attributes, fifo), tags, now);
  return { QueueUrl: queueUrl(ctx.host, queue) };
}
