import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, lambdaTrustPolicy, startIamEddy, type IamTestEddy } from './helpers.js';

let t: IamTestEddy;
beforeAll(async () => (t = await startIamEddy()));
afterAll(() => t.close());

const basicExecution = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
const readOnly = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const policy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['dynamodb:GetRecords', 'sqs:SendMessage'], Resource: 'arn:aws:logs:*:*:* + more' }],
});

describe('inline role policies', () => {
  it('puts, reads (URL-encoded), lists, replaces and deletes them', async () => {
    await t.iam.send(new CreateRoleCommand({ RoleName: 'inline', AssumeRolePolicyDocument: lambdaTrustPolicy }));
    await t.iam.send(new PutRolePolicyCommand({ RoleName: 'inline', PolicyName: 'second', PolicyDocument: policy }));
    await t.iam.send(new PutRolePolicyCommand({ RoleName: 'inline', PolicyName: 'first', PolicyDocument: '{}' }));
    const got = await t.iam.send(new GetRolePolicyCommand({ RoleName: 'inline', PolicyName: 'second' }));
    expect(got).toMatchObject({ RoleName: 'inline', PolicyName: 'second' });
    expect(got.PolicyDocument).toBe(encodeURIComponent(policy));
    expect(got.PolicyDocument).toContain('%2B');
    expect((await t.iam.send(new ListRolePoliciesCommand({ RoleName: 'inline' }))).PolicyNames).toEqual(['first', 'second']);

    await t.iam.send(new PutRolePolicyCommand({ RoleName: 'inline', PolicyName: 'first', PolicyDocument: policy }));
    expect(decodeURIComponent((await t.iam.send(new GetRolePolicyCommand({ RoleName: 'inline', PolicyName: 'first' }))).PolicyDocument!)).toBe(policy);

    await t.iam.send(new DeleteRolePolicyCommand({ RoleName: 'inline', PolicyName: 'first' }));
    expect((await t.iam.send(new ListRolePoliciesCommand({ RoleName: 'inline' }))).PolicyNames).toEqual(['second']);
    expect(await failure(t.iam.send(new GetRolePolicyCommand({ RoleName: 'inline', PolicyName: 'first' })))).toEqual({
      name: 'NoSuchEntityException',
      message: 'The role policy with name first cannot be found.',
      status: 404,
    });
    expect(await failure(t.iam.send(new DeleteRolePolicyCommand({ RoleName: 'inline', PolicyName: 'first' })))).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
  });

  it('refuses a document that is not JSON and a role that does not exist', async () => {
    await t.iam.send(new CreateRoleCommand({ RoleName: 'strict', AssumeRolePolicyDocument: lambdaTrustPolicy }));
    expect(await failure(t.iam.send(new PutRolePolicyCommand({ RoleName: 'strict', PolicyName: 'p', PolicyDocument: 'Allow everything' })))).toEqual({
      name: 'MalformedPolicyDocumentException',
      message: 'Syntax errors in policy.',
      status: 400,
    });
    expect((await t.iam.send(new ListRolePoliciesCommand({ RoleName: 'strict' }))).PolicyNames).toEqual([]);
    expect(await failure(t.iam.send(new PutRolePolicyCommand({ RoleName: 'ghost', PolicyName: 'p', PolicyDocument: policy })))).toEqual({
      name: 'NoSuchEntityException',
      message: 'The role with name ghost cannot be found.',
      status: 404,
    });
  });
});

describe('attached role policies', () => {
  it('attaches any policy ARN, AWS managed ones included, lists them in attach order and detaches them', async () => {
    await t.iam.send(new CreateRoleCommand({ RoleName: 'attached', AssumeRolePolicyDocument: lambdaTrustPolicy }));
    await t.iam.send(new AttachRolePolicyCommand({ RoleName: 'attached', PolicyArn: basicExecution }));
    await t.iam.send(new AttachRolePolicyCommand({ RoleName: 'attached', PolicyArn: readOnly }));
    await t.iam.send(new AttachRolePolicyCommand({ RoleName: 'attached', PolicyArn: basicExecution }));
    expect((await t.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'attached' }))).AttachedPolicies).toEqual([
      { PolicyName: 'AWSLambdaBasicExecutionRole', PolicyArn: basicExecution },
      { PolicyName: 'ReadOnlyAccess', PolicyArn: readOnly },
    ]);
    expect((await t.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'attached', PathPrefix: '/service-role/' }))).AttachedPolicies).toEqual([
      { PolicyName: 'AWSLambdaBasicExecutionRole', PolicyArn: basicExecution },
    ]);
    const page = await t.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'attached', MaxItems: 1 }));
    expect(page.IsTruncated).toBe(true);
    expect((await t.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'attached', Marker: page.Marker }))).AttachedPolicies).toEqual([
      { PolicyName: 'ReadOnlyAccess', PolicyArn: readOnly },
    ]);

    await t.iam.send(new DetachRolePolicyCommand({ RoleName: 'attached', PolicyArn: basicExecution }));
    expect((await t.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'attached' }))).AttachedPolicies).toEqual([{ PolicyName: 'ReadOnlyAccess', PolicyArn: readOnly }]);
    expect(await failure(t.iam.send(new DetachRolePolicyCommand({ RoleName: 'attached', PolicyArn: basicExecution })))).toEqual({
      name: 'NoSuchEntityException',
      message: `Policy ${basicExecution} was not found.`,
      status: 404,
    });
    expect(await failure(t.iam.send(new AttachRolePolicyCommand({ RoleName: 'attached', PolicyArn: 'arn:aws:s3:::some-bucket-not-a-policy' })))).toEqual({
      name: 'InvalidInputException',
      message: 'ARN arn:aws:s3:::some-bucket-not-a-policy is not valid.',
      status: 400,
    });
  });
});

describe('DeleteRole', () => {
  it('refuses while the role has attached, then inline policies, and deletes it once they are gone', async () => {
    await t.iam.send(new CreateRoleCommand({ RoleName: 'busy', AssumeRolePolicyDocument: lambdaTrustPolicy }));
    await t.iam.send(new PutRolePolicyCommand({ RoleName: 'busy', PolicyName: 'inline', PolicyDocument: policy }));
    await t.iam.send(new AttachRolePolicyCommand({ RoleName: 'busy', PolicyArn: basicExecution }));
    expect(await failure(t.iam.send(new DeleteRoleCommand({ RoleName: 'busy' })))).toEqual({
      name: 'DeleteConflictException',
      message: 'Cannot delete entity, must detach all policies first.',
      status: 409,
    });
    await t.iam.send(new DetachRolePolicyCommand({ RoleName: 'busy', PolicyArn: basicExecution }));
    expect(await failure(t.iam.send(new DeleteRoleCommand({ RoleName: 'busy' })))).toEqual({
      name: 'DeleteConflictException',
      message: 'Cannot delete entity, must delete policies first.',
      status: 409,
    });
    expect((await t.iam.send(new GetRoleCommand({ RoleName: 'busy' }))).Role!.RoleName).toBe('busy');
    await t.iam.send(new DeleteRolePolicyCommand({ RoleName: 'busy', PolicyName: 'inline' }));
    await t.iam.send(new DeleteRoleCommand({ RoleName: 'busy' }));
    expect(await failure(t.iam.send(new GetRoleCommand({ RoleName: 'busy' })))).toMatchObject({ name: 'NoSuchEntityException' });
    // A role created again under the name starts with no policies.
    await t.iam.send(new CreateRoleCommand({ RoleName: 'busy', AssumeRolePolicyDocument: lambdaTrustPolicy }));
    expect((await t.iam.send(new ListRolePoliciesCommand({ RoleName: 'busy' }))).PolicyNames).toEqual([]);
  });
});
