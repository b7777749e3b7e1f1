// Eddy's performance benchmark: server CPU per operation against a bare Node.js
// baseline, throughput and latency, cold start and idle memory (suite `baseline`);
// Eddy side by side with dynalite and moto (suite `sidebyside`, bench/sidebyside.mjs);
// the cost of DynamoDB Streams and the drain rate of a shard (suite `streams`,
// bench/streams.mjs); Lambda's warm Invoke overhead, in-process dispatch and cold
// starts (suite `lambda`, bench/lambda.mjs). See bench/README.md. `npm run bench`
// builds and runs it.
//
// Environment (all optional):
//   BENCH_SUITES=baseline,sidebyside,streams,lambda   which suites to run, in this order
//   (the knobs of sidebyside, streams and lambda are described in their files)
//   BENCH_OPS=20000        measured requests per operation (PutItem, then GetItem)
//   BENCH_KEYS=10000       distinct keys; all are written during warm-up
//   BENCH_WARMUP=5000      warm-up GetItem requests (warm-up PutItem = max(BENCH_WARMUP, BENCH_KEYS))
//   BENCH_CONCURRENCY=32   concurrent request loops (and keep-alive sockets)
//   BENCH_ROUNDS=2         rounds; each starts a fresh baseline and a fresh Eddy
//   BENCH_COLD_STARTS=5    Eddy starts timed for the cold-start figure
//   BENCH_IDLE_MS=3000     idle time after the load before reading RSS again
//   BENCH_PIN=1            pin the bench process to CPU 0 and each server to CPU 1 (taskset)
//   BENCH_IN_MEMORY=1      also measure Eddy --in-memory (eddy-mem), to separate disk from the rest
//   BENCH_JSON=<file>      also write all figures as JSON to <file>
import { statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { reportSideBySide, sideBySide } from './sidebyside.mjs';
import { reportStreams, streamsSuite } from './streams.mjs';
import { lambdaSuite, reportLambda } from './lambda.mjs';
import {
  buildBodies,
  clkTck,
  intEnv,
  machineCpu,
  median,
  pinToCpu,
  processCpuMicros,
  processRssBytes,
  removeDir,
  ROOT,
  runLoad,
  sleep,
  startBaseline,
  startEddy,
  stopServer,
  tempDataDir,
} from './lib.mjs';

const CPU_RATIO_TARGET = 1.3;
const COLD_START_TARGET_MS = 300;
const IDLE_RSS_TARGET_MB = 80;
/** A cold start during which other processes used more than this much CPU counts as disturbed. */
const COLD_START_DISTURBED_CORES = 0.3;
/** A phase during which other processes used more than this much CPU (in cores) counts as disturbed. */
const DISTURBED_CORES = 0.1;

const config = {
  ops: intEnv('BENCH_OPS', 20_000),
  keys: intEnv('BENCH_KEYS', 10_000),
  warmup: intEnv('BENCH_WARMUP', 5_000),
  concurrency: intEnv('BENCH_CONCURRENCY', 32),
  rounds: Math.max(1, intEnv('BENCH_ROUNDS', 2)),
  coldStarts: Math.max(1, intEnv('BENCH_COLD_STARTS', 5)),
  idleMs: intEnv('BENCH_IDLE_MS', 3_000),
  inMemory: intEnv('BENCH_IN_MEMORY', 0) === 1,
  pin: intEnv('BENCH_PIN', 0) === 1,
};
const SERVERS = ['baseline', 'eddy', ...(config.inMemory ? ['eddy-mem'] : [])];
const ALL_SUITES = ['baseline', 'sidebyside', 'streams', 'lambda'];
const suites = (process.env.BENCH_SUITES ?? ALL_SUITES.join(',')).split(',').map((s) => s.trim()).filter(Boolean);
for (const suite of suites) if (!ALL_SUITES.includes(suite)) throw new Error(`BENCH_SUITES: unknown suite ${suite} (${ALL_SUITES.join(', ')})`);
if (config.ops < 1 || config.keys < 1 || config.concurrency < 1) throw new Error('BENCH_OPS, BENCH_KEYS and BENCH_CONCURRENCY must be at least 1');

const MB = 1024 * 1024;
const log = (line) => process.stderr.write(`${line}\n`);
const bodies = buildBodies(config.keys);
const load = (server) => runLoad({ server, bodies, ...config, log });

async function benchBaseline() {
  const server = await startBaseline();
  try {
    if (config.pin) pinToCpu(server.pid, 1);
    await sleep(500);
    const rssIdle = processRssBytes(server.pid);
    const result = await load(server);
    await sleep(config.idleMs);
    return { ...result, readyMs: server.readyMs, rssIdle, rssAfterLoad: processRssBytes(server.pid) };
  } finally {
    await stopServer(server);
  }
}

async function benchEddy({ inMemory = false } = {}) {
  const dataDir = inMemory ? undefined : tempDataDir();
  const server = await startEddy({ dataDir });
  try {
    if (config.pin) pinToCpu(server.pid, 1);
    await sleep(1000);
    const rssIdle = processRssBytes(server.pid);
    const result = await load(server);
    await sleep(config.idleMs);
    return { ...result, readyMs: server.readyMs, rssIdle, rssAfterLoad: processRssBytes(server.pid) };
  } catch (error) {
    error.message += `\n--- eddy stderr\n${server.stderrTail()}`;
    throw error;
  } finally {
    await stopServer(server);
    if (dataDir) removeDir(dataDir);
  }
}

/**
 * Eddy started `coldStarts` times, each on a fresh data directory. For each start also
 * the CPU that other processes used meanwhile (machine busy time minus Eddy's and
 * our own), in cores, since a build or test run next door slows start-up a lot.
 */
async function coldStarts() {
  const starts = [];
  for (let i = 0; i < config.coldStarts; i++) {
    const dataDir = tempDataDir();
    try {
      const machineBefore = machineCpu();
      const ownBefore = process.cpuUsage();
      const server = await startEddy({ dataDir });
      const serverCpu = processCpuMicros(server.pid);
      const own = process.cpuUsage(ownBefore);
      const machineAfter = machineCpu();
      const otherMicros = machineAfter.busy - machineBefore.busy - serverCpu - own.user - own.system;
      starts.push({ readyMs: server.readyMs, otherCores: Math.max(0, otherMicros) / (server.readyMs * 1e3) });
      await stopServer(server);
    } finally {
      removeDir(dataDir);
    }
    await sleep(200);
  }
  return starts;
}

// ---------------------------------------------------------------- report

const f = (value, digits = 1) => value.toFixed(digits);
const verdict = (ok) => (ok ? 'PASS' : 'MISS');

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' | ')} |`;
  return [line(headers), `|${widths.map((w, i) => (i === 0 ? ':' : '-') + '-'.repeat(w) + (i === 0 ? '-' : ':')).join('|')}|`, ...rows.map(line)].join('\n');
}

async function main() {
  const startedAt = new Date();
  const distBuiltAt = statSync(join(ROOT, 'dist', 'eddy.js')).mtime.toISOString();
  log(`Eddy bench ${startedAt.toISOString()}: node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), CLK_TCK ${clkTck()}, dist/ built ${distBuiltAt}; suites ${suites.join(', ')}`);
  if (config.pin) {
    pinToCpu(process.pid, 0);
    log('  pinned: bench process on CPU 0, servers on CPU 1');
  }
  let report = { date: startedAt.toISOString(), distBuiltAt, node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, suites };
  let errors = 0;
  if (suites.includes('baseline')) {
    const baseline = await baselineSuite();
    errors += baseline.errors;
    report = { ...report, ...baseline };
  }
  if (suites.includes('sidebyside')) {
    const result = await sideBySide({ log });
    const failed = reportSideBySide(result);
    if (failed > 0) console.log(`\nINVALID side-by-side figures: ${failed} requests failed (samples in the log above).`);
    errors += failed;
    report.sidebyside = result;
  }
  if (suites.includes('streams')) {
    const result = await streamsSuite({ log });
    const failed = reportStreams(result);
    if (failed > 0) console.log(`\nINVALID streams figures: ${failed} requests failed.`);
    errors += failed;
    report.streams = result;
  }
  if (suites.includes('lambda')) {
    const result = await lambdaSuite({ log });
    const failed = reportLambda(result);
    if (failed > 0) console.log(`\nINVALID lambda figures: ${failed} invocations failed.`);
    errors += failed;
    report.lambda = result;
  }
  console.log(`\nDone in ${f((Date.now() - startedAt.getTime()) / 1000, 0)} s${errors > 0 ? `, with ${errors} failed requests` : ''}.`);
  if (process.env.BENCH_JSON) {
    writeFileSync(process.env.BENCH_JSON, `${JSON.stringify({ ...report, errors }, null, 2)}\n`);
    log(`figures written to ${process.env.BENCH_JSON}`);
  }
}

/** The original benchmark: Eddy vs the bare baseline, PutItem and GetItem; cold start; idle RSS. */
async function baselineSuite() {
  log(
    `baseline suite: ${config.ops} measured requests per operation, ${config.keys} keys, warm-up ${Math.max(config.warmup, config.keys)} PutItem + ${config.warmup} GetItem, ` +
      `concurrency ${config.concurrency}, ${config.rounds} round(s); item ${bodies.itemBytes} B (DynamoDB size), PutItem body ${bodies.putBodyBytes} B, GetItem body ${bodies.getBodyBytes} B`,
  );
  const rounds = [];
  for (let r = 1; r <= config.rounds; r++) {
    // Alternate the order so that neither server always runs on a warmer (or more throttled) machine.
    const order = r % 2 === 1 ? SERVERS : [...SERVERS].reverse();
    const round = {};
    for (const which of order) {
      log(`round ${r}: ${which}...`);
      round[which] = which === 'baseline' ? await benchBaseline() : await benchEddy({ inMemory: which === 'eddy-mem' });
    }
    rounds.push(round);
  }
  log('cold starts...');
  const starts = await coldStarts();
  // 10 ms ticks over a ~150 ms start make the other-load figure coarse: only flag clear interference.
  const quietStarts = starts.filter((start) => start.otherCores <= COLD_START_DISTURBED_CORES);
  const coldTimes = (quietStarts.length >= Math.ceil(starts.length / 2) ? quietStarts : starts).map((start) => start.readyMs);

  // ---- per-round table
  const rows = [];
  rounds.forEach((round, index) => {
    for (const which of SERVERS) {
      for (const phase of [round[which].put, round[which].get]) {
        rows.push([
          `${index + 1}`,
          which,
          phase.operation,
          phase.count,
          f(phase.opsPerSec, 0),
          f(phase.p50Ms, 2),
          f(phase.p99Ms, 2),
          f(phase.serverCpuUsPerOp, 1),
          f(phase.serverUserUsPerOp, 1),
          f(phase.serverSystemUsPerOp, 1),
          f(phase.clientCpuUsPerOp, 1),
          f(phase.otherCores, 2),
          phase.errors,
        ]);
      }
    }
  });
  console.log('\nLoad (client-side latency; server CPU from /proc/<pid>/stat utime+stime)\n');
  console.log(table(['round', 'server', 'operation', 'requests', 'ops/s', 'p50 ms', 'p99 ms', 'server CPU µs/op', '(user', 'sys)', 'client CPU µs/op', 'other load (cores)', 'errors'], rows));

  // ---- ratio table: pooled (total CPU / total requests) over the undisturbed rounds when
  // there are any (no phase of the round saw other processes use more than 0.1 CPU), else all.
  const undisturbed = (round) => SERVERS.every((w) => round[w].put.otherCores <= DISTURBED_CORES && round[w].get.otherCores <= DISTURBED_CORES);
  const cleanRounds = rounds.filter(undisturbed);
  const pooled = cleanRounds.length > 0 ? cleanRounds : rounds;
  const pooledLabel = cleanRounds.length > 0 ? `${cleanRounds.length} undisturbed round(s) of ${rounds.length}` : `all ${rounds.length} rounds, none undisturbed`;
  const ratios = {};
  const ratioRows = [];
  for (const which of SERVERS.slice(1)) {
    for (const [key, operation] of [
      ['put', 'PutItem'],
      ['get', 'GetItem'],
    ]) {
      const perRound = rounds.map((round) => round[which][key].serverCpuUsPerOp / round.baseline[key].serverCpuUsPerOp);
      const sum = (server) => pooled.reduce((total, round) => total + round[server][key].serverCpuMs * 1e3, 0);
      const count = pooled.reduce((total, round) => total + round[which][key].count, 0);
      const eddyUs = sum(which) / count;
      const baselineUs = sum('baseline') / count;
      const ratio = eddyUs / baselineUs;
      const pass = ratio <= CPU_RATIO_TARGET;
      ratios[which === 'eddy' ? operation : `${operation} (${which})`] = { baselineUs, eddyUs, ratio, perRound, pass, pooled: pooledLabel };
      ratioRows.push([
        which === 'eddy' ? operation : `${operation} (${which}, for information)`,
        f(baselineUs),
        f(eddyUs),
        `${f(ratio, 2)}x`,
        rounds.map((round, i) => `${f(perRound[i], 2)}x${undisturbed(round) ? '' : '*'}`).join(', '),
        `≤ ${CPU_RATIO_TARGET}x`,
        verdict(pass),
      ]);
    }
  }
  console.log(`\nServer CPU per operation, Eddy vs bare Node.js baseline (pooled over ${pooledLabel}; * = disturbed round)\n`);
  console.log(table(['operation', 'baseline µs/op', 'eddy µs/op', 'ratio', 'ratio per round', 'target', 'result'], ratioRows));

  // ---- start and memory
  const coldMedian = median(coldTimes);
  const rssIdle = Math.max(...rounds.map((round) => round.eddy.rssIdle)) / MB;
  const rssAfter = Math.max(...rounds.map((round) => round.eddy.rssAfterLoad)) / MB;
  const baseRssIdle = Math.max(...rounds.map((round) => round.baseline.rssIdle)) / MB;
  const baseRssAfter = Math.max(...rounds.map((round) => round.baseline.rssAfterLoad)) / MB;
  console.log('\nStart and memory (Eddy durable on disk; worst round for RSS; * = start disturbed by other processes)\n');
  console.log(
    table(
      ['figure', 'eddy', 'baseline', 'target', 'result'],
      [
        [
          `cold start to ready line, median of ${coldTimes.length}${coldTimes.length < starts.length ? ' undisturbed' : ''}`,
          `${f(coldMedian, 0)} ms (${starts.map((start) => `${f(start.readyMs, 0)}${start.otherCores > COLD_START_DISTURBED_CORES ? '*' : ''}`).join(', ')})`,
          `${f(median(rounds.map((round) => round.baseline.readyMs)), 0)} ms`,
          `< ${COLD_START_TARGET_MS} ms`,
          verdict(coldMedian < COLD_START_TARGET_MS),
        ],
        ['idle RSS after startup (+1 s)', `${f(rssIdle)} MB`, `${f(baseRssIdle)} MB`, `< ${IDLE_RSS_TARGET_MB} MB`, verdict(rssIdle < IDLE_RSS_TARGET_MB)],
        [
          `idle RSS after load (+${config.idleMs / 1000} s)`,
          `${f(rssAfter)} MB`,
          `${f(baseRssAfter)} MB`,
          `< ${IDLE_RSS_TARGET_MB} MB`,
          verdict(rssAfter < IDLE_RSS_TARGET_MB),
        ],
      ],
    ),
  );

  const errors = rounds.reduce((total, round) => total + SERVERS.reduce((t, w) => t + round[w].put.errors + round[w].get.errors + round[w].warmupErrors, 0), 0);
  if (errors > 0) {
    console.log(`\nINVALID RUN: ${errors} requests failed. Samples:`);
    for (const round of rounds) for (const w of SERVERS) for (const p of [round[w].put, round[w].get]) for (const s of p.errorSamples) console.log(`  ${w} ${p.operation}: ${s}`);
  } else {
    console.log('\nAll responses were 200 (and every GetItem returned an Item): the run is valid.');
  }
  const maxOther = Math.max(...rounds.flatMap((round) => SERVERS.flatMap((w) => [round[w].put.otherCores, round[w].get.otherCores])));
  if (maxOther > DISTURBED_CORES) {
    console.log(
      `Warning: other processes used up to ${f(maxOther, 2)} of a CPU during a measured phase (${rounds.length - cleanRounds.length} of ${rounds.length} rounds disturbed); ` +
        'disturbed rounds are left out of the ratios when an undisturbed one exists. Run on a quiet machine (or more BENCH_ROUNDS) for steady figures.',
    );
  }
  console.log('Note: client and servers share the same CPUs; compare the ratios, not the absolute figures.');

  return {
    config,
    item: { itemBytes: bodies.itemBytes, putBodyBytes: bodies.putBodyBytes, getBodyBytes: bodies.getBodyBytes },
    rounds,
    ratios,
    coldStartMs: { median: coldMedian, all: starts },
    rssMB: { eddyIdle: rssIdle, eddyAfterLoad: rssAfter, baselineIdle: baseRssIdle, baselineAfterLoad: baseRssAfter },
    errors,
  };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
