import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UpdateEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { keyLane } from '../../src/lambda/esm/stream-event.js';
import { encodeKey } from '../../src/dynamodb/values/key-encoding.js';
import { laneOf } from '../../src/streams/streams-engine.js';
import { esmFixture, createMapping, until, type EsmFixture } from './esm-support.js';

let f: EsmFixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

/** mulberry32: the test's failures are random but the same on every run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('DynamoDB stream mapping: parallelization and shards', () => {
  it('ParallelizationFactor 10 keeps per-key order with random (seeded) failures, and batches run concurrently', async () => {
    f = await esmFixture();
    const random = seeded(20261127);
    const poison = new Set<string>();
    for (let key = 0; key < 20; key++) for (let n = 1; n <= 10; n++) if (random() < 0.15) poison.add(`K${key}#${n}`);
    writeFileSync(join(f.logDir, 'poison.json'), JSON.stringify([...poison]));
    const processed = join(f.logDir, 'processed.jsonl');
    // A batch holding a poisoned record fails the first time that record is seen (a marker file), then succeeds.
    await f.recordingFunction(
      'recorder',
      `const started = Date.now();
      const poison = new Set(JSON.parse(fs.readFileSync(process.env.POISON, 'utf8')));
      for (const r of event.Records) {
        const id = r.dynamodb.Keys.pk.S + '#' + r.dynamodb.NewImage.n.N;
        if (poison.has(id)) {
          try { fs.writeFileSync(process.env.MARKS + '/' + id, '', { flag: 'wx' }); throw new Error('poison ' + id); }
          catch (e) { if (e.code !== 'EEXIST') throw e; }
        }
      }
      while (Date.now() - started < 5) {}
      const lines = event.Records.map((r) => JSON.stringify({ pk: r.dynamodb.Keys.pk.S, n: Number(r.dynamodb.NewImage.n.N), started, ended: Date.now() })).join('\\n');
      fs.appendFileSync(process.env.PROCESSED, lines + '\\n');`,
      { POISON: join(f.logDir, 'poison.json'), MARKS: f.logDir, PROCESSED: processed },
    );
    await createMapping(f, 'recorder', { BatchSize: 5, ParallelizationFactor: 10, MaximumBatchingWindowInSeconds: 1 });
    // Keys are written concurrently, each key's versions one after the other.
    await Promise.all(
      Array.from({ length: 20 }, async (_, key) => {
        for (let n = 1; n <= 10; n++) await f!.put(`K${key}`, { n: { N: String(n) } });
      }),
    );
    f.eddy.clock.advance(1000);
    expect(await f.eddy.mappings.drain(30_000)).toBe(true);

    const lines = readFileSync(processed, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { pk: string; n: number; started: number; ended: number });
    const perKey = new Map<string, number[]>();
    for (const { pk, n } of lines) perKey.set(pk, [...(perKey.get(pk) ?? []), n]);
    // Every record processed exactly once (failed batches process nothing), each key strictly in write order.
    for (let key = 0; key < 20; key++) expect(perKey.get(`K${key}`)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // Every invocation held only keys of one lane, no more than BatchSize records.
    for (const event of f.invocations()) {
      const lanes = new Set(event.Records.map((r) => keyLane(r.dynamodb.Keys, 10)));
      expect(lanes.size).toBe(1);
      expect(event.Records.length).toBeLessThanOrEqual(5);
    }
    // Each poisoned record failed exactly one invocation.
    expect(f.eddy.mappings.metrics()[0]!.errors).toBe(poison.size);
    // Some invocations overlapped in time: batches of different lanes ran at once.
    const spans = [...new Map(lines.map((l) => [`${l.started}-${l.ended}`, l])).values()].sort((a, b) => a.started - b.started);
    expect(spans.some((span, i) => i > 0 && span.started < spans[i - 1]!.ended)).toBe(true);
  }, 60_000);

  it('a failing batch blocks only its key lane; other lanes of the shard go on', async () => {
    f = await esmFixture();
    const keys = Array.from({ length: 50 }, (_, i) => `key${i}`);
    const stuck = keys.find((k) => keyLane({ pk: { S: k } }, 2) === 0)!;
    const free = keys.filter((k) => keyLane({ pk: { S: k } }, 2) === 1).slice(0, 3);
    const marker = join(f.logDir, 'broken');
    writeFileSync(marker, '');
    await f.recordingFunction('recorder', `if (event.Records.some((r) => r.dynamodb.Keys.pk.S === '${stuck}') && fs.existsSync('${marker}')) throw new Error('stuck');`);
    await createMapping(f, 'recorder', { BatchSize: 10, ParallelizationFactor: 2 });
    await f.put(stuck, { n: { N: '1' } });
    for (const key of free) await f.put(key);
    await f.put(stuck, { n: { N: '2' } });
    await until(f, () => f!.batches().some((batch) => batch.includes(free[2]!)));
    expect(await f.eddy.mappings.drain(100)).toBe(false);
    const delivered = f.batches().filter((batch) => !batch.includes(stuck));
    expect(delivered.flat()).toEqual(free);
    // The shard's checkpoint stays before the stuck record: all five records are still ahead of it.
    expect(f.eddy.mappings.metrics()[0]!.shards[0]!.lagRecords).toBe(5);
    rmSync(marker);
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    // The retried batch holds only what it held first; the key's next record follows in its own batch.
    const tail = f.invocations().slice(-2).map((event) => event.Records.map((r) => [r.dynamodb.Keys.pk!.S, r.dynamodb.NewImage!.n!.N]));
    expect(tail).toEqual([[[stuck, '1']], [[stuck, '2']]]);
    expect(f.eddy.mappings.metrics()[0]!.shards[0]!.lagRecords).toBe(0);
  });

  it('a restart re-delivers only batches in flight: lanes that ran ahead of a blocked lane keep their progress', async () => {
    f = await esmFixture();
    const keys = Array.from({ length: 50 }, (_, i) => `key${i}`);
    const stuck = keys.find((k) => keyLane({ pk: { S: k } }, 2) === 0)!;
    const free = keys.filter((k) => keyLane({ pk: { S: k } }, 2) === 1).slice(0, 3);
    const marker = join(f.logDir, 'broken');
    writeFileSync(marker, '');
    await f.recordingFunction('recorder', `if (event.Records.some((r) => r.dynamodb.Keys.pk.S === '${stuck}') && fs.existsSync('${marker}')) throw new Error('stuck');`);
    await f.put(stuck);
    for (const key of free) await f.put(key);
    const uuid = await createMapping(f, 'recorder', { BatchSize: 10, ParallelizationFactor: 2 });
    await until(f, () => f!.batches().some((batch) => batch.includes(free[0]!)));
    // A new consumer (as after a restart) reads the shard again from its checkpoint, before the stuck record.
    await f.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, MaximumRetryAttempts: 100 }));
    rmSync(marker);
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    const delivered = f.batches().filter((batch) => !batch.includes(stuck));
    expect(delivered).toEqual([free]);
    expect(f.batches().at(-1)).toEqual([stuck]);
  });

  it('one consumer per shard: a failing batch blocks its shard while the other shard goes on', async () => {
    f = await esmFixture({ streamShards: 2 });
    const keys = Array.from({ length: 50 }, (_, i) => `key${i}`);
    // The shard an item's changes go to: its key as the items table encodes it, hashed.
    const shardOf = (key: string): number => laneOf(encodeKey('S', key), Buffer.alloc(0), 2);
    const stuck = keys.find((k) => shardOf(k) === 0)!;
    const other = keys.filter((k) => shardOf(k) === 1).slice(0, 3);
    const marker = join(f.logDir, 'broken');
    writeFileSync(marker, '');
    await f.recordingFunction('recorder', `if (event.Records.some((r) => r.dynamodb.Keys.pk.S === '${stuck}') && fs.existsSync('${marker}')) throw new Error('stuck');`);
    await f.put(stuck);
    for (const key of other) await f.put(key);
    await createMapping(f, 'recorder', { BatchSize: 10 });
    // Until Eddy has handled the other shard's batch (its function log shows it before its answer is handled).
    await until(f, () => f!.eddy.mappings.metrics()[0]!.recordsDelivered === other.length);
    expect(f.batches().filter((batch) => !batch.includes(stuck))).toEqual([other]);
    const shards = f.eddy.mappings.metrics()[0]!.shards;
    expect(shards).toHaveLength(2);
    expect(shards.map((shard) => shard.lagRecords).sort()).toEqual([0, 1]);
    rmSync(marker);
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    expect(f.batches().at(-1)).toEqual([stuck]);
  });

  it('a parent shard is finished before its child is read, even when the parent batch fails first', async () => {
    f = await esmFixture({ streamShardRolloverMs: 60_000 });
    await f.recordingFunction('recorder', `globalThis.calls = (globalThis.calls ?? 0) + 1; if (globalThis.calls === 1) throw new Error('first');`);
    for (const key of ['a1', 'a2', 'a3']) await f.put(key);
    f.eddy.clock.advance(61_000);
    for (const key of ['b1', 'b2']) await f.put(key);
    const shards = f.eddy.streams.store.shardsOf(f.streamArn);
    expect(shards).toHaveLength(2);
    expect(shards[1]!.parent_shard_id).toBe(shards[0]!.shard_id);
    await createMapping(f, 'recorder', { BatchSize: 10 });
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    expect(f.batches()).toEqual([['a1', 'a2', 'a3'], ['a1', 'a2', 'a3'], ['b1', 'b2']]);
  });
});
