import { AwsError } from '../../edge/errors.js';
import type { IamContext } from '../context.js';
import { existingRole } from '../roles.js';

/** IAM refuses to delete a role that still has attached policies, then one with inline policies (their texts differ). */
export function DeleteRole(input: { RoleName: string }, ctx: IamContext): Record<string, never> {
  const role = existingRole(input.RoleName, ctx);
  if (ctx.store.attachedPolicies(role.roleId).length > 0) {
    throw new AwsError('DeleteConflict', 'Cannot delete entity, must detach all policies first.', 409);
  }
  if (ctx.store.policyNames(role.roleId).length > 0) {
    throw new AwsError('DeleteConflict', 'Cannot delete entity, must delete policies first.', 409);
  }
  ctx.store.remove(role.roleId);
  return {};
}
