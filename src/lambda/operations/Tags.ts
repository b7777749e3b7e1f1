import type { ListTagsResponse } from '@aws-sdk/client-lambda';
import type { RequestContext } from '../../edge/request-context.js';
import type { LambdaDeps } from '../deps.js';
import { invalidParameter } from '../errors.js';
import { mappingNotFound } from '../esm/control-plane.js';
import { parseFunctionRef } from '../function-name.js';
import { MAX_TAGS, requireFunction } from '../functions.js';

export interface TagsInput {
  Resource: string;
  Tags?: Record<string, string>;
  TagKeys?: string[];
}

/** An event source mapping's ARN: `arn:aws:lambda:<region>:<account>:event-source-mapping:<uuid>`. */
const MAPPING_ARN = /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):(\d{12}):event-source-mapping:([0-9a-f-]+)$/;

/**
 * What a tag operation's Resource ARN names: a function (never a version or
 * alias: tags live on the function) or an event source mapping. `tags` reads
 * its tags, `save` replaces them.
 */
function taggedResource(input: TagsInput, ctx: RequestContext, deps: LambdaDeps): { tags: Record<string, string>; save(tags: Record<string, string>): void } {
  const mapping = MAPPING_ARN.exec(input.Resource);
  if (mapping) {
    const [, region, account, uuid] = mapping;
    const tags = region === ctx.region && account === ctx.accountId ? deps.esm.store.tags(uuid!) : undefined;
    if (!tags) throw mappingNotFound();
    return { tags, save: (next) => deps.esm.store.setTags(uuid!, next) };
  }
  const ref = parseFunctionRef(input.Resource, ctx);
  if (ref.qualifier !== undefined) throw invalidParameter('Tags on function aliases and versions are not supported. Please specify a function ARN.');
  const { fn } = requireFunction(deps, input.Resource, ctx);
  return { tags: fn.tags, save: (tags) => deps.store.update({ ...fn, tags }) };
}

export function ListTags(input: TagsInput, ctx: RequestContext, deps: LambdaDeps): ListTagsResponse {
  return { Tags: taggedResource(input, ctx, deps).tags };
}

export function TagResource(input: TagsInput, ctx: RequestContext, deps: LambdaDeps): Record<string, never> {
  const resource = taggedResource(input, ctx, deps);
  const tags = { ...resource.tags, ...(input.Tags ?? {}) };
  if (Object.keys(tags).length > MAX_TAGS) throw invalidParameter('Number of tags exceeds resource tag limit.');
  resource.save(tags);
  return {};
}

export function UntagResource(input: TagsInput, ctx: RequestContext, deps: LambdaDeps): Record<string, never> {
  const resource = taggedResource(input, ctx, deps);
  const tags = { ...resource.tags };
  for (const key of input.TagKeys ?? []) delete tags[key];
  resource.save(tags);
  return {};
}
