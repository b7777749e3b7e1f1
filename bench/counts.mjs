// Counts, not seconds: the instructions (valgrind's callgrind) and the system
// calls (strace -c) Eddy's server spends per operation, for comparing builds
// or variants on a machine whose speed moves from one minute to the next (the
// VMs of 2026-11-27 measured the same build's PutItem at 35 and at 65 µs).
// See bench/README.md, "What counts.mjs measures".
//
//   node bench/counts.mjs                         (needs a build, valgrind and strace)
//   BENCH_COUNT_WORKLOADS=put-stream-off,put-stream-on node bench/counts.mjs
//
// Workloads (BENCH_COUNT_WORKLOADS, default all, in this order):
//   put-stream-off  PutItem that changes its item (bio of x's <-> y's, same size), table without a stream
//   put-stream-on   the same on a table with a NEW_AND_OLD_IMAGES stream (a MODIFY record each)
//   get             GetItem
//   batch           BatchWriteItem of 25 puts (the side-by-side suite's bodies)
// For each: a fresh Eddy, warm-up (every key written, BENCH_COUNT_WARMUP more
// operations), then BENCH_COUNT_OPS measured operations at concurrency 32 (8
// for batches). Twice: once under callgrind with instrumentation switched on
// for the measured operations only, once under strace -c -f attached for them.
//
// Instructions are user space only, for the main thread (the event loop) and
// for every thread (V8's background compiler and GC helpers too): the
// kernel's work behind a system call is not in them, which is why the system
// calls are counted beside them. With the default warm-up and 10,000
// operations, two runs of one build agreed within 0.3% (main thread); with
// 2,000 operations after 10,000 they differed by up to 10% (V8 still
// compiling), so keep the defaults when comparing builds. Environment: BENCH_COUNT_OPS (10,000),
// BENCH_COUNT_WARMUP (20,000), BENCH_COUNT_KEYS (10,000).
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildBodies, createClient, createTable, EDDY_BIN, intEnv, keyName, makeSizedItem, removeDir, runPhase, runTimedPhase, sleep, startEddy, startServer, stopServer, tempDataDir } from './lib.mjs';
import { table } from './sidebyside.mjs';

const WORKLOADS = ['put-stream-off', 'put-stream-on', 'get', 'batch'];
const SYSCALLS = ['read', 'writev', 'pwrite64', 'pread64', 'fsync', 'futex', 'epoll_pwait'];

const config = {
  ops: intEnv('BENCH_COUNT_OPS', 10_000),
  warmup: intEnv('BENCH_COUNT_WARMUP', 20_000),
  keys: intEnv('BENCH_COUNT_KEYS', 10_000),
  workloads: (process.env.BENCH_COUNT_WORKLOADS ?? WORKLOADS.join(',')).split(',').map((w) => w.trim()).filter(Boolean),
};
for (const w of config.workloads) if (!WORKLOADS.includes(w)) throw new Error(`unknown workload ${w}; one of ${WORKLOADS.join(', ')}`);

function has(command) {
  try {
    execFileSync(command, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Each key's PutItem body in two versions of the same size, and the operation picking the one its item does not hold. */
function workloadBodies() {
  const bodies = buildBodies(config.keys);
  const other = bodies.put.map((body) => {
    const request = JSON.parse(body);
    request.Item.bio.S = 'y'.repeat(request.Item.bio.S.length);
    return Buffer.from(JSON.stringify(request));
  });
  const batches = Array.from({ length: config.keys / 25 }, (_, b) =>
    Buffer.from(JSON.stringify({ RequestItems: { bench: Array.from({ length: 25 }, (_, j) => ({ PutRequest: { Item: makeSizedItem({ pk: keyName(b * 25 + j) }, 200, b * 25 + j) } })) } })),
  );
  return { put: [...bodies.put, ...other], get: bodies.get, batches };
}

/** Creates the table, warms up, and returns the measured phase to run (a function of the server). */
async function prepare(workload, client, server, bodies) {
  await createTable(client, workload === 'put-stream-on' ? { streamViewType: 'NEW_AND_OLD_IMAGES' } : {});
  const holds = new Uint8Array(config.keys);
  const changing = (i) => {
    const key = i % config.keys;
    holds[key] ^= 1;
    return holds[key] * config.keys + key;
  };
  const checked = async (phase) => {
    const result = await phase;
    if (result.errors > 0) throw new Error(`${workload}: ${result.errors} errors: ${result.errorSamples.join(' | ')}`);
    return result;
  };
  const batch = (count) =>
    checked(
      runTimedPhase({
        server,
        operation: 'BatchWriteItem',
        count,
        concurrency: 8,
        run: async (i) => {
          const response = await client.call('BatchWriteItem', bodies.batches[i % bodies.batches.length]);
          return response.status === 200 && /"UnprocessedItems"\s*:\s*\{\s*\}/.test(response.body.toString('utf8')) ? { ok: true } : { ok: false, error: `${response.status}` };
        },
      }),
    );
  await checked(runPhase({ client, server, operation: 'PutItem', bodies: bodies.put, count: config.keys, concurrency: 32, pick: (i) => i % config.keys }));
  if (workload === 'batch') {
    await batch(Math.ceil(config.warmup / 25));
    return () => batch(config.ops);
  }
  if (workload === 'get') {
    const scattered = (i) => (i * 7919) % config.keys;
    await checked(runPhase({ client, server, operation: 'GetItem', bodies: bodies.get, count: config.warmup, concurrency: 32, pick: scattered }));
    return () => checked(runPhase({ client, server, operation: 'GetItem', bodies: bodies.get, count: config.ops, concurrency: 32, pick: scattered }));
  }
  await checked(runPhase({ client, server, operation: 'PutItem', bodies: bodies.put, count: config.warmup, concurrency: 32, pick: changing }));
  return () => checked(runPhase({ client, server, operation: 'PutItem', bodies: bodies.put, count: config.ops, concurrency: 32, pick: changing }));
}

/** A started Eddy (`server`, from lib.mjs) and a client for it. */
function withClient(server) {
  return { server, client: createClient(server.port, 32) };
}

async function stop(run) {
  run.client.close();
  await stopServer(run.server, 60_000);
}

/** Instructions per operation, all threads, user space. */
async function instructions(workload, bodies) {
  const dataDir = tempDataDir('eddy-counts-');
  const out = join(dataDir, 'callgrind.out');
  // --instr-atstart=no: start-up and warm-up run uninstrumented (faster, and not counted).
  let stopped = false;
  const run = withClient(
    await startServer({
      name: 'eddy under callgrind',
      command: 'valgrind',
      args: ['--tool=callgrind', '--smc-check=all-non-file', '--instr-atstart=no', '--separate-threads=yes', `--callgrind-out-file=${out}`, process.execPath, EDDY_BIN, 'start', '--port', '0', '--data', dataDir, '--log-level', 'warn'],
      timeoutMs: 300_000,
    }),
  );
  try {
    const measured = await prepare(workload, run.client, run.server, bodies);
    execFileSync('callgrind_control', ['-i', 'on', String(run.server.pid)], { stdio: 'ignore' });
    await measured();
    execFileSync('callgrind_control', ['-i', 'off', String(run.server.pid)], { stdio: 'ignore' });
    execFileSync('callgrind_control', ['-d', String(run.server.pid)], { stdio: 'ignore' });
    await stop(run);
    stopped = true;
    let all = 0;
    let main = 0;
    // One file per thread and dump (callgrind.out[.dump]-thread); thread 01 is the main thread, the event loop.
    for (const file of readdirSync(dataDir).filter((name) => name.startsWith('callgrind.out'))) {
      // Each ends with its total ("totals: N"; the header's "summary:" stays 0 when instrumentation was switched on late).
      const match = /^totals: (\d+)/m.exec(readFileSync(join(dataDir, file), 'utf8'));
      if (!match) continue;
      all += Number(match[1]);
      if (file.endsWith('-01')) main += Number(match[1]);
    }
    return { all: all / config.ops, main: main / config.ops };
  } finally {
    if (!stopped) await stop(run);
    removeDir(dataDir);
  }
}

/** System calls per operation, by name, from strace -c attached for the measured phase. */
async function syscalls(workload, bodies) {
  const dataDir = tempDataDir('eddy-counts-');
  const out = join(dataDir, 'strace.txt');
  const run = withClient(await startEddy({ dataDir }));
  try {
    const measured = await prepare(workload, run.client, run.server, bodies);
    const strace = spawn('strace', ['-c', '-f', '-p', String(run.server.pid), '-o', out], { stdio: 'ignore' });
    const straceExited = new Promise((done) => strace.once('exit', done));
    await sleep(1_000); // attached to every thread by then
    await measured();
    strace.kill('SIGINT');
    await straceExited;
    const counts = {};
    for (const line of readFileSync(out, 'utf8').split('\n')) {
      // "% time seconds usecs/call calls [errors] syscall"
      const fields = line.trim().split(/\s+/);
      if (fields.length >= 5 && /^\d/.test(fields[0]) && /^\d+$/.test(fields[3])) counts[fields[fields.length - 1]] = Number(fields[3]) / config.ops;
    }
    return counts;
  } finally {
    await stop(run);
    removeDir(dataDir);
  }
}

async function main() {
  const missing = ['valgrind', 'strace'].filter((command) => !has(command));
  if (missing.length > 0) {
    console.log(`counts: ${missing.join(' and ')} not found; nothing measured`);
    return;
  }
  const bodies = workloadBodies();
  const rows = [];
  for (const workload of config.workloads) {
    console.error(`counts: ${workload}, instructions (callgrind: about a minute)...`);
    const perOp = await instructions(workload, bodies);
    console.error(`counts: ${workload}, system calls...`);
    const calls = await syscalls(workload, bodies);
    rows.push({ workload, perOp, calls });
  }
  const fmt = (n) => (n >= 100 ? String(Math.round(n)) : n >= 1 ? n.toFixed(2) : n.toFixed(3));
  console.log(`\nCounts per operation (${config.ops} measured operations each, after warm-up; instructions in user space: the main thread, and every thread)\n`);
  console.log(
    table(
      ['workload', 'instructions/op, main', 'all threads', ...SYSCALLS.map((name) => `${name}/op`), 'all syscalls/op'],
      rows.map(({ workload, perOp, calls }) => [workload, String(Math.round(perOp.main)), String(Math.round(perOp.all)), ...SYSCALLS.map((name) => fmt(calls[name] ?? 0)), fmt(calls.total ?? 0)]),
    ),
  );
  const off = rows.find((row) => row.workload === 'put-stream-off');
  const on = rows.find((row) => row.workload === 'put-stream-on');
  if (off && on) {
    console.log(
      `\nStream on vs off, PutItem that changes the item: instructions ${(on.perOp.main / off.perOp.main).toFixed(3)}x (main thread), ${(on.perOp.all / off.perOp.all).toFixed(3)}x (all threads); ` +
        `pwrite64 ${fmt(on.calls.pwrite64 ?? 0)} vs ${fmt(off.calls.pwrite64 ?? 0)} per put, pread64 ${fmt(on.calls.pread64 ?? 0)} vs ${fmt(off.calls.pread64 ?? 0)}, fsync ${fmt(on.calls.fsync ?? 0)} vs ${fmt(off.calls.fsync ?? 0)}`,
    );
  }
}

await main();
