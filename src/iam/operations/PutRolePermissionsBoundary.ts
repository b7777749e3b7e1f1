import type { IamContext } from '../context.js';
import { checkPolicyArn, existingRole } from '../roles.js';

/** Sets the boundary's policy ARN (stored and answered, never enforced, like every policy in Eddy). */
export function PutRolePermissionsBoundary(input: { RoleName: string; PermissionsBoundary: string }, ctx: IamContext): Record<string, never> {
  const role = existingRole(input.RoleName, ctx);
  checkPolicyArn(input.PermissionsBoundary);
  role.permissionsBoundary = input.PermissionsBoundary;
  ctx.store.update(role);
  return {};
}
