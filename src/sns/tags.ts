import { AwsError } from '../edge/errors.js';
import { invalidParameter } from './arns.js';
import type { Tag } from './context.js';

/** SNS allows 50 tags per topic. */
const MAX_TAGS = 50;

/** Checks tags being added: no key twice. */
export function checkNewTags(tags: readonly Tag[]): void {
  if (new Set(tags.map((t) => t.Key)).size < tags.length) throw invalidParameter('Duplicated keys are not allowed.');
}

/** `existing` with `added` applied (a key already there gets the new value); refuses going past 50. */
export function mergeTags(existing: readonly Tag[], added: readonly Tag[]): Tag[] {
  const merged = new Map(existing.map((t) => [t.Key, t.Value]));
  for (const tag of added) merged.set(tag.Key, tag.Value);
  if (merged.size > MAX_TAGS) throw new AwsError('TagLimitExceeded', 'Could not complete request: tag quota of per resource exceeded', 400);
  return [...merged].map(([Key, Value]) => ({ Key, Value }));
}
