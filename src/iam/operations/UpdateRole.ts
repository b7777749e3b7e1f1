import type { IamContext } from '../context.js';
import { existingRole } from '../roles.js';

/** Changes what is given: an empty Description removes it. */
export function UpdateRole(input: { RoleName: string; Description?: string; MaxSessionDuration?: number }, ctx: IamContext): Record<string, never> {
  const role = existingRole(input.RoleName, ctx);
  if (input.Description !== undefined) role.description = input.Description || undefined;
  if (input.MaxSessionDuration !== undefined) role.maxSessionDuration = input.MaxSessionDuration;
  ctx.store.update(role);
  return {};
}
