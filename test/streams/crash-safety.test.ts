import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import { afterAll, describe, expect, it } from 'vitest';
import { testCredentials } from '../helpers/eddy.js';
import { exited, spawnEddy } from '../helpers/eddy-process.js';

const cli = fileURLToPath(new URL('../../bin/eddy.js', import.meta.url));
const writerScript = fileURLToPath(new URL('./crash-writer.mjs', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'eddy-crash-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const startCli = () => spawnEddy([cli, 'start', '--port', '0', '--data', dataDir, '--stream-shards', '3']);

describe('crash safety', () => {
  it('after SIGKILL mid-burst, the stream holds exactly one record per acknowledged write, in per-item order', async () => {
    const first = await startCli();
    const ddb = new DynamoDBClient({ endpoint: first.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
    await ddb.send(
      new CreateTableCommand({
        TableName: 'Burst',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    ddb.destroy();

    // Another process writes concurrently; kill Eddy once it has acknowledged 400 writes.
    const writer = spawn(process.execPath, [writerScript, first.endpoint, 'Burst', '8', '5'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const acknowledged: { key: string; n: number }[] = [];
    let buffer = '';
    await new Promise<void>((resolve) => {
      writer.stdout!.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop()!;
        for (const line of lines) acknowledged.push(JSON.parse(line));
        if (acknowledged.length >= 400 && first.child.exitCode === null && first.child.signalCode === null) {
          first.child.kill('SIGKILL');
          resolve();
        }
      });
    });
    await exited(first.child);
    await exited(writer);
    for (const line of buffer.split('\n').filter(Boolean)) acknowledged.push(JSON.parse(line));

    const second = await startCli();
    const ddb2 = new DynamoDBClient({ endpoint: second.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
    const streams = new DynamoDBStreamsClient({ endpoint: second.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
    try {
      const arn = (await ddb2.send(new DescribeTableCommand({ TableName: 'Burst' }))).Table!.LatestStreamArn!;
      const records: _Record[] = [];
      for (const shard of (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!.Shards!) {
        let iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
        for (;;) {
          const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
          records.push(...page.Records!);
          if (page.Records!.length === 0) break;
          iterator = page.NextShardIterator;
        }
      }
      const table = new Map<string, number>();
      for (const item of (await ddb2.send(new ScanCommand({ TableName: 'Burst' }))).Items!) table.set(item.pk!.S!, Number(item.n!.N));

      // Group the records per item, in stream order (one item never spans shards).
      const perKey = new Map<string, number[]>();
      for (const record of records) {
        const key = record.dynamodb!.Keys!.pk!.S!;
        perKey.set(key, [...(perKey.get(key) ?? []), Number(record.dynamodb!.NewImage!.n!.N)]);
      }
      // Every acknowledged write has exactly one record.
      const recorded = new Set(records.map((r) => `${r.dynamodb!.Keys!.pk!.S}#${r.dynamodb!.NewImage!.n!.N}`));
      expect(recorded.size).toBe(records.length);
      for (const { key, n } of acknowledged) expect(recorded.has(`${key}#${n}`), `${key}#${n}`).toBe(true);
      for (const [key, ns] of perKey) {
        // Per-item order, and the table holds exactly the last recorded write: no record
        // exists for a write the table never had, and no committed write lacks a record.
        expect(ns, key).toEqual([...ns].sort((a, b) => a - b));
        expect(table.get(key), key).toBe(ns[ns.length - 1]);
      }
      expect(new Set(perKey.keys())).toEqual(new Set(table.keys()));
      expect(acknowledged.length).toBeGreaterThanOrEqual(400);
    } finally {
      ddb2.destroy();
      streams.destroy();
      second.child.kill('SIGTERM');
      await exited(second.child);
    }
  }, 60_000);
});
