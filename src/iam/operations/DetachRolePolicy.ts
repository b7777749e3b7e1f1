import { AwsError } from '../../edge/errors.js';
import type { IamContext } from '../context.js';
import { checkPolicyArn, existingRole } from '../roles.js';

export function DetachRolePolicy(input: { RoleName: string; PolicyArn: string }, ctx: IamContext): Record<string, never> {
  const role = existingRole(input.RoleName, ctx);
  checkPolicyArn(input.PolicyArn);
  if (!ctx.store.detach(role.roleId, input.PolicyArn)) throw new AwsError('NoSuchEntity', `Policy ${input.PolicyArn} was not found.`, 404);
  return {};
}
