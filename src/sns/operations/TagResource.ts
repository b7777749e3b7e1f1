import type { SnsContext, Tag } from '../context.js';
import { checkNewTags, mergeTags } from '../tags.js';
import { taggedTopic } from './tag-lookup.js';

export function TagResource(input: { ResourceArn: string; Tags: Tag[] }, ctx: SnsContext): Record<string, never> {
  const topic = taggedTopic(input.ResourceArn, ctx);
  checkNewTags(input.Tags);
  topic.tags = mergeTags(topic.tags, input.Tags);
  ctx.store.updateTopic(topic);
  return {};
}
