import { PAGE_SIZE, type SnsContext } from '../context.js';
import { nextTokenFor, rowAfter } from '../paging.js';

/** The account's topics in the region, 100 a page. */
export function ListTopics(input: { NextToken?: string }, ctx: SnsContext): { Topics: { TopicArn: string }[]; NextToken?: string } {
  const page = ctx.store.topicsPage(ctx.accountId, ctx.region, rowAfter(input.NextToken), PAGE_SIZE);
  return { Topics: page.arns.map((TopicArn) => ({ TopicArn })), NextToken: page.more ? nextTokenFor(page.last) : undefined };
}
