import { randomInt } from 'node:crypto';
import { AwsError } from '../edge/errors.js';
import type { IamContext } from './context.js';
import type { RoleRecord, Tag } from './role-store.js';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** IAM's unique ids: a 4-letter prefix naming the kind (AROA for roles) and 17 upper-case alphanumerics. */
export function uniqueId(prefix: string): string {
  let id = prefix;
  for (let i = 0; i < 17; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

export const roleArn = (accountId: string, path: string, name: string): string => `arn:aws:iam::${accountId}:role${path}${name}`;

/** The role, or IAM's NoSuchEntity naming it. */
export function existingRole(name: string, ctx: IamContext): RoleRecord {
  const role = ctx.store.role(name);
  if (!role) throw new AwsError('NoSuchEntity', `The role with name ${name} cannot be found.`, 404);
  return role;
}

/**
 * IAM answers policy documents URL-encoded (RFC 3986, so `+` and spaces are
 * `%2B` and `%20`): the SDKs hand them over as they come, botocore and
 * Terraform's provider decode them.
 */
export const encodedDocument = (document: string): string => encodeURIComponent(document);

/**
 * A policy document must be JSON. IAM's texts differ: a trust policy (CreateRole,
 * UpdateAssumeRolePolicy) "This policy contains invalid Json", a permissions
 * policy (PutRolePolicy) "Syntax errors in policy.". The grammar of policies
 * (Effect, Action, Principal, ...) is not checked: Eddy never evaluates them.
 */
export function checkPolicyJson(document: string, kind: 'trust' | 'permissions'): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AwsError('MalformedPolicyDocument', kind === 'trust' ? 'This policy contains invalid Json' : 'Syntax errors in policy.', 400);
  }
}

/** A role as IAM's Role shape: documents URL-encoded, RoleLastUsed empty (Eddy never uses a role). */
export function wireRole(role: RoleRecord, detail: 'full' | 'list'): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Path: role.path,
    RoleName: role.roleName,
    RoleId: role.roleId,
    Arn: role.arn,
    CreateDate: new Date(role.createdAt),
    AssumeRolePolicyDocument: encodedDocument(role.assumeRolePolicy),
    Description: role.description,
    MaxSessionDuration: role.maxSessionDuration,
  };
  // ListRoles leaves out the boundary, tags and last use; GetRole and CreateRole give them.
  if (detail === 'list') return out;
  if (role.permissionsBoundary !== undefined) {
    out.PermissionsBoundary = { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: role.permissionsBoundary };
  }
  if (role.tags.length > 0) out.Tags = role.tags;
  out.RoleLastUsed = {};
  return out;
}

const MAX_TAGS = 50;

/**
 * Tags after adding `added`: a key already there (keys compare regardless of
 * case, as IAM's do) takes the new value and keeps its place. More than 50
 * is IAM's LimitExceeded; one key twice in a request its InvalidInput.
 */
export function mergeTags(current: readonly Tag[], added: readonly Tag[]): Tag[] {
  const seen = new Set<string>();
  for (const tag of added) {
    const key = tag.Key.toLowerCase();
    if (seen.has(key)) throw new AwsError('InvalidInput', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.', 400);
    seen.add(key);
  }
  const out = current.map((tag) => ({ ...tag }));
  for (const tag of added) {
    const existing = out.find((t) => t.Key.toLowerCase() === tag.Key.toLowerCase());
    if (existing) existing.Value = tag.Value;
    else out.push({ Key: tag.Key, Value: tag.Value });
  }
  if (out.length > MAX_TAGS) throw new AwsError('LimitExceeded', `The number of tags has reached the maximum limit.`, 409);
  return out;
}

/** A managed policy ARN as IAM accepts it: any account's or AWS's (`arn:aws:iam::aws:policy/...`), any path. */
const POLICY_ARN = /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/(.+\/)?[\w+=,.@-]+$/;

export function checkPolicyArn(arn: string): void {
  if (!POLICY_ARN.test(arn)) throw new AwsError('InvalidInput', `ARN ${arn} is not valid.`, 400);
}

/** An attached policy's name: the ARN's last path segment. */
export const policyNameOf = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);
