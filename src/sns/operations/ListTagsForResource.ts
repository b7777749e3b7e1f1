import type { SnsContext, Tag } from '../context.js';
import { taggedTopic } from './tag-lookup.js';

export function ListTagsForResource(input: { ResourceArn: string }, ctx: SnsContext): { Tags: Tag[] } {
  return { Tags: taggedTopic(input.ResourceArn, ctx).tags };
}
