import { invalidParameter, parseArn } from '../arns.js';
import type { SnsContext } from '../context.js';

/**
 * Confirms an http(s) subscription with the token its endpoint was sent.
 * Served unsigned too: the SubscribeURL of the confirmation message is a GET of it.
 */
export function ConfirmSubscription(input: { TopicArn: string; Token: string; AuthenticateOnUnsubscribe?: string }, ctx: SnsContext): { SubscriptionArn: string } {
  if (!parseArn(input.TopicArn)) throw invalidParameter('Topic');
  const subscription = ctx.store.subscriptionByToken(input.Token);
  if (!subscription || subscription.topicArn !== input.TopicArn) throw invalidParameter('Token');
  if (subscription.pending) {
    subscription.pending = false;
    ctx.store.updateSubscription(subscription);
  }
  return { SubscriptionArn: subscription.arn };
}
