// Side by side (issue 3): the same workload against Eddy (durable on disk),
// dynalite (in memory) and moto (in memory, Python), each in a child process of
// its own, in the same run. Server CPU per operation from /proc/<pid>/stat, as in
// run.mjs; ratios Eddy vs dynalite and Eddy vs moto. See bench/README.md.
// Used by run.mjs (BENCH_SUITES=sidebyside); also runs on its own:
//
//   node bench/sidebyside.mjs            (needs a build)
//
// Environment (all optional):
//   BENCH_SBS_SERVERS=eddy,dynalite,moto   servers to measure (also eddy-mem: Eddy --in-memory, for information)
//   BENCH_SBS_ROUNDS=1                     rounds; each starts every server afresh, order alternating
//   BENCH_SBS_SCALE=1                      multiplies every request count (0.2 for a quick look)
//   BENCH_SBS_CONCURRENCY=32               concurrency of the small operations for Eddy and dynalite
//   BENCH_MOTO_CONCURRENCY=4               concurrency of every operation for moto
//   BENCH_PIN=1                            servers on CPU 1 (the bench process is pinned by run.mjs)
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import {
  buildBodies,
  createClient,
  createTable,
  intEnv,
  keyName,
  makeSizedItem,
  mergePhases,
  pinToCpu,
  processCpu,
  processMemory,
  pythonExecutable,
  removeDir,
  runTimedPhase,
  sleep,
  startDynalite,
  startEddy,
  startMoto,
  stopServer,
  TABLE,
  tempDataDir,
} from './lib.mjs';

export const QUERY_TABLE = 'bench_query';
/** A phase during which other processes used more than this much CPU (in cores) counts as disturbed. */
const DISTURBED_CORES = 0.1;
const QUERY_CPU_TARGET_US = 1500;
const DYNALITE_TARGET = 1.5;
const MOTO_TARGET = 20;

const KEYS = 10_000; // items in the main table, all ~200 bytes: what Scan reads
const QUERY_PARTITIONS = 20; // partitions of 100 one-kilobyte items each
const QUERY_ITEMS = 100;
const QUERY_ITEM_SIZE = 1000;
const BATCH = 25;
const TRANSACT = 4;

function floatEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!(value > 0)) throw new Error(`${name} must be a positive number, got ${raw}`);
  return value;
}

export function sideBySideConfig() {
  return {
    servers: (process.env.BENCH_SBS_SERVERS ?? 'eddy,dynalite,moto').split(',').map((s) => s.trim()).filter(Boolean),
    rounds: Math.max(1, intEnv('BENCH_SBS_ROUNDS', 1)),
    scale: floatEnv('BENCH_SBS_SCALE', 1),
    concurrency: Math.max(1, intEnv('BENCH_SBS_CONCURRENCY', 32)),
    chunks: Math.max(1, intEnv('BENCH_SBS_CHUNKS', 10)),
    motoConcurrency: Math.max(1, intEnv('BENCH_MOTO_CONCURRENCY', 4)),
    pin: intEnv('BENCH_PIN', 0) === 1,
  };
}

/**
 * The operations, in the order they run. `count` is for Eddy and dynalite, `moto`
 * for moto (it is 20–100x slower). Concurrency: `concurrency` for the node servers
 * (null = the configured one), moto always at most BENCH_MOTO_CONCURRENCY.
 */
export const OPERATIONS = [
  { name: 'PutItem', label: 'PutItem (~200 B)', count: 10_000, moto: 600, concurrency: null },
  { name: 'GetItem', label: 'GetItem (~200 B)', count: 10_000, moto: 600, concurrency: null },
  { name: 'Query', label: 'Query, 100 items of ~1 KB', count: 1_000, moto: 40, concurrency: 8 },
  { name: 'BatchWriteItem', label: 'BatchWriteItem, 25 Puts', count: 2_000, moto: 200, concurrency: 8 },
  // moto deep-copies the whole table for every item of a transaction (~1.2 s CPU per transaction here).
  { name: 'TransactWriteItems', label: 'TransactWriteItems, 4 Puts', count: 2_000, moto: 3, concurrency: null },
  // moto needs ~6 s of CPU per Scan of the 10k items: one probe (the warm-up) and one measured.
  { name: 'Scan', label: 'Scan of 10k items (all pages)', count: 10, moto: 1, concurrency: 2 },
];

const SERVERS = {
  eddy: {
    start: async ({ nodeFlags }) => {
      const dataDir = tempDataDir();
      const server = await startEddy({ dataDir, nodeFlags });
      return { server, cleanup: () => removeDir(dataDir) };
    },
  },
  // Eddy --in-memory, for information only (BENCH_SBS_SERVERS=eddy,eddy-mem,dynalite): what the disk costs.
  'eddy-mem': { start: async ({ nodeFlags }) => ({ server: await startEddy({ nodeFlags }), cleanup: () => {} }) },
  dynalite: { start: async ({ nodeFlags }) => ({ server: await startDynalite({ nodeFlags }), cleanup: () => {} }) },
  moto: { start: async () => ({ server: await startMoto(), cleanup: () => {} }) },
};

// ---------------------------------------------------------------- request bodies

export function buildWorkload() {
  const { put, get, itemBytes } = buildBodies(KEYS);
  const item = (i) => makeSizedItem({ pk: keyName(i % KEYS) }, 200, i);
  const batch = (first) => Buffer.from(JSON.stringify({ RequestItems: { [TABLE]: Array.from({ length: BATCH }, (_, j) => ({ PutRequest: { Item: item(first + j) } })) } }));
  // Loading: every key once, in batches of 25 (also the first batches of the measured phase).
  const batches = Array.from({ length: KEYS / BATCH }, (_, b) => batch(b * BATCH));
  const transacts = Array.from({ length: KEYS / TRANSACT }, (_, t) =>
    Buffer.from(JSON.stringify({ TransactItems: Array.from({ length: TRANSACT }, (_, j) => ({ Put: { TableName: TABLE, Item: item(t * TRANSACT + j) } })) })),
  );
  const queryItem = (p, s) => makeSizedItem({ pk: `part#${String(p).padStart(3, '0')}`, sk: `item#${String(s).padStart(5, '0')}` }, QUERY_ITEM_SIZE, p * QUERY_ITEMS + s);
  const queryLoad = [];
  for (let p = 0; p < QUERY_PARTITIONS; p++) {
    for (let s = 0; s < QUERY_ITEMS; s += BATCH) {
      queryLoad.push(
        Buffer.from(JSON.stringify({ RequestItems: { [QUERY_TABLE]: Array.from({ length: BATCH }, (_, j) => ({ PutRequest: { Item: queryItem(p, s + j) } })) } })),
      );
    }
  }
  const queries = Array.from({ length: QUERY_PARTITIONS }, (_, p) =>
    Buffer.from(
      JSON.stringify({
        TableName: QUERY_TABLE,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: `part#${String(p).padStart(3, '0')}` } },
      }),
    ),
  );
  return {
    put,
    get,
    batches,
    transacts,
    queryLoad,
    queries,
    sizes: {
      itemBytes,
      queryItemBytes: QUERY_ITEM_SIZE,
      putBody: put[0].length,
      queryBody: queries[0].length,
      batchBody: batches[0].length,
      transactBody: transacts[0].length,
    },
  };
}

const COUNT = Buffer.from('"Count"');
/** The Count of a Query or Scan answer without parsing 100 KB of JSON (moto writes `"Count": 100`). */
function countOf(body) {
  const at = body.indexOf(COUNT);
  if (at < 0) return -1;
  const match = /^"Count"\s*:\s*(\d+)/.exec(body.subarray(at, at + 24).toString('latin1'));
  return match ? Number(match[1]) : -1;
}

const EMPTY_UNPROCESSED = /"UnprocessedItems"\s*:\s*\{\s*\}/;

function failure(response) {
  return { ok: false, error: response.error ? `network: ${response.error.message}` : `${response.status}: ${response.body.toString('utf8').slice(0, 200)}` };
}
const OK = { ok: true };

/** run(i) for one operation: sends the request(s) and checks the answer. */
function runnerFor(operation, client, workload) {
  switch (operation) {
    case 'PutItem':
      return async (i) => {
        const response = await client.call('PutItem', workload.put[i % KEYS]);
        return response.status === 200 ? OK : failure(response);
      };
    case 'GetItem':
      return async (i) => {
        const response = await client.call('GetItem', workload.get[(i * 7919) % KEYS]);
        return response.status === 200 && response.body.includes('"Item"') ? OK : failure(response);
      };
    case 'Query':
      return async (i) => {
        const response = await client.call('Query', workload.queries[i % QUERY_PARTITIONS]);
        if (response.status !== 200) return failure(response);
        const count = countOf(response.body);
        return count === QUERY_ITEMS ? OK : { ok: false, error: `Query returned Count ${count}, expected ${QUERY_ITEMS}` };
      };
    case 'BatchWriteItem':
      return async (i) => {
        const response = await client.call('BatchWriteItem', workload.batches[i % workload.batches.length]);
        if (response.status !== 200) return failure(response);
        return EMPTY_UNPROCESSED.test(response.body.toString('utf8')) ? OK : { ok: false, error: `UnprocessedItems: ${response.body.toString('utf8').slice(0, 200)}` };
      };
    case 'TransactWriteItems':
      return async (i) => {
        const response = await client.call('TransactWriteItems', workload.transacts[i % workload.transacts.length]);
        return response.status === 200 ? OK : failure(response);
      };
    case 'Scan':
      // One operation = the whole table, page after page (Limit above the item count, so the 1 MB page limit applies).
      return async () => {
        let pages = 0;
        let items = 0;
        let start;
        do {
          const response = await client.call('Scan', Buffer.from(JSON.stringify({ TableName: TABLE, Limit: KEYS * 2, ...(start ? { ExclusiveStartKey: start } : {}) })));
          if (response.status !== 200) return { ...failure(response), pages };
          const page = JSON.parse(response.body.toString('utf8'));
          pages++;
          items += page.Items.length;
          start = page.LastEvaluatedKey;
        } while (start && pages < 1000);
        return items === KEYS ? { ok: true, pages } : { ok: false, pages, error: `Scan saw ${items} items in ${pages} pages, expected ${KEYS}` };
      };
    default:
      throw new Error(`unknown operation ${operation}`);
  }
}

// ---------------------------------------------------------------- servers side by side

/** Starts one server, creates and loads its two tables (BatchWriteItem; shown for information only). */
async function setUp(which, config, workload, log, nodeFlags) {
  const { server, cleanup } = await SERVERS[which].start({ nodeFlags });
  // dynalite wants X-Amz-Date (or Date) next to Authorization; every server gets the same headers.
  const client = createClient(server.port, Math.max(config.concurrency, 8), { 'X-Amz-Date': '20260101T000000Z' });
  const state = { which, server, client, cleanup, result: { server: which, readyMs: server.readyMs, phases: {}, unsupported: {}, load: {} } };
  try {
    if (config.pin) pinToCpu(server.pid, 1);
    await createTable(client, { name: TABLE });
    await createTable(client, { name: QUERY_TABLE, rangeKey: true });
    const loadConcurrency = which === 'moto' ? config.motoConcurrency : 8;
    const loader = (bodies) => async (i) => {
      const response = await client.call('BatchWriteItem', bodies[i]);
      return response.status === 200 && EMPTY_UNPROCESSED.test(response.body.toString('utf8')) ? OK : failure(response);
    };
    const { load } = state.result;
    load.main = await runTimedPhase({ server, operation: 'load', count: workload.batches.length, concurrency: loadConcurrency, run: loader(workload.batches) });
    load.query = await runTimedPhase({ server, operation: 'load', count: workload.queryLoad.length, concurrency: loadConcurrency, run: loader(workload.queryLoad) });
    const loadErrors = load.main.errors + load.query.errors;
    if (loadErrors > 0) throw new Error(`${which}: ${loadErrors} errors while loading: ${[...load.main.errorSamples, ...load.query.errorSamples].join(' | ')}`);
    log(`  ${which}: started in ${server.readyMs.toFixed(0)} ms, loaded ${KEYS} + ${QUERY_PARTITIONS * QUERY_ITEMS} items in ${((load.main.wallMs + load.query.wallMs) / 1e3).toFixed(1)} s`);
    return state;
  } catch (error) {
    await tearDown(state);
    throw error;
  }
}

async function tearDown(state) {
  state.client.close();
  await stopServer(state.server);
  state.cleanup();
}

/**
 * Probe and warm-up (a tenth of the count, at least the one probe request) of
 * one operation on one server; returns how to run its measured phase, or
 * undefined when the server does not implement the operation.
 */
async function prepareMeasure(state, operation, config, workload, log) {
  const { which, server, client, result } = state;
  const isMoto = which === 'moto';
  const run = runnerFor(operation.name, client, workload);
  // An operation the server does not implement (dynalite has no transactions) is shown as n/a.
  const probe = await run(0);
  if (!probe.ok) {
    if (/UnknownOperation/i.test(probe.error ?? '')) {
      result.unsupported[operation.name] = probe.error;
      log(`  ${which}: ${operation.name} not implemented (${probe.error.slice(0, 80)})`);
      return undefined;
    }
    throw new Error(`${which}: ${operation.name} failed: ${probe.error}`);
  }
  const count = Math.max(1, Math.round((isMoto ? operation.moto : operation.count) * config.scale));
  const concurrency = isMoto ? Math.min(config.motoConcurrency, operation.concurrency ?? config.concurrency) : (operation.concurrency ?? config.concurrency);
  const warmup = Math.max(1, Math.round(count / 10)) - 1;
  if (warmup > 0) await runTimedPhase({ server, operation: operation.name, count: warmup, concurrency, run });
  return { state, run, count, concurrency, chunks: Math.min(config.chunks, count), phases: [] };
}

/**
 * The measured phases of one operation on every server, interleaved: each
 * server's count is cut into (up to) `config.chunks` chunks, and the chunks of
 * the servers take turns (the order alternating), so that every server is
 * measured across the same stretch of this machine's time rather than one
 * after the other, its CPU read across the whole stretch (mergePhases).
 */
async function measureInterleaved(states, operation, config, workload, log) {
  const plans = [];
  for (const state of states) {
    const plan = await prepareMeasure(state, operation, config, workload, log);
    if (plan) plans.push(plan);
  }
  const before = plans.map(({ state }) => processCpu(state.server.pid));
  for (let slot = 0; slot < config.chunks; slot++) {
    const turn = slot % 2 === 0 ? plans : [...plans].reverse();
    for (const plan of turn) {
      // Chunk j of a plan with fewer chunks than slots runs at slot floor(j * slots / chunks).
      const j = Math.ceil((slot * plan.chunks) / config.chunks);
      if (j >= plan.chunks || Math.floor((j * config.chunks) / plan.chunks) !== slot) continue;
      const from = Math.floor((plan.count * j) / plan.chunks);
      const to = Math.floor((plan.count * (j + 1)) / plan.chunks);
      const { server } = plan.state;
      plan.phases.push(await runTimedPhase({ server, operation: operation.name, count: to - from, concurrency: plan.concurrency, run: (i) => plan.run(from + i) }));
    }
  }
  plans.forEach((plan, index) => {
    const { which, server, result } = plan.state;
    // The concurrency asked for (a chunk smaller than it ran with fewer loops).
    const phase = Object.assign(mergePhases(plan.phases, before[index], processCpu(server.pid)), { concurrency: plan.concurrency });
    result.phases[operation.name] = phase;
    log(
      `  ${which} ${operation.name}: ${plan.count} ops at concurrency ${plan.concurrency} in ${plan.phases.length} chunk(s), ${phase.serverCpuUsPerOp.toFixed(0)} µs server CPU/op, ${phase.opsPerSec.toFixed(phase.opsPerSec < 10 ? 1 : 0)} ops/s` +
        `${phase.errors ? `, ${phase.errors} ERRORS: ${phase.errorSamples[0]}` : ''}${phase.otherCores > DISTURBED_CORES ? ` (disturbed: other load ${phase.otherCores.toFixed(2)})` : ''}`,
    );
  });
}

/**
 * One round: every server started and loaded, then operation by operation, the
 * servers' measured phases interleaved in chunks (measureInterleaved), so that
 * they share the machine's conditions. Idle servers use next to no CPU meanwhile.
 * `nodeFlags` go to the node servers (profile.mjs passes --cpu-prof).
 */
export async function sideBySideRound(config, workload, log, r = 1, { nodeFlags = [] } = {}) {
  const order = r % 2 === 1 ? config.servers : [...config.servers].reverse();
  const states = [];
  try {
    for (const which of order) states.push(await setUp(which, config, workload, log, which === 'moto' ? [] : nodeFlags));
    for (const [index, operation] of OPERATIONS.entries()) {
      await measureInterleaved(index % 2 === 0 ? states : [...states].reverse(), operation, config, workload, log);
    }
    const round = {};
    for (const state of states) {
      const memory = processMemory(state.server.pid);
      round[state.which] = { ...state.result, rss: memory.rss, peakRss: memory.peak };
    }
    return round;
  } catch (error) {
    for (const state of states) error.message += `\n--- ${state.which} stderr\n${state.server.stderrTail().slice(-3000)}`;
    throw error;
  } finally {
    for (const state of states) await tearDown(state);
  }
}

/** Whether a server can be started here at all (moto needs python3 with moto; dynalite the devDependency). */
function available(which) {
  try {
    if (which === 'moto') execFileSync(pythonExecutable(), ['-c', 'import moto.server'], { stdio: 'ignore' });
    if (which === 'dynalite') createRequire(import.meta.url).resolve('dynalite');
    return true;
  } catch {
    return false;
  }
}

export async function sideBySide({ log = (line) => process.stderr.write(`${line}\n`), config = sideBySideConfig() } = {}) {
  for (const which of config.servers) if (!SERVERS[which]) throw new Error(`BENCH_SBS_SERVERS: unknown server ${which} (eddy, eddy-mem, dynalite, moto)`);
  const missing = config.servers.filter((which) => !available(which));
  if (missing.length > 0) {
    log(`side by side: ${missing.join(', ')} not available here (python3 -m moto.server / npm dynalite): left out`);
    config = { ...config, servers: config.servers.filter((which) => !missing.includes(which)), missing };
  }
  log(
    `side by side: ${config.servers.join(', ')}; ${config.rounds} round(s), scale ${config.scale}, concurrency ${config.concurrency} ` +
      `(Query and BatchWriteItem 8, Scan 2), moto ≤ ${config.motoConcurrency}`,
  );
  const workload = buildWorkload();
  const rounds = [];
  for (let r = 1; r <= config.rounds; r++) {
    log(`side by side, round ${r}...`);
    rounds.push(await sideBySideRound(config, workload, log, r));
    await sleep(300);
  }
  return { config, sizes: workload.sizes, rounds, summary: summarise(config, rounds) };
}

// ---------------------------------------------------------------- figures

/**
 * Per server and operation, pooled over rounds: total server CPU / total operations,
 * over the undisturbed phases when there are any, else over all (then marked disturbed).
 */
function summarise(config, rounds) {
  const pooled = {};
  for (const which of config.servers) {
    pooled[which] = {};
    for (const { name } of OPERATIONS) {
      const phases = rounds.map((round) => round[which].phases[name]).filter(Boolean);
      if (phases.length === 0) {
        pooled[which][name] = null;
        continue;
      }
      const clean = phases.filter((phase) => phase.otherCores <= DISTURBED_CORES);
      const used = clean.length > 0 ? clean : phases;
      const count = used.reduce((total, phase) => total + phase.count, 0);
      const cpuUs = used.reduce((total, phase) => total + phase.serverCpuMs * 1e3, 0);
      pooled[which][name] = {
        usPerOp: cpuUs / count,
        disturbed: clean.length === 0,
        phases: phases.length,
        cleanPhases: clean.length,
        errors: phases.reduce((total, phase) => total + phase.errors, 0),
      };
    }
  }
  const ratios = {};
  for (const other of ['dynalite', 'moto']) {
    if (!config.servers.includes('eddy') || !config.servers.includes(other)) continue;
    const target = other === 'moto' ? MOTO_TARGET : DYNALITE_TARGET;
    ratios[other] = { target, operations: {} };
    for (const { name } of OPERATIONS) {
      const eddy = pooled.eddy[name];
      const theirs = pooled[other][name];
      ratios[other].operations[name] = eddy && theirs ? { ratio: theirs.usPerOp / eddy.usPerOp, pass: theirs.usPerOp / eddy.usPerOp >= target, disturbed: eddy.disturbed || theirs.disturbed } : null;
    }
    const measured = Object.values(ratios[other].operations).filter(Boolean);
    ratios[other].pass = measured.length > 0 && measured.every((r) => r.pass);
  }
  const query = pooled.eddy?.Query;
  return { pooled, ratios, queryTarget: query ? { usPerOp: query.usPerOp, target: QUERY_CPU_TARGET_US, pass: query.usPerOp <= QUERY_CPU_TARGET_US } : null };
}

const f = (value, digits = 1) => value.toFixed(digits);
const verdict = (ok) => (ok ? 'PASS' : 'MISS');
const MB = 1024 * 1024;

export function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' | ')} |`;
  return [line(headers), `|${widths.map((w, i) => (i === 0 ? ':' : '-') + '-'.repeat(w) + (i === 0 ? '-' : ':')).join('|')}|`, ...rows.map(line)].join('\n');
}

/** Prints the side-by-side tables; returns the number of failed requests. */
export function reportSideBySide({ config, sizes, rounds, summary }, print = console.log) {
  const rows = [];
  rounds.forEach((round, index) => {
    for (const which of config.servers) {
      const result = round[which];
      for (const { name, label } of OPERATIONS) {
        const phase = result.phases[name];
        if (!phase) {
          rows.push([index + 1, which, label, 'n/a', '', '', '', '', '', '', '', '', result.unsupported[name] ? 'not implemented' : '']);
          continue;
        }
        rows.push([
          index + 1,
          which,
          label,
          phase.count,
          phase.concurrency,
          f(phase.opsPerSec, phase.opsPerSec < 100 ? 1 : 0),
          f(phase.p50Ms, 2),
          f(phase.p99Ms, 2),
          f(phase.serverCpuUsPerOp, 0),
          f(phase.serverSystemUsPerOp, 0),
          name === 'Scan' ? f(phase.pages / phase.count, 1) : '',
          `${f(phase.otherCores, 2)}${phase.otherCores > DISTURBED_CORES ? '*' : ''}`,
          phase.errors,
        ]);
      }
    }
  });
  print(
    `\nSide by side: Eddy durable on disk, dynalite and moto in memory (items ~${sizes.itemBytes} B, Query items ${sizes.queryItemBytes} B; ` +
      `moto at concurrency ≤ ${config.motoConcurrency} and fewer requests: it is single-threaded Python; * = disturbed phase)\n`,
  );
  print(table(['round', 'server', 'operation', 'ops', 'conc.', 'ops/s', 'p50 ms', 'p99 ms', 'server CPU µs/op', '(sys)', 'pages/scan', 'other load', 'errors'], rows));

  const memRows = config.servers.map((which) => {
    const last = rounds.map((round) => round[which]);
    return [
      which,
      `${f(Math.max(...last.map((r) => r.rss)) / MB)} MB`,
      `${f(Math.max(...last.map((r) => r.peakRss)) / MB)} MB`,
      `${f(Math.max(...last.map((r) => r.readyMs)), 0)} ms`,
      last.map((r) => `${f((r.load.main.wallMs + r.load.query.wallMs) / 1e3, 1)} s`).join(', '),
    ];
  });
  print('\nMemory and start (worst round): RSS after the workload, peak RSS (VmHWM), spawn to ready; time to load 12,000 items with BatchWriteItem\n');
  print(table(['server', 'RSS after load', 'peak RSS', 'start', 'load time'], memRows));

  const others = ['dynalite', 'moto'].filter((other) => summary.ratios[other]);
  const ratioRows = OPERATIONS.map(({ name, label }) => {
    const cell = (which) => {
      const p = summary.pooled[which]?.[name];
      return p ? `${f(p.usPerOp, 0)}${p.disturbed ? '*' : ''}` : 'n/a';
    };
    const ratioCell = (other) => {
      const r = summary.ratios[other].operations[name];
      return r ? `${f(r.ratio, 2)}x${r.disturbed ? '*' : ''} ${verdict(r.pass)}` : 'n/a';
    };
    return [label, ...config.servers.map(cell), ...others.map(ratioCell)];
  });
  print(`\nServer CPU µs per operation, pooled over undisturbed phases (* = only disturbed phases); ratio = their CPU / Eddy's\n`);
  print(table(['operation', ...config.servers, ...others.map((other) => `${other}/eddy (≥ ${summary.ratios[other].target}x)`)], ratioRows));

  const targetRows = [];
  if (summary.queryTarget) {
    targetRows.push([`Query of 100 one-kilobyte items ≤ ${f(QUERY_CPU_TARGET_US / 1e3, 1)} ms server CPU on Eddy`, `${f(summary.queryTarget.usPerOp / 1e3, 2)} ms`, verdict(summary.queryTarget.pass)]);
  }
  for (const [other, target] of Object.entries(summary.ratios)) {
    const measured = Object.entries(target.operations).filter(([, r]) => r);
    const worst = measured.reduce((min, [name, r]) => (r.ratio < min[1].ratio ? [name, r] : min), measured[0]);
    const missing = OPERATIONS.filter(({ name }) => !target.operations[name]).map(({ name }) => name);
    targetRows.push([
      `every operation ≥ ${target.target}x less server CPU than ${other}`,
      `lowest ${f(worst[1].ratio, 2)}x (${worst[0]}); ${measured.filter(([, r]) => !r.pass).length} of ${measured.length} below${missing.length ? `; n/a: ${missing.join(', ')}` : ''}`,
      verdict(target.pass),
    ]);
  }
  print('\nTargets\n');
  print(table(['target', 'measured', 'result'], targetRows));
  return rounds.reduce(
    (total, round) => total + Object.values(round).reduce((t, r) => t + Object.values(r.phases).reduce((s, p) => s + p.errors, 0), 0),
    0,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await sideBySide();
  const errors = reportSideBySide(result);
  if (errors > 0) console.log(`\nINVALID: ${errors} requests failed`);
}
