import type { SnsContext } from '../context.js';
import { subscriptionAttributesView } from '../subscription-attributes.js';
import { subscriptionOf } from './subscription-lookup.js';

export function GetSubscriptionAttributes(input: { SubscriptionArn: string }, ctx: SnsContext): { Attributes: Record<string, string> } {
  const subscription = subscriptionOf(input.SubscriptionArn, ctx);
  return { Attributes: subscriptionAttributesView(subscription, ctx.store.topic(subscription.topicArn)?.attributes.DeliveryPolicy) };
}
