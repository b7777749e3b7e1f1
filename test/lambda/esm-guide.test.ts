import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CreateTableCommand, DeleteItemCommand, DynamoDBClient, ListTablesCommand, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateEventSourceMappingCommand, CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyLane } from '../../src/lambda/esm/stream-event.js';
import { testCredentials } from '../helpers/eddy.js';
import { esmFixture, type EsmFixture } from './esm-support.js';
import { ROLE } from './helpers.js';

const run = promisify(execFile);
const handlerDir = fileURLToPath(new URL('./esm-handlers/guide-python/', import.meta.url));
const replicationDir = fileURLToPath(new URL('./esm-handlers/guide-replication/', import.meta.url));

let f: EsmFixture;
let sqs: SQSClient;
beforeEach(async () => {
  f = await esmFixture();
  sqs = new SQSClient({ endpoint: f.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
});
afterEach(async () => {
  sqs.destroy();
  await f.close();
});

async function aws(...args: string[]): Promise<any> {
  const { stdout } = await run('aws', ['--endpoint-url', f.endpoint, '--region', 'us-east-1', '--output', 'json', ...args], {
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDEDDY', AWS_SECRET_ACCESS_KEY: 'secret', AWS_PAGER: '' },
    timeout: 60_000,
  });
  return JSON.parse(stdout);
}

describe("the guide's event source mapping", () => {
  it('created with the guide command: a poison record is isolated by bisect and dead-lettered with the documented payload; every other record is processed', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'orders-stream-dlq' }));
    const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    const processed = join(f.logDir, 'processed.txt');
    await f.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'orders-stream-processor',
        Runtime: 'python3.12',
        Role: ROLE,
        Handler: 'handler.lambda_handler',
        Code: { S3Bucket: 'eddy-local', S3Key: handlerDir },
        Environment: { Variables: { LOG_FILE: join(f.logDir, 'orders-stream-processor.jsonl'), PROCESSED: processed } },
      }),
    );
    const orders = Array.from({ length: 30 }, (_, i) => `order-${String(i).padStart(2, '0')}`);
    const poison = orders.filter((pk) => keyLane({ pk: { S: pk } }, 2) === 0)[3]!;
    for (const pk of orders) await f.put(pk, { total: { N: String(orders.indexOf(pk) * 10) }, ...(pk === poison ? { poison: { BOOL: true } } : {}) });
    await f.ddb.send(new UpdateItemCommand({ TableName: f.table, Key: { pk: { S: 'order-01' } }, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'SHIPPED' } } }));

    const mapping = await aws(
      'lambda', 'create-event-source-mapping',
      '--function-name', 'orders-stream-processor',
      '--event-source-arn', f.streamArn,
      '--batch-size', '100',
      '--maximum-batching-window-in-seconds', '5',
      '--starting-position', 'TRIM_HORIZON',
      '--parallelization-factor', '2',
      '--bisect-batch-on-function-error',
      '--maximum-retry-attempts', '3',
      '--maximum-record-age-in-seconds', '3600',
      '--function-response-types', 'ReportBatchItemFailures',
      '--destination-config', JSON.stringify({ OnFailure: { Destination: queueArn } }),
    );
    expect(mapping).toMatchObject({ BatchSize: 100, MaximumBatchingWindowInSeconds: 5, ParallelizationFactor: 2, BisectBatchOnFunctionError: true, MaximumRetryAttempts: 3, MaximumRecordAgeInSeconds: 3600, FunctionResponseTypes: ['ReportBatchItemFailures'] });

    // Nothing goes out before the 5-second batching window ends (Eddy's clock).
    expect(await f.eddy.mappings.drain(300)).toBe(false);
    expect(f.invocations('orders-stream-processor')).toEqual([]);
    f.eddy.clock.advance(5000);
    expect(await f.eddy.mappings.drain(60_000)).toBe(true);

    const events = f.invocations('orders-stream-processor').map((event) => event.Records.map((r) => `${r.eventName} ${r.dynamodb.Keys.pk!.S}`));
    const laneOf = (entry: string): number => keyLane({ pk: { S: entry.split(' ')[1] } }, 2);
    const lanes = [0, 1].map((lane) => [...orders.map((pk) => `INSERT ${pk}`), 'MODIFY order-01'].filter((entry) => laneOf(entry) === lane));
    // Every batch holds one key lane's records; each lane's first batch is all of its records, in order.
    for (const batch of events) expect(new Set(batch.map(laneOf)).size).toBe(1);
    expect(events.find((batch) => laneOf(batch[0]!) === 1)).toEqual(lanes[1]);
    expect(events.find((batch) => laneOf(batch[0]!) === 0)).toEqual(lanes[0]);
    // The poison record ends up alone: invoked by itself 4 times (1 + 3 retries), never processed.
    const alone = events.filter((batch) => batch.length === 1 && batch[0] === `INSERT ${poison}`);
    expect(alone).toHaveLength(4);
    const lines = readFileSync(processed, 'utf8').trim().split('\n');
    expect(new Set(lines)).toEqual(new Set([...orders.filter((pk) => pk !== poison).map((pk) => `INSERT ${pk}`), 'MODIFY order-01']));

    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    expect(Messages).toHaveLength(1);
    const failure = JSON.parse(Messages![0]!.Body!);
    const poisonRecord = f.invocations('orders-stream-processor').flatMap((event) => event.Records).find((r) => r.dynamodb.Keys.pk!.S === poison)!;
    expect(failure).toEqual({
      requestContext: { requestId: expect.any(String), functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:orders-stream-processor', condition: 'RetryAttemptsExhausted', approximateInvokeCount: 4 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: null },
      version: '1.0',
      timestamp: expect.any(String),
      DDBStreamBatchInfo: {
        shardId: expect.stringMatching(/^shardId-/),
        startSequenceNumber: poisonRecord.dynamodb.SequenceNumber,
        endSequenceNumber: poisonRecord.dynamodb.SequenceNumber,
        approximateArrivalOfFirstRecord: new Date(poisonRecord.dynamodb.ApproximateCreationDateTime * 1000).toISOString().replace('.000Z', 'Z'),
        approximateArrivalOfLastRecord: new Date(poisonRecord.dynamodb.ApproximateCreationDateTime * 1000).toISOString().replace('.000Z', 'Z'),
        batchSize: 1,
        streamArn: f.streamArn,
      },
    });
    const metrics = f.eddy.mappings.metrics()[0]!;
    expect(metrics).toMatchObject({ recordsFailed: 1, recordsDelivered: 30, onFailureSends: 1, lastProcessingResult: 'OK' });
  }, 60_000);
});

describe("the guide's real-world patterns", () => {
  it('Pattern 2, cross-region replication: the Python handler replicates the orders marked for DEST_REGION into a table of that region, and their removals', async () => {
    const west = new DynamoDBClient({ endpoint: f.endpoint, region: 'eu-west-1', credentials: testCredentials, maxAttempts: 1 });
    try {
      await west.send(
        new CreateTableCommand({
          TableName: 'OrdersReplica',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      await f.lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'orders-replicator',
          Runtime: 'python3.12',
          Role: ROLE,
          Handler: 'handler.lambda_handler',
          Code: { S3Bucket: 'eddy-local', S3Key: replicationDir },
          Environment: { Variables: { DEST_REGION: 'eu-west-1', DEST_TABLE: 'OrdersReplica' } },
        }),
      );
      await f.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'orders-replicator', EventSourceArn: f.streamArn, StartingPosition: 'TRIM_HORIZON', FunctionResponseTypes: ['ReportBatchItemFailures'] }));

      await f.put('order-1', { replicateToRegion: { S: 'eu-west-1' }, total: { N: '12.50' }, lines: { L: [{ M: { sku: { S: 'A-1' }, qty: { N: '2' } } }] } });
      await f.put('order-2', { replicateToRegion: { S: 'us-west-2' }, total: { N: '3' } });
      await f.put('order-3', { replicateToRegion: { S: 'eu-west-1' }, total: { N: '7' } });
      await f.ddb.send(new UpdateItemCommand({ TableName: f.table, Key: { pk: { S: 'order-1' } }, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'SHIPPED' } } }));
      await f.ddb.send(new DeleteItemCommand({ TableName: f.table, Key: { pk: { S: 'order-3' } } }));
      expect(await f.eddy.mappings.drain(60_000)).toBe(true);

      const replica = await west.send(new ScanCommand({ TableName: 'OrdersReplica' }));
      expect(replica.Items).toEqual([
        { pk: { S: 'order-1' }, replicateToRegion: { S: 'eu-west-1' }, total: { N: '12.5' }, lines: { L: [{ M: { sku: { S: 'A-1' }, qty: { N: '2' } } }] }, status: { S: 'SHIPPED' } },
      ]);
      // The replica is eu-west-1's alone: us-east-1 has only the source table.
      expect((await f.ddb.send(new ListTablesCommand({}))).TableNames).toEqual([f.table]);
      expect(f.eddy.mappings.metrics()[0]).toMatchObject({ recordsDelivered: 5, recordsFailed: 0, lastProcessingResult: 'OK' });
    } finally {
      west.destroy();
    }
  }, 60_000);
});
