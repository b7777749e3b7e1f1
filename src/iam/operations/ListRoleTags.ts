import type { IamContext } from '../context.js';
import { page, type PageInput } from '../paging.js';
import { existingRole } from '../roles.js';

export function ListRoleTags(input: PageInput & { RoleName: string }, ctx: IamContext): Record<string, unknown> {
  const { items, ...rest } = page(existingRole(input.RoleName, ctx).tags, input);
  return { Tags: items, ...rest };
}
