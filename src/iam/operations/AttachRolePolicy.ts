import type { IamContext } from '../context.js';
import { checkPolicyArn, existingRole } from '../roles.js';

/**
 * Attaches any well-formed policy ARN, AWS managed ones included: Eddy has no
 * managed policies to look up (and enforces none), so it does not answer IAM's
 * "does not exist or is not attachable".
 */
export function AttachRolePolicy(input: { RoleName: string; PolicyArn: string }, ctx: IamContext): Record<string, never> {
  const role = existingRole(input.RoleName, ctx);
  checkPolicyArn(input.PolicyArn);
  ctx.store.attach(role.roleId, input.PolicyArn);
  return {};
}
