import { invalidParameter, parseArn } from '../arns.js';
import type { SnsContext } from '../context.js';
import { AUTHENTICATE_ON_UNSUBSCRIBE, CONFIRMATION_WAS_AUTHENTICATED } from '../subscription-attributes.js';

/**
 * Confirms an http(s) subscription with the token its endpoint was sent.
 * Served unsigned too: the SubscribeURL of the confirmation message is a GET
 * of it. A signed confirmation with AuthenticateOnUnsubscribe=true makes
 * unsigned unsubscribes (the UnsubscribeURL) fail from then on.
 */
export function ConfirmSubscription(input: { TopicArn: string; Token: string; AuthenticateOnUnsubscribe?: string }, ctx: SnsContext): { SubscriptionArn: string } {
  if (!parseArn(input.TopicArn)) throw invalidParameter('Topic');
  const subscription = ctx.store.subscriptionByToken(input.Token);
  if (!subscription || subscription.topicArn !== input.TopicArn) throw invalidParameter('Token');
  if (subscription.pending) {
    subscription.pending = false;
    subscription.attributes[CONFIRMATION_WAS_AUTHENTICATED] = ctx.signed ? 'true' : 'false';
    if (ctx.signed && input.AuthenticateOnUnsubscribe?.toLowerCase() === 'true') subscription.attributes[AUTHENTICATE_ON_UNSUBSCRIBE] = 'true';
    ctx.store.updateSubscription(subscription);
  }
  return { SubscriptionArn: subscription.arn };
}
