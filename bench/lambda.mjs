// Lambda (issue 5): what Eddy adds to a warm invocation, how fast it dispatches
// to Node workers in process, and how long a cold start takes. See bench/README.md.
// Used by run.mjs (BENCH_SUITES=lambda); also runs on its own:
//
//   node bench/lambda.mjs               (needs a build)
//
// 1. Warm Invoke round trip: a fresh Eddy (durable), a Node and a Python function
//    whose handlers return at once, each reporting its own run time (measured
//    inside the handler) in its result. One lean keep-alive client, one request at
//    a time (POST /2015-03-31/functions/<name>/invocations, fake SigV4 header).
//    Overhead = round trip minus the handler's own time; p50 over BENCH_LAMBDA_WARM
//    invocations, after a warm-up of a quarter as many. A second pass with X-Amz-Log-Type: Tail reads
//    the REPORT Duration (which Eddy measures around the worker hand-off); the
//    same client against the bare node:http baseline gives the HTTP floor.
//    Targets: Node ≤ 1 ms, Python ≤ 3 ms.
// 2. In-process dispatch (bench/lambda-dispatch.mjs, a child process): createEddy
//    in memory, one Node function, `eddy.lambda.invoke` BENCH_LAMBDA_DISPATCH times
//    at concurrency BENCH_LAMBDA_DISPATCH_CONCURRENCY after a warm-up. Target ≥ 10,000/s.
// 3. Cold start: BENCH_LAMBDA_COLD functions per runtime, each created then invoked
//    (first invoke after CreateFunction), then its code updated and invoked again
//    (first invoke after UpdateFunctionCode). Client round trip of that first
//    invoke; median. Targets: Node < 100 ms, Python < 300 ms.
//
// Environment (all optional): BENCH_LAMBDA_WARM=2000, BENCH_LAMBDA_DISPATCH=20000,
// BENCH_LAMBDA_DISPATCH_CONCURRENCY=64, BENCH_LAMBDA_DISPATCH_ROUNDS=2,
// BENCH_LAMBDA_COLD=5, BENCH_LAMBDA_PYTHON=0 (leave Python out),
// BENCH_LAMBDA_PROFILE=<dir> (Eddy and the dispatch process under --cpu-prof,
// profiles written to <dir>; figures then slower), BENCH_PIN=1 (servers on CPU 1).
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { hrtime } from 'node:process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strToU8, zipSync } from 'fflate';
import { formatSummary, summarise } from './cpuprofile-summary.mjs';
import { clkTck, intEnv, machineCpu, median, pinToCpu, processCpu, pythonExecutable, removeDir, ROOT, sleep, startBaseline, startEddy, stopServer, tempDataDir } from './lib.mjs';
import { table } from './sidebyside.mjs';

const TARGETS = { warmNodeMs: 1, warmPythonMs: 3, dispatchPerSec: 10_000, coldNodeMs: 100, coldPythonMs: 300 };
const DISTURBED_CORES = 0.1;
/** One 10 ms tick over a 30 ms cold start already reads 0.33 core: flag only more than that. */
const COLD_DISTURBED_CORES = 0.5;
const AUTHORIZATION = 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=00';
const ROLE = 'arn:aws:iam::000000000000:role/bench';

export function lambdaConfig() {
  return {
    warm: Math.max(100, intEnv('BENCH_LAMBDA_WARM', 2_000)),
    dispatch: Math.max(1_000, intEnv('BENCH_LAMBDA_DISPATCH', 20_000)),
    dispatchConcurrency: Math.max(1, intEnv('BENCH_LAMBDA_DISPATCH_CONCURRENCY', 64)),
    dispatchRounds: Math.max(1, intEnv('BENCH_LAMBDA_DISPATCH_ROUNDS', 2)),
    cold: Math.max(1, intEnv('BENCH_LAMBDA_COLD', 5)),
    python: intEnv('BENCH_LAMBDA_PYTHON', 1) === 1 && hasPython(),
    profileDir: process.env.BENCH_LAMBDA_PROFILE || undefined,
    pin: intEnv('BENCH_PIN', 0) === 1,
  };
}

function hasPython() {
  try {
    pythonExecutable();
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- code

const NODE_HANDLER = (tag) =>
  `// ${tag}\nexport const handler = async (event) => {\n  const t0 = performance.now();\n  const result = { ok: true, n: event.n };\n  result.handlerUs = (performance.now() - t0) * 1000;\n  return result;\n};\n`;
const PYTHON_HANDLER = (tag) =>
  `# ${tag}\nimport time\n\ndef handler(event, context):\n    t0 = time.perf_counter()\n    result = {"ok": True, "n": event.get("n")}\n    result["handlerUs"] = (time.perf_counter() - t0) * 1e6\n    return result\n`;

function zipFor(runtime, tag) {
  const files = runtime === 'node' ? { 'index.mjs': strToU8(NODE_HANDLER(tag)) } : { 'app.py': strToU8(PYTHON_HANDLER(tag)) };
  return Buffer.from(zipSync(files)).toString('base64');
}

const RUNTIMES = {
  node: { Runtime: 'nodejs20.x', Handler: 'index.handler' },
  python: { Runtime: 'python3.11', Handler: 'app.handler' },
};

// ---------------------------------------------------------------- client

/** A lean keep-alive client for Lambda's REST-JSON API: one socket, no SDK, no signing. */
function lambdaClient(port) {
  const agent = new Agent({ keepAlive: true, maxSockets: 4, maxFreeSockets: 4 });
  const call = (method, path, body, headers = {}) =>
    new Promise((resolve) => {
      const req = request(
        {
          agent,
          host: '127.0.0.1',
          port,
          method,
          path,
          headers: { 'Content-Type': 'application/json', Authorization: AUTHORIZATION, 'Content-Length': body.length, ...headers },
        },
        (res) => {
          const chunks = [];
          res.on('data', (chunk) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks) }));
          res.on('error', (error) => resolve({ status: 0, error, body: Buffer.alloc(0) }));
        },
      );
      req.on('error', (error) => resolve({ status: 0, error, body: Buffer.alloc(0) }));
      req.end(body);
    });
  const json = async (method, path, input, expected) => {
    const response = await call(method, path, Buffer.from(JSON.stringify(input)));
    if (response.status !== expected) throw new Error(`${method} ${path} answered ${response.status}: ${response.error?.message ?? response.body.toString('utf8')}`);
    return JSON.parse(response.body.toString('utf8'));
  };
  return { call, json, close: () => agent.destroy() };
}

const invokePath = (name) => `/2015-03-31/functions/${encodeURIComponent(name)}/invocations`;
const TAIL = { 'X-Amz-Log-Type': 'Tail' };

function createFunction(client, name, runtime, tag) {
  return client.json(
    'POST',
    '/2015-03-31/functions',
    { FunctionName: name, ...RUNTIMES[runtime], Role: ROLE, Timeout: 30, Code: { ZipFile: zipFor(runtime, tag) } },
    201,
  );
}

/** REPORT's Duration and Init Duration (ms) from an X-Amz-Log-Result header. */
function reportFigures(header) {
  const log = Buffer.from(String(header ?? ''), 'base64').toString('utf8');
  const duration = /\tDuration: ([\d.]+) ms/.exec(log) ?? /REPORT .*?Duration: ([\d.]+) ms/.exec(log);
  const init = /Init Duration: ([\d.]+) ms/.exec(log);
  return { durationMs: duration ? Number(duration[1]) : NaN, initMs: init ? Number(init[1]) : undefined };
}

/** One invocation, timed on the client: { ok, ms, handlerUs, durationMs, initMs, error }. */
async function invokeOnce(client, name, body, tail) {
  const started = hrtime.bigint();
  const response = await client.call('POST', invokePath(name), body, tail ? TAIL : {});
  const ms = Number(hrtime.bigint() - started) / 1e6;
  if (response.status !== 200 || response.headers?.['x-amz-function-error']) {
    return { ok: false, ms, error: `${response.status} ${response.headers?.['x-amz-function-error'] ?? ''} ${response.error?.message ?? response.body.toString('utf8').slice(0, 300)}` };
  }
  const result = JSON.parse(response.body.toString('utf8'));
  return { ok: true, ms, handlerUs: result.handlerUs, ...(tail ? reportFigures(response.headers['x-amz-log-result']) : {}) };
}

/** CPU time (µs) of every live descendant process of `rootPid` (Python and provided runtimes), by pid. */
function descendantsCpu(rootPid) {
  const parents = new Map();
  const cpu = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
      cpu.set(Number(entry), ((Number(fields[11]) + Number(fields[12])) * 1e6) / clkTck());
    } catch {
      // gone meanwhile
    }
  }
  const result = new Map();
  for (const pid of parents.keys()) {
    for (let p = parents.get(pid), hops = 0; p && hops < 16; p = parents.get(p), hops++) {
      if (p === rootPid) {
        result.set(pid, cpu.get(pid));
        break;
      }
    }
  }
  return result;
}

/** CPU the runtime processes alive at `after` used since `before` (one that ended meanwhile is not counted). */
const descendantsDelta = (before, after) => [...after].reduce((total, [pid, us]) => total + us - (before.get(pid) ?? 0), 0);

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
const sortedOf = (values) => Float64Array.from(values).sort();

/**
 * `count` invocations one after another (after count/4 of warm-up), sampling the
 * server's CPU and the machine's. Overhead per invocation = round trip − the handler's own time.
 */
async function warmPhase({ client, server, name, count, tail, label }) {
  const body = Buffer.from('{"n":1}');
  for (let i = 0; i < Math.max(200, count / 4); i++) {
    const r = await invokeOnce(client, name, body, tail);
    if (!r.ok) throw new Error(`${label}: warm-up invoke failed: ${r.error}`);
  }
  const rts = [];
  const overheads = [];
  const handlerUs = [];
  const durations = [];
  let errors = 0;
  let errorSample;
  const machineBefore = machineCpu();
  const serverBefore = processCpu(server.pid);
  const childrenBefore = descendantsCpu(server.pid);
  const ownBefore = process.cpuUsage();
  const wallBefore = hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const r = await invokeOnce(client, name, body, tail);
    if (!r.ok) {
      errors++;
      errorSample ??= r.error;
      continue;
    }
    rts.push(r.ms);
    handlerUs.push(r.handlerUs);
    overheads.push(r.ms - r.handlerUs / 1e3);
    if (tail) durations.push(r.durationMs);
  }
  const wallUs = Number(hrtime.bigint() - wallBefore) / 1e3;
  const own = process.cpuUsage(ownBefore);
  const serverAfter = processCpu(server.pid);
  const childrenUs = descendantsDelta(childrenBefore, descendantsCpu(server.pid));
  const machineAfter = machineCpu();
  const serverUs = serverAfter.user + serverAfter.system - serverBefore.user - serverBefore.system;
  const rt = sortedOf(rts);
  const over = sortedOf(overheads);
  const hand = sortedOf(handlerUs);
  const dur = sortedOf(durations);
  return {
    label,
    count,
    tail,
    // CLOCK_MONOTONIC µs, as in V8's .cpuprofile: cuts a profile of Eddy to this phase.
    startedAtUs: Number(wallBefore / 1000n),
    endedAtUs: Number(wallBefore / 1000n) + Math.round(wallUs),
    errors,
    errorSample,
    p50Ms: pct(rt, 0.5),
    p99Ms: pct(rt, 0.99),
    overheadP50Ms: pct(over, 0.5),
    overheadP99Ms: pct(over, 0.99),
    handlerP50Us: pct(hand, 0.5),
    reportDurationP50Ms: tail ? pct(dur, 0.5) : undefined,
    serverCpuUsPerInvoke: serverUs / Math.max(1, rts.length),
    runtimeCpuUsPerInvoke: childrenUs / Math.max(1, rts.length),
    otherCores: Math.max(0, machineAfter.busy - machineBefore.busy - serverUs - childrenUs - own.user - own.system) / wallUs,
  };
}

/** The same lean client, one request at a time, against the bare node:http baseline (a small DescribeTable). */
async function httpFloor(count) {
  const server = await startBaseline();
  const client = lambdaClient(server.port);
  try {
    const body = Buffer.from('{"TableName":"bench"}');
    const headers = { 'X-Amz-Target': 'DynamoDB_20120810.DescribeTable' };
    const once = async () => {
      const started = hrtime.bigint();
      const response = await client.call('POST', '/', body, headers);
      if (response.status !== 200) throw new Error(`baseline answered ${response.status}`);
      return Number(hrtime.bigint() - started) / 1e6;
    };
    for (let i = 0; i < Math.max(200, count / 4); i++) await once();
    const times = [];
    const before = processCpu(server.pid);
    for (let i = 0; i < count; i++) times.push(await once());
    const after = processCpu(server.pid);
    const sorted = sortedOf(times);
    return { p50Ms: pct(sorted, 0.5), p99Ms: pct(sorted, 0.99), serverCpuUsPerRequest: (after.user + after.system - before.user - before.system) / count };
  } finally {
    client.close();
    await stopServer(server);
  }
}

/** Cold starts: `count` functions, each created and invoked, then updated and invoked. */
async function coldStarts({ client, server, runtime, count, log }) {
  const starts = [];
  const body = Buffer.from('{"n":1}');
  for (let i = 0; i < count; i++) {
    const name = `bench-cold-${runtime}-${i}`;
    for (const phase of ['create', 'update']) {
      const tag = `${name} ${phase} ${Date.now()}`;
      const t0 = hrtime.bigint();
      if (phase === 'create') await createFunction(client, name, runtime, tag);
      else await client.json('PUT', `/2015-03-31/functions/${name}/code`, { ZipFile: zipFor(runtime, tag) }, 200);
      const apiMs = Number(hrtime.bigint() - t0) / 1e6;
      const machineBefore = machineCpu();
      const serverBefore = processCpu(server.pid);
      const childrenBefore = descendantsCpu(server.pid);
      const ownBefore = process.cpuUsage();
      const r = await invokeOnce(client, name, body, true);
      const own = process.cpuUsage(ownBefore);
      const serverAfter = processCpu(server.pid);
      const childrenUs = descendantsDelta(childrenBefore, descendantsCpu(server.pid));
      const machineAfter = machineCpu();
      if (!r.ok) throw new Error(`cold ${runtime} ${phase}: ${r.error}`);
      // Other processes' CPU (not Eddy's, not its runtime processes', not ours) in cores over the
      // invocation; 10 ms ticks over a 30–150 ms invocation make it coarse.
      const serverUs = serverAfter.user + serverAfter.system - serverBefore.user - serverBefore.system;
      const otherCores = Math.max(0, machineAfter.busy - machineBefore.busy - serverUs - childrenUs - own.user - own.system) / (r.ms * 1e3);
      const second = await invokeOnce(client, name, body, true);
      starts.push({ runtime, phase, i, apiMs, ms: r.ms, initMs: r.initMs, durationMs: r.durationMs, serverCpuMs: serverUs / 1e3, runtimeCpuMs: childrenUs / 1e3, otherCores, warmAfterMs: second.ms });
      log(`  cold ${runtime} ${phase} #${i + 1}: ${r.ms.toFixed(1)} ms (Init Duration ${r.initMs?.toFixed(1) ?? '-'} ms), next invoke ${second.ms.toFixed(2)} ms`);
    }
    await client.call('DELETE', `/2015-03-31/functions/${name}`, Buffer.alloc(0));
    await sleep(100);
  }
  return starts;
}

/** The dispatch child: resolves with its figures plus its CPU as /proc saw it and the machine's other load. */
function runDispatch(config) {
  return new Promise((resolve, reject) => {
    const flags = config.profileDir ? ['--cpu-prof', '--cpu-prof-dir', config.profileDir] : [];
    const machineBefore = machineCpu();
    const ownBefore = process.cpuUsage();
    const startedAt = hrtime.bigint();
    const child = spawn(process.execPath, [...flags, fileURLToPath(new URL('./lambda-dispatch.mjs', import.meta.url)), String(config.dispatch), String(config.dispatchConcurrency), String(Math.round(config.dispatch / 5))], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let lastCpu = { user: 0, system: 0 };
    const sampler = setInterval(() => {
      try {
        lastCpu = processCpu(child.pid);
      } catch {
        // exited
      }
    }, 50);
    child.stdout.on('data', (text) => (stdout += text));
    child.stderr.on('data', (text) => (stderr = (stderr + text).slice(-10_000)));
    child.once('error', reject);
    child.once('exit', (code) => {
      clearInterval(sampler);
      const wallUs = Number(hrtime.bigint() - startedAt) / 1e3;
      const own = process.cpuUsage(ownBefore);
      const machineAfter = machineCpu();
      if (code !== 0) return reject(new Error(`lambda-dispatch exited ${code}\n${stderr}`));
      const figures = JSON.parse(stdout.trim().split('\n').pop());
      figures.pid = child.pid;
      const childUs = lastCpu.user + lastCpu.system;
      // Over the child's whole life (start, warm-up, measured run): a coarse disturbance figure.
      figures.otherCores = Math.max(0, machineAfter.busy - machineBefore.busy - childUs - own.user - own.system) / wallUs;
      resolve(figures);
    });
  });
}

// ---------------------------------------------------------------- suite

export async function lambdaSuite({ log = (line) => process.stderr.write(`${line}\n`), config = lambdaConfig() } = {}) {
  log(
    `lambda suite: warm ${config.warm} invocations per runtime and pass, dispatch ${config.dispatch} at concurrency ${config.dispatchConcurrency} × ${config.dispatchRounds}, ` +
      `${config.cold} cold starts per runtime${config.python ? '' : ' (no Python: python3 not found or BENCH_LAMBDA_PYTHON=0)'}${config.profileDir ? `; profiling into ${config.profileDir}` : ''}`,
  );
  const runtimes = config.python ? ['node', 'python'] : ['node'];
  const result = { config, warm: {}, cold: [], dispatch: [] };

  log('lambda: HTTP floor (bare node:http server, same client)...');
  result.httpFloor = await httpFloor(config.warm);

  const dataDir = tempDataDir();
  // Node's default profile names hold the pid and thread id: CPU.<date>.<time>.<pid>.<tid>.<seq>.cpuprofile.
  const nodeFlags = config.profileDir ? ['--cpu-prof', '--cpu-prof-dir', config.profileDir] : [];
  const server = await startEddy({ dataDir, nodeFlags });
  const client = lambdaClient(server.port);
  try {
    if (config.pin) pinToCpu(server.pid, 1);
    for (const runtime of runtimes) {
      const name = `bench-warm-${runtime}`;
      await createFunction(client, name, runtime, name);
      for (const tail of [false, true]) {
        log(`lambda: warm ${runtime}${tail ? ' (Tail)' : ''}...`);
        result.warm[`${runtime}${tail ? '-tail' : ''}`] = await warmPhase({ client, server, name, count: config.warm, tail, label: `${runtime}${tail ? ' + Tail' : ''}` });
      }
    }
    for (const runtime of runtimes) {
      log(`lambda: cold starts, ${runtime}...`);
      result.cold.push(...(await coldStarts({ client, server, runtime, count: config.cold, log })));
    }
  } catch (error) {
    error.message += `\n--- eddy stderr\n${server.stderrTail()}`;
    throw error;
  } finally {
    client.close();
    await stopServer(server);
    removeDir(dataDir);
  }
  result.eddyPid = server.pid;

  for (let r = 0; r < config.dispatchRounds; r++) {
    log(`lambda: in-process dispatch, round ${r + 1}...`);
    result.dispatch.push(await runDispatch(config));
  }
  result.summary = summarize(result, runtimes);
  if (config.profileDir) result.profiles = profileSummaries(config.profileDir, result);
  return result;
}

function summarize(result, runtimes) {
  const summary = { warm: {}, cold: {} };
  for (const runtime of runtimes) {
    const phase = result.warm[runtime];
    const target = runtime === 'node' ? TARGETS.warmNodeMs : TARGETS.warmPythonMs;
    summary.warm[runtime] = { overheadMs: phase.overheadP50Ms, target, pass: phase.overheadP50Ms <= target && phase.errors === 0 };
    for (const when of ['create', 'update']) {
      const starts = result.cold.filter((s) => s.runtime === runtime && s.phase === when);
      const coldTarget = runtime === 'node' ? TARGETS.coldNodeMs : TARGETS.coldPythonMs;
      const ms = median(starts.map((s) => s.ms));
      summary.cold[`${runtime}-${when}`] = { ms, target: coldTarget, pass: ms < coldTarget, all: starts.map((s) => s.ms) };
    }
  }
  const best = result.dispatch.reduce((a, b) => (b.measured.perSec > a.measured.perSec ? b : a));
  summary.dispatch = { perSec: best.measured.perSec, all: result.dispatch.map((d) => d.measured.perSec), pass: best.measured.perSec >= TARGETS.dispatchPerSec };
  return summary;
}

/** With BENCH_LAMBDA_PROFILE: Eddy's main-thread profile cut to each warm phase, and the last dispatch process's. */
function profileSummaries(dir, result) {
  const files = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'));
  const mainThreadOf = (pid) => files.find((name) => name.split('.')[3] === String(pid) && name.split('.')[4] === '0');
  const load = (name) => JSON.parse(readFileSync(join(dir, name), 'utf8'));
  const out = [];
  const eddy = mainThreadOf(result.eddyPid);
  if (eddy) {
    const profile = load(eddy);
    for (const phase of Object.values(result.warm)) {
      out.push(formatSummary(summarise(profile, { top: 12, fromUs: phase.startedAtUs, toUs: phase.endedAtUs, ops: phase.count }), `Eddy main thread, warm ${phase.label} (${eddy})`));
    }
  }
  const dispatch = mainThreadOf(result.dispatch.at(-1)?.pid);
  if (dispatch) out.push(formatSummary(summarise(load(dispatch), { top: 12 }), `in-process dispatch process, main thread, whole run (${dispatch})`));
  return out;
}

// ---------------------------------------------------------------- report

const f = (value, digits = 1) => (value === undefined || Number.isNaN(value) ? '-' : value.toFixed(digits));
const verdict = (ok) => (ok ? 'PASS' : 'MISS');
const star = (cores, limit = DISTURBED_CORES) => (cores > limit ? '*' : '');

/** Prints the Lambda tables; returns the number of failed invocations. */
export function reportLambda(result, print = console.log) {
  const { config, summary } = result;
  print(`\nLambda: warm Invoke round trip, one request at a time, lean keep-alive client (durable Eddy; * = disturbed phase)\n`);
  print(
    table(
      ['function', 'invocations', 'p50 ms', 'p99 ms', 'handler own µs (p50)', 'overhead p50 ms', 'overhead p99 ms', 'REPORT Duration p50 ms', 'Eddy CPU µs/invoke', 'runtime process CPU µs/invoke', 'other load', 'errors'],
      Object.values(result.warm).map((p) => [
        p.label,
        p.count,
        f(p.p50Ms, 3),
        f(p.p99Ms, 3),
        f(p.handlerP50Us, 1),
        f(p.overheadP50Ms, 3),
        f(p.overheadP99Ms, 3),
        f(p.reportDurationP50Ms, 2),
        f(p.serverCpuUsPerInvoke, 0),
        p.label.startsWith('python') ? f(p.runtimeCpuUsPerInvoke, 0) : '(in Eddy)',
        `${f(p.otherCores, 2)}${star(p.otherCores)}`,
        p.errors,
      ]),
    ),
  );
  print(
    `HTTP floor (bare node:http server, same client and pattern): p50 ${f(result.httpFloor.p50Ms, 3)} ms, p99 ${f(result.httpFloor.p99Ms, 3)} ms, ` +
      `server CPU ${f(result.httpFloor.serverCpuUsPerRequest, 0)} µs/request`,
  );

  print(`\nLambda: cold starts (client round trip of the first invoke; Init Duration from REPORT; * = other processes used > ${COLD_DISTURBED_CORES} core)\n`);
  print(
    table(
      ['runtime', 'first invoke after', '#', 'API call ms', 'first invoke ms', 'Init Duration ms', 'Duration ms', 'Eddy CPU ms', 'runtime process CPU ms', 'next invoke ms', 'other load'],
      result.cold.map((s) => [
        s.runtime,
        s.phase === 'create' ? 'CreateFunction' : 'UpdateFunctionCode',
        s.i + 1,
        f(s.apiMs, 1),
        f(s.ms, 1),
        f(s.initMs, 1),
        f(s.durationMs, 2),
        f(s.serverCpuMs, 0),
        s.runtime === 'python' ? f(s.runtimeCpuMs, 0) : '(in Eddy)',
        f(s.warmAfterMs, 2),
        `${f(s.otherCores, 2)}${star(s.otherCores, COLD_DISTURBED_CORES)}`,
      ]),
    ),
  );

  print(`\nLambda: in-process dispatch (createEddy in memory, eddy.lambda.invoke, one Node function, concurrency ${config.dispatchConcurrency})\n`);
  print(
    table(
      ['round', 'invocations', 'invocations/s', 'p50 ms', 'p99 ms', 'CPU µs/invoke (all threads)', 'workers', 'warm-up/s', 'other load', 'errors'],
      result.dispatch.map((d, i) => [
        i + 1,
        d.measured.count,
        f(d.measured.perSec, 0),
        f(d.measured.p50Ms, 2),
        f(d.measured.p99Ms, 2),
        f(d.measured.cpuUsPerInvoke, 0),
        d.workers,
        f(d.warm.perSec, 0),
        `${f(d.otherCores, 2)}${star(d.otherCores)}`,
        d.measured.errors + d.warm.errors,
      ]),
    ),
  );

  const rows = [];
  for (const [runtime, w] of Object.entries(summary.warm)) {
    rows.push([`warm Invoke overhead beyond the handler, ${runtime}, p50`, `${f(w.overheadMs, 3)} ms`, `≤ ${w.target} ms`, verdict(w.pass)]);
  }
  rows.push([
    'in-process dispatch to Node workers',
    `${f(summary.dispatch.perSec, 0)}/s (best of ${summary.dispatch.all.map((x) => f(x, 0)).join(', ')})`,
    `≥ ${TARGETS.dispatchPerSec.toLocaleString('en-US')}/s`,
    verdict(summary.dispatch.pass),
  ]);
  for (const [key, c] of Object.entries(summary.cold)) {
    const [runtime, when] = key.split('-');
    rows.push([`cold start ${runtime}, first invoke after ${when === 'create' ? 'CreateFunction' : 'UpdateFunctionCode'}, median`, `${f(c.ms, 1)} ms (${c.all.map((x) => f(x, 0)).join(', ')})`, `< ${c.target} ms`, verdict(c.pass)]);
  }
  for (const text of result.profiles ?? []) print(`\n${text}`);
  print('\nLambda targets\n');
  print(table(['target', 'measured', 'goal', 'result'], rows));
  return Object.values(result.warm).reduce((t, p) => t + p.errors, 0) + result.dispatch.reduce((t, d) => t + d.measured.errors + d.warm.errors, 0);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  const result = await lambdaSuite();
  const errors = reportLambda(result);
  console.log(`\nDone in ${((Date.now() - started) / 1000).toFixed(0)} s${errors > 0 ? `; INVALID: ${errors} invocations failed` : ''}.`);
}
