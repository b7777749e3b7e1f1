import { CreateTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateEventSourceMappingCommand, GetEventSourceMappingCommand, UpdateEventSourceMappingCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeLabel } from '../../src/lambda/esm/metrics.js';
import { startEddy, type TestEddy } from '../helpers/eddy.js';
import { createFunction, lambdaClient } from './helpers.js';

let t: TestEddy;
let lambda: LambdaClient;
let streamArn: string;
let uuid: string;

const drain = (body: unknown = {}) =>
  fetch(`${t.endpoint}/_eddy/drain`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) }).then(async (r) => ({ status: r.status, json: await r.json() }));
const put = (pk: string, status: string) => t.ddb.send(new PutItemCommand({ TableName: 'Orders', Item: { pk: { S: pk }, status: { S: status } } }));

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
  // Fails every batch holding a FAIL record (the mapping gives up on it after one retry); takes a second over a SLOW one.
  await createFunction(lambda, 'orders-stream-processor', {
    'index.js': `exports.handler = async (event) => {
  if (event.Records.some((r) => r.dynamodb.NewImage.status.S === 'SLOW')) await new Promise((resolve) => setTimeout(resolve, 1000));
  if (event.Records.some((r) => r.dynamodb.NewImage.status.S === 'FAIL')) throw new Error('poison');
};`,
  });
  const created = await lambda.send(
    new CreateEventSourceMappingCommand({
      FunctionName: 'orders-stream-processor',
      EventSourceArn: streamArn,
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 10,
      MaximumRetryAttempts: 1,
      FilterCriteria: { Filters: [{ Pattern: '{"dynamodb":{"NewImage":{"status":{"S":[{"anything-but":["SKIP"]}]}}}}' }] },
    }),
  );
  uuid = created.UUID!;
});
afterAll(async () => {
  lambda.destroy();
  await t.close();
});

describe('POST /_eddy/drain', () => {
  it('answers 200 {"drained": true} once every committed record is processed, filtered or given up on', async () => {
    await put('o-1', 'NEW');
    await put('o-2', 'SKIP');
    expect(await drain({ timeoutSeconds: 30 })).toEqual({ status: 200, json: { drained: true } });
    const got = await lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }));
    expect(got.LastProcessingResult).toBe('OK');
    // With nothing pending it answers at once, with the default timeout too.
    expect(await drain()).toEqual({ status: 200, json: { drained: true } });
  });

  it('refuses a body that is not JSON or a timeout that is not a number >= 0', async () => {
    expect(await drain('{')).toEqual({ status: 400, json: { error: 'The body must be JSON, e.g. {"timeoutSeconds": 30}.' } });
    expect(await drain({ timeoutSeconds: -1 })).toEqual({ status: 400, json: { error: 'timeoutSeconds must be a number >= 0.' } });
    expect(await drain({ timeoutSeconds: '5' })).toEqual({ status: 400, json: { error: 'timeoutSeconds must be a number >= 0.' } });
  });

  it('answers 504 {"drained": false} when records are still pending at the timeout', async () => {
    await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: false }));
    // A disabled mapping is not waited for.
    await put('o-3', 'SLOW');
    expect(await drain({ timeoutSeconds: 0 })).toEqual({ status: 200, json: { drained: true } });
    await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: true }));
    expect(await drain({ timeoutSeconds: 0.1 })).toEqual({ status: 504, json: { drained: false } });
    expect(await drain({ timeoutSeconds: 30 })).toEqual({ status: 200, json: { drained: true } });
  });
});

describe('GET /_eddy/metrics', () => {
  it('serves the counters in the Prometheus text format', async () => {
    await put('o-4', 'FAIL');
    expect((await drain({ timeoutSeconds: 30 })).json).toEqual({ drained: true });
    const response = await fetch(`${t.endpoint}/_eddy/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await response.text();
    const labels = `{uuid="${uuid}",function="orders-stream-processor",event_source_arn="${streamArn}"}`;
    const got = await lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }));
    expect(text).toContain('# TYPE eddy_esm_invocations_total counter\n');
    expect(text).toContain(
      `eddy_esm_info{uuid="${uuid}",function="orders-stream-processor",event_source_arn="${streamArn}",state="Enabled",last_processing_result="${escapeLabel(got.LastProcessingResult!)}"} 1\n`,
    );
    // o-1 and o-3 delivered in two invocations, o-2 filtered, o-4 failed twice (first try and one retry), then given up on.
    expect(text).toContain(`eddy_esm_invocations_total${labels} 4\n`);
    expect(text).toContain(`eddy_esm_errors_total${labels} 2\n`);
    expect(text).toContain(`eddy_esm_throttles_total${labels} 0\n`);
    expect(text).toContain(`eddy_esm_records_delivered_total${labels} 2\n`);
    expect(text).toContain(`eddy_esm_records_filtered_total${labels} 1\n`);
    expect(text).toContain(`eddy_esm_records_failed_total${labels} 1\n`);
    expect(text).toContain(`eddy_esm_on_failure_sends_total${labels} 0\n`);
    expect(text).toMatch(new RegExp(`eddy_esm_iterator_age_milliseconds${labels.replace(/[{}.*+?^$()|[\]\\]/g, '\\$&')} \\d+\\n`));
    expect(text).toMatch(new RegExp(`eddy_esm_shard_lag_records\\{uuid="${uuid}",function="orders-stream-processor",shard="shardId-[^"]+"\\} 0\\n`));
    expect(text).toMatch(/# TYPE eddy_esm_shard_iterator_age_milliseconds gauge\neddy_esm_shard_iterator_age_milliseconds\{/);
    // Every sample line is `name{labels} number`.
    for (const line of text.trimEnd().split('\n')) expect(line).toMatch(/^(# (HELP|TYPE) .+|[a-z_]+\{.*\} -?\d+(\.\d+)?)$/);
  });

  it('serves the same figures as JSON with ?format=json', async () => {
    const response = await fetch(`${t.endpoint}/_eddy/metrics?format=json`);
    expect(response.status).toBe(200);
    const { mappings } = (await response.json()) as { mappings: any[] };
    expect(mappings).toEqual([
      {
        uuid,
        functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:orders-stream-processor',
        functionName: 'orders-stream-processor',
        eventSourceArn: streamArn,
        state: 'Enabled',
        batchSize: 10,
        lastProcessingResult: expect.any(String),
        iteratorAgeMs: expect.any(Number),
        invocations: 4,
        errors: 2,
        throttles: 0,
        recordsDelivered: 2,
        recordsFiltered: 1,
        recordsFailed: 1,
        onFailureSends: 0,
        shards: [expect.objectContaining({ shardId: expect.stringMatching(/^shardId-/), lagRecords: 0, iteratorAgeMs: expect.any(Number) })],
      },
    ]);
  });

  it('escapes label values as the exposition format requires', () => {
    expect(escapeLabel('PROBLEM: "x"\\y\nz')).toBe('PROBLEM: \\"x\\"\\\\y\\nz');
  });
});
