import type { DynamoContext } from '../context.js';
import { tagTarget } from '../tag-target.js';

export function UntagResource(input: { ResourceArn: string; TagKeys: string[] }, ctx: DynamoContext): unknown {
  const table = tagTarget(ctx, input.ResourceArn);
  const remove = new Set(input.TagKeys);
  ctx.tables.setTags(table, table.tags.filter((t) => !remove.has(t.Key)));
  return {};
}
