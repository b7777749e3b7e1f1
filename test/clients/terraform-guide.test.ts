import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DescribeTableCommand, ListTablesCommand, ListTagsOfResourceCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { ListEventSourceMappingsCommand, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { ListTopicsCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueUrlCommand, ListQueuesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEddy, testCredentials, type TestEddy } from '../helpers/eddy.js';
import { lambdaClient } from '../lambda/helpers.js';
import { terraform, terraformMissing } from '../helpers/terraform.js';

// The guide's Terraform, applied by the real terraform CLI and AWS provider
// (test/helpers/terraform.ts), then planned again (no drift) and destroyed.

const config = fileURLToPath(new URL('./terraform-guide/main.tf', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'eddy-terraform-'));

let t: TestEddy;
beforeAll(async () => {
  t = await startEddy();
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (...args: string[]) => terraform(dir, args);

const vars = (): string[] => ['-var', `endpoint=${t.endpoint}`, '-var', `lambda_zip=${join(dir, 'lambda_stream.zip')}`];

describe("the guide's Terraform", () => {
  it('applies, runs (stream -> function, SNS fan-out with its filter), plans no change, and destroys', async () => {
    expect(terraformMissing()).toBeUndefined();
    copyFileSync(config, join(dir, 'main.tf'));
    writeFileSync(join(dir, 'lambda_stream.zip'), zipSync({ 'handler.py': strToU8('def lambda_handler(event, context):\n    return {"batchItemFailures": []}\n') }));

    const init = await run('init', '-input=false');
    expect(init.code, init.output).toBe(0);
    const apply = await run('apply', '-auto-approve', '-input=false', ...vars());
    expect(apply.code, apply.output).toBe(0);
    expect(apply.output).toContain('Apply complete! Resources: 12 added, 0 changed, 0 destroyed.');

    const lambda = lambdaClient(t.endpoint);
    const sqs = new SQSClient({ endpoint: t.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
    const sns = new SNSClient({ endpoint: t.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
    const iam = new IAMClient({ endpoint: t.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
    try {
      // What Terraform made, read back through the APIs.
      const { Table } = await t.ddb.send(new DescribeTableCommand({ TableName: 'Orders' }));
      expect(Table!.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
      expect((await t.ddb.send(new ListTagsOfResourceCommand({ ResourceArn: Table!.TableArn }))).Tags).toEqual(
        expect.arrayContaining([{ Key: 'Environment', Value: 'production' }, { Key: 'Team', Value: 'platform' }]),
      );
      expect((await iam.send(new GetRoleCommand({ RoleName: 'dynamodb-stream-processor' }))).Role!.Arn).toBe('arn:aws:iam::000000000000:role/dynamodb-stream-processor');
      const dlqUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'orders-stream-dlq' }))).QueueUrl!;
      const [mapping, ...others] = (await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'orders-stream-processor' }))).EventSourceMappings!;
      expect(others).toEqual([]);
      expect(mapping).toMatchObject({
        EventSourceArn: Table!.LatestStreamArn,
        State: 'Enabled',
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 100,
        MaximumBatchingWindowInSeconds: 5,
        ParallelizationFactor: 2,
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 3,
        MaximumRecordAgeInSeconds: 3600,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:000000000000:orders-stream-dlq' } },
      });

      // It runs: a write reaches the function once the 5-second batching window has passed on Eddy's clock.
      await t.ddb.send(new PutItemCommand({ TableName: 'Orders', Item: { customerId: { S: 'c-1' }, orderId: { S: 'o-1' }, status: { S: 'NEW' } } }));
      t.eddy.clock.advance(5000);
      expect(await t.eddy.mappings.drain(30_000)).toBe(true);
      expect(t.eddy.mappings.metrics().find((m) => m.uuid === mapping!.UUID)).toMatchObject({ recordsDelivered: 1, recordsFailed: 0, lastProcessingResult: 'OK' });
      expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl }))).Messages).toBeUndefined();

      // The fan-out: every event reaches the OpenSearch queue, only INSERT and MODIFY the cache queue.
      const topicArn = (await sns.send(new ListTopicsCommand({}))).Topics!.map((topic) => topic.TopicArn!).find((arn) => arn.endsWith(':order-change-events'))!;
      for (const eventName of ['INSERT', 'REMOVE']) {
        await sns.send(new PublishCommand({ TopicArn: topicArn, Message: JSON.stringify({ eventName }), MessageAttributes: { eventName: { DataType: 'String', StringValue: eventName } } }));
      }
      const received = async (name: string): Promise<string[]> => {
        const url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
        const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
        return (Messages ?? []).map((message) => JSON.parse(JSON.parse(message.Body!).Message).eventName).sort();
      };
      expect(await received('order-opensearch-sync')).toEqual(['INSERT', 'REMOVE']);
      expect(await received('order-cache-invalidation')).toEqual(['INSERT']);

      // Read back, the configuration matches what Terraform holds: no drift.
      const plan = await run('plan', '-input=false', '-detailed-exitcode', ...vars());
      expect(plan.code, plan.output).toBe(0);
      expect(plan.output).toContain('No changes.');

      const destroy = await run('destroy', '-auto-approve', '-input=false', ...vars());
      expect(destroy.code, destroy.output).toBe(0);
      expect(destroy.output).toContain('Destroy complete! Resources: 12 destroyed.');
      expect((await t.ddb.send(new ListTablesCommand({}))).TableNames).toEqual([]);
      expect((await lambda.send(new ListFunctionsCommand({}))).Functions).toEqual([]);
      expect((await lambda.send(new ListEventSourceMappingsCommand({}))).EventSourceMappings).toEqual([]);
      expect((await sqs.send(new ListQueuesCommand({}))).QueueUrls).toBeUndefined();
      expect((await sns.send(new ListTopicsCommand({}))).Topics).toEqual([]);
      const gone = await iam.send(new GetRoleCommand({ RoleName: 'dynamodb-stream-processor' })).catch((error: Error) => error);
      expect((gone as Error).name).toBe('NoSuchEntityException');
    } finally {
      lambda.destroy();
      sqs.destroy();
      sns.destroy();
      iam.destroy();
    }
  }, 300_000);
});
