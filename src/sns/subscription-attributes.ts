import { compileSnsFilterPolicy, PatternSyntaxError, snsInvalidParameterMessage, type FilterPolicyScope, type SnsFilterPolicy } from '../event-patterns/index.js';
import { AwsError } from '../edge/errors.js';
import { parseArn } from './arns.js';
import { DeliveryPolicyError, effectivePolicy, parseSubscriptionDeliveryPolicy, subscriptionEffectiveView } from './delivery-policy.js';
import type { SubscriptionRecord } from './sns-store.js';

/** The attributes a subscriber may set (Subscribe's Attributes, SetSubscriptionAttributes). */
const SETTABLE = new Set(['DeliveryPolicy', 'FilterPolicy', 'FilterPolicyScope', 'RawMessageDelivery', 'RedrivePolicy', 'SubscriptionRoleArn', 'ReplayPolicy']);

/** Kept with the attributes when a confirmation was signed (AWS shows it). */
export const CONFIRMATION_WAS_AUTHENTICATED = 'ConfirmationWasAuthenticated';
/** Kept with the attributes, never shown: unsigned Unsubscribe is refused. */
export const AUTHENTICATE_ON_UNSUBSCRIBE = 'AuthenticateOnUnsubscribe';

/** Protocols delivery policies apply to. */
const HTTP_PROTOCOLS = new Set(['http', 'https']);

/** Protocols that take RawMessageDelivery. */
const RAW_PROTOCOLS = new Set(['sqs', 'http', 'https', 'firehose']);

type Operation = 'Subscribe' | 'SetSubscriptionAttributes';

/**
 * Checks one attribute set on a subscription and returns the value to store.
 * Subscribe words its errors "Invalid parameter: Attributes Reason: ...",
 * SetSubscriptionAttributes "Invalid parameter: ...".
 */
export function checkSubscriptionAttribute(
  name: string,
  value: string,
  subscription: { protocol: string; endpoint: string; topicArn: string; filterPolicyScope: FilterPolicyScope },
  operation: Operation,
): string {
  const prefix = operation === 'Subscribe' ? 'Invalid parameter: Attributes Reason: ' : 'Invalid parameter: ';
  const invalid = (detail: string): AwsError => new AwsError('InvalidParameter', prefix + detail, 400);
  if (!SETTABLE.has(name)) throw invalid('AttributeName');
  switch (name) {
    case 'ReplayPolicy':
      throw invalid('ReplayPolicy: Eddy does not simulate message archiving and replay');
    case 'RawMessageDelivery': {
      const lower = value.toLowerCase();
      if (lower !== 'true' && lower !== 'false') throw invalid(`RawMessageDelivery: Invalid value [${value}]. Must be true or false.`);
      if (!RAW_PROTOCOLS.has(subscription.protocol)) throw invalid(`Delivery protocol [${subscription.protocol}] does not support raw message delivery.`);
      return lower;
    }
    case 'FilterPolicyScope':
      if (value !== 'MessageAttributes' && value !== 'MessageBody') {
        throw invalid(`FilterPolicyScope: Invalid value [${value}]. Please use either MessageBody or MessageAttributes`);
      }
      return value;
    case 'FilterPolicy':
      compileFilterPolicy(value, subscription.filterPolicyScope, operation);
      return value;
    case 'RedrivePolicy': {
      let target: unknown;
      try {
        target = (JSON.parse(value) as { deadLetterTargetArn?: unknown }).deadLetterTargetArn;
      } catch {
        throw invalid('RedrivePolicy: failed to parse JSON.');
      }
      const parsed = typeof target === 'string' ? parseArn(target) : undefined;
      if (!parsed) throw invalid('RedrivePolicy: deadLetterTargetArn is an invalid arn');
      if (subscription.topicArn.endsWith('.fifo') && subscription.endpoint.endsWith('.fifo') && (parsed.service !== 'sqs' || !parsed.resource.endsWith('.fifo'))) {
        throw invalid('RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.');
      }
      return value;
    }
    case 'DeliveryPolicy':
      if (operation === 'SetSubscriptionAttributes' && value === '') return value;
      if (!HTTP_PROTOCOLS.has(subscription.protocol)) throw invalid(`DeliveryPolicy: Eddy applies delivery policies to http and https subscriptions only, not ${subscription.protocol}`);
      try {
        parseSubscriptionDeliveryPolicy(value);
      } catch (error) {
        if (error instanceof DeliveryPolicyError) throw invalid(`DeliveryPolicy: ${error.message}`);
        throw error;
      }
      return value;
    default:
      return value;
  }
}

/** Compiles a filter policy with the shared matcher, answering SNS's InvalidParameter for a bad one. */
export function compileFilterPolicy(policy: string, scope: FilterPolicyScope, operation: Operation): SnsFilterPolicy {
  try {
    return compileSnsFilterPolicy(policy, scope);
  } catch (error) {
    if (error instanceof PatternSyntaxError) throw new AwsError('InvalidParameter', snsInvalidParameterMessage(error, operation), 400);
    throw error;
  }
}

/** The scope a subscription's filter policy applies to. */
export const filterPolicyScopeOf = (attributes: Record<string, string>): FilterPolicyScope =>
  attributes.FilterPolicyScope === 'MessageBody' ? 'MessageBody' : 'MessageAttributes';

/** Every attribute GetSubscriptionAttributes shows; `topicDeliveryPolicy` is the topic's DeliveryPolicy, if any. */
export function subscriptionAttributesView(subscription: SubscriptionRecord, topicDeliveryPolicy: string | undefined): Record<string, string> {
  const view: Record<string, string> = {
    Owner: subscription.owner,
    RawMessageDelivery: 'false',
    TopicArn: subscription.topicArn,
    Endpoint: subscription.endpoint,
    Protocol: subscription.protocol,
    PendingConfirmation: subscription.pending ? 'true' : 'false',
    ConfirmationWasAuthenticated: subscription.pending ? 'false' : 'true',
    SubscriptionArn: subscription.arn,
    SubscriptionPrincipal: `arn:aws:iam::${subscription.owner}:root`,
  };
  Object.assign(view, subscription.attributes);
  if (HTTP_PROTOCOLS.has(subscription.protocol)) {
    view.EffectiveDeliveryPolicy = subscriptionEffectiveView(effectivePolicy(subscription.protocol, topicDeliveryPolicy, subscription.attributes.DeliveryPolicy));
  }
  delete view[AUTHENTICATE_ON_UNSUBSCRIBE];
  // The scope shows only beside a policy (AWS leaves both out when none is set).
  if (view.FilterPolicy && !view.FilterPolicyScope) view.FilterPolicyScope = 'MessageAttributes';
  if (!view.FilterPolicy) {
    delete view.FilterPolicy;
    delete view.FilterPolicyScope;
  }
  return view;
}
