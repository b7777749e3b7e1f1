import type { IamContext } from '../context.js';
import { existingRole } from '../roles.js';

/** Removes the tags with these keys (regardless of case, as IAM compares keys); keys the role lacks are ignored. */
export function UntagRole(input: { RoleName: string; TagKeys: string[] }, ctx: IamContext): Record<string, never> {
  const role = existingRole(input.RoleName, ctx);
  const removed = new Set(input.TagKeys.map((key) => key.toLowerCase()));
  role.tags = role.tags.filter((tag) => !removed.has(tag.Key.toLowerCase()));
  ctx.store.update(role);
  return {};
}
