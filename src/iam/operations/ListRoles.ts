import type { IamContext } from '../context.js';
import { page, type PageInput } from '../paging.js';
import { wireRole } from '../roles.js';

export function ListRoles(input: PageInput & { PathPrefix?: string }, ctx: IamContext): Record<string, unknown> {
  const { items, ...rest } = page(ctx.store.roles(input.PathPrefix ?? '/'), input);
  return { Roles: items.map((role) => wireRole(role, 'list')), ...rest };
}
