import { invalidParameter, parseArn } from '../arns.js';
import type { SnsContext } from '../context.js';

/**
 * Deletes a subscription. Unsubscribing one that is already gone succeeds; an
 * ARN of a topic (six elements) is refused. Served unsigned too: the
 * UnsubscribeURL of every message is a GET of it.
 */
export function Unsubscribe(input: { SubscriptionArn: string }, ctx: SnsContext): void {
  const parts = input.SubscriptionArn.split(':');
  if (!parseArn(input.SubscriptionArn)) throw invalidParameter(`SubscriptionArn Reason: An ARN must have at least 6 elements, not ${parts.length}`);
  if (parts.length === 6) throw invalidParameter('SubscriptionId');
  ctx.store.deleteSubscription(input.SubscriptionArn);
}
