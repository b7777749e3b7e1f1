import type { SnsContext } from '../context.js';
import { subscriptionAttributesView } from '../subscription-attributes.js';
import { subscriptionOf } from './subscription-lookup.js';

export function GetSubscriptionAttributes(input: { SubscriptionArn: string }, ctx: SnsContext): { Attributes: Record<string, string> } {
  return { Attributes: subscriptionAttributesView(subscriptionOf(input.SubscriptionArn, ctx)) };
}
