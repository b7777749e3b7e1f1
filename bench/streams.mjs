// Streams (issue 4): what a DynamoDB stream costs Eddy's writes, and how fast a
// reader drains one shard. See bench/README.md.
// Used by run.mjs (BENCH_SUITES=streams); also runs on its own:
//
//   node bench/streams.mjs               (needs a build)
//
// 1. PutItem with a NEW_AND_OLD_IMAGES stream on vs off: two fresh Eddys running
//    at once, one whose table has the stream, each warmed up as in run.mjs; then
//    per round, on each: BENCH_OPS PutItem that change every item (a MODIFY
//    record each on the stream side: the headline), the same with the keys
//    in scattered order (informational: no target), BENCH_OPS PutItem that
//    rewrite every item as it is (no record: AWS writes none for a write that
//    changes nothing) and BENCH_OPS GetItem, the order alternating, so both
//    sides of a comparison run seconds apart. GetItem is the control: the
//    stream should not change it. Target: PutItem ≤ 1.15x.
// 2. Drain: a fresh Eddy, a table with a NEW_AND_OLD_IMAGES stream, BENCH_STREAM_RECORDS
//    records written with BatchWriteItem (25 per request, over 10,000 keys, so
//    most records are MODIFY with both images), then one reader: GetShardIterator
//    TRIM_HORIZON and GetRecords (Limit 1000) chained until every record is read.
//    Records/s on the client's wall clock. Three passes (a new reader each): lean
//    client (counts records, reads NextShardIterator, no JSON.parse), JSON.parse of
//    every page, lean again; the faster lean pass is the headline. Target ≥ 50,000 records/s.
//
// Environment (all optional): BENCH_OPS, BENCH_KEYS, BENCH_WARMUP, BENCH_CONCURRENCY
// as in run.mjs; BENCH_STREAM_ROUNDS=4 (2 until session 4: on a noisy VM single
// rounds ranged 1.11-1.27x around a pooled 1.18x); BENCH_STREAM_CHUNKS=10 (1 runs
// each side's phase whole, as before session 5); BENCH_STREAM_RECORDS=100000;
// BENCH_PIN=1 (servers on CPU 1).
import { fileURLToPath } from 'node:url';
import { hrtime } from 'node:process';
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
  machineCpu,
  removeDir,
  runPhase,
  runTimedPhase,
  sleep,
  startEddy,
  stopServer,
  tempDataDir,
} from './lib.mjs';
import { table } from './sidebyside.mjs';

const PUT_RATIO_TARGET = 1.15;
const DRAIN_TARGET = 50_000;
const DISTURBED_CORES = 0.1;
const VIEW_TYPE = 'NEW_AND_OLD_IMAGES';
const STREAM_TABLE = 'bench_stream';
const GET_RECORDS_LIMIT = 1000;

export function streamsConfig() {
  return {
    ops: intEnv('BENCH_OPS', 20_000),
    keys: intEnv('BENCH_KEYS', 10_000),
    warmup: intEnv('BENCH_WARMUP', 5_000),
    concurrency: intEnv('BENCH_CONCURRENCY', 32),
    rounds: Math.max(1, intEnv('BENCH_STREAM_ROUNDS', 4)),
    chunks: Math.max(1, intEnv('BENCH_STREAM_CHUNKS', 10)),
    records: Math.max(1_000, intEnv('BENCH_STREAM_RECORDS', 100_000)),
    pin: intEnv('BENCH_PIN', 0) === 1,
  };
}

async function withEddy(config, fn) {
  const dataDir = tempDataDir();
  const server = await startEddy({ dataDir });
  try {
    if (config.pin) pinToCpu(server.pid, 1);
    await sleep(500);
    return await fn(server);
  } catch (error) {
    error.message += `\n--- eddy stderr\n${server.stderrTail().slice(-3000)}`;
    throw error;
  } finally {
    await stopServer(server);
    removeDir(dataDir);
  }
}

async function startFresh(config) {
  const dataDir = tempDataDir();
  const server = await startEddy({ dataDir });
  if (config.pin) pinToCpu(server.pid, 1);
  return { server, dataDir };
}

/**
 * Each key's PutItem body in two versions of the same size (`bio` of x or
 * of y), and per side which version each item holds now: a changing put
 * writes the other version (every put changes its item: on the stream side a
 * MODIFY record with both images), an unchanged put the one it holds.
 */
function itemVersions(bodies, keys) {
  const other = bodies.put.map((body) => {
    const request = JSON.parse(body);
    request.Item.bio.S = 'y'.repeat(request.Item.bio.S.length);
    return Buffer.from(JSON.stringify(request));
  });
  return {
    put: [...bodies.put, ...other],
    /** pick functions for runPhase over `put`, for a side whose items all hold the first version. */
    tracker() {
      const holds = new Uint8Array(keys);
      return {
        /** Puts that change the item of key `order(i)` (the keys in order, or scattered). */
        changing: (order) => (i) => {
          const key = order(i);
          holds[key] ^= 1;
          return holds[key] * keys + key;
        },
        unchanged: (i) => holds[i % keys] * keys + (i % keys),
      };
    },
  };
}

/**
 * PutItem/GetItem with the stream off and on. Both Eddys run at once (idle
 * between their phases), each warmed up as in run.mjs; then `rounds` times:
 * changing PutItem on each, unchanged PutItem on each, then GetItem on each,
 * the order alternating, so that the two sides of each comparison run
 * seconds apart and see the same machine.
 */
async function putWithAndWithoutStream(config, log) {
  const bodies = buildBodies(config.keys);
  const versions = itemVersions(bodies, config.keys);
  const sides = {};
  try {
    for (const which of ['off', 'on']) {
      sides[which] = await startFresh(config);
      const { server } = sides[which];
      const client = createClient(server.port, config.concurrency);
      sides[which].client = client;
      const description = await createTable(client, which === 'on' ? { streamViewType: VIEW_TYPE } : {});
      sides[which].streamArn = description.LatestStreamArn;
      sides[which].versions = versions.tracker();
    }
    await sleep(500);
    const phase = (which, operation, count, pick) =>
      runPhase({ client: sides[which].client, server: sides[which].server, operation, bodies: operation === 'PutItem' ? versions.put : bodies.get, count, concurrency: config.concurrency, pick });
    // 7919 is prime to the key count: scattered, each put dirties a leaf page
    // of its own, where in key order the ~12 puts of one group commit share two or three.
    const scattered = (i) => (i * 7919) % config.keys;
    const sequential = (i) => i % config.keys;
    const warmupErrors = {};
    for (const which of ['off', 'on']) {
      log(`streams: warm-up, stream ${which}...`);
      // The first version of every item (the versions' tracker starts there).
      const put = await phase(which, 'PutItem', Math.max(config.warmup, config.keys), sequential);
      const get = config.warmup > 0 ? await phase(which, 'GetItem', config.warmup, scattered) : { errors: 0 };
      warmupErrors[which] = put.errors + get.errors;
    }
    // One phase of each side in `config.chunks` chunks, alternating which side
    // goes first, merged per side with its CPU read across the whole span.
    const interleaved = async (first, operation, pickOf) => {
      const chunks = { off: [], on: [] };
      const before = { off: processCpu(sides.off.server.pid), on: processCpu(sides.on.server.pid) };
      let done = 0;
      for (let c = 0; c < config.chunks; c++) {
        const count = Math.floor((config.ops * (c + 1)) / config.chunks) - done;
        const order = c % 2 === 0 ? first : [...first].reverse();
        for (const which of order) {
          const pick = pickOf(which);
          const offset = done;
          chunks[which].push(await phase(which, operation, count, (i) => pick(offset + i)));
        }
        done += count;
      }
      return {
        off: mergePhases(chunks.off, before.off, processCpu(sides.off.server.pid)),
        on: mergePhases(chunks.on, before.on, processCpu(sides.on.server.pid)),
      };
    };
    const rounds = [];
    for (let r = 1; r <= config.rounds; r++) {
      log(`streams, round ${r}: PutItem and GetItem, stream off and on...`);
      const order = r % 2 === 1 ? ['off', 'on'] : ['on', 'off'];
      const round = { off: { warmupErrors: warmupErrors.off }, on: { warmupErrors: warmupErrors.on } };
      const put = await interleaved(order, 'PutItem', (which) => sides[which].versions.changing(sequential));
      const spread = await interleaved([...order].reverse(), 'PutItem', (which) => sides[which].versions.changing(scattered));
      const same = await interleaved(order, 'PutItem', (which) => sides[which].versions.unchanged);
      const get = await interleaved([...order].reverse(), 'GetItem', () => scattered);
      for (const which of ['off', 'on']) Object.assign(round[which], { put: put[which], spread: spread[which], same: same[which], get: get[which] });
      rounds.push(round);
    }
    await checkStreamHasRecords(sides.on.server, sides.on.streamArn);
    return rounds;
  } catch (error) {
    for (const [which, side] of Object.entries(sides)) error.message += `\n--- eddy (stream ${which}) stderr\n${side.server.stderrTail().slice(-3000)}`;
    throw error;
  } finally {
    for (const side of Object.values(sides)) {
      side.client?.close();
      await stopServer(side.server);
      removeDir(side.dataDir);
    }
  }
}

/** That the writes did reach the stream: its shard holds records. */
async function checkStreamHasRecords(server, streamArn) {
  if (!streamArn) throw new Error('the table has no LatestStreamArn: was the stream enabled?');
  const client = createClient(server.port, 1);
  try {
    const { StreamDescription } = await client.json('DynamoDBStreams_20120810.DescribeStream', { StreamArn: streamArn });
    const { ShardIterator } = await client.json('DynamoDBStreams_20120810.GetShardIterator', {
      StreamArn: streamArn,
      ShardId: StreamDescription.Shards[0].ShardId,
      ShardIteratorType: 'TRIM_HORIZON',
    });
    const { Records } = await client.json('DynamoDBStreams_20120810.GetRecords', { ShardIterator, Limit: 1 });
    if (Records.length !== 1 || !Records[0].dynamodb?.NewImage) throw new Error(`the stream holds no record with a NewImage after the load: ${JSON.stringify(Records).slice(0, 200)}`);
  } finally {
    client.close();
  }
}

const EVENT = Buffer.from('"eventName"');
const NEXT_ITERATOR = /"NextShardIterator"\s*:\s*"([^"]+)"/;

/** Counts records in a GetRecords answer without parsing it (each record has exactly one eventName). */
function countRecords(body) {
  let count = 0;
  for (let at = body.indexOf(EVENT); at >= 0; at = body.indexOf(EVENT, at + EVENT.length)) count++;
  return count;
}

/** Writes `records` changes to a streamed table, then drains its one shard twice (lean client, then JSON.parse). */
async function drain(config, log) {
  return withEddy(config, async (server) => {
    const client = createClient(server.port, 8);
    try {
      const description = await createTable(client, { name: STREAM_TABLE, streamViewType: VIEW_TYPE });
      const streamArn = description.LatestStreamArn;
      const keys = 10_000;
      const batches = Math.ceil(config.records / 25);
      const batchBody = (b) =>
        Buffer.from(
          JSON.stringify({
            RequestItems: {
              [STREAM_TABLE]: Array.from({ length: Math.min(25, config.records - b * 25) }, (_, j) => {
                const n = b * 25 + j;
                return { PutRequest: { Item: makeSizedItem({ pk: keyName(n % keys) }, 200, n) } };
              }),
            },
          }),
        );
      log(`streams: writing ${config.records} records (${batches} BatchWriteItem of 25)...`);
      const write = await runTimedPhase({
        server,
        operation: 'BatchWriteItem',
        count: batches,
        concurrency: 8,
        run: async (b) => {
          const response = await client.call('BatchWriteItem', batchBody(b));
          return response.status === 200 && /"UnprocessedItems"\s*:\s*\{\s*\}/.test(response.body.toString('utf8'))
            ? { ok: true }
            : { ok: false, error: `${response.status}: ${response.body?.toString('utf8').slice(0, 200)}` };
        },
      });
      if (write.errors > 0) throw new Error(`writing the records: ${write.errors} errors: ${write.errorSamples.join(' | ')}`);

      const stream = await client.json('DynamoDBStreams_20120810.DescribeStream', { StreamArn: streamArn });
      const shards = stream.StreamDescription.Shards;
      if (shards.length !== 1) log(`  note: the stream has ${shards.length} shards; reading the first`);
      const shardId = shards[0].ShardId;

      const pass = async (parse) => {
        const { ShardIterator } = await client.json('DynamoDBStreams_20120810.GetShardIterator', { StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' });
        let iterator = ShardIterator;
        let records = 0;
        let calls = 0;
        let emptyCalls = 0;
        let bytes = 0;
        const machineBefore = machineCpu();
        const serverBefore = processCpu(server.pid);
        const clientBefore = process.cpuUsage();
        const started = hrtime.bigint();
        while (records < config.records && iterator && emptyCalls < 3) {
          const response = await client.call('DynamoDBStreams_20120810.GetRecords', Buffer.from(JSON.stringify({ ShardIterator: iterator, Limit: GET_RECORDS_LIMIT })));
          if (response.status !== 200) throw new Error(`GetRecords answered ${response.status}: ${response.body.toString('utf8').slice(0, 300)}`);
          calls++;
          bytes += response.body.length;
          let got;
          if (parse) {
            const page = JSON.parse(response.body.toString('utf8'));
            got = page.Records.length;
            iterator = page.NextShardIterator;
          } else {
            got = countRecords(response.body);
            // The iterator is at the end of the answer: look there only.
            iterator = NEXT_ITERATOR.exec(response.body.subarray(Math.max(0, response.body.length - 4096)).toString('utf8'))?.[1];
          }
          records += got;
          if (got === 0) emptyCalls++;
        }
        const wallUs = Number(hrtime.bigint() - started) / 1e3;
        const serverAfter = processCpu(server.pid);
        const clientCpu = process.cpuUsage(clientBefore);
        const machineAfter = machineCpu();
        const serverUs = serverAfter.user + serverAfter.system - serverBefore.user - serverBefore.system;
        const clientUs = clientCpu.user + clientCpu.system;
        if (records !== config.records) throw new Error(`drained ${records} records, expected ${config.records}`);
        return {
          client: parse ? 'JSON.parse' : 'lean',
          records,
          calls,
          mb: bytes / (1024 * 1024),
          wallMs: wallUs / 1e3,
          recordsPerSec: records / (wallUs / 1e6),
          serverCpuMs: serverUs / 1e3,
          serverUsPerRecord: serverUs / records,
          serverMsPerCall: serverUs / 1e3 / calls,
          clientCpuMs: clientUs / 1e3,
          otherCores: Math.max(0, machineAfter.busy - machineBefore.busy - serverUs - clientUs) / wallUs,
        };
      };
      log('streams: draining the shard (lean, JSON.parse, lean)...');
      // Each pass is a new reader: Eddy (like AWS) throttles a third reader polling within the same second.
      const passes = [];
      for (const parse of [false, true, false]) {
        if (passes.length > 0) await sleep(1_100);
        passes.push(await pass(parse));
      }
      return { write, passes };
    } finally {
      client.close();
    }
  });
}

export async function streamsSuite({ log = (line) => process.stderr.write(`${line}\n`), config = streamsConfig() } = {}) {
  const rounds = await putWithAndWithoutStream(config, log);
  const drained = await drain(config, log);
  return { config, rounds, drain: drained, summary: summarise(rounds, drained) };
}

function summarise(rounds, drained) {
  const undisturbed = (round) => ['off', 'on'].every((w) => PHASES.every(([key]) => round[w][key].otherCores <= DISTURBED_CORES));
  const clean = rounds.filter(undisturbed);
  const pooled = clean.length > 0 ? clean : rounds;
  const ratio = (key) => {
    const sum = (which) => pooled.reduce((total, round) => total + round[which][key].serverCpuMs, 0);
    const count = pooled.reduce((total, round) => total + round.on[key].count, 0);
    const off = (sum('off') * 1e3) / count;
    const on = (sum('on') * 1e3) / count;
    return { off, on, ratio: on / off, perRound: rounds.map((round) => round.on[key].serverCpuUsPerOp / round.off[key].serverCpuUsPerOp) };
  };
  const put = ratio('put');
  return {
    spread: ratio('spread'),
    same: ratio('same'),
    pooledLabel: clean.length > 0 ? `${clean.length} undisturbed round(s) of ${rounds.length}` : `all ${rounds.length} rounds, none undisturbed`,
    undisturbed: rounds.map(undisturbed),
    put: { ...put, target: PUT_RATIO_TARGET, pass: put.ratio <= PUT_RATIO_TARGET },
    get: ratio('get'),
    drain: { ...bestLean(drained), target: DRAIN_TARGET, pass: bestLean(drained).recordsPerSec >= DRAIN_TARGET },
  };
}

/** The headline drain figure: the faster of the lean passes (a shared machine only ever slows a pass down). */
function bestLean(drained) {
  return drained.passes.filter((p) => p.client === 'lean').reduce((best, p) => (p.recordsPerSec > best.recordsPerSec ? p : best));
}

/** The phases of a round: key in the round, label. */
const PHASES = [
  ['put', 'PutItem, item changed'],
  ['spread', 'PutItem, item changed, keys scattered'],
  ['same', 'PutItem, item unchanged'],
  ['get', 'GetItem'],
];

const f = (value, digits = 1) => value.toFixed(digits);
const verdict = (ok) => (ok ? 'PASS' : 'MISS');

/** Prints the streams tables; returns the number of failed requests. */
export function reportStreams({ config, rounds, drain: drained, summary }, print = console.log) {
  const rows = [];
  rounds.forEach((round, index) => {
    for (const which of ['off', 'on']) {
      for (const [key, label] of PHASES) {
        const phase = round[which][key];
        rows.push([
          index + 1,
          which === 'on' ? `on (${VIEW_TYPE})` : 'off',
          label,
          phase.count,
          f(phase.opsPerSec, 0),
          f(phase.p50Ms, 2),
          f(phase.p99Ms, 2),
          f(phase.serverCpuUsPerOp, 1),
          f(phase.serverSystemUsPerOp, 1),
          `${f(phase.otherCores, 2)}${phase.otherCores > DISTURBED_CORES ? '*' : ''}`,
          phase.errors,
        ]);
      }
    }
  });
  print(`\nStreams: Eddy (durable) PutItem/GetItem with the table's stream off and on (concurrency ${config.concurrency}; each phase in ${config.chunks} interleaved chunk(s); * = disturbed phase)\n`);
  print(table(['round', 'stream', 'operation', 'requests', 'ops/s', 'p50 ms', 'p99 ms', 'server CPU µs/op', '(sys)', 'other load', 'errors'], rows));

  const per = (r) => r.perRound.map((x, i) => `${f(x, 2)}x${summary.undisturbed[i] ? '' : '*'}`).join(', ');
  const w = drained.write;
  print(`\nStream on vs off, server CPU per op pooled over ${summary.pooledLabel}; GetItem is the control\n`);
  print(
    table(
      ['figure', 'off', 'on', 'ratio', 'per round', 'target', 'result'],
      [
        ['PutItem server CPU µs/op, item changed (MODIFY record)', f(summary.put.off), f(summary.put.on), `${f(summary.put.ratio, 2)}x`, per(summary.put), `≤ ${PUT_RATIO_TARGET}x`, verdict(summary.put.pass)],
        ['PutItem server CPU µs/op, item changed, keys in scattered order (MODIFY record)', f(summary.spread.off), f(summary.spread.on), `${f(summary.spread.ratio, 2)}x`, per(summary.spread), '', ''],
        ['PutItem server CPU µs/op, item unchanged (no record)', f(summary.same.off), f(summary.same.on), `${f(summary.same.ratio, 2)}x`, per(summary.same), '', ''],
        ['GetItem server CPU µs/op (control)', f(summary.get.off), f(summary.get.on), `${f(summary.get.ratio, 2)}x`, per(summary.get), '≈ 1x', ''],
      ],
    ),
  );
  print(
    `\nDrain of one shard: ${config.records} records written with ${w.count} BatchWriteItem of 25 (stream on) at ${f(w.opsPerSec * 25, 0)} items/s, ` +
      `${f(w.serverCpuUsPerOp / 25, 1)} µs server CPU per item${w.otherCores > DISTURBED_CORES ? ` (disturbed: other load ${f(w.otherCores, 2)})` : ''}; ` +
      `then GetShardIterator TRIM_HORIZON + GetRecords Limit ${GET_RECORDS_LIMIT}, chained, one reader\n`,
  );
  const best = bestLean(drained);
  print(
    table(
      ['pass', 'client', 'records', 'GetRecords calls', 'MB read', 'wall ms', 'records/s', 'server CPU ms', 'server µs/record', 'client CPU ms', 'other load'],
      drained.passes.map((pass, i) => [
        `${i + 1}${pass === best ? ' (headline)' : ''}`,
        pass.client === 'lean' ? 'lean (counts records, no JSON.parse)' : 'JSON.parse of every page (as an SDK would)',
        pass.records,
        pass.calls,
        f(pass.mb, 1),
        f(pass.wallMs, 0),
        f(pass.recordsPerSec, 0),
        f(pass.serverCpuMs, 0),
        f(pass.serverUsPerRecord, 2),
        f(pass.clientCpuMs, 0),
        `${f(pass.otherCores, 2)}${pass.otherCores > DISTURBED_CORES ? '*' : ''}`,
      ]),
    ),
  );
  print('\nTargets\n');
  print(
    table(
      ['target', 'measured', 'result'],
      [
        [`PutItem server CPU with a ${VIEW_TYPE} stream ≤ ${PUT_RATIO_TARGET}x without (puts that change the item)`, `${f(summary.put.ratio, 2)}x (${summary.pooledLabel})`, verdict(summary.put.pass)],
        [
          `GetRecords drain of one shard ≥ ${DRAIN_TARGET.toLocaleString('en-US')} records/s`,
          `${f(summary.drain.recordsPerSec, 0)} records/s (faster lean pass${summary.drain.otherCores > DISTURBED_CORES ? ', disturbed' : ''})`,
          verdict(summary.drain.pass),
        ],
      ],
    ),
  );
  return rounds.reduce((total, round) => total + ['off', 'on'].reduce((t, w) => t + PHASES.reduce((e, [key]) => e + round[w][key].errors, 0) + round[w].warmupErrors, 0), 0) + w.errors;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await streamsSuite();
  const errors = reportStreams(result);
  if (errors > 0) console.log(`\nINVALID: ${errors} requests failed`);
}
