import type { IamContext } from '../context.js';
import { checkPolicyJson, existingRole } from '../roles.js';

export function UpdateAssumeRolePolicy(input: { RoleName: string; PolicyDocument: string }, ctx: IamContext): Record<string, never> {
  const role = existingRole(input.RoleName, ctx);
  checkPolicyJson(input.PolicyDocument, 'trust');
  role.assumeRolePolicy = input.PolicyDocument;
  ctx.store.update(role);
  return {};
}
