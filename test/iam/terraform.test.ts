import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetRoleCommand, GetRolePolicyCommand, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, startIamEddy, type IamTestEddy } from './helpers.js';
import { terraform, terraformMissing } from '../helpers/terraform.js';

/**
 * The guide's IAM resources (docs: issue 7) applied and destroyed by the real
 * Terraform CLI and AWS provider against a real Eddy. `terraform init` installs
 * the provider from the machine's filesystem mirror, offline (test/helpers/terraform.ts).
 * The aws_caller_identity data source reads STS GetCallerIdentity.
 */
const config = (endpoint: string, role = ''): string => `
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "5.100.0" }
  }
}
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  endpoints {
    iam = "${endpoint}"
    sts = "${endpoint}"
  }
}
resource "aws_iam_role" "stream_processor" {
  name = "dynamodb-stream-processor"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Action    = "sts:AssumeRole"
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
  tags = { Team = "platform" }
${role}
}
resource "aws_iam_role_policy" "stream_policy" {
  name = "dynamodb-stream-policy"
  role = aws_iam_role.stream_processor.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = "arn:aws:logs:*:*:*"
    }]
  })
}
resource "aws_iam_role_policy_attachment" "basic" {
  role       = aws_iam_role.stream_processor.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}
data "aws_caller_identity" "current" {}
output "role_arn" { value = aws_iam_role.stream_processor.arn }
output "account_id" { value = data.aws_caller_identity.current.account_id }
`;

let t: IamTestEddy;
let dir: string;
beforeAll(async () => {
  t = await startIamEddy();
  dir = mkdtempSync(join(tmpdir(), 'eddy-terraform-iam-'));
  writeFileSync(join(dir, 'main.tf'), config(t.endpoint));
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Terraform against Eddy', () => {
  it('applies, updates in place and destroys aws_iam_role, aws_iam_role_policy and aws_iam_role_policy_attachment', { timeout: 300_000 }, async () => {
    expect(terraformMissing()).toBeUndefined();
    const init = await terraform(dir, ['init', '-input=false']);
    expect(init.code, init.output).toBe(0);

    const apply = await terraform(dir, ['apply', '-input=false', '-auto-approve']);
    expect(apply.code, apply.output).toBe(0);
    expect(apply.output).toContain('Apply complete! Resources: 3 added, 0 changed, 0 destroyed.');
    const role = (await t.iam.send(new GetRoleCommand({ RoleName: 'dynamodb-stream-processor' }))).Role!;
    expect(role.Arn).toBe('arn:aws:iam::000000000000:role/dynamodb-stream-processor');
    expect(role.Tags).toEqual([{ Key: 'Team', Value: 'platform' }]);
    expect(JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument!)).Statement[0].Principal).toEqual({ Service: 'lambda.amazonaws.com' });
    const inline = await t.iam.send(new GetRolePolicyCommand({ RoleName: 'dynamodb-stream-processor', PolicyName: 'dynamodb-stream-policy' }));
    expect(JSON.parse(decodeURIComponent(inline.PolicyDocument!)).Statement[0].Resource).toBe('arn:aws:logs:*:*:*');
    expect((await t.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'dynamodb-stream-processor' }))).AttachedPolicies).toEqual([
      { PolicyName: 'AWSLambdaBasicExecutionRole', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' },
    ]);

    const output = await terraform(dir, ['output', '-json']);
    expect(output.code, output.output).toBe(0);
    const outputs = JSON.parse(output.output) as Record<string, { value: string }>;
    expect(outputs.role_arn!.value).toBe(role.Arn);
    expect(outputs.account_id!.value).toBe('000000000000');

    // A second plan reads everything back and finds nothing to change (documents compare equal once decoded).
    const plan = await terraform(dir, ['plan', '-input=false', '-detailed-exitcode']);
    expect(plan.code, plan.output).toBe(0);

    // Changing the role in place: description, session duration, boundary (UpdateRoleDescription, UpdateRole, PutRolePermissionsBoundary).
    const boundary = 'arn:aws:iam::aws:policy/PowerUserAccess';
    writeFileSync(join(dir, 'main.tf'), config(t.endpoint, `description = "reads the orders stream"\nmax_session_duration = 7200\npermissions_boundary = "${boundary}"`));
    const update = await terraform(dir, ['apply', '-input=false', '-auto-approve']);
    expect(update.code, update.output).toBe(0);
    expect(update.output).toContain('Apply complete! Resources: 0 added, 1 changed, 0 destroyed.');
    expect((await t.iam.send(new GetRoleCommand({ RoleName: 'dynamodb-stream-processor' }))).Role).toMatchObject({
      RoleId: role.RoleId,
      Description: 'reads the orders stream',
      MaxSessionDuration: 7200,
      PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: boundary },
    });
    const replan = await terraform(dir, ['plan', '-input=false', '-detailed-exitcode']);
    expect(replan.code, replan.output).toBe(0);

    const destroy = await terraform(dir, ['destroy', '-input=false', '-auto-approve']);
    expect(destroy.code, destroy.output).toBe(0);
    expect(destroy.output).toContain('Destroy complete! Resources: 3 destroyed.');
    expect(await failure(t.iam.send(new GetRoleCommand({ RoleName: 'dynamodb-stream-processor' })))).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
  });
});
