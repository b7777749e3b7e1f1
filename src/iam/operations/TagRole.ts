import type { IamContext } from '../context.js';
import type { Tag } from '../role-store.js';
import { existingRole, mergeTags } from '../roles.js';

export function TagRole(input: { RoleName: string; Tags: Tag[] }, ctx: IamContext): Record<string, never> {
  const role = existingRole(input.RoleName, ctx);
  role.tags = mergeTags(role.tags, input.Tags);
  ctx.store.update(role);
  return {};
}
