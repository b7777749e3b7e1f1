import { AwsError } from '../../edge/errors.js';
import { invalidParameter, parseArn } from '../arns.js';
import type { SnsContext } from '../context.js';
import type { SubscriptionRecord } from '../sns-store.js';

/** The subscription an ARN names, or SNS's NotFound "Subscription does not exist". */
export function subscriptionOf(arn: string, ctx: SnsContext): SubscriptionRecord {
  if (!parseArn(arn)) throw invalidParameter(`SubscriptionArn Reason: An ARN must have at least 6 elements, not ${arn.split(':').length}`);
  const subscription = ctx.store.subscription(arn);
  if (!subscription) throw new AwsError('NotFound', 'Subscription does not exist', 404);
  return subscription;
}
