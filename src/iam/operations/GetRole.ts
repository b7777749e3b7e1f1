import type { IamContext } from '../context.js';
import { existingRole, wireRole } from '../roles.js';

export function GetRole(input: { RoleName: string }, ctx: IamContext): { Role: Record<string, unknown> } {
  return { Role: wireRole(existingRole(input.RoleName, ctx), 'full') };
}
