import type { IamContext } from '../context.js';
import { checkPolicyJson, existingRole } from '../roles.js';

/** Creates or replaces an inline policy. */
export function PutRolePolicy(input: { RoleName: string; PolicyName: string; PolicyDocument: string }, ctx: IamContext): Record<string, never> {
  const role = existingRole(input.RoleName, ctx);
  checkPolicyJson(input.PolicyDocument, 'permissions');
  ctx.store.putPolicy(role.roleId, input.PolicyName, input.PolicyDocument);
  return {};
}
