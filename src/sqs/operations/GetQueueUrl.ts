import type { SqsContext } from '../context.js';
import { queueDoesNotExist } from '../errors.js';
import { queueUrl } from '../queue-names.js';

export function GetQueueUrl(input: { QueueName: string; QueueOwnerAWSAccountId?: string }, ctx: SqsContext): { QueueUrl: string } {
  const queue = ctx.queues.catalog.get({ account: input.QueueOwnerAWSAccountId ?? ctx.accountId, region: ctx.region, name: input.QueueName });
  if (!queue) throw queueDoesNotExist();
  return { QueueUrl: queueUrl(ctx.host, queue) };
}
