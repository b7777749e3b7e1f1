import { UpdateEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { esmFixture, createMapping, type EsmFixture } from './esm-support.js';

let f: EsmFixture;
beforeEach(async () => {
  f = await esmFixture();
  // Start just after a minute boundary, so the writes of a test share one 60-second window.
  f.eddy.clock.advance(60_000 - (f.eddy.clock.now() % 60_000) + 10);
});
afterEach(async () => {
  await f.close();
});

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

describe('DynamoDB stream mapping: tumbling windows', () => {
  it('carries state between invocations of a window, then makes a final invocation when the window ends', async () => {
    const windowStart = Math.floor(f.eddy.clock.now() / 60_000) * 60_000;
    await f.recordingFunction('recorder', `return { state: { count: (event.state.count ?? 0) + event.Records.length } };`);
    await createMapping(f, 'recorder', { TumblingWindowInSeconds: 60 });
    await f.put('a');
    await f.put('b');
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    await f.put('c');
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    f.eddy.clock.advance(60_000);
    await f.put('d');
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);

    const shardId = f.eddy.mappings.metrics()[0]!.shards[0]!.shardId;
    const window = { start: iso(windowStart), end: iso(windowStart + 60_000) };
    const next = { start: iso(windowStart + 60_000), end: iso(windowStart + 120_000) };
    const seen = f.invocations().map(({ Records, ...rest }) => ({ records: Records.map((r) => r.dynamodb.Keys.pk!.S), ...rest }));
    const common = { shardId, eventSourceARN: f.streamArn, isWindowTerminatedEarly: false };
    // a and b may come in one batch or two; c comes on its own; the final invocation has no records.
    const firstWindow = seen.filter((s) => (s as any).window.start === window.start);
    expect(firstWindow.flatMap((s) => s.records)).toEqual(['a', 'b', 'c']);
    expect(firstWindow.at(-1)).toEqual({ records: [], window, state: { count: 3 }, ...common, isFinalInvokeForWindow: true });
    expect(firstWindow[0]).toMatchObject({ window, state: {}, ...common, isFinalInvokeForWindow: false });
    expect(seen.at(-1)).toEqual({ records: ['d'], window: next, state: {}, ...common, isFinalInvokeForWindow: false });
  });

  it('a response without state is a failed invocation: the batch is retried', async () => {
    await f.recordingFunction('recorder', `globalThis.calls = (globalThis.calls ?? 0) + 1; return globalThis.calls === 1 ? { batchItemFailures: [] } : { state: { ok: true } };`);
    await f.put('a');
    await createMapping(f, 'recorder', { TumblingWindowInSeconds: 60 });
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    expect(f.invocations().map((event) => [event.Records.length, event.state])).toEqual([
      [1, {}],
      [1, {}],
    ]);
    expect(f.eddy.mappings.metrics()[0]!.errors).toBe(1);
  });

  it('window state is durable: a restarted mapping continues the window with the state it had', async () => {
    await f.recordingFunction('recorder', `return { state: { keys: [...(event.state.keys ?? []), ...event.Records.map((r) => r.dynamodb.Keys.pk.S)] } };`);
    const uuid = await createMapping(f, 'recorder', { TumblingWindowInSeconds: 60 });
    await f.put('a');
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    await f.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, BatchSize: 50 }));
    await f.put('b');
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    expect(f.invocations().at(-1)!.state).toEqual({ keys: ['a'] });
  });

  it('a state over 1 MB ends the window early; the window goes on with a fresh state', async () => {
    await f.recordingFunction(
      'recorder',
      `const seen = (event.state.seen ?? 0) + event.Records.length;
      return { state: event.Records.some((r) => r.dynamodb.Keys.pk.S === 'huge') ? { seen, blob: 'x'.repeat(1100000) } : { seen } };`,
    );
    await createMapping(f, 'recorder', { TumblingWindowInSeconds: 60 });
    await f.put('a');
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    await f.put('huge');
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    await f.put('b');
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    const seen = f.invocations().map((event) => ({
      records: event.Records.map((r) => r.dynamodb.Keys.pk!.S),
      seen: (event.state as { seen?: number }).seen,
      final: event.isFinalInvokeForWindow,
      early: event.isWindowTerminatedEarly,
    }));
    expect(seen).toEqual([
      { records: ['a'], seen: undefined, final: false, early: false },
      { records: ['huge'], seen: 1, final: false, early: false },
      { records: [], seen: 2, final: true, early: true },
      { records: ['b'], seen: undefined, final: false, early: false },
    ]);
    expect(new Set(f.invocations().map((event) => JSON.stringify(event.window))).size).toBe(1);
  });
});
