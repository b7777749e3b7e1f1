import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  InvokeCommand,
  UpdateFunctionCodeCommand,
  type CreateFunctionCommandInput,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, startEddy, type TestEddy } from '../helpers/eddy.js';
import { ROLE, lambdaClient, logOf, payloadOf, zip } from './helpers.js';

let t: TestEddy;
let lambda: LambdaClient;
const root = realpathSync(mkdtempSync(join(tmpdir(), 'eddy-local-code-')));
beforeAll(async () => {
  t = await startEddy();
  lambda = lambdaClient(t.endpoint);
});
afterAll(async () => {
  lambda.destroy();
  await t.close();
  rmSync(root, { recursive: true, force: true });
});

/** A fresh directory under the test's root holding `files`. */
function directory(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [path, text] of Object.entries(files)) edit(join(dir, path), text);
  return dir;
}

let clock = Date.now() / 1000;
/**
 * Writes a file and sets its mtime explicitly to a time no earlier write used,
 * so the edit changes the fingerprint even where the file system's mtime is
 * coarse (the sizes differ as well).
 */
function edit(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  clock += 1;
  utimesSync(path, clock, clock);
}

async function create(name: string, dir: string, extra: Partial<CreateFunctionCommandInput> = {}): Promise<void> {
  await lambda.send(
    new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { S3Bucket: 'eddy-local', S3Key: dir }, ...extra }),
  );
}

/** Invokes with the log tail: `cold` tells whether the invocation started a new execution environment. */
async function invoke(name: string, event: unknown = {}): Promise<{ result: any; cold: boolean; error?: string }> {
  const out = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify(event), LogType: 'Tail' }));
  return { result: payloadOf(out), cold: logOf(out).includes('Init Duration'), error: out.FunctionError };
}

const counter = (version: string): string => `
import { tag } from './lib.mjs';
let calls = 0;
export const handler = async () => ({ version: '${version}', tag, calls: ++calls, root: process.env.LAMBDA_TASK_ROOT });
`;

describe('a function run from a local directory (S3Bucket "eddy-local")', () => {
  it('runs straight from the directory and picks up edits on the next invocation, warm otherwise', async () => {
    const dir = directory('js', { 'index.mjs': counter('one'), 'lib.mjs': "export const tag = 'a';" });
    await create('local-js', dir);

    expect(await invoke('local-js')).toEqual({ result: { version: 'one', tag: 'a', calls: 1, root: dir }, cold: true });
    expect(await invoke('local-js')).toEqual({ result: { version: 'one', tag: 'a', calls: 2, root: dir }, cold: false });

    // The handler file edited on disk: no UpdateFunctionCode, and module state starts over.
    edit(join(dir, 'index.mjs'), counter('two'));
    expect(await invoke('local-js')).toEqual({ result: { version: 'two', tag: 'a', calls: 1, root: dir }, cold: true });
    expect(await invoke('local-js')).toEqual({ result: { version: 'two', tag: 'a', calls: 2, root: dir }, cold: false });

    // A module the handler imports counts as code too.
    edit(join(dir, 'lib.mjs'), "export const tag = 'bb';");
    expect(await invoke('local-js')).toMatchObject({ result: { version: 'two', tag: 'bb', calls: 1 }, cold: true });

    // node_modules is not looked at: a change there keeps the warm environment.
    edit(join(dir, 'node_modules', 'dep', 'index.js'), 'module.exports = 1;');
    expect(await invoke('local-js')).toMatchObject({ result: { calls: 2 }, cold: false });

    // A new file is a change.
    edit(join(dir, 'extra.json'), '{}');
    expect(await invoke('local-js')).toMatchObject({ result: { calls: 1 }, cold: true });
  });

  it("provides the AWS SDK, as Lambda's runtime does, to a directory that has none (ESM and CommonJS)", async () => {
    // The test root is under the system temp directory: no node_modules above it.
    const esm = directory('sdk-esm', {
      'index.mjs': `import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
export const handler = async () => (await new DynamoDBClient({}).send(new ListTablesCommand({}))).TableNames;`,
    });
    const cjs = directory('sdk-cjs', {
      'index.js': `const { SQSClient, ListQueuesCommand } = require('@aws-sdk/client-sqs');
exports.handler = async () => ((await new SQSClient({}).send(new ListQueuesCommand({}))).QueueUrls ?? []).length;`,
    });
    await create('sdk-esm', esm);
    await create('sdk-cjs', cjs);
    expect(await invoke('sdk-esm')).toMatchObject({ result: [], error: undefined });
    expect(await invoke('sdk-cjs')).toMatchObject({ result: 0, error: undefined });
  });

  it('still fails the import of a package the directory does not have that Lambda does not provide', async () => {
    const dir = directory('missing-package', { 'index.mjs': "import 'left-pad-nowhere';\nexport const handler = async () => 1;" });
    await create('missing-package', dir);
    const { result, error } = await invoke('missing-package');
    expect(error).toBe('Unhandled');
    expect(result).toMatchObject({ errorType: 'Runtime.ImportModuleError', errorMessage: expect.stringContaining("Cannot find package 'left-pad-nowhere'") });
  });

  it('reports the directory in GetFunction, with a fingerprint hash and the files size', async () => {
    const files = { 'index.js': 'exports.handler = async () => "cjs";' };
    const dir = directory('get', files);
    await create('local-get', dir);
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: 'local-get' }));
    expect(got.Code).toEqual({ RepositoryType: 'Local', Location: pathToFileURL(dir).href });
    expect(got.Configuration?.CodeSize).toBe(Buffer.byteLength(files['index.js']));
    expect(got.Configuration?.CodeSha256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect((await invoke('local-get')).result).toBe('cjs');
  });

  it('runs a TypeScript handler from a directory and picks up an edit', async () => {
    const source = (greeting: string): string =>
      `interface Event { name: string }\nexport const handler = async (event: Event): Promise<string> => \`${greeting} \${event.name}\`;\n`;
    const dir = directory('ts', { 'app.ts': source('hello') });
    await create('local-ts', dir, { Handler: 'app.handler' });
    expect(await invoke('local-ts', { name: 'ts' })).toEqual({ result: 'hello ts', cold: true });
    edit(join(dir, 'app.ts'), source('goodbye'));
    expect(await invoke('local-ts', { name: 'ts' })).toEqual({ result: 'goodbye ts', cold: true });
    expect(await invoke('local-ts', { name: 'ts' })).toEqual({ result: 'goodbye ts', cold: false });
  });

  it('runs a Python handler from a directory and picks up an edit, writing no __pycache__ into it', async () => {
    const source = (word: string): string => `calls = 0\n\ndef handler(event, context):\n    global calls\n    calls += 1\n    return {"word": "${word}", "calls": calls}\n`;
    const dir = directory('py', { 'app.py': source('first') });
    await create('local-py', dir, { Runtime: 'python3.12', Handler: 'app.handler' });
    expect((await invoke('local-py')).result).toEqual({ word: 'first', calls: 1 });
    expect((await invoke('local-py')).result).toEqual({ word: 'first', calls: 2 });
    edit(join(dir, 'app.py'), source('second'));
    expect((await invoke('local-py')).result).toEqual({ word: 'second', calls: 1 });
    expect((await invoke('local-py')).result).toEqual({ word: 'second', calls: 2 });
    // Lambda's task root is read-only: Python writes no bytecode next to the sources.
    expect(existsSync(join(dir, '__pycache__'))).toBe(false);
  });

  it('switches between a zip and a directory with UpdateFunctionCode', async () => {
    const dir = directory('switch', { 'index.js': 'exports.handler = async () => "from directory";' });
    await lambda.send(
      new CreateFunctionCommand({ FunctionName: 'local-switch', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zip({ 'index.js': 'exports.handler = async () => "from zip";' }) } }),
    );
    expect((await invoke('local-switch')).result).toBe('from zip');
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'local-switch', S3Bucket: 'eddy-local', S3Key: dir }));
    expect((await invoke('local-switch')).result).toBe('from directory');
    expect((await lambda.send(new GetFunctionCommand({ FunctionName: 'local-switch' }))).Code?.RepositoryType).toBe('Local');
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'local-switch', ZipFile: zip({ 'index.js': 'exports.handler = async () => "zip again";' }) }));
    expect((await invoke('local-switch')).result).toBe('zip again');
    expect((await lambda.send(new GetFunctionCommand({ FunctionName: 'local-switch' }))).Code?.RepositoryType).toBe('S3');
  });

  it('refuses a missing, relative or non-directory path, and any other bucket', async () => {
    const refused = async (code: CreateFunctionCommandInput['Code']) => {
      const error = await errorOf(() => lambda.send(new CreateFunctionCommand({ FunctionName: 'local-bad', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: code })));
      expect(error.name).toBe('InvalidParameterValueException');
      return error.message;
    };
    const missing = join(root, 'no-such-dir');
    expect(await refused({ S3Bucket: 'eddy-local', S3Key: missing })).toBe(
      `Local code directory "${missing}" (Code.S3Key with Code.S3Bucket "eddy-local") does not exist.`,
    );
    const file = join(directory('file', { 'index.js': '' }), 'index.js');
    expect(await refused({ S3Bucket: 'eddy-local', S3Key: file })).toBe(`Local code path "${file}" (Code.S3Key with Code.S3Bucket "eddy-local") is not a directory.`);
    expect(await refused({ S3Bucket: 'eddy-local', S3Key: 'relative/dir' })).toBe(
      'Code.S3Key must be an absolute directory path when Code.S3Bucket is "eddy-local"; got "relative/dir".',
    );
    expect(await refused({ S3Bucket: 'my-bucket', S3Key: '/tmp' })).toContain('code from S3 bucket "my-bucket"');
    const update = await errorOf(() => lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'local-get', S3Bucket: 'eddy-local', S3Key: missing })));
    expect(update.name).toBe('InvalidParameterValueException');
    expect((await errorOf(() => lambda.send(new GetFunctionCommand({ FunctionName: 'local-bad' })))).name).toBe('ResourceNotFoundException');
  });
});
