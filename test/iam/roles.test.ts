import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateRoleCommand,
  DeleteRoleCommand,
  GetRoleCommand,
  ListInstanceProfilesForRoleCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
  UpdateRoleDescriptionCommand,
  PutRolePermissionsBoundaryCommand,
  DeleteRolePermissionsBoundaryCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, lambdaTrustPolicy, rawIam, startIamEddy, type IamTestEddy } from './helpers.js';

let t: IamTestEddy;
beforeAll(async () => (t = await startIamEddy()));
afterAll(() => t.close());

describe('IAM roles', () => {
  it('creates a role and answers it as IAM does: AROA id, ARN with the path, URL-encoded trust policy, defaults', async () => {
    const created = await t.iam.send(
      new CreateRoleCommand({ RoleName: 'svc-role', Path: '/service/', AssumeRolePolicyDocument: lambdaTrustPolicy, Description: 'for lambda', Tags: [{ Key: 'team', Value: 'platform' }] }),
    );
    const role = created.Role!;
    expect(role.RoleId).toMatch(/^AROA[A-Z0-9]{17}$/);
    expect(role.Arn).toBe('arn:aws:iam::000000000000:role/service/svc-role');
    expect(role.Path).toBe('/service/');
    expect(role.CreateDate).toBeInstanceOf(Date);
    expect(role.AssumeRolePolicyDocument).toBe(encodeURIComponent(lambdaTrustPolicy));

    const got = (await t.iam.send(new GetRoleCommand({ RoleName: 'svc-role' }))).Role!;
    expect(got.RoleId).toBe(role.RoleId);
    expect(got.CreateDate?.getTime()).toBe(role.CreateDate?.getTime());
    expect(JSON.parse(decodeURIComponent(got.AssumeRolePolicyDocument!))).toEqual(JSON.parse(lambdaTrustPolicy));
    expect(got.Description).toBe('for lambda');
    expect(got.MaxSessionDuration).toBe(3600);
    expect(got.Tags).toEqual([{ Key: 'team', Value: 'platform' }]);
    expect(got.RoleLastUsed).toEqual({});
  });

  it('finds a role and refuses a second one of the same name whatever its case; refuses a trust policy that is not JSON', async () => {
    await t.iam.send(new CreateRoleCommand({ RoleName: 'Dup', AssumeRolePolicyDocument: lambdaTrustPolicy }));
    expect((await t.iam.send(new GetRoleCommand({ RoleName: 'DUP' }))).Role!.RoleName).toBe('Dup');
    expect(await failure(t.iam.send(new CreateRoleCommand({ RoleName: 'dup', AssumeRolePolicyDocument: lambdaTrustPolicy })))).toEqual({
      name: 'EntityAlreadyExistsException',
      message: 'Role with name dup already exists.',
      status: 409,
    });
    expect(await failure(t.iam.send(new CreateRoleCommand({ RoleName: 'bad-trust', AssumeRolePolicyDocument: '{"Version":' })))).toEqual({
      name: 'MalformedPolicyDocumentException',
      message: 'This policy contains invalid Json',
      status: 400,
    });
    expect(await failure(t.iam.send(new GetRoleCommand({ RoleName: 'bad-trust' })))).toMatchObject({ name: 'NoSuchEntityException' });
  });

  it('answers NoSuchEntity for a role that does not exist', async () => {
    expect(await failure(t.iam.send(new GetRoleCommand({ RoleName: 'nobody' })))).toEqual({
      name: 'NoSuchEntityException',
      message: 'The role with name nobody cannot be found.',
      status: 404,
    });
    expect(await failure(t.iam.send(new DeleteRoleCommand({ RoleName: 'nobody' })))).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
    expect(await failure(t.iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'nobody' })))).toMatchObject({ name: 'NoSuchEntityException' });
  });

  it('writes IAM wire codes and XML: NoSuchEntity 404 as a Sender error, the role inside GetRoleResult', async () => {
    const missing = await rawIam(t.endpoint, { Action: 'GetRole', RoleName: 'nobody' });
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code>');
    const found = await rawIam(t.endpoint, { Action: 'GetRole', RoleName: 'svc-role' });
    expect(found.status).toBe(200);
    expect(found.text).toMatch(/<GetRoleResponse xmlns="https:\/\/iam.amazonaws.com\/doc\/2010-05-08\/"><GetRoleResult><Role><Path>\/service\/<\/Path><RoleName>svc-role<\/RoleName>/);
    expect(found.text).toContain('<RoleLastUsed></RoleLastUsed>');
  });

  it('checks names and values against the model: ValidationError with the pattern', async () => {
    expect(await failure(t.iam.send(new CreateRoleCommand({ RoleName: 'has space', AssumeRolePolicyDocument: lambdaTrustPolicy })))).toEqual({
      name: 'ValidationError',
      message: "1 validation error detected: Value 'has space' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
      status: 400,
    });
    const tooShort = await failure(t.iam.send(new CreateRoleCommand({ RoleName: 'short-session', AssumeRolePolicyDocument: lambdaTrustPolicy, MaxSessionDuration: 60 })));
    expect(tooShort.name).toBe('ValidationError');
    expect(tooShort.message).toContain('Member must have value greater than or equal to 3600');
    const raw = await rawIam(t.endpoint, { Action: 'CreateRole', RoleName: 'no-trust' });
    expect(raw.status).toBe(400);
    expect(raw.text).toContain('<Code>ValidationError</Code>');
    expect(raw.text).toContain('assumeRolePolicyDocument');
  });

  it('lists roles by path prefix, in name order, page by page', async () => {
    for (const name of ['page-c', 'page-a', 'page-b']) await t.iam.send(new CreateRoleCommand({ RoleName: name, Path: '/paged/', AssumeRolePolicyDocument: lambdaTrustPolicy }));
    const first = await t.iam.send(new ListRolesCommand({ PathPrefix: '/paged/', MaxItems: 2 }));
    expect(first.Roles!.map((r) => r.RoleName)).toEqual(['page-a', 'page-b']);
    expect(first.IsTruncated).toBe(true);
    const second = await t.iam.send(new ListRolesCommand({ PathPrefix: '/paged/', MaxItems: 2, Marker: first.Marker }));
    expect(second.Roles!.map((r) => r.RoleName)).toEqual(['page-c']);
    expect(second.IsTruncated).toBe(false);
    expect(second.Marker).toBeUndefined();
    const all = await t.iam.send(new ListRolesCommand({}));
    expect(all.Roles!.map((r) => r.RoleName)).toEqual(expect.arrayContaining(['page-a', 'svc-role', 'Dup']));
  });

  it('updates the description, session duration and trust policy', async () => {
    await t.iam.send(new CreateRoleCommand({ RoleName: 'changing', AssumeRolePolicyDocument: lambdaTrustPolicy }));
    await t.iam.send(new UpdateRoleCommand({ RoleName: 'changing', Description: 'now described', MaxSessionDuration: 7200 }));
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    await t.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'changing', PolicyDocument: trust }));
    const role = (await t.iam.send(new GetRoleCommand({ RoleName: 'changing' }))).Role!;
    expect(role).toMatchObject({ Description: 'now described', MaxSessionDuration: 7200 });
    expect(decodeURIComponent(role.AssumeRolePolicyDocument!)).toBe(trust);
    expect(await failure(t.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'changing', PolicyDocument: 'not json' })))).toMatchObject({
      name: 'MalformedPolicyDocumentException',
    });
    expect(decodeURIComponent((await t.iam.send(new GetRoleCommand({ RoleName: 'changing' }))).Role!.AssumeRolePolicyDocument!)).toBe(trust);
  });

  it('sets the description alone (UpdateRoleDescription answers the role) and the permissions boundary', async () => {
    const boundary = 'arn:aws:iam::000000000000:policy/boundaries/dev-boundary';
    await t.iam.send(new CreateRoleCommand({ RoleName: 'bounded', AssumeRolePolicyDocument: lambdaTrustPolicy, PermissionsBoundary: boundary }));
    expect((await t.iam.send(new GetRoleCommand({ RoleName: 'bounded' }))).Role!.PermissionsBoundary).toEqual({
      PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
      PermissionsBoundaryArn: boundary,
    });
    const described = await t.iam.send(new UpdateRoleDescriptionCommand({ RoleName: 'bounded', Description: 'bounded role' }));
    expect(described.Role).toMatchObject({ RoleName: 'bounded', Description: 'bounded role' });
    await t.iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'bounded' }));
    expect((await t.iam.send(new GetRoleCommand({ RoleName: 'bounded' }))).Role!.PermissionsBoundary).toBeUndefined();
    const managed = 'arn:aws:iam::aws:policy/PowerUserAccess';
    await t.iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'bounded', PermissionsBoundary: managed }));
    const role = (await t.iam.send(new GetRoleCommand({ RoleName: 'bounded' }))).Role!;
    expect(role.PermissionsBoundary?.PermissionsBoundaryArn).toBe(managed);
    expect(role.Description).toBe('bounded role');
  });

  it('tags and untags a role; keys compare regardless of case', async () => {
    await t.iam.send(new CreateRoleCommand({ RoleName: 'tagged', AssumeRolePolicyDocument: lambdaTrustPolicy, Tags: [{ Key: 'Env', Value: 'dev' }] }));
    await t.iam.send(new TagRoleCommand({ RoleName: 'tagged', Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'Owner', Value: 'me@example.com' }] }));
    expect((await t.iam.send(new ListRoleTagsCommand({ RoleName: 'tagged' }))).Tags).toEqual([
      { Key: 'Env', Value: 'prod' },
      { Key: 'Owner', Value: 'me@example.com' },
    ]);
    await t.iam.send(new UntagRoleCommand({ RoleName: 'tagged', TagKeys: ['ENV', 'absent'] }));
    expect((await t.iam.send(new GetRoleCommand({ RoleName: 'tagged' }))).Role!.Tags).toEqual([{ Key: 'Owner', Value: 'me@example.com' }]);
    // Tag keys are Unicode letters, digits, spaces and _.:/=+-@ (the model's \p{L}\p{Z}\p{N} classes).
    await t.iam.send(new TagRoleCommand({ RoleName: 'tagged', Tags: [{ Key: 'Équipe 2', Value: 'données' }] }));
    expect((await t.iam.send(new ListRoleTagsCommand({ RoleName: 'tagged' }))).Tags).toContainEqual({ Key: 'Équipe 2', Value: 'données' });
    expect(await failure(t.iam.send(new TagRoleCommand({ RoleName: 'tagged', Tags: [{ Key: 'cost#center', Value: 'x' }] })))).toEqual({
      name: 'ValidationError',
      message: "1 validation error detected: Value 'cost#center' at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+",
      status: 400,
    });
    const duplicate = await failure(t.iam.send(new TagRoleCommand({ RoleName: 'tagged', Tags: [{ Key: 'a', Value: '1' }, { Key: 'A', Value: '2' }] })));
    expect(duplicate).toMatchObject({ name: 'InvalidInputException', status: 400 });
  });

  it('deletes a role; it is gone from GetRole and ListRoles', async () => {
    await t.iam.send(new CreateRoleCommand({ RoleName: 'short-lived', AssumeRolePolicyDocument: lambdaTrustPolicy }));
    expect((await t.iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'short-lived' }))).InstanceProfiles).toEqual([]);
    await t.iam.send(new DeleteRoleCommand({ RoleName: 'short-lived' }));
    expect(await failure(t.iam.send(new GetRoleCommand({ RoleName: 'short-lived' })))).toMatchObject({ name: 'NoSuchEntityException' });
    expect((await t.iam.send(new ListRolesCommand({}))).Roles!.map((r) => r.RoleName)).not.toContain('short-lived');
  });
});

describe('STS', () => {
  it('GetCallerIdentity names the account root', async () => {
    const identity = await t.sts.send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({ Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root', UserId: '000000000000' });
  });
});

describe('IAM durability', () => {
  it('keeps roles across a restart on the same data directory', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'eddy-iam-'));
    try {
      const first = await startIamEddy({ inMemory: false, dataDir, accountId: '123456789012' });
      const created = (await first.iam.send(new CreateRoleCommand({ RoleName: 'kept', AssumeRolePolicyDocument: lambdaTrustPolicy }))).Role!;
      await first.close();
      const second = await startIamEddy({ inMemory: false, dataDir, accountId: '123456789012' });
      try {
        const role = (await second.iam.send(new GetRoleCommand({ RoleName: 'kept' }))).Role!;
        expect(role).toMatchObject({ RoleId: created.RoleId, Arn: 'arn:aws:iam::123456789012:role/kept' });
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
