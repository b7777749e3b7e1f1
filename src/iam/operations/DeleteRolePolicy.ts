import type { IamContext } from '../context.js';
import { existingRole } from '../roles.js';
import { noSuchRolePolicy } from './GetRolePolicy.js';

export function DeleteRolePolicy(input: { RoleName: string; PolicyName: string }, ctx: IamContext): Record<string, never> {
  const role = existingRole(input.RoleName, ctx);
  if (!ctx.store.deletePolicy(role.roleId, input.PolicyName)) throw noSuchRolePolicy(input.PolicyName);
  return {};
}
