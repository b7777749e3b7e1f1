import { invalidParameter } from './arns.js';
import { DeliveryPolicyError, parseTopicDeliveryPolicy, topicEffectiveView } from './delivery-policy.js';
import type { TopicRecord } from './sns-store.js';

/**
 * Topic attributes a caller may set (CreateTopic's Attributes,
 * SetTopicAttributes). The delivery-status logging ones are kept and shown
 * as set; Eddy writes no CloudWatch logs for them.
 */
const SETTABLE = new Set([
  'DisplayName',
  'Policy',
  'DeliveryPolicy',
  'KmsMasterKeyId',
  'SignatureVersion',
  'TracingConfig',
  'ContentBasedDeduplication',
  'FifoThroughputScope',
  ...['Application', 'Firehose', 'HTTP', 'Lambda', 'SQS'].flatMap((p) => [`${p}SuccessFeedbackRoleArn`, `${p}SuccessFeedbackSampleRate`, `${p}FailureFeedbackRoleArn`]),
]);

/** Attributes AWS has that change what SNS does in ways Eddy does not simulate: refused by name. */
const NOT_SIMULATED: Record<string, string> = {
  ArchivePolicy: 'message archiving and replay',
  DataProtectionPolicy: 'data protection policies',
};

/** The policy a new topic gets: its owner may do everything. */
export function defaultTopicPolicy(topicArn: string, account: string): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [
          'SNS:GetTopicAttributes',
          'SNS:SetTopicAttributes',
          'SNS:AddPermission',
          'SNS:RemovePermission',
          'SNS:DeleteTopic',
          'SNS:Subscribe',
          'SNS:ListSubscriptionsByTopic',
          'SNS:Publish',
        ],
        Resource: topicArn,
        Condition: { StringEquals: { 'AWS:SourceOwner': account } },
      },
    ],
  });
}

const isBooleanText = (value: string): boolean => value === 'true' || value === 'false';

/**
 * Checks one attribute a caller sets on a topic; `creating` for CreateTopic
 * (where FifoTopic is allowed). Returns the value to store.
 */
export function checkTopicAttribute(name: string, value: string, topic: { fifo: boolean }, creating: boolean): string {
  if (name in NOT_SIMULATED) throw invalidParameter(`AttributeName Reason: Eddy does not simulate ${NOT_SIMULATED[name]} (${name})`);
  if (name === 'FifoTopic') {
    if (!creating) throw invalidParameter('AttributeName');
    const lower = value.toLowerCase();
    if (!isBooleanText(lower)) throw invalidParameter('Attributes Reason: FifoTopic: Invalid value [' + value + ']. Must be true or false.');
    return lower;
  }
  if (!SETTABLE.has(name)) throw invalidParameter('AttributeName');
  switch (name) {
    case 'ContentBasedDeduplication': {
      if (!topic.fifo) throw invalidParameter('ContentBasedDeduplication Reason: Content based deduplication can only be set for FIFO topics');
      const lower = value.toLowerCase();
      if (!isBooleanText(lower)) throw invalidParameter('ContentBasedDeduplication Reason: Invalid value [' + value + ']. Must be true or false.');
      return lower;
    }
    case 'FifoThroughputScope':
      if (!topic.fifo) throw invalidParameter('FifoThroughputScope Reason: To set FifoThroughputScope, FifoTopic must be set to true.');
      if (value !== 'Topic' && value !== 'MessageGroup') throw invalidParameter(`FifoThroughputScope Reason: Invalid value [${value}]. Please use either Topic or MessageGroup.`);
      return value;
    case 'SignatureVersion':
      if (value !== '1' && value !== '2') throw invalidParameter('SignatureVersion');
      return value;
    case 'TracingConfig':
      if (value !== 'PassThrough' && value !== 'Active') throw invalidParameter('TracingConfig');
      return value;
    case 'DeliveryPolicy':
      try {
        parseTopicDeliveryPolicy(value);
      } catch (error) {
        // CreateTopic words it "Attributes Reason: DeliveryPolicy: ...", SetTopicAttributes "DeliveryPolicy: ...".
        if (error instanceof DeliveryPolicyError) throw invalidParameter(`${creating ? 'Attributes Reason: ' : ''}DeliveryPolicy: ${error.message}`);
        throw error;
      }
      return value;
    case 'Policy':
      try {
        const parsed: unknown = JSON.parse(value);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      } catch {
        throw invalidParameter(`${name}: failed to parse JSON.`);
      }
      return value;
    default:
      return value;
  }
}

/** Every attribute GetTopicAttributes shows: the stored ones, the defaults, and the subscription counts. */
export function topicAttributesView(topic: TopicRecord, counts: { confirmed: number; pending: number }): Record<string, string> {
  const view: Record<string, string> = {
    Policy: defaultTopicPolicy(topic.arn, topic.account),
    Owner: topic.account,
    TopicArn: topic.arn,
    DisplayName: '',
    SubscriptionsPending: String(counts.pending),
    SubscriptionsConfirmed: String(counts.confirmed),
    SubscriptionsDeleted: '0',
    EffectiveDeliveryPolicy: topicEffectiveView(topic.attributes.DeliveryPolicy),
  };
  if (topic.attributes.FifoTopic === 'true') {
    view.FifoTopic = 'true';
    view.ContentBasedDeduplication = 'false';
  }
  Object.assign(view, topic.attributes);
  return view;
}

/** Whether the topic is FIFO (created with FifoTopic=true). */
export const isFifoTopic = (topic: TopicRecord): boolean => topic.attributes.FifoTopic === 'true';
