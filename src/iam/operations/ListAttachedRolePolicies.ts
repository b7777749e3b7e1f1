import type { IamContext } from '../context.js';
import { page, type PageInput } from '../paging.js';
import { existingRole, policyNameOf } from '../roles.js';

/** The attached policies in attach order; PathPrefix keeps those whose ARN's path starts with it. */
export function ListAttachedRolePolicies(input: PageInput & { RoleName: string; PathPrefix?: string }, ctx: IamContext): Record<string, unknown> {
  const prefix = input.PathPrefix ?? '/';
  const arns = ctx.store.attachedPolicies(existingRole(input.RoleName, ctx).roleId).filter((arn) => policyPath(arn).startsWith(prefix));
  const { items, ...rest } = page(arns, input);
  return { AttachedPolicies: items.map((arn) => ({ PolicyName: policyNameOf(arn), PolicyArn: arn })), ...rest };
}

/** `arn:aws:iam::aws:policy/service-role/X` -> `/service-role/`. */
function policyPath(arn: string): string {
  const resource = arn.slice(arn.indexOf(':policy/') + ':policy'.length);
  return resource.slice(0, resource.lastIndexOf('/') + 1);
}
