import { checkTopicArn, invalidParameter, topicNotFound } from '../arns.js';
import type { SnsContext } from '../context.js';
import { checkMessage, type MessageAttributes } from '../message.js';

interface Input {
  TopicArn?: string;
  TargetArn?: string;
  PhoneNumber?: string;
  Message: string;
  Subject?: string;
  MessageStructure?: string;
  MessageAttributes?: MessageAttributes;
  MessageDeduplicationId?: string;
  MessageGroupId?: string;
}

/**
 * Publishes to a topic (named by TopicArn, or by TargetArn as AWS also
 * accepts). SMS and mobile push endpoints are refused by name.
 */
export function Publish(input: Input, ctx: SnsContext): { MessageId: string; SequenceNumber?: string } {
  if (input.PhoneNumber !== undefined) throw invalidParameter('PhoneNumber Reason: Eddy does not send SMS messages; publish to a topic');
  const target = input.TopicArn ?? input.TargetArn;
  if (target === undefined) throw invalidParameter('TopicArn or TargetArn Reason: no value for required parameter');
  if (input.TopicArn === undefined && target.includes(':endpoint/')) throw invalidParameter('TargetArn Reason: Eddy does not deliver to mobile push endpoints');
  const message = checkMessage(input);
  checkTopicArn(target, ctx.region, input.TopicArn === undefined ? 'TargetArn' : 'TopicArn');
  const topic = ctx.store.topicToPublish(target);
  if (!topic) throw topicNotFound();
  const published = ctx.publisher.publish(topic, message);
  return { MessageId: published.messageId, SequenceNumber: published.sequenceNumber };
}
