import type { DynamoContext } from '../context.js';
import type { Tag } from '../table-catalog.js';
import { tagTarget } from '../tag-target.js';

export function TagResource(input: { ResourceArn: string; Tags: Tag[] }, ctx: DynamoContext): unknown {
  const table = tagTarget(ctx, input.ResourceArn);
  const tags = new Map(table.tags.map((t) => [t.Key, t.Value]));
  for (const tag of input.Tags) tags.set(tag.Key, tag.Value);
  ctx.tables.setTags(table, [...tags].map(([Key, Value]) => ({ Key, Value })));
  return {};
}
