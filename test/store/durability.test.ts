import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { startEddy, testCredentials } from '../helpers/eddy.js';
import { exited, spawnEddy } from '../helpers/eddy-process.js';

const cli = fileURLToPath(new URL('../../bin/eddy.js', import.meta.url));
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-durability-'));
  dirs.push(dir);
  return dir;
}

/** Starts the compiled CLI and resolves with its endpoint once it prints the ready line. */
const startCli = (dataDir: string) => spawnEddy([cli, 'start', '--port', '0', '--data', dataDir]);

describe('durability', () => {
  it('keeps every acknowledged write across kill -9', async () => {
    const dataDir = tempDir();
    const first = await startCli(dataDir);
    const client = new DynamoDBClient({ endpoint: first.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
    await client.send(
      new CreateTableCommand({
        TableName: 'Durable',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    for (let i = 0; i < 50; i++) await client.send(new PutItemCommand({ TableName: 'Durable', Item: { pk: { S: `k${i}` }, i: { N: String(i) } } }));
    client.destroy();
    first.child.kill('SIGKILL');
    await exited(first.child);

    const second = await startCli(dataDir);
    const again = new DynamoDBClient({ endpoint: second.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
    try {
      for (const i of [0, 25, 49]) {
        const { Item } = await again.send(new GetItemCommand({ TableName: 'Durable', Key: { pk: { S: `k${i}` } } }));
        expect(Item).toEqual({ pk: { S: `k${i}` }, i: { N: String(i) } });
      }
    } finally {
      again.destroy();
      second.child.kill('SIGTERM');
      await exited(second.child);
    }
  }, 30_000);

  it('keeps tables and items across a clean restart of the same data directory', async () => {
    const dataDir = tempDir();
    const first = await startEddy({ inMemory: false, dataDir });
    await first.ddb.send(
      new CreateTableCommand({
        TableName: 'Kept',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'B' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await first.ddb.send(new PutItemCommand({ TableName: 'Kept', Item: { pk: { B: new Uint8Array([1, 2]) }, v: { S: 'x' } } }));
    await first.close();
    const second = await startEddy({ inMemory: false, dataDir });
    try {
      const { Item } = await second.ddb.send(new GetItemCommand({ TableName: 'Kept', Key: { pk: { B: new Uint8Array([1, 2]) } } }));
      expect(Item?.v).toEqual({ S: 'x' });
    } finally {
      await second.close();
    }
  });
});

describe('concurrency', () => {
  it('applies 200 concurrent increments exactly once each', async () => {
    const t = await startEddy();
    try {
      await t.ddb.send(
        new CreateTableCommand({
          TableName: 'Counter',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      await Promise.all(
        Array.from({ length: 200 }, () =>
          t.ddb.send(new UpdateItemCommand({ TableName: 'Counter', Key: { pk: { S: 'c' } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } })),
        ),
      );
      const { Item } = await t.ddb.send(new GetItemCommand({ TableName: 'Counter', Key: { pk: { S: 'c' } } }));
      expect(Item?.n).toEqual({ N: '200' });
    } finally {
      await t.close();
    }
  });
});
