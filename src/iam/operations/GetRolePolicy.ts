import { AwsError } from '../../edge/errors.js';
import type { IamContext } from '../context.js';
import { encodedDocument, existingRole } from '../roles.js';

export function GetRolePolicy(input: { RoleName: string; PolicyName: string }, ctx: IamContext): Record<string, string> {
  const role = existingRole(input.RoleName, ctx);
  const document = ctx.store.policy(role.roleId, input.PolicyName);
  if (document === undefined) throw noSuchRolePolicy(input.PolicyName);
  return { RoleName: role.roleName, PolicyName: input.PolicyName, PolicyDocument: encodedDocument(document) };
}

export const noSuchRolePolicy = (name: string): AwsError => new AwsError('NoSuchEntity', `The role policy with name ${name} cannot be found.`, 404);
