import { checkTopicArn, topicNotFound } from '../arns.js';
import { PAGE_SIZE, type SnsContext } from '../context.js';
import { nextTokenFor, rowAfter } from '../paging.js';
import { listed } from './list-subscriptions.js';

export function ListSubscriptionsByTopic(input: { TopicArn: string; NextToken?: string }, ctx: SnsContext): { Subscriptions: ReturnType<typeof listed>[]; NextToken?: string } {
  checkTopicArn(input.TopicArn, ctx.region);
  if (!ctx.store.topic(input.TopicArn)) throw topicNotFound();
  const page = ctx.store.subscriptionsPage({ topicArn: input.TopicArn }, rowAfter(input.NextToken), PAGE_SIZE);
  return { Subscriptions: page.subscriptions.map(listed), NextToken: page.more ? nextTokenFor(page.last) : undefined };
}
