import type { SqsContext } from '../context.js';
import { invalidParameter } from '../errors.js';
import { pageOf } from '../paging.js';
import { queueUrl } from '../queue-names.js';

interface Input {
  QueueNamePrefix?: string;
  NextToken?: string;
  MaxResults?: number;
}

/** Queue URLs by name; without MaxResults AWS answers up to 1000 and no NextToken. */
export function ListQueues(input: Input, ctx: SqsContext): { QueueUrls?: string[]; NextToken?: string } {
  if (input.MaxResults !== undefined && (input.MaxResults < 1 || input.MaxResults > 1000)) {
    throw invalidParameter('MaxResults', input.MaxResults, 'MaxResults must be an integer between 1 and 1000.');
  }
  const prefix = input.QueueNamePrefix ?? '';
  const names = ctx.queues.catalog.list(ctx.accountId, ctx.region).filter((q) => q.name.startsWith(prefix));
  const page = pageOf(names, (q) => q.name, input.MaxResults, input.NextToken);
  return {
    ...(page.items.length > 0 ? { QueueUrls: page.items.map((q) => queueUrl(ctx.host, q)) } : {}),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
}
