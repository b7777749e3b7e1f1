import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { CreateEventSourceMappingCommand, GetEventSourceMappingCommand, ListEventSourceMappingsCommand, UpdateEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEddy, type TestEddy } from '../helpers/eddy.js';
import { createFunction, lambdaClient } from './helpers.js';

const run = promisify(execFile);
let t: TestEddy;
let streamArn: string;

async function aws(...args: string[]): Promise<{ code: number; out: any; err: string }> {
  try {
    const { stdout } = await run('aws', ['--endpoint-url', t.endpoint, '--region', 'us-east-1', '--output', 'json', 'lambda', ...args], {
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDEDDY', AWS_SECRET_ACCESS_KEY: 'secret', AWS_PAGER: '' },
      timeout: 60_000,
    });
    return { code: 0, out: stdout.trim() ? JSON.parse(stdout) : undefined, err: '' };
  } catch (error: any) {
    return { code: error.code as number, out: undefined, err: String(error.stderr) };
  }
}

beforeAll(async () => {
  t = await startEddy();
  const lambda = lambdaClient(t.endpoint);
  await createFunction(lambda, 'orders-stream-processor', { 'index.js': 'exports.handler = async () => {};' });
  lambda.destroy();
  streamArn = (
    await t.ddb.send(
      new CreateTableCommand({
        TableName: 'orders',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    )
  ).TableDescription!.LatestStreamArn!;
});
afterAll(async () => t.close());

it("runs the guide's create-event-source-mapping and update-event-source-mapping commands", async () => {
  const created = await aws(
    'create-event-source-mapping',
    '--function-name', 'orders-stream-processor',
    '--event-source-arn', streamArn,
    '--batch-size', '100',
    '--maximum-batching-window-in-seconds', '5',
    '--starting-position', 'TRIM_HORIZON',
    '--parallelization-factor', '2',
    '--bisect-batch-on-function-error',
    '--maximum-retry-attempts', '3',
    '--maximum-record-age-in-seconds', '3600',
    '--function-response-types', 'ReportBatchItemFailures',
    '--destination-config', '{"OnFailure":{"Destination":"arn:aws:sqs:us-east-1:000000000000:orders-stream-dlq"}}',
  );
  expect(created.err).toBe('');
  expect(created.out).toEqual({
    UUID: expect.any(String),
    EventSourceMappingArn: `arn:aws:lambda:us-east-1:000000000000:event-source-mapping:${created.out.UUID}`,
    StartingPosition: 'TRIM_HORIZON',
    BatchSize: 100,
    MaximumBatchingWindowInSeconds: 5,
    ParallelizationFactor: 2,
    EventSourceArn: streamArn,
    FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:orders-stream-processor',
    // aws CLI v1 prints the timestamp as it arrives: epoch seconds.
    LastModified: expect.any(Number),
    LastProcessingResult: 'No records processed',
    State: 'Creating',
    StateTransitionReason: 'User action',
    DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:000000000000:orders-stream-dlq' } },
    MaximumRecordAgeInSeconds: 3600,
    BisectBatchOnFunctionError: true,
    MaximumRetryAttempts: 3,
    TumblingWindowInSeconds: 0,
    FunctionResponseTypes: ['ReportBatchItemFailures'],
  });

  const updated = await aws('update-event-source-mapping', '--uuid', created.out.UUID, '--parallelization-factor', '4', '--batch-size', '200', '--maximum-batching-window-in-seconds', '3');
  expect(updated.err).toBe('');
  expect(updated.out).toEqual({ ...created.out, ParallelizationFactor: 4, BatchSize: 200, MaximumBatchingWindowInSeconds: 3, State: 'Updating', LastModified: expect.any(Number) });

  const listed = await aws('list-event-source-mappings', '--function-name', 'orders-stream-processor');
  expect(listed.out.EventSourceMappings).toEqual([{ ...updated.out, State: 'Enabled' }]);

  const refused = await aws('create-event-source-mapping', '--function-name', 'orders-stream-processor', '--event-source-arn', streamArn, '--starting-position', 'AT_TIMESTAMP', '--starting-position-timestamp', '1700000000');
  expect(refused.code).not.toBe(0);
  expect(refused.err).toContain(`An error occurred (InvalidParameterValueException) when calling the CreateEventSourceMapping operation: Unsupported starting position for arn type: ${streamArn}`);

  const deleted = await aws('delete-event-source-mapping', '--uuid', created.out.UUID);
  expect(deleted.out.State).toBe('Deleting');
  const gone = await aws('get-event-source-mapping', '--uuid', created.out.UUID);
  expect(gone.err).toContain('An error occurred (ResourceNotFoundException) when calling the GetEventSourceMapping operation: The resource you requested does not exist.');
});

it('keeps mappings, their settings and whether they run across a restart', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'eddy-esm-persist-'));
  try {
    const first = await startEddy({ inMemory: false, dataDir });
    let lambda = lambdaClient(first.endpoint);
    await createFunction(lambda, 'kept', { 'index.js': 'exports.handler = async () => {};' });
    const stream = (
      await first.ddb.send(
        new CreateTableCommand({
          TableName: 'Kept',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
        }),
      )
    ).TableDescription!.LatestStreamArn!;
    const running = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'kept', EventSourceArn: stream, StartingPosition: 'LATEST', BatchSize: 7, FilterCriteria: { Filters: [{ Pattern: '{"eventName":["INSERT"]}' }] } }));
    await createFunction(lambda, 'paused', { 'index.js': 'exports.handler = async () => {};' });
    const paused = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'paused', EventSourceArn: stream, StartingPosition: 'TRIM_HORIZON', Enabled: false }));
    const before = (await lambda.send(new ListEventSourceMappingsCommand({}))).EventSourceMappings;
    lambda.destroy();
    await first.close();

    const second = await startEddy({ inMemory: false, dataDir });
    lambda = lambdaClient(second.endpoint);
    try {
      expect((await lambda.send(new ListEventSourceMappingsCommand({}))).EventSourceMappings).toEqual(before);
      expect(before!.map((m) => [m.UUID, m.State, m.BatchSize])).toEqual([
        [running.UUID, 'Enabled', 7],
        [paused.UUID, 'Disabled', 100],
      ]);
      await lambda.send(new UpdateEventSourceMappingCommand({ UUID: paused.UUID, Enabled: true }));
      expect((await lambda.send(new GetEventSourceMappingCommand({ UUID: paused.UUID }))).State).toBe('Enabled');
    } finally {
      lambda.destroy();
      await second.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
