/**
 * boto3 against Eddy's IAM and STS: botocore decodes the URL-encoded policy
 * documents Eddy returns back into the documents sent, and reads IAM's error
 * codes (boto3_iam.py prints what it read).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIamEddy, type IamTestEddy } from './helpers.js';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./boto3_iam.py', import.meta.url));
let t: IamTestEddy;
beforeAll(async () => (t = await startIamEddy()));
afterAll(() => t.close());

describe('boto3 iam and sts', () => {
  it('reads roles, policies, errors and the caller identity', async () => {
    const { stdout } = await run('python3', [script, t.endpoint]);
    const read = JSON.parse(stdout) as Record<string, unknown>;
    expect(read).toEqual({
      trust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      tags: [{ Key: 'Team', Value: 'platform' }],
      policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::a b+c/*' }] },
      missing: { code: 'NoSuchEntity', message: 'The role with name nobody cannot be found.' },
      identity: { UserId: '000000000000', Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root' },
    });
  });
});
