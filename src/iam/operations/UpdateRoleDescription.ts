import type { IamContext } from '../context.js';
import { existingRole, wireRole } from '../roles.js';

/** The older form of UpdateRole for the description alone (Terraform's provider uses it); answers the role. */
export function UpdateRoleDescription(input: { RoleName: string; Description: string }, ctx: IamContext): { Role: Record<string, unknown> } {
  const role = existingRole(input.RoleName, ctx);
  role.description = input.Description || undefined;
  ctx.store.update(role);
  return { Role: wireRole(role, 'full') };
}
