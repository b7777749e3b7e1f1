import { PAGE_SIZE, type SnsContext } from '../context.js';
import { nextTokenFor, rowAfter } from '../paging.js';
import { listed } from './list-subscriptions.js';

export function ListSubscriptions(input: { NextToken?: string }, ctx: SnsContext): { Subscriptions: ReturnType<typeof listed>[]; NextToken?: string } {
  const page = ctx.store.subscriptionsPage({ account: ctx.accountId, region: ctx.region }, rowAfter(input.NextToken), PAGE_SIZE);
  return { Subscriptions: page.subscriptions.map(listed), NextToken: page.more ? nextTokenFor(page.last) : undefined };
}
