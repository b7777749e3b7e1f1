import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { testCredentials } from '../helpers/eddy.js';
import { createFunction, lambdaClient } from './helpers.js';
import { exited, spawnEddy } from '../helpers/eddy-process.js';

const server = fileURLToPath(new URL('./esm-crash-eddy.ts', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'eddy-esm-crash-'));
const log = join(dataDir, 'deliveries.jsonl');
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const startEddy = () => spawnEddy(['--import', 'tsx', server, join(dataDir, 'eddy')], 'inherit');

// Whole lines only: a handler in another process may be appending the last one while it is read.
const lines = (): string[] => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(0, -1) : []);

/** Resolves once the delivery log has at least `count` lines (woken by file changes, no polling). */
function logReaches(count: number): Promise<void> {
  return new Promise((resolve) => {
    const watcher = watch(dataDir, () => {
      if (lines().length >= count) {
        watcher.close();
        resolve();
      }
    });
    if (lines().length >= count) {
      watcher.close();
      resolve();
    }
  });
}

describe('checkpoints survive a crash', () => {
  it('after SIGKILL mid-stream, a restart resumes after the last checkpoint: nothing skipped, duplicates only within the batch in flight', async () => {
    const first = await startEddy();
    const ddb = new DynamoDBClient({ endpoint: first.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
    const lambda = lambdaClient(first.endpoint);
    const created = await ddb.send(
      new CreateTableCommand({
        TableName: 'Crash',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    );
    for (let i = 0; i < 400; i++) await ddb.send(new PutItemCommand({ TableName: 'Crash', Item: { pk: { S: `K${String(i).padStart(3, '0')}` } } }));
    // Each batch is logged as it starts, then takes a while: the kill lands inside one.
    await createFunction(lambda, 'slow', {
      'index.js': `const fs = require('node:fs');
exports.handler = async (event) => {
  fs.appendFileSync(process.env.LOG, JSON.stringify(event.Records.map((r) => r.dynamodb.Keys.pk.S)) + '\\n');
  const until = Date.now() + 30; while (Date.now() < until) {}
};`,
    }, { Environment: { Variables: { LOG: log } } });
    await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'slow', EventSourceArn: created.TableDescription!.LatestStreamArn!, StartingPosition: 'TRIM_HORIZON', BatchSize: 10 }));
    await logReaches(6);
    first.child.kill('SIGKILL');
    await exited(first.child);
    ddb.destroy();
    lambda.destroy();
    const before = lines().map((line) => JSON.parse(line) as string[]);
    appendFileSync(log, 'RESTART\n');

    const second = await startEddy();
    try {
      const drained = await fetch(`${second.endpoint}/_eddy/drain`, { method: 'POST', body: JSON.stringify({ timeoutSeconds: 60 }) });
      expect(await drained.json()).toEqual({ drained: true });
    } finally {
      second.child.kill('SIGKILL');
      await exited(second.child);
    }
    const all = lines();
    const after = all.slice(all.indexOf('RESTART') + 1).map((line) => JSON.parse(line) as string[]);
    const expected = Array.from({ length: 400 }, (_, i) => `K${String(i).padStart(3, '0')}`);
    // Together, in order, every record: the second run starts at or after the first run's last batch.
    const firstDelivered = before.flat();
    const resumed = after.flat();
    expect(resumed.at(-1)).toBe('K399');
    const overlap = firstDelivered.length - expected.indexOf(resumed[0]!);
    expect([...firstDelivered.slice(0, firstDelivered.length - overlap), ...resumed]).toEqual(expected);
    // Duplicates only within the last batch the first run started (unfinished or not yet checkpointed).
    expect(overlap).toBeGreaterThanOrEqual(0);
    expect(overlap).toBeLessThanOrEqual(before.at(-1)!.length);
    if (overlap > 0) expect(resumed.slice(0, overlap)).toEqual(before.at(-1));
    expect(before.length).toBeGreaterThanOrEqual(6);
    // The kill came mid-stream: the first run had not reached the end.
    expect(before.length).toBeLessThan(40);
  }, 60_000);
});
