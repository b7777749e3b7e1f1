import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';

// These tests run the compiled CLI (`npm test` builds first) exactly as a user would.
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(repoRoot, 'bin', 'eddy.js');
const packageVersion = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
const READY = /^Eddy ready on (http:\/\/127\.0\.0\.1:(\d+)) \((in memory|data: .+)\)$/;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

interface Running {
  child: ChildProcess;
  url: string;
  port: number;
  readyLine: string;
  exited: Promise<Exit>;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

/** A fresh empty directory, removed after the test. */
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-cli-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Spawns `node bin/eddy.js ...args` in `cwd` with the test's EDDY_* variables only (none inherited). */
function spawnEddy(args: string[], env: Record<string, string> = {}, cwd = tempDir()): { child: ChildProcess; exited: Promise<Exit> } {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('EDDY_')));
  const child = spawn(process.execPath, [bin, ...args], { cwd, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<Exit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, exited };
}

/** Starts Eddy and resolves on its ready line (read from stdout, no polling); rejects if it exits first. */
async function startEddy(args: string[], env: Record<string, string> = {}, cwd?: string): Promise<Running> {
  const { child, exited } = spawnEddy(['start', ...args], env, cwd);
  const readyLine = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      lines.close();
      resolve(line);
    });
    void exited.then((exit) => reject(new Error(`eddy exited with ${exit.code} before it was ready: ${exit.stderr}`)));
  });
  const match = READY.exec(readyLine);
  if (!match) throw new Error(`unexpected ready line: ${readyLine}`);
  return { child, url: match[1]!, port: Number(match[2]), readyLine, exited };
}

/** Runs a command that is expected to exit by itself. */
async function runEddy(args: string[], env: Record<string, string> = {}): Promise<Exit> {
  return spawnEddy(args, env).exited;
}

/** Resolves when `pattern` appears in what `stream` writes from now on. */
function waitForOutput(stream: NodeJS.ReadableStream, pattern: RegExp): Promise<void> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (chunk: Buffer | string): void => {
      text += chunk.toString();
      if (pattern.test(text)) {
        stream.off('data', onData);
        resolve();
      }
    };
    stream.on('data', onData);
  });
}

async function stop(eddy: Running, signal: NodeJS.Signals = 'SIGTERM'): Promise<Exit> {
  eddy.child.kill(signal);
  return eddy.exited;
}

async function health(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/_eddy/health`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function dynamo(url: string, region = 'us-east-1'): DynamoDBClient {
  const client = new DynamoDBClient({ endpoint: url, region, credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
  cleanups.push(() => client.destroy());
  return client;
}

async function createTable(client: DynamoDBClient, name: string) {
  const { TableDescription } = await client.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  return TableDescription!;
}

/**
 * Sends the headers of a request with `Expect: 100-continue` and resolves once the
 * server has answered 100 Continue: from then on the request is in flight at the
 * server until `finish()` sends its body.
 */
async function requestInFlight(url: string): Promise<{ finish(): void; response: Promise<{ status: number; connection?: string; body: string }> }> {
  return new Promise((resolveStarted, rejectStarted) => {
    const req = request(`${url}/_eddy/health`, { method: 'GET', headers: { Expect: '100-continue', 'Content-Length': '2' } });
    const response = new Promise<{ status: number; connection?: string; body: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, body }));
      });
      req.on('error', reject);
    });
    response.catch(() => undefined); // a forced exit resets it; tests that care await it
    req.on('error', rejectStarted);
    req.on('continue', () => resolveStarted({ finish: () => req.end('{}'), response }));
    req.flushHeaders();
  });
}

describe('eddy start', () => {
  it('starts on the port 0 asks for, prints one ready line with the real port, answers health and exits 0 on SIGTERM', async () => {
    const cwd = tempDir();
    const eddy = await startEddy(['--port', '0', '--in-memory'], {}, cwd);
    expect(eddy.readyLine).toBe(`Eddy ready on http://127.0.0.1:${eddy.port} (in memory)`);
    expect(eddy.port).toBeGreaterThan(0);

    const { status, body } = await health(eddy.url);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', region: 'us-east-1', accountId: '000000000000', storage: 'memory' });

    const exit = await stop(eddy, 'SIGTERM');
    expect(exit).toMatchObject({ code: 0, signal: null, stdout: `${eddy.readyLine}\n`, stderr: '' });
    expect(readdirSync(cwd)).toEqual([]); // in memory: nothing written, not even ./.eddy
  });

  it('exits 0 on SIGINT (Ctrl+C) too', async () => {
    const eddy = await startEddy(['--port', '0', '--in-memory']);
    expect((await health(eddy.url)).status).toBe(200);
    const exit = await stop(eddy, 'SIGINT');
    expect(exit.code).toBe(0);
    expect(exit.signal).toBeNull();
  });

  it('lets a request in flight finish before it stops', async () => {
    const eddy = await startEddy(['--port', '0', '--in-memory', '--log-level', 'info']);
    const inFlight = await requestInFlight(eddy.url);
    const shuttingDown = waitForOutput(eddy.child.stderr!, /shutting down/);
    eddy.child.kill('SIGTERM');
    await shuttingDown; // the signal has been handled while the request waits for its body
    inFlight.finish();
    const response = await inFlight.response;
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ status: 'ok' });
    // the keep-alive client is told to let go, so the shutdown need not wait for it to time out
    expect(response.connection).toBe('close');
    expect((await eddy.exited).code).toBe(0);
  });

  it('exits 1 at once on a second signal while shutdown still waits for a request', async () => {
    const eddy = await startEddy(['--port', '0', '--in-memory']);
    await requestInFlight(eddy.url); // never finished: the first signal alone cannot complete the shutdown
    eddy.child.kill('SIGTERM');
    eddy.child.kill('SIGINT'); // a different signal, so the two cannot merge into one delivery
    const exit = await eddy.exited;
    expect(exit.code).toBe(1);
    expect(exit.stderr).toMatch(/received again; exiting before shutdown finished/);
  });

  it('keeps tables in --data <dir>/eddy.db across a restart', async () => {
    const data = join(tempDir(), 'state');
    const first = await startEddy(['--port', '0', '--data', data]);
    expect(first.readyLine).toBe(`Eddy ready on ${first.url} (data: ${join(data, 'eddy.db')})`);
    const created = await createTable(dynamo(first.url), 'Orders');
    expect(created.TableName).toBe('Orders');
    expect((await stop(first)).code).toBe(0);
    expect(readdirSync(data)).toContain('eddy.db');

    const second = await startEddy(['--port', '0', '--data', data]);
    const { TableNames } = await dynamo(second.url).send(new ListTablesCommand({}));
    expect(TableNames).toEqual(['Orders']);
    expect((await stop(second)).code).toBe(0);
  });

  it('keeps nothing across a restart with --in-memory', async () => {
    const first = await startEddy(['--port', '0', '--in-memory']);
    await createTable(dynamo(first.url), 'Scratch');
    expect((await dynamo(first.url).send(new ListTablesCommand({}))).TableNames).toEqual(['Scratch']);
    await stop(first);
    const second = await startEddy(['--port', '0', '--in-memory']);
    expect((await dynamo(second.url).send(new ListTablesCommand({}))).TableNames).toEqual([]);
    await stop(second);
  });

  it('defaults to ./.eddy/eddy.db in the working directory', async () => {
    const cwd = tempDir();
    const eddy = await startEddy(['--port', '0'], {}, cwd);
    expect(eddy.readyLine).toBe(`Eddy ready on ${eddy.url} (data: .eddy/eddy.db)`);
    expect(readdirSync(join(cwd, '.eddy'))).toContain('eddy.db');
    expect((await stop(eddy)).code).toBe(0);
  });

  it('takes its configuration from EDDY_* environment variables', async () => {
    const data = join(tempDir(), 'from-env');
    const eddy = await startEddy([], {
      EDDY_PORT: '0',
      EDDY_HOST: '127.0.0.1',
      EDDY_DATA: data,
      EDDY_REGION: 'eu-west-1',
      EDDY_ACCOUNT_ID: '123456789012',
      EDDY_TABLE_TRANSITION_MS: '600000',
      EDDY_LOG_LEVEL: 'info',
    });
    expect(eddy.readyLine).toBe(`Eddy ready on ${eddy.url} (data: ${join(data, 'eddy.db')})`);
    expect((await health(eddy.url)).body).toMatchObject({ region: 'eu-west-1', accountId: '123456789012', storage: 'sqlite' });

    const table = await createTable(dynamo(eddy.url, 'eu-west-1'), 'Slow');
    expect(table.TableArn).toBe('arn:aws:dynamodb:eu-west-1:123456789012:table/Slow');
    expect(table.TableStatus).toBe('CREATING'); // ten minutes of transition, from EDDY_TABLE_TRANSITION_MS

    const exit = await stop(eddy);
    expect(exit.code).toBe(0);
    // info level: pino's JSON lines on stderr, never on stdout
    expect(exit.stderr).toMatch(/"msg":"ready"/);
    expect(exit.stdout).toBe(`${eddy.readyLine}\n`);
  });

  it('takes EDDY_IN_MEMORY=true, and logs nothing at the default level', async () => {
    const cwd = tempDir();
    const eddy = await startEddy([], { EDDY_PORT: '0', EDDY_IN_MEMORY: 'true' }, cwd);
    expect(eddy.readyLine).toMatch(/\(in memory\)$/);
    expect((await health(eddy.url)).body.storage).toBe('memory');
    const exit = await stop(eddy);
    expect(exit.stderr).toBe('');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('lets flags win over environment variables', async () => {
    const data = join(tempDir(), 'env-data');
    const eddy = await startEddy(['--port', '0', '--region', 'ap-south-1', '--account-id', '111122223333', '--in-memory'], {
      EDDY_PORT: '1', // would need privileges; the flag's 0 must win
      EDDY_REGION: 'eu-west-1',
      EDDY_ACCOUNT_ID: '999999999999',
      EDDY_DATA: data, // --in-memory overrides it
    });
    expect(eddy.port).not.toBe(1);
    expect(eddy.readyLine).toMatch(/\(in memory\)$/);
    expect((await health(eddy.url)).body).toMatchObject({ region: 'ap-south-1', accountId: '111122223333', storage: 'memory' });
    expect((await stop(eddy)).code).toBe(0);

    const onDisk = await startEddy(['--port', '0', '--data', data], { EDDY_IN_MEMORY: '1' });
    expect(onDisk.readyLine).toBe(`Eddy ready on ${onDisk.url} (data: ${join(data, 'eddy.db')})`);
    expect((await stop(onDisk)).code).toBe(0);
  });

  it('reports a port in use in one line and exits 1', async () => {
    const first = await startEddy(['--port', '0', '--in-memory']);
    const second = await runEddy(['start', '--port', String(first.port), '--in-memory']);
    expect(second.code).toBe(1);
    expect(second.stdout).toBe('');
    expect(second.stderr).toBe(
      `eddy: port ${first.port} on 127.0.0.1 is already in use (is another Eddy running?); choose another with --port or EDDY_PORT, or --port 0 for a free one.\n`,
    );
    // the first one is unharmed
    expect((await health(first.url)).status).toBe(200);
    expect((await stop(first)).code).toBe(0);
  });
});

describe('eddy start --config', () => {
  const table = (name: string): string =>
    `{TableName: ${name}, AttributeDefinitions: [{AttributeName: pk, AttributeType: S}], KeySchema: [{AttributeName: pk, KeyType: HASH}], BillingMode: PAY_PER_REQUEST}`;

  it('creates what the project file declares before the ready line, and again changes nothing on a restart', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'eddy.config.yaml'), `tables:\n  - ${table('Orders')}\n  - ${table('Customers')}\n`);
    const first = await startEddy(['--port', '0', '--data', join(dir, 'data'), '--config', 'eddy.config.yaml'], {}, dir);
    expect((await dynamo(first.url).send(new ListTablesCommand({}))).TableNames).toEqual(['Customers', 'Orders']);
    expect((await stop(first)).code).toBe(0);

    const second = await startEddy(['--port', '0', '--data', join(dir, 'data')], { EDDY_CONFIG: join(dir, 'eddy.config.yaml') }, dir);
    expect((await dynamo(second.url).send(new ListTablesCommand({}))).TableNames).toEqual(['Customers', 'Orders']);
    expect((await stop(second)).code).toBe(0);
  });

  it('refuses a malformed project file before starting (exit 2)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'eddy.config.yaml'), 'tabels: []\n');
    const exit = await spawnEddy(['start', '--port', '0', '--in-memory', '--config', join(dir, 'eddy.config.yaml')]).exited;
    expect(exit.code).toBe(2);
    expect(exit.stdout).toBe('');
    expect(exit.stderr).toContain(`${join(dir, 'eddy.config.yaml')}: unknown section "tabels"`);
  });

  it("stops with AWS's error naming the resource when a declaration is refused (exit 1, no ready line)", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'eddy.config.json'), JSON.stringify({ tables: [{ TableName: 'Bad', KeySchema: [], AttributeDefinitions: [] }] }));
    const exit = await spawnEddy(['start', '--port', '0', '--in-memory', '--config', join(dir, 'eddy.config.json')]).exited;
    expect(exit.code).toBe(1);
    expect(exit.stdout).toBe('');
    expect(exit.stderr).toMatch(/eddy\.config\.json: table Bad: ValidationException: /);
  });
});

describe('usage errors exit 2 with a message', () => {
  const cases: { name: string; args: string[]; env?: Record<string, string>; message: RegExp }[] = [
    { name: 'a port out of range', args: ['--port', '70000'], message: /--port <port>' argument '70000' is invalid\. The port must be an integer from 0 to 65535/ },
    { name: 'a port that is not a number', args: ['--port', '45x'], message: /argument '45x' is invalid\. The port must be an integer/ },
    { name: 'a short account id', args: ['--account-id', '12345'], message: /argument '12345' is invalid\. The account id must be exactly 12 digits/ },
    { name: 'an account id with letters', args: ['--account-id', '12345678901a'], message: /The account id must be exactly 12 digits/ },
    { name: 'a bad region', args: ['--region', 'US East'], message: /The region must be lowercase letters, digits and hyphens/ },
    { name: 'a negative transition', args: ['--table-transition-ms', '-5'], message: /--table-transition-ms <ms>' argument '-5' is invalid/ },
    { name: 'an unknown log level', args: ['--log-level', 'loud'], message: /The log level must be one of fatal, error, warn, info, debug, trace, silent/ },
    { name: '--data with --in-memory', args: ['--data', 'somewhere', '--in-memory'], message: /--data and --in-memory cannot be used together/ },
    { name: 'an unknown flag', args: ['--prot', '4566'], message: /unknown option '--prot'/ },
    { name: 'a bad EDDY_PORT', args: [], env: { EDDY_PORT: 'http' }, message: /value 'http' from env 'EDDY_PORT' is invalid\. The port must be/ },
    { name: 'a bad EDDY_ACCOUNT_ID', args: [], env: { EDDY_ACCOUNT_ID: '42' }, message: /from env 'EDDY_ACCOUNT_ID' is invalid\. The account id must be exactly 12 digits/ },
    { name: 'a bad EDDY_IN_MEMORY', args: [], env: { EDDY_IN_MEMORY: 'maybe' }, message: /EDDY_IN_MEMORY must be 1 or true \(or 0 or false\), not 'maybe'/ },
    { name: 'EDDY_DATA with EDDY_IN_MEMORY', args: [], env: { EDDY_DATA: 'x', EDDY_IN_MEMORY: '1' }, message: /EDDY_DATA and EDDY_IN_MEMORY=1 cannot both be set/ },
  ];

  it.each(cases)('$name', async ({ args, env, message }) => {
    // --port 0 so that, were the value wrongly accepted, the test fails on the exit code rather than on a busy port
    const exit = await runEddy(['start', ...(args.includes('--port') || env?.EDDY_PORT ? [] : ['--port', '0']), ...args], env);
    expect(exit.code).toBe(2);
    expect(exit.stdout).toBe('');
    expect(exit.stderr).toMatch(message);
    expect(exit.stderr).toContain("(run 'eddy start --help' for usage)");
  });

  it('an unknown command', async () => {
    const exit = await runEddy(['stat']);
    expect(exit.code).toBe(2);
    expect(exit.stderr).toMatch(/unknown command 'stat'/);
  });
});

describe('help and version', () => {
  it('eddy --help lists the commands with an example', async () => {
    const exit = await runEddy(['--help']);
    expect(exit.code).toBe(0);
    expect(exit.stdout).toMatch(/^Usage: eddy \[options\] \[command\]/);
    expect(exit.stdout).toMatch(/start \[options\]\s+start Eddy in the foreground/);
    expect(exit.stdout).toContain('$ eddy start --port 0 --in-memory');
  });

  it('eddy start --help describes every option with its default and environment variable', async () => {
    const exit = await runEddy(['start', '--help']);
    expect(exit.code).toBe(0);
    const help = exit.stdout.replace(/\s+/g, ' ');
    for (const expected of [
      '-p, --port <port>',
      '(default: 4566, env: EDDY_PORT)',
      '--host <host>',
      '(default: "127.0.0.1", env: EDDY_HOST)',
      '-d, --data <dir>',
      '(default: ".eddy", env: EDDY_DATA)',
      '--in-memory',
      'EDDY_IN_MEMORY=1 or true',
      '--region <region>',
      '(default: "us-east-1", env: EDDY_REGION)',
      '--account-id <id>',
      '(default: "000000000000", env: EDDY_ACCOUNT_ID)',
      '--table-transition-ms <ms>',
      '(default: 0, env: EDDY_TABLE_TRANSITION_MS)',
      '--log-level <level>',
      '(default: "warn", env: EDDY_LOG_LEVEL)',
      'A flag wins over its environment variable',
      '$ eddy start --port 0 --in-memory',
      '-c, --config <file>',
      '(env: EDDY_CONFIG)',
    ]) {
      expect(help).toContain(expected);
    }
  });

  it('ends quietly when the reader of its output goes away (eddy --help | head)', async () => {
    const { child, exited } = spawnEddy(['--help']);
    // Closed before Eddy writes a byte: its first write fails with EPIPE.
    child.stdout!.destroy();
    const exit = await exited;
    expect(exit.code).toBe(0);
    expect(exit.stderr).toBe('');
  });

  it('eddy --version prints the version from package.json', async () => {
    const exit = await runEddy(['--version']);
    expect(exit).toMatchObject({ code: 0, stdout: `${packageVersion}\n` });
  });
});
