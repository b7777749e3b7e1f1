import { AwsError } from '../../edge/errors.js';
import type { IamContext } from '../context.js';
import type { Tag } from '../role-store.js';
import { checkPolicyArn, checkPolicyJson, mergeTags, roleArn, uniqueId, wireRole } from '../roles.js';

interface CreateRoleInput {
  RoleName: string;
  Path?: string;
  AssumeRolePolicyDocument: string;
  Description?: string;
  MaxSessionDuration?: number;
  PermissionsBoundary?: string;
  Tags?: Tag[];
}

export function CreateRole(input: CreateRoleInput, ctx: IamContext): { Role: Record<string, unknown> } {
  if (ctx.store.role(input.RoleName)) throw new AwsError('EntityAlreadyExists', `Role with name ${input.RoleName} already exists.`, 409);
  checkPolicyJson(input.AssumeRolePolicyDocument, 'trust');
  if (input.PermissionsBoundary !== undefined) checkPolicyArn(input.PermissionsBoundary);
  const path = input.Path ?? '/';
  const role = {
    roleId: uniqueId('AROA'),
    roleName: input.RoleName,
    path,
    arn: roleArn(ctx.accountId, path, input.RoleName),
    assumeRolePolicy: input.AssumeRolePolicyDocument,
    description: input.Description || undefined,
    maxSessionDuration: input.MaxSessionDuration ?? 3600,
    permissionsBoundary: input.PermissionsBoundary,
    tags: mergeTags([], input.Tags ?? []),
    createdAt: ctx.clock.now(),
  };
  ctx.store.insert(role);
  return { Role: wireRole(role, 'full') };
}
