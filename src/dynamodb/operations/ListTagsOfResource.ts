import type { DynamoContext } from '../context.js';
import { tagTarget } from '../tag-target.js';

export function ListTagsOfResource(input: { ResourceArn: string; NextToken?: string }, ctx: DynamoContext): unknown {
  const table = tagTarget(ctx, input.ResourceArn);
  return { Tags: table.tags };
}
