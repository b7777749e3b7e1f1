import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEddy, type TestEddy } from '../helpers/eddy.js';

const run = promisify(execFile);
let t: TestEddy;
beforeAll(async () => {
  t = await startEddy();
});
afterAll(async () => t.close());

describe('boto3', () => {
  it('creates, writes, reads, updates with conditions and gets AWS errors', async () => {
    const script = fileURLToPath(new URL('./boto3_roundtrip.py', import.meta.url));
    const { stdout } = await run('python3', [script, t.endpoint], { timeout: 60_000 });
    const observed = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(observed).toEqual({
      status: 'ACTIVE',
      item: { name: 'Ada', score: '10.5', tags: ['a', 'b'] },
      updated: { score: '10.75', hasTags: false },
      conditional: { code: 'ConditionalCheckFailedException', message: 'The conditional request failed', itemName: 'Ada' },
      missing: { code: 'ResourceNotFoundException', status: 400 },
      reserved: { code: 'ValidationException', message: '1 validation error detected: Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status' },
      afterDelete: false,
    });
  });
});

describe('aws CLI', () => {
  const aws = async (...args: string[]) => {
    try {
      const { stdout } = await run('aws', ['--endpoint-url', t.endpoint, '--region', 'us-east-1', '--output', 'json', 'dynamodb', ...args], {
        env: { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDEDDY', AWS_SECRET_ACCESS_KEY: 'secret', AWS_PAGER: '' },
        timeout: 60_000,
      });
      return { code: 0, out: stdout ? JSON.parse(stdout) : undefined, err: '' };
    } catch (error: any) {
      return { code: error.code as number, out: undefined, err: String(error.stderr) };
    }
  };

  it('creates a table, writes, reads, updates with a condition and reports errors', async () => {
    const created = await aws(
      'create-table', '--table-name', 'Cli',
      '--attribute-definitions', 'AttributeName=id,AttributeType=S',
      '--key-schema', 'AttributeName=id,KeyType=HASH',
      '--billing-mode', 'PAY_PER_REQUEST',
    );
    expect(created.out.TableDescription.TableName).toBe('Cli');

    expect((await aws('put-item', '--table-name', 'Cli', '--item', '{"id":{"S":"1"},"n":{"N":"5"}}')).code).toBe(0);
    const updated = await aws(
      'update-item', '--table-name', 'Cli', '--key', '{"id":{"S":"1"}}',
      '--update-expression', 'SET n = n + :d', '--condition-expression', 'n = :five',
      '--expression-attribute-values', '{":d":{"N":"2"},":five":{"N":"5"}}', '--return-values', 'UPDATED_NEW',
    );
    expect(updated.out).toEqual({ Attributes: { n: { N: '7' } } });

    const got = await aws('get-item', '--table-name', 'Cli', '--key', '{"id":{"S":"1"}}');
    expect(got.out).toEqual({ Item: { id: { S: '1' }, n: { N: '7' } } });

    const failed = await aws('put-item', '--table-name', 'Cli', '--item', '{"id":{"S":"1"}}', '--condition-expression', 'attribute_not_exists(id)');
    expect(failed.code).not.toBe(0);
    expect(failed.err).toContain('ConditionalCheckFailedException');
    expect(failed.err).toContain('The conditional request failed');

    const missing = await aws('describe-table', '--table-name', 'Nope');
    expect(missing.err).toContain('ResourceNotFoundException');
  }, 60_000);
});
