import { DeleteFunctionConcurrencyCommand, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { esmFixture, createMapping, until, type EsmFixture } from './esm-support.js';

let f: EsmFixture;
beforeEach(async () => {
  f = await esmFixture();
});
afterEach(async () => {
  await f.close();
});

/** Handler fragments: `pks` are the batch's keys, `seq(pk)` a record's SequenceNumber. */
const prelude = `const pks = event.Records.map((r) => r.dynamodb.Keys.pk.S);
  const seq = (pk) => event.Records.find((r) => r.dynamodb.Keys.pk.S === pk).dynamodb.SequenceNumber;
  globalThis.calls = (globalThis.calls ?? 0) + 1;`;

async function writeKeys(keys: string[]): Promise<void> {
  for (const key of keys) await f.put(key);
}

describe('DynamoDB stream mapping: function errors', () => {
  it('without ReportBatchItemFailures a failing batch is retried whole MaximumRetryAttempts times, then skipped; the shard goes on', async () => {
    await f.recordingFunction('recorder', `${prelude} if (pks.includes('bad')) throw new Error('boom');`);
    await writeKeys(['a', 'bad', 'c', 'd']);
    await createMapping(f, 'recorder', { BatchSize: 3, MaximumRetryAttempts: 2 });
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    expect(f.batches()).toEqual([['a', 'bad', 'c'], ['a', 'bad', 'c'], ['a', 'bad', 'c'], ['d']]);
    const metrics = f.eddy.mappings.metrics()[0]!;
    expect(metrics).toMatchObject({ invocations: 4, errors: 3, recordsFailed: 3, recordsDelivered: 1, onFailureSends: 0, lastProcessingResult: 'OK' });
  });

  it('ReportBatchItemFailures: the lowest failed sequence number is the checkpoint, everything from it is retried', async () => {
    await f.recordingFunction(
      'recorder',
      `${prelude} if (globalThis.calls === 1) return { batchItemFailures: [{ itemIdentifier: seq('d') }, { itemIdentifier: seq('b') }] };
      return { batchItemFailures: [] };`,
    );
    await writeKeys(['a', 'b', 'c', 'd', 'e']);
    await createMapping(f, 'recorder', { BatchSize: 5, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    expect(f.batches()).toEqual([['a', 'b', 'c', 'd', 'e'], ['b', 'c', 'd', 'e']]);
  });

  it.each([
    ['a null itemIdentifier', '{ batchItemFailures: [{ itemIdentifier: null }] }'],
    ['an empty itemIdentifier', "{ batchItemFailures: [{ itemIdentifier: '' }] }"],
    ['an unknown itemIdentifier', "{ batchItemFailures: [{ itemIdentifier: '999999999999999999999' }] }"],
    ['a wrong key name', "{ batchItemFailures: [{ itemId: seq('b') }] }"],
  ])('ReportBatchItemFailures: %s fails the whole batch', async (_name, response) => {
    await f.recordingFunction('recorder', `${prelude} if (globalThis.calls === 1) return ${response}; return null;`);
    await writeKeys(['a', 'b', 'c']);
    await createMapping(f, 'recorder', { BatchSize: 5, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    expect(f.batches()).toEqual([['a', 'b', 'c'], ['a', 'b', 'c']]);
    expect(f.eddy.mappings.metrics()[0]!.errors).toBe(1);
  });

  it.each([
    ['a null response', 'return null;'],
    ['an empty response', 'return;'],
    ['an empty batchItemFailures', 'return { batchItemFailures: [] };'],
    ['a null batchItemFailures', 'return { batchItemFailures: null };'],
  ])('ReportBatchItemFailures: %s is a full success', async (_name, body) => {
    await f.recordingFunction('recorder', body);
    await writeKeys(['a', 'b']);
    await writeKeys(['c']);
    await createMapping(f, 'recorder', { BatchSize: 2, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    expect(f.batches()).toEqual([['a', 'b'], ['c']]);
  });

  it('without ReportBatchItemFailures, a batchItemFailures response is a success (Lambda ignores it)', async () => {
    await f.recordingFunction('recorder', `${prelude} return { batchItemFailures: [{ itemIdentifier: seq('a') }] };`);
    await writeKeys(['a', 'b']);
    await createMapping(f, 'recorder', { BatchSize: 5 });
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    expect(f.batches()).toEqual([['a', 'b']]);
  });

  it('BisectBatchOnFunctionError splits a failing batch until the poison record is alone; splits consume no retries', async () => {
    await f.recordingFunction('recorder', `${prelude} if (pks.includes('bad')) throw new Error('poison');`);
    await writeKeys(['a', 'b', 'bad', 'd', 'e']);
    await createMapping(f, 'recorder', { BatchSize: 5, BisectBatchOnFunctionError: true, MaximumRetryAttempts: 1 });
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    expect(f.batches()).toEqual([
      ['a', 'b', 'bad', 'd', 'e'],
      ['a', 'b', 'bad'],
      ['a', 'b'],
      ['bad'],
      ['bad'],
      ['d', 'e'],
    ]);
    expect(f.eddy.mappings.metrics()[0]).toMatchObject({ recordsFailed: 1, recordsDelivered: 4, errors: 4 });
  });

  it('with bisect and ReportBatchItemFailures the batch is split at the returned record and only the rest retried', async () => {
    await f.recordingFunction('recorder', `${prelude} return pks.includes('bad') ? { batchItemFailures: [{ itemIdentifier: seq('bad') }] } : {};`);
    await writeKeys(['a', 'b', 'bad', 'd', 'e']);
    await createMapping(f, 'recorder', { BatchSize: 5, BisectBatchOnFunctionError: true, MaximumRetryAttempts: 1, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    // [bad, d, e] is the rest after the split; it reports its first record, so it is bisected ([bad, d] | [e]), and so on.
    expect(f.batches()).toEqual([['a', 'b', 'bad', 'd', 'e'], ['bad', 'd', 'e'], ['bad', 'd'], ['bad'], ['bad'], ['d'], ['e']]);
    expect(f.eddy.mappings.metrics()[0]).toMatchObject({ recordsFailed: 1, recordsDelivered: 4 });
  });

  it('throttled invocations (reserved concurrency 0) retry without consuming attempts and count as throttles', async () => {
    await f.recordingFunction('recorder');
    await f.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'recorder', ReservedConcurrentExecutions: 0 }));
    await writeKeys(['a', 'b']);
    await createMapping(f, 'recorder', { BatchSize: 5, MaximumRetryAttempts: 0 });
    await until(f, () => f.eddy.mappings.metrics()[0]!.throttles >= 2);
    expect(await f.eddy.mappings.drain(50)).toBe(false);
    const throttled = f.eddy.mappings.metrics()[0]!;
    expect(throttled.throttles).toBeGreaterThan(0);
    expect(throttled.invocations).toBe(0);
    expect(f.invocations()).toEqual([]);
    await f.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'recorder' }));
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    expect(f.batches()).toEqual([['a', 'b']]);
    expect(f.eddy.mappings.metrics()[0]).toMatchObject({ recordsDelivered: 2, recordsFailed: 0, errors: 0 });
  });

  it('records older than MaximumRecordAgeInSeconds are not invoked', async () => {
    await f.recordingFunction('recorder');
    await writeKeys(['old1', 'old2']);
    f.eddy.clock.advance(61_000);
    await writeKeys(['new']);
    await createMapping(f, 'recorder', { BatchSize: 5, MaximumRecordAgeInSeconds: 60 });
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    expect(f.batches()).toEqual([['new']]);
    expect(f.eddy.mappings.metrics()[0]).toMatchObject({ recordsFailed: 2, recordsDelivered: 1 });
  });

  it('a failing batch blocks its shard until it succeeds (MaximumRetryAttempts -1), then the shard goes on in order', async () => {
    await f.recordingFunction('recorder', `${prelude} if (globalThis.calls <= 3) throw new Error('not yet');`);
    await writeKeys(['a', 'b']);
    await createMapping(f, 'recorder', { BatchSize: 1 });
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    expect(f.batches()).toEqual([['a'], ['a'], ['a'], ['a'], ['b']]);
    expect(f.eddy.mappings.metrics()[0]).toMatchObject({ errors: 3, lastProcessingResult: 'OK' });
  });
});
