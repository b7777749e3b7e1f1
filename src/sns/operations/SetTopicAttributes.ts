import { checkTopicArn, topicNotFound } from '../arns.js';
import type { SnsContext } from '../context.js';
import { checkTopicAttribute, isFifoTopic } from '../topic-attributes.js';

/** Resets to the default when given no value. */
const RESETTABLE = new Set(['Policy', 'DeliveryPolicy', 'KmsMasterKeyId']);

export function SetTopicAttributes(input: { TopicArn: string; AttributeName: string; AttributeValue?: string }, ctx: SnsContext): void {
  checkTopicArn(input.TopicArn, ctx.region);
  const topic = ctx.store.topic(input.TopicArn);
  if (!topic) throw topicNotFound();
  const value = input.AttributeValue ?? '';
  if (value === '' && RESETTABLE.has(input.AttributeName)) {
    delete topic.attributes[input.AttributeName];
  } else {
    topic.attributes[input.AttributeName] = checkTopicAttribute(input.AttributeName, value, { fifo: isFifoTopic(topic) }, false);
  }
  ctx.store.updateTopic(topic);
}
