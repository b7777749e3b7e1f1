import type { SubscriptionRecord } from '../sns-store.js';

/** A subscription as the listings show it: `PendingConfirmation` in place of the ARN until confirmed. */
export const listed = (s: SubscriptionRecord) => ({
  SubscriptionArn: s.pending ? 'PendingConfirmation' : s.arn,
  Owner: s.owner,
  Protocol: s.protocol,
  Endpoint: s.endpoint,
  TopicArn: s.topicArn,
});
