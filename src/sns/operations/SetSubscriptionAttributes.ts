import type { SnsContext } from '../context.js';
import { checkSubscriptionAttribute, compileFilterPolicy, filterPolicyScopeOf } from '../subscription-attributes.js';
import { subscriptionOf } from './subscription-lookup.js';

/** Sets one attribute; an empty FilterPolicy or DeliveryPolicy removes the policy, as on AWS. */
export function SetSubscriptionAttributes(input: { SubscriptionArn: string; AttributeName: string; AttributeValue?: string }, ctx: SnsContext): void {
  const subscription = subscriptionOf(input.SubscriptionArn, ctx);
  const name = input.AttributeName;
  const value = input.AttributeValue ?? '';
  const scope = filterPolicyScopeOf(subscription.attributes);
  const checked = checkSubscriptionAttribute(name, value, { ...subscription, filterPolicyScope: scope }, 'SetSubscriptionAttributes');
  // A policy in place must hold under its new scope.
  if (name === 'FilterPolicyScope' && subscription.attributes.FilterPolicy) {
    compileFilterPolicy(subscription.attributes.FilterPolicy, filterPolicyScopeOf({ FilterPolicyScope: checked }), 'SetSubscriptionAttributes');
  }
  // An empty FilterPolicy or DeliveryPolicy removes the policy.
  if ((name === 'FilterPolicy' || name === 'DeliveryPolicy') && checked.trim() === '') delete subscription.attributes[name];
  else subscription.attributes[name] = checked;
  ctx.store.updateSubscription(subscription);
}
