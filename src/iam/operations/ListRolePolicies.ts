import type { IamContext } from '../context.js';
import { page, type PageInput } from '../paging.js';
import { existingRole } from '../roles.js';

export function ListRolePolicies(input: PageInput & { RoleName: string }, ctx: IamContext): Record<string, unknown> {
  const { items, ...rest } = page(ctx.store.policyNames(existingRole(input.RoleName, ctx).roleId), input);
  return { PolicyNames: items, ...rest };
}
