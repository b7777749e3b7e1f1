import { checkTopicArn, topicNotFound } from '../arns.js';
import type { SnsContext } from '../context.js';
import { topicAttributesView } from '../topic-attributes.js';

export function GetTopicAttributes(input: { TopicArn: string }, ctx: SnsContext): { Attributes: Record<string, string> } {
  checkTopicArn(input.TopicArn, ctx.region);
  const topic = ctx.store.topic(input.TopicArn);
  if (!topic) throw topicNotFound();
  return { Attributes: topicAttributesView(topic, ctx.store.countSubscriptions(topic.arn)) };
}
