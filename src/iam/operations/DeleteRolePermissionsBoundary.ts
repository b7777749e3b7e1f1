import type { IamContext } from '../context.js';
import { existingRole } from '../roles.js';

export function DeleteRolePermissionsBoundary(input: { RoleName: string }, ctx: IamContext): Record<string, never> {
  const role = existingRole(input.RoleName, ctx);
  role.permissionsBoundary = undefined;
  ctx.store.update(role);
  return {};
}
