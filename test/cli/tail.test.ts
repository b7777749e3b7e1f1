import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatRecord } from '../../src/cli/tail-format.js';
import { startEddy, type TestEddy } from '../helpers/eddy.js';

const cli = fileURLToPath(new URL('../../bin/eddy.js', import.meta.url));
let t: TestEddy;

beforeAll(async () => {
  t = await startEddy();
  await t.ddb.send(
    new CreateTableCommand({
      TableName: 'Tailed',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  await t.ddb.send(new PutItemCommand({ TableName: 'Tailed', Item: { pk: { S: 'o-1' }, status: { S: 'NEW' }, total: { N: '42' } } }));
  await t.ddb.send(
    new UpdateItemCommand({ TableName: 'Tailed', Key: { pk: { S: 'o-1' } }, UpdateExpression: 'SET #s = :s REMOVE #t', ExpressionAttributeNames: { '#s': 'status', '#t': 'total' }, ExpressionAttributeValues: { ':s': { S: 'SHIPPED' } } }),
  );
});
afterAll(async () => t.close());

/** Runs `eddy tail` until it printed `count` lines, then stops it with SIGINT. */
function tailLines(args: string[], count: number): Promise<{ lines: string[]; code: number | null }> {
  const child = spawn(process.execPath, [cli, 'tail', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.split('\n').filter(Boolean).length >= count) child.kill('SIGINT');
    });
    child.once('exit', (code) => {
      const lines = out.split('\n').filter(Boolean);
      if (lines.length < count) reject(new Error(`eddy tail exited with ${code}: ${err}`));
      else resolve({ lines, code });
    });
  });
}

describe('eddy tail', () => {
  it('prints one readable line per record from the trim horizon', async () => {
    const { lines, code } = await tailLines(['Tailed', '--endpoint', t.endpoint, '--from', 'trim-horizon'], 2);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ INSERT pk="o-1" {2}status="NEW" {2}total=42$/);
    expect(lines[1]).toMatch(/ MODIFY pk="o-1" {2}status: "NEW" -> "SHIPPED" {2}-total$/);
    expect(code).toBe(0);
  });

  it('prints NDJSON with --json', async () => {
    const { lines } = await tailLines(['Tailed', '--endpoint', t.endpoint, '--from', 'trim-horizon', '--json'], 2);
    const records = lines.map((line) => JSON.parse(line));
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY']);
    expect(records[1].dynamodb.NewImage).toEqual({ pk: { S: 'o-1' }, status: { S: 'SHIPPED' } });
  });

  it('follows new records from latest', async () => {
    const child = spawn(process.execPath, [cli, 'tail', 'Tailed', '--endpoint', t.endpoint, '--poll-ms', '20'], { stdio: ['ignore', 'pipe', 'pipe'] });
    // It announces on stderr once it holds its iterators; a write after that must show up.
    await new Promise<void>((resolve) => child.stderr.on('data', (chunk: Buffer) => chunk.toString().includes('following') && resolve()));
    await t.ddb.send(new PutItemCommand({ TableName: 'Tailed', Item: { pk: { S: 'live' } } }));
    const line = await new Promise<string>((resolve) => child.stdout.on('data', (chunk: Buffer) => resolve(chunk.toString().trim())));
    child.kill('SIGINT');
    expect(line).toMatch(/ INSERT pk="live"$/);
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(0);
  });

  it('explains a table without a stream', async () => {
    await t.ddb.send(
      new CreateTableCommand({
        TableName: 'NoStream',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const child = spawn(process.execPath, [cli, 'tail', 'NoStream', '--endpoint', t.endpoint], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(err).toContain('table NoStream has no stream');
  });
});

describe('formatRecord', () => {
  it('shows keys, TTL deletes and keys-only records', () => {
    const line = formatRecord({
      eventName: 'REMOVE',
      dynamodb: { ApproximateCreationDateTime: new Date('2026-01-02T03:04:05Z'), Keys: { pk: { S: 'a' }, sk: { N: '12345678901234567890123456789012345678' } } },
      userIdentity: { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' },
    });
    expect(line).toBe('2026-01-02T03:04:05Z REMOVE pk="a" sk=12345678901234567890123456789012345678 (by dynamodb.amazonaws.com)');
  });
});
