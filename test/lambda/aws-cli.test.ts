import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEddy, type TestEddy } from '../helpers/eddy.js';
import { ROLE, zip } from './helpers.js';

const run = promisify(execFile);
let t: TestEddy;
const dir = mkdtempSync(join(tmpdir(), 'eddy-lambda-cli-'));
beforeAll(async () => {
  t = await startEddy();
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

async function aws(...args: string[]): Promise<{ code: number; out: any; err: string }> {
  try {
    const { stdout } = await run('aws', ['--endpoint-url', t.endpoint, '--region', 'us-east-1', '--output', 'json', 'lambda', ...args], {
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDEDDY', AWS_SECRET_ACCESS_KEY: 'secret', AWS_PAGER: '' },
      timeout: 60_000,
    });
    return { code: 0, out: stdout.trim() ? JSON.parse(stdout) : undefined, err: '' };
  } catch (error: any) {
    return { code: error.code as number, out: undefined, err: String(error.stderr) };
  }
}

it('creates a function from a zip file and invokes it with the aws CLI', async () => {
  const zipPath = join(dir, 'function.zip');
  writeFileSync(zipPath, zip({ 'index.js': 'exports.handler = async (event) => ({ doubled: event.n * 2, from: process.env.AWS_LAMBDA_FUNCTION_NAME });' }));
  const created = await aws(
    'create-function', '--function-name', 'cli-fn', '--runtime', 'nodejs20.x', '--role', ROLE,
    '--handler', 'index.handler', '--zip-file', `fileb://${zipPath}`, '--environment', 'Variables={MODE=cli}',
  );
  expect(created.err).toBe('');
  expect(created.out).toMatchObject({ FunctionName: 'cli-fn', Runtime: 'nodejs20.x', Handler: 'index.handler', State: 'Pending', Environment: { Variables: { MODE: 'cli' } } });
  expect(created.out.CodeSize).toBe(readFileSync(zipPath).length);

  const outFile = join(dir, 'out.json');
  const invoked = await aws('invoke', '--function-name', 'cli-fn', '--payload', '{"n": 21}', '--log-type', 'Tail', outFile);
  expect(invoked.err).toBe('');
  expect(invoked.out).toMatchObject({ StatusCode: 200, ExecutedVersion: '$LATEST' });
  expect(Buffer.from(invoked.out.LogResult, 'base64').toString()).toContain('START RequestId:');
  expect(JSON.parse(readFileSync(outFile, 'utf8'))).toEqual({ doubled: 42, from: 'cli-fn' });

  const listed = await aws('list-functions');
  expect(listed.out.Functions.map((f: { FunctionName: string }) => f.FunctionName)).toEqual(['cli-fn']);

  const missing = await aws('get-function', '--function-name', 'nope');
  expect(missing.code).not.toBe(0);
  expect(missing.err).toContain('ResourceNotFoundException');
  expect(missing.err).toContain('Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope');

  const deleted = await aws('delete-function', '--function-name', 'cli-fn');
  expect(deleted.code).toBe(0);
}, 60_000);

it('creates a function from a local directory with --code S3Bucket=eddy-local and sees an edit', async () => {
  const code = join(dir, 'local-code');
  mkdirSync(code);
  const handler = join(code, 'index.js');
  writeFileSync(handler, 'exports.handler = async () => "before";');
  const created = await aws(
    'create-function', '--function-name', 'cli-local', '--runtime', 'nodejs20.x', '--role', ROLE,
    '--handler', 'index.handler', '--code', `S3Bucket=eddy-local,S3Key=${code}`,
  );
  expect(created.err).toBe('');
  expect(created.out).toMatchObject({ FunctionName: 'cli-local', CodeSize: readFileSync(handler).length });

  const outFile = join(dir, 'local-out.json');
  expect((await aws('invoke', '--function-name', 'cli-local', outFile)).err).toBe('');
  expect(JSON.parse(readFileSync(outFile, 'utf8'))).toBe('before');

  writeFileSync(handler, 'exports.handler = async () => "after the edit";');
  utimesSync(handler, new Date(Date.now() + 60_000), new Date(Date.now() + 60_000)); // a new mtime whatever the file system's resolution
  expect((await aws('invoke', '--function-name', 'cli-local', outFile)).err).toBe('');
  expect(JSON.parse(readFileSync(outFile, 'utf8'))).toBe('after the edit');

  const got = await aws('get-function', '--function-name', 'cli-local');
  expect(got.out.Code).toEqual({ RepositoryType: 'Local', Location: `file://${code}` });

  const other = await aws('create-function', '--function-name', 'cli-s3', '--runtime', 'nodejs20.x', '--role', ROLE, '--handler', 'index.handler', '--code', 'S3Bucket=my-bucket,S3Key=code.zip');
  expect(other.code).not.toBe(0);
  expect(other.err).toContain('InvalidParameterValueException');
  expect(other.err).toContain('code from S3 bucket "my-bucket"');
}, 60_000);
