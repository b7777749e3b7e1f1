import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CreateTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateEventSourceMappingCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatStatus, sourceName } from '../../src/cli/status.js';
import type { MappingStatus } from '../../src/lambda/esm/metrics.js';
import { startEddy, type TestEddy } from '../helpers/eddy.js';
import { createFunction, lambdaClient } from '../lambda/helpers.js';

// Runs the compiled CLI (`npm test` builds first), as a user would.
const cli = fileURLToPath(new URL('../../bin/eddy.js', import.meta.url));
const run = promisify(execFile);
let t: TestEddy;
let lambda: LambdaClient;
let streamArn: string;
let uuid: string;

beforeAll(async () => {
  t = await startEddy();
  lambda = lambdaClient(t.endpoint);
  streamArn = (
    await t.ddb.send(
      new CreateTableCommand({
        TableName: 'Orders',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    )
  ).TableDescription!.LatestStreamArn!;
  await createFunction(lambda, 'orders-stream-processor', { 'index.js': 'exports.handler = async () => {};' });
  uuid = (await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'orders-stream-processor', EventSourceArn: streamArn, StartingPosition: 'TRIM_HORIZON' }))).UUID!;
  for (const pk of ['o-1', 'o-2', 'o-3']) await t.ddb.send(new PutItemCommand({ TableName: 'Orders', Item: { pk: { S: pk } } }));
  const drained = await fetch(`${t.endpoint}/_eddy/drain`, { method: 'POST', body: '{"timeoutSeconds": 30}' });
  expect(await drained.json()).toEqual({ drained: true });
});
afterAll(async () => {
  lambda.destroy();
  await t.close();
});

const status = (...args: string[]) => run(process.execPath, [cli, 'status', '--endpoint', t.endpoint, ...args], { timeout: 30_000 });

describe('eddy status', () => {
  it('prints one row per mapping with its counters, then its shards with their lag', async () => {
    const { stdout, stderr } = await status();
    expect(stderr).toBe('');
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]!.split(/ {2,}/)).toEqual(['FUNCTION', 'SOURCE', 'STATE', 'LAST RESULT', 'ITERATOR AGE', 'INVOCATIONS', 'ERRORS', 'THROTTLES', 'DELIVERED', 'FILTERED', 'FAILED', 'ON-FAILURE']);
    const row = lines[1]!.split(/ {2,}/);
    expect(row).toEqual(['orders-stream-processor', 'dynamodb Orders', 'Enabled', 'OK', expect.stringMatching(/^\d+ ms$/), expect.stringMatching(/^[1-3]$/), '0', '0', '3', '0', '0', '0']);
    expect(lines[2]).toMatch(/^ {2}shardId-\S+ {2}lag 0 records {2}iterator age \d+ ms$/);
  });

  it('prints the figures as JSON with --json', async () => {
    const { stdout } = await status('--json');
    const parsed = JSON.parse(stdout) as MappingStatus[];
    expect(parsed).toHaveLength(1);
    expect(parsed[0]).toMatchObject({ uuid, functionName: 'orders-stream-processor', eventSourceArn: streamArn, state: 'Enabled', recordsDelivered: 3, errors: 0 });
  });

  it('says when Eddy cannot be reached, with exit code 1', async () => {
    const failed = await run(process.execPath, [cli, 'status', '--endpoint', 'http://127.0.0.1:1'], { timeout: 30_000 }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toMatch(/^eddy: cannot reach Eddy at http:\/\/127\.0\.0\.1:1: /);
  });
});

describe('formatStatus', () => {
  it('says so when there are no mappings', () => {
    expect(formatStatus([])).toBe('No event source mappings.\n');
  });

  it('names sources by table or queue', () => {
    expect(sourceName('arn:aws:dynamodb:us-east-1:000000000000:table/Orders/stream/2026-01-01T00:00:00.000')).toBe('dynamodb Orders');
    expect(sourceName('arn:aws:sqs:us-east-1:000000000000:jobs')).toBe('sqs jobs');
  });
});
