import type { SqsContext } from '../context.js';
import { invalidParameter } from '../errors.js';
import { pageOf } from '../paging.js';
import { redrivePolicyOf } from '../queue-attributes.js';
import { queueUrl } from '../queue-names.js';

/** The queues whose RedrivePolicy names this one as their dead-letter queue. */
export function ListDeadLetterSourceQueues(
  input: { QueueUrl: string; NextToken?: string; MaxResults?: number },
  ctx: SqsContext,
): { queueUrls: string[]; NextToken?: string } {
  const queue = ctx.queues.byUrl(input.QueueUrl, ctx.region);
  if (input.MaxResults !== undefined && (input.MaxResults < 1 || input.MaxResults > 1000)) {
    throw invalidParameter('MaxResults', input.MaxResults, 'MaxResults must be an integer between 1 and 1000.');
  }
  const sources = ctx.queues.catalog
    .list(queue.account, queue.region)
    .filter((q) => redrivePolicyOf(q.attributes)?.deadLetterTargetArn === queue.arn);
  const page = pageOf(sources, (q) => q.name, input.MaxResults, input.NextToken);
  return { queueUrls: page.items.map((q) => queueUrl(ctx.host, q)), ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
}
