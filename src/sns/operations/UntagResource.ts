import type { SnsContext } from '../context.js';
import { taggedTopic } from './tag-lookup.js';

export function UntagResource(input: { ResourceArn: string; TagKeys: string[] }, ctx: SnsContext): Record<string, never> {
  const topic = taggedTopic(input.ResourceArn, ctx);
  topic.tags = topic.tags.filter((t) => !input.TagKeys.includes(t.Key));
  ctx.store.updateTopic(topic);
  return {};
}
