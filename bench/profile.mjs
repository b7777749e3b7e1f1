// Where the server's CPU goes: runs the benchmark's load (bench/run.mjs) against
// Eddy and the baseline, each under `node --cpu-prof`, and summarises each
// measured phase (PutItem, GetItem) of each profile, cut to that phase's time
// window, with times per operation (bench/cpuprofile-summary.mjs).
// Run `npm run build` first.
//
//   node bench/profile.mjs
//   BENCH_PROFILE_SERVERS=eddy BENCH_PROFILE_TOP=20 node bench/profile.mjs
//   BENCH_PROFILE_WORKLOAD=sidebyside node bench/profile.mjs
//
// BENCH_PROFILE_WORKLOAD=sidebyside profiles the side-by-side workload instead
// (bench/sidebyside.mjs: PutItem, GetItem, Query, BatchWriteItem,
// TransactWriteItems, Scan), one phase at a time; BENCH_PROFILE_SERVERS then
// defaults to `eddy` and may name `dynalite` too (moto is Python: not profiled).
// BENCH_SBS_SCALE etc. apply; BENCH_PROFILE_OPERATIONS=Query,Scan limits the
// summaries printed.
//
// Same BENCH_OPS, BENCH_KEYS, BENCH_WARMUP and BENCH_CONCURRENCY as bench/run.mjs.
// BENCH_PIN (default 1 here) pins the bench to CPU 0 and the server to CPU 1, so
// that the server is not preempted by the client: otherwise the sampler charges
// the time the server spends waiting for a CPU to whatever it last ran (mostly
// the socket writev that woke the client). BENCH_PROFILE_DIR keeps the
// .cpuprofile files (default: a temp dir, printed). The profiler slows the
// server down: read shares and per-op differences, not absolute figures.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatSummary, summarise } from './cpuprofile-summary.mjs';
import { buildBodies, intEnv, pinToCpu, removeDir, runLoad, startBaseline, startEddy, stopServer, tempDataDir } from './lib.mjs';
import { buildWorkload, sideBySideConfig, sideBySideRound } from './sidebyside.mjs';

const config = {
  ops: intEnv('BENCH_OPS', 20_000),
  keys: intEnv('BENCH_KEYS', 10_000),
  warmup: intEnv('BENCH_WARMUP', 5_000),
  concurrency: intEnv('BENCH_CONCURRENCY', 32),
};
const top = intEnv('BENCH_PROFILE_TOP', 10);
const pin = intEnv('BENCH_PIN', 1) === 1;
const workload = process.env.BENCH_PROFILE_WORKLOAD ?? 'putget';
if (!['putget', 'sidebyside'].includes(workload)) throw new Error(`BENCH_PROFILE_WORKLOAD must be putget or sidebyside, got ${workload}`);
const servers = (process.env.BENCH_PROFILE_SERVERS ?? (workload === 'sidebyside' ? 'eddy' : 'eddy,baseline')).split(',').map((s) => s.trim());
const onlyOperations = process.env.BENCH_PROFILE_OPERATIONS?.split(',').map((s) => s.trim());
const profileDir = process.env.BENCH_PROFILE_DIR ?? tempDataDir('eddy-profile-');
const bodies = buildBodies(config.keys);
const log = (line) => process.stderr.write(`${line}\n`);

async function profile(which) {
  const dir = join(profileDir, which);
  mkdirSync(dir, { recursive: true });
  const nodeFlags = ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=250'];
  const dataDir = which === 'eddy' ? tempDataDir() : undefined;
  const server = which === 'eddy' ? await startEddy({ dataDir, nodeFlags }) : await startBaseline({ nodeFlags });
  let result;
  try {
    if (pin) pinToCpu(server.pid, 1);
    result = await runLoad({ server, bodies, ...config, log });
  } finally {
    await stopServer(server);
    if (dataDir) removeDir(dataDir);
  }
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile in ${dir}: did ${which} exit cleanly on SIGTERM?`);
  const path = join(dir, file);
  const data = JSON.parse(readFileSync(path, 'utf8'));
  for (const phase of [result.put, result.get]) {
    console.log(
      `\n=== ${which} ${phase.operation}: ${phase.count} requests, ${phase.errors} errors, ${phase.opsPerSec.toFixed(0)} ops/s, ` +
        `server CPU ${phase.serverCpuUsPerOp.toFixed(1)} µs/op (user ${phase.serverUserUsPerOp.toFixed(1)}, sys ${phase.serverSystemUsPerOp.toFixed(1)}; profiler on), other load ${phase.otherCores.toFixed(2)} cores`,
    );
    const summary = summarise(data, { top, fromUs: phase.startedAtUs, toUs: phase.endedAtUs, ops: phase.count });
    console.log(formatSummary(summary, path));
  }
}

/** The side-by-side workload against one node server under --cpu-prof, each phase summarised. */
async function profileSideBySide(which) {
  if (!['eddy', 'eddy-mem', 'dynalite'].includes(which)) throw new Error(`side-by-side profiles are for eddy, eddy-mem and dynalite, not ${which}`);
  const dir = join(profileDir, `sidebyside-${which}`);
  mkdirSync(dir, { recursive: true });
  const nodeFlags = ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=250'];
  const round = await sideBySideRound({ ...sideBySideConfig(), servers: [which], pin }, buildWorkload(), log, 1, { nodeFlags });
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile in ${dir}: did ${which} exit cleanly on SIGTERM?`);
  const path = join(dir, file);
  const data = JSON.parse(readFileSync(path, 'utf8'));
  for (const phase of Object.values(round[which].phases)) {
    if (onlyOperations && !onlyOperations.includes(phase.operation)) continue;
    console.log(
      `\n=== ${which} ${phase.operation}: ${phase.count} operations at concurrency ${phase.concurrency}, ${phase.errors} errors, ${phase.opsPerSec.toFixed(1)} ops/s, ` +
        `server CPU ${phase.serverCpuUsPerOp.toFixed(1)} µs/op (user ${phase.serverUserUsPerOp.toFixed(1)}, sys ${phase.serverSystemUsPerOp.toFixed(1)}; profiler on), other load ${phase.otherCores.toFixed(2)} cores`,
    );
    const summary = summarise(data, { top, fromUs: phase.startedAtUs, toUs: phase.endedAtUs, ops: phase.count });
    console.log(formatSummary(summary, path));
  }
}

if (pin) pinToCpu(process.pid, 0);
for (const which of servers) await (workload === 'sidebyside' ? profileSideBySide(which) : profile(which));
