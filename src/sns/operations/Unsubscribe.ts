import { AwsError } from '../../edge/errors.js';
import { invalidParameter, parseArn } from '../arns.js';
import type { SnsContext } from '../context.js';
import { AUTHENTICATE_ON_UNSUBSCRIBE } from '../subscription-attributes.js';

/**
 * Deletes a subscription. Unsubscribing one that is already gone succeeds; an
 * ARN of a topic (six elements) is refused. Served unsigned too: the
 * UnsubscribeURL of every message is a GET of it, unless the subscription was
 * confirmed with AuthenticateOnUnsubscribe.
 */
export function Unsubscribe(input: { SubscriptionArn: string }, ctx: SnsContext): void {
  const parts = input.SubscriptionArn.split(':');
  if (!parseArn(input.SubscriptionArn)) throw invalidParameter(`SubscriptionArn Reason: An ARN must have at least 6 elements, not ${parts.length}`);
  if (parts.length === 6) throw invalidParameter('SubscriptionId');
  const subscription = ctx.store.subscription(input.SubscriptionArn);
  if (!ctx.signed && subscription?.attributes[AUTHENTICATE_ON_UNSUBSCRIBE] === 'true') {
    throw new AwsError('AuthorizationError', `User: anonymous is not authorized to perform: SNS:Unsubscribe on resource: ${input.SubscriptionArn}`, 403);
  }
  ctx.store.deleteSubscription(input.SubscriptionArn);
}
