// Shared pieces of the benchmark: starting servers as child processes, reading
// their CPU time and memory from /proc, the keep-alive load generator and the
// request bodies. Plain Node.js, no dependencies.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { hrtime } from 'node:process';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const EDDY_BIN = join(ROOT, 'bin', 'eddy.js');
export const BASELINE = join(ROOT, 'bench', 'baseline-server.mjs');
export const DYNALITE = join(ROOT, 'bench', 'dynalite-server.mjs');

export const TABLE = 'bench';
const AUTHORIZATION = 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00';
const CONTENT_TYPE = 'application/x-amz-json-1.0';

export function intEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got ${raw}`);
  return value;
}

// ---------------------------------------------------------------- /proc

let clockTicks;
/** Clock ticks per second for /proc/<pid>/stat (getconf CLK_TCK, normally 100). */
export function clkTck() {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** utime and stime of a process (all its threads), in microseconds. */
export function processCpu(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces:
  // [0] is field 3 (state), so utime (field 14) is [11] and stime (field 15) is [12].
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const micros = 1e6 / clkTck();
  return { user: Number(fields[11]) * micros, system: Number(fields[12]) * micros };
}

/** utime + stime of a process (all its threads), in microseconds. */
export function processCpuMicros(pid) {
  const { user, system } = processCpu(pid);
  return user + system;
}

/** Whole-machine CPU time from /proc/stat, in microseconds: busy (all but idle and iowait) and steal. */
export function machineCpu() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
  const [user, nice, system, _idle, _iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const micros = 1e6 / clkTck();
  return { busy: (user + nice + system + irq + softirq) * micros, steal: (steal || 0) * micros };
}

/** Resident set size of a process in bytes (VmRSS from /proc/<pid>/status). */
export function processRssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

// ---------------------------------------------------------------- servers

/**
 * Spawns `node [nodeFlags] script args` (or `command args` when `command` is given)
 * and resolves once it prints a line holding `http://127.0.0.1:<port>` on stdout
 * (or on stderr too, with `readyOnStderr`). `readyMs` is the time from spawn to that line.
 */
export function startServer({ name, script, args = [], nodeFlags = [], env = {}, timeoutMs = 20_000, command, readyOnStderr = false }) {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const argv = command ? args : [...nodeFlags, script, ...args];
    const child = spawn(command ?? process.execPath, argv, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let settled = false;
    const exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
    const fail = (message) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${name}: ${message}\n--- stdout\n${stdout}--- stderr\n${stderr}`));
    };
    const timer = setTimeout(() => fail(`no ready line within ${timeoutMs} ms`), timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    const ready = () => {
      if (settled) return;
      const match = /http:\/\/127\.0\.0\.1:(\d+)/.exec(readyOnStderr ? `${stdout}\n${stderr}` : stdout);
      if (!match) return;
      settled = true;
      clearTimeout(timer);
      const readyMs = performance.now() - startedAt;
      resolve({
        name,
        child,
        pid: child.pid,
        port: Number(match[1]),
        readyMs,
        exited,
        stderrTail: () => stderr,
      });
    };
    child.stderr.on('data', (text) => {
      // Keep the tail only: enough to explain a crash, never a memory leak of our own.
      stderr = (stderr + text).slice(-20_000);
      if (readyOnStderr) ready();
    });
    child.stdout.on('data', (text) => {
      stdout = (stdout + text).slice(-20_000);
      ready();
    });
    child.once('error', (error) => fail(`spawn failed: ${error.message}`));
    child.once('exit', (code, signal) => fail(`exited before ready (code ${code}, signal ${signal})`));
  });
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves with how it exited. */
export async function stopServer(server, graceMs = 10_000) {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), graceMs);
  const result = await server.exited;
  clearTimeout(timer);
  return result;
}

/** Pins every thread of `pid` to one CPU (taskset), for runs that keep client and server apart. */
export function pinToCpu(pid, cpu) {
  execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
}

export function tempDataDir(label = 'eddy-bench-') {
  return mkdtempSync(join(tmpdir(), label));
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}

/** Eddy, durable on disk in `dataDir` (or, given no dataDir, in memory). */
export function startEddy({ dataDir, nodeFlags = [], env = {} }) {
  return startServer({
    name: dataDir ? 'eddy' : 'eddy-mem',
    script: EDDY_BIN,
    args: ['start', '--port', '0', ...(dataDir ? ['--data', dataDir] : ['--in-memory']), '--log-level', 'warn'],
    nodeFlags,
    env,
  });
}

export function startBaseline({ nodeFlags = [] } = {}) {
  return startServer({ name: 'baseline', script: BASELINE, args: ['--port', '0'], nodeFlags });
}

/** dynalite in memory, in a child process of its own (bench/dynalite-server.mjs). */
export function startDynalite({ nodeFlags = [] } = {}) {
  return startServer({ name: 'dynalite', script: DYNALITE, args: ['--port', '0'], nodeFlags });
}

/** A TCP port that was free a moment ago (for servers that cannot take port 0). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

let python;
/** The real python3 binary (not a pyenv shim), so that the child's pid is the server's. */
export function pythonExecutable() {
  python ??= execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
  return python;
}

/**
 * moto's server (`python3 -m moto.server`), in memory, on a free port. It prints its
 * URL on stderr (werkzeug) and logs every request there too. Any credentials do.
 */
export async function startMoto() {
  const port = await freePort();
  return startServer({
    name: 'moto',
    command: pythonExecutable(),
    args: ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)],
    env: { AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'secret', AWS_DEFAULT_REGION: 'us-east-1' },
    readyOnStderr: true,
    timeoutMs: 60_000,
  });
}

/** VmRSS and VmHWM (peak RSS) of a process in bytes, from /proc/<pid>/status. */
export function processMemory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

// ---------------------------------------------------------------- client

/**
 * A keep-alive HTTP client for AWS JSON 1.0 calls: no SDK, no signing, no parsing on the hot path.
 * `extraHeaders` go on every request (dynalite insists on an X-Amz-Date or Date header).
 */
export function createClient(port, maxSockets, extraHeaders = {}) {
  const agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'fifo' });
  const headersByTarget = new Map();
  const headersFor = (operation) => {
    let headers = headersByTarget.get(operation);
    if (!headers) {
      headers = {
        'Content-Type': CONTENT_TYPE,
        'X-Amz-Target': operation.includes('.') ? operation : `DynamoDB_20120810.${operation}`,
        Authorization: AUTHORIZATION,
        ...extraHeaders,
      };
      headersByTarget.set(operation, headers);
    }
    return headers;
  };

  /** One call; resolves with { status, body } or { status: 0, error }, never rejects. */
  const call = (operation, body) =>
    new Promise((resolve) => {
      const req = request(
        { agent, host: '127.0.0.1', port, method: 'POST', path: '/', headers: { ...headersFor(operation), 'Content-Length': body.length } },
        (res) => {
          const chunks = [];
          res.on('data', (chunk) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks) }));
          res.on('error', (error) => resolve({ status: 0, error }));
        },
      );
      req.on('error', (error) => resolve({ status: 0, error }));
      req.end(body);
    });

  const json = async (operation, input) => {
    const response = await call(operation, Buffer.from(JSON.stringify(input)));
    if (response.status !== 200) {
      throw new Error(`${operation} answered ${response.status}: ${response.error?.message ?? response.body?.toString('utf8')}`);
    }
    return JSON.parse(response.body.toString('utf8'));
  };

  return { call, json, close: () => agent.destroy() };
}

/**
 * Creates a table (by default the bench table: hash key `pk`, on demand), waits until
 * it is ACTIVE and resolves with its description. `rangeKey` adds a string range key
 * `sk`; `streamViewType` enables a DynamoDB stream of that view type.
 */
export async function createTable(client, { name = TABLE, rangeKey = false, streamViewType } = {}) {
  await client.json('CreateTable', {
    TableName: name,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, ...(rangeKey ? [{ AttributeName: 'sk', AttributeType: 'S' }] : [])],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, ...(rangeKey ? [{ AttributeName: 'sk', KeyType: 'RANGE' }] : [])],
    BillingMode: 'PAY_PER_REQUEST',
    ...(streamViewType ? { StreamSpecification: { StreamEnabled: true, StreamViewType: streamViewType } } : {}),
  });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { Table } = await client.json('DescribeTable', { TableName: name });
    if (Table?.TableStatus === 'ACTIVE') return Table;
    if (Date.now() > deadline) throw new Error(`table ${name} still ${Table?.TableStatus} after 10 s`);
    await new Promise((done) => setTimeout(done, 20));
  }
}

// ---------------------------------------------------------------- workload

const ITEM_SIZE = 200;

/** DynamoDB's item size of an item made of S and BOOL attributes only. */
export function simpleItemSize(item) {
  let size = 0;
  for (const [name, value] of Object.entries(item)) {
    size += Buffer.byteLength(name) + (value.S !== undefined ? Buffer.byteLength(value.S) : 1);
  }
  return size;
}

export function keyName(index) {
  return `user#${String(index).padStart(7, '0')}`;
}

/** A ~200-byte item (as DynamoDB counts sizes) for key `index`. */
export function makeItem(index) {
  const n = String(index).padStart(7, '0');
  const item = {
    pk: { S: keyName(index) },
    name: { S: `Ada Lovelace ${n}` },
    email: { S: `ada.${n}@example.com` },
    city: { S: 'London' },
    createdAt: { S: '2026-01-01T12:00:00.000Z' },
    active: { BOOL: true },
    bio: { S: '' },
  };
  item.bio.S = 'x'.repeat(ITEM_SIZE - simpleItemSize(item));
  return item;
}

/**
 * An item of `size` bytes as DynamoDB counts them: the `key` attributes (S), a few
 * typical attributes and a filler string. `n` varies the values.
 */
export function makeSizedItem(key, size, n = 0) {
  const tag = String(n).padStart(7, '0');
  const item = {};
  for (const [name, value] of Object.entries(key)) item[name] = { S: value };
  Object.assign(item, {
    name: { S: `Ada Lovelace ${tag}` },
    email: { S: `ada.${tag}@example.com` },
    status: { S: 'ACTIVE' },
    createdAt: { S: '2026-01-01T12:00:00.000Z' },
    active: { BOOL: true },
    body: { S: '' },
  });
  item.body.S = 'x'.repeat(Math.max(0, size - simpleItemSize(item)));
  return item;
}

/** Prebuilt request bodies: PutItem and GetItem for each of `keys` keys. */
export function buildBodies(keys) {
  const put = new Array(keys);
  const get = new Array(keys);
  for (let i = 0; i < keys; i++) {
    put[i] = Buffer.from(JSON.stringify({ TableName: TABLE, Item: makeItem(i) }));
    get[i] = Buffer.from(JSON.stringify({ TableName: TABLE, Key: { pk: { S: keyName(i) } } }));
  }
  return { put, get, itemBytes: simpleItemSize(makeItem(0)), putBodyBytes: put[0].length, getBodyBytes: get[0].length };
}

const ITEM_MARKER = Buffer.from('"Item"');

/**
 * Sends `count` requests of `operation` over `concurrency` loops, each loop
 * waiting for its answer before sending the next. Request `i` uses
 * `bodies[pick(i)]`. Samples the server's CPU time around the phase.
 */
export function runPhase({ client, server, operation, bodies, count, concurrency, pick }) {
  const expectItem = operation === 'GetItem';
  return runTimedPhase({
    server,
    operation,
    count,
    concurrency,
    run: async (i) => {
      const response = await client.call(operation, bodies[pick(i)]);
      if (response.status === 200 && (!expectItem || response.body.includes(ITEM_MARKER))) return OK;
      return { ok: false, error: response.error ? `network: ${response.error.message}` : `${response.status}: ${response.body.toString('utf8').slice(0, 200)}` };
    },
  });
}

const OK = { ok: true };

/**
 * Runs `count` operations over `concurrency` loops, each loop starting its next
 * operation when the last one has finished. Operation `i` is `run(i)`, which
 * resolves with `{ ok, error?, pages? }` (an operation may be several requests,
 * such as the pages of a Scan: `pages` counts them). Latency is per operation.
 * Samples the server's CPU time, the bench's own and the machine's around the phase.
 */
export async function runTimedPhase({ server, operation, count, concurrency, run }) {
  const latencies = new Float64Array(count);
  const errorSamples = [];
  let errors = 0;
  let pages = 0;
  let next = 0;

  const loop = async () => {
    for (;;) {
      const i = next++;
      if (i >= count) return;
      const started = hrtime.bigint();
      let result;
      try {
        result = await run(i);
      } catch (error) {
        result = { ok: false, error: `thrown: ${error.message}` };
      }
      latencies[i] = Number(hrtime.bigint() - started) / 1e3;
      if (result.pages) pages += result.pages;
      if (!result.ok) {
        errors++;
        if (errorSamples.length < 5) errorSamples.push(result.error ?? 'failed');
      }
    }
  };

  const machineBefore = machineCpu();
  const serverCpuBefore = processCpu(server.pid);
  const clientCpuBefore = process.cpuUsage();
  const wallBefore = hrtime.bigint();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, loop));
  const wallAfter = hrtime.bigint();
  const wallMicros = Number(wallAfter - wallBefore) / 1e3;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const serverCpuAfter = processCpu(server.pid);
  const machineAfter = machineCpu();
  const serverUserMicros = serverCpuAfter.user - serverCpuBefore.user;
  const serverSystemMicros = serverCpuAfter.system - serverCpuBefore.system;
  const serverCpuMicros = serverUserMicros + serverSystemMicros;

  latencies.sort();
  const percentile = (p) => latencies[Math.min(count - 1, Math.max(0, Math.ceil(p * count) - 1))];
  return withLatencies(latencies, {
    operation,
    count,
    concurrency: Math.min(concurrency, count),
    errors,
    errorSamples,
    pages,
    wallMs: wallMicros / 1e3,
    // CLOCK_MONOTONIC in µs, the clock V8's .cpuprofile timestamps use: lets a profile be cut to this phase.
    startedAtUs: Number(wallBefore / 1000n),
    endedAtUs: Number(wallAfter / 1000n),
    opsPerSec: count / (wallMicros / 1e6),
    p50Ms: percentile(0.5) / 1e3,
    p99Ms: percentile(0.99) / 1e3,
    serverCpuMs: serverCpuMicros / 1e3,
    serverCpuUsPerOp: serverCpuMicros / count,
    serverUserUsPerOp: serverUserMicros / count,
    serverSystemUsPerOp: serverSystemMicros / count,
    clientCpuUsPerOp: (clientCpu.user + clientCpu.system) / count,
    // CPU used by everything else on the machine during the phase, in cores (1.0 = one whole CPU):
    // should stay near 0; more means another process disturbed the run.
    otherCores: Math.max(0, machineAfter.busy - machineBefore.busy - serverCpuMicros - (clientCpu.user + clientCpu.system)) / wallMicros,
    stealCores: (machineAfter.steal - machineBefore.steal) / wallMicros,
  });
}

/** Every operation's latency in µs, sorted, kept for {@link mergePhases}: not enumerable, so that BENCH_JSON reports leave it out. */
function withLatencies(latencies, result) {
  return Object.defineProperty(result, 'latencies', { value: latencies, enumerable: false });
}

/**
 * One phase's figures from several phases of the same operation on the same
 * server (the chunks of an interleaved comparison): sums, rates over their
 * summed wall time, percentiles over all their latencies, other load weighted
 * by wall time. Server CPU is the server's `processCpu` readings `cpuBefore`
 * the first chunk and `cpuAfter` the last: across the whole interleaved span,
 * so that its work finishing while another server's chunk ran still counts
 * (an idle server spends next to nothing).
 */
export function mergePhases(phases, cpuBefore, cpuAfter) {
  const sum = (key) => phases.reduce((total, phase) => total + phase[key], 0);
  const count = sum('count');
  const wallMs = sum('wallMs');
  const latencies = new Float64Array(count);
  let at = 0;
  for (const phase of phases) {
    latencies.set(phase.latencies, at);
    at += phase.latencies.length;
  }
  latencies.sort();
  const percentile = (p) => latencies[Math.min(count - 1, Math.max(0, Math.ceil(p * count) - 1))];
  const perOp = (key) => phases.reduce((total, phase) => total + phase[key] * phase.count, 0) / count;
  const user = cpuAfter.user - cpuBefore.user;
  const system = cpuAfter.system - cpuBefore.system;
  const byWall = (key) => phases.reduce((total, phase) => total + phase[key] * phase.wallMs, 0) / wallMs;
  return withLatencies(latencies, {
    operation: phases[0].operation,
    count,
    concurrency: phases[0].concurrency,
    errors: sum('errors'),
    errorSamples: phases.flatMap((phase) => phase.errorSamples).slice(0, 5),
    pages: sum('pages'),
    wallMs,
    startedAtUs: phases[0].startedAtUs,
    endedAtUs: phases[phases.length - 1].endedAtUs,
    opsPerSec: count / (wallMs / 1e3),
    p50Ms: percentile(0.5) / 1e3,
    p99Ms: percentile(0.99) / 1e3,
    serverCpuMs: (user + system) / 1e3,
    serverCpuUsPerOp: (user + system) / count,
    serverUserUsPerOp: user / count,
    serverSystemUsPerOp: system / count,
    clientCpuUsPerOp: perOp('clientCpuUsPerOp'),
    otherCores: byWall('otherCores'),
    stealCores: byWall('stealCores'),
  });
}

/**
 * The benchmark's load against one running server: CreateTable, warm-up
 * (PutItem on every key, then `warmup` GetItem), then the measured phases:
 * `ops` PutItem (overwriting) and `ops` GetItem. `table` goes to createTable (e.g. a
 * stream). Returns { put, get, warmupErrors, streamArn }.
 */
export async function runLoad({ server, bodies, ops, keys, warmup, concurrency, log = () => {}, table = {} }) {
  // 7919 is prime, so i*7919 mod keys visits every key in a scattered order (unless keys is a multiple of 7919).
  const scattered = (i) => (i * 7919) % keys;
  const sequential = (i) => i % keys;
  const client = createClient(server.port, concurrency);
  try {
    const description = await createTable(client, table);
    const phase = (operation, count, pick) =>
      runPhase({ client, server, operation, bodies: operation === 'PutItem' ? bodies.put : bodies.get, count, concurrency, pick });
    const warmPut = await phase('PutItem', Math.max(warmup, keys), sequential);
    const warmGet = warmup > 0 ? await phase('GetItem', warmup, scattered) : { errors: 0, errorSamples: [] };
    const warmupErrors = warmPut.errors + warmGet.errors;
    if (warmupErrors > 0) log(`  ${server.name}: ${warmupErrors} errors during warm-up: ${[...warmPut.errorSamples, ...warmGet.errorSamples].join(' | ')}`);
    const put = await phase('PutItem', ops, sequential);
    const get = await phase('GetItem', ops, scattered);
    return { put, get, warmupErrors, streamArn: description.LatestStreamArn };
  } finally {
    client.close();
  }
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
