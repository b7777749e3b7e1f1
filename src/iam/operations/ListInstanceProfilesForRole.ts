import type { IamContext } from '../context.js';
import { existingRole } from '../roles.js';

/** Eddy has no instance profiles: the list is empty for every role that exists. */
export function ListInstanceProfilesForRole(input: { RoleName: string }, ctx: IamContext): Record<string, unknown> {
  existingRole(input.RoleName, ctx);
  return { InstanceProfiles: [], IsTruncated: false };
}
