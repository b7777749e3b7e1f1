import { randomBytes, randomUUID } from 'node:crypto';
import { checkTopicArn, invalidParameter, parseArn, topicNotFound } from '../arns.js';
import type { SnsContext } from '../context.js';
import { isLocalEndpoint } from '../publisher.js';
import { checkSubscriptionAttribute } from '../subscription-attributes.js';
import { isFifoTopic } from '../topic-attributes.js';

interface Input {
  TopicArn: string;
  Protocol: string;
  Endpoint?: string;
  Attributes?: Record<string, string>;
  ReturnSubscriptionArn?: boolean;
}

/** Protocols Eddy delivers to. */
const DELIVERED = new Set(['sqs', 'lambda', 'http', 'https']);
/** Protocols AWS has and Eddy does not deliver to. */
const NOT_DELIVERED = new Set(['email', 'email-json', 'sms', 'application', 'firehose']);

/**
 * Subscribes an endpoint. SQS queues and Lambda functions (same account) are
 * confirmed at once; http(s) endpoints are sent a SubscriptionConfirmation and
 * stay pending until ConfirmSubscription. Subscribing the same endpoint again
 * returns the existing subscription, unless its attributes differ.
 */
export function Subscribe(input: Input, ctx: SnsContext): { SubscriptionArn: string } {
  checkTopicArn(input.TopicArn, ctx.region);
  const topic = ctx.store.topic(input.TopicArn);
  if (!topic) throw topicNotFound();
  const { Protocol: protocol } = input;
  if (!NOT_DELIVERED.has(protocol) && !DELIVERED.has(protocol)) throw invalidParameter(`Amazon SNS does not support this protocol string: ${protocol}`);
  // FIFO topics deliver to SQS queues only.
  if (isFifoTopic(topic) && protocol !== 'sqs') throw invalidParameter(`Invalid protocol type: ${protocol}`);
  if (NOT_DELIVERED.has(protocol)) throw invalidParameter(`Protocol Reason: Eddy does not deliver to the ${protocol} protocol`);
  const endpoint = input.Endpoint;
  if (endpoint === undefined || endpoint === '') throw invalidParameter('Endpoint');
  checkEndpoint(protocol, endpoint, input.TopicArn);

  const requested = input.Attributes ?? {};
  const scope = requested.FilterPolicyScope === 'MessageBody' ? 'MessageBody' : 'MessageAttributes';
  const attributes: Record<string, string> = {};
  // The scope first: the policy is checked against it.
  for (const name of Object.keys(requested).sort((a, b) => Number(b === 'FilterPolicyScope') - Number(a === 'FilterPolicyScope'))) {
    attributes[name] = checkSubscriptionAttribute(name, requested[name]!, { protocol, endpoint, topicArn: input.TopicArn, filterPolicyScope: scope }, 'Subscribe');
  }

  const existing = ctx.store.subscriptionOfEndpoint(input.TopicArn, protocol, endpoint);
  if (existing) {
    for (const [name, value] of Object.entries(attributes)) {
      if ((existing.attributes[name] ?? defaultOf(name)) !== value) throw invalidParameter('Attributes Reason: Subscription already exists with different attributes');
    }
    return { SubscriptionArn: existing.pending && !input.ReturnSubscriptionArn ? 'pending confirmation' : existing.arn };
  }

  const pending = protocol === 'http' || protocol === 'https';
  const subscription = {
    arn: `${input.TopicArn}:${randomUUID()}`,
    topicArn: input.TopicArn,
    account: ctx.accountId,
    region: ctx.region,
    protocol,
    endpoint,
    owner: ctx.accountId,
    attributes,
    pending,
    // AWS's confirmation tokens are long hex strings.
    token: pending ? randomBytes(144).toString('hex') : undefined,
  };
  ctx.store.insertSubscription(subscription);
  if (!pending) return { SubscriptionArn: subscription.arn };
  ctx.publisher.sendConfirmation(subscription);
  return { SubscriptionArn: input.ReturnSubscriptionArn ? subscription.arn : 'pending confirmation' };
}

const defaultOf = (name: string): string | undefined => (name === 'RawMessageDelivery' ? 'false' : name === 'FilterPolicyScope' ? 'MessageAttributes' : undefined);

function checkEndpoint(protocol: string, endpoint: string, topicArn: string): void {
  if (protocol === 'http' || protocol === 'https') {
    if (!endpoint.startsWith(`${protocol}://`)) throw invalidParameter('Endpoint must match the specified protocol');
    if (!isLocalEndpoint(endpoint)) throw invalidParameter(`Endpoint Reason: Eddy delivers only to endpoints on this machine (localhost, 127.0.0.1, ::1): ${endpoint}`);
    return;
  }
  const arn = parseArn(endpoint);
  if (protocol === 'sqs') {
    if (!arn || arn.service !== 'sqs') throw invalidParameter('SQS endpoint ARN');
    // AWS's text repeats its prefix.
    if (arn.resource.endsWith('.fifo') && !topicArn.endsWith('.fifo')) {
      throw invalidParameter('Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics');
    }
    return;
  }
  if (!arn || arn.service !== 'lambda') throw invalidParameter('Lambda endpoint ARN');
}
