import type { ListTagsResponse } from '@aws-sdk/client-lambda';
import type { RequestContext } from '../../edge/request-context.js';
import type { LambdaDeps } from '../deps.js';
import { invalidParameter } from '../errors.js';
import { parseFunctionRef } from '../function-name.js';
import { MAX_TAGS, requireFunction } from '../functions.js';

export interface TagsInput {
  Resource: string;
  Tags?: Record<string, string>;
  TagKeys?: string[];
}

/** The function a tag operation's Resource ARN names; tags live on the function, never on a version or alias. */
function taggedFunction(input: TagsInput, ctx: RequestContext, deps: LambdaDeps) {
  const ref = parseFunctionRef(input.Resource, ctx);
  if (ref.qualifier !== undefined) throw invalidParameter('Tags on function aliases and versions are not supported. Please specify a function ARN.');
  return requireFunction(deps, input.Resource, ctx).fn;
}

export function ListTags(input: TagsInput, ctx: RequestContext, deps: LambdaDeps): ListTagsResponse {
  return { Tags: taggedFunction(input, ctx, deps).tags };
}

export function TagResource(input: TagsInput, ctx: RequestContext, deps: LambdaDeps): Record<string, never> {
  const fn = taggedFunction(input, ctx, deps);
  const tags = { ...fn.tags, ...(input.Tags ?? {}) };
  if (Object.keys(tags).length > MAX_TAGS) throw invalidParameter('Number of tags exceeds resource tag limit.');
  deps.store.update({ ...fn, tags });
  return {};
}

export function UntagResource(input: TagsInput, ctx: RequestContext, deps: LambdaDeps): Record<string, never> {
  const fn = taggedFunction(input, ctx, deps);
  const tags = { ...fn.tags };
  for (const key of input.TagKeys ?? []) delete tags[key];
  deps.store.update({ ...fn, tags });
  return {};
}
