import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DescribeTableCommand, DescribeTimeToLiveCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { GetFunctionConfigurationCommand, GetFunctionConcurrencyCommand, LambdaClient, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetSubscriptionAttributesCommand, ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterEach, describe, expect, it } from 'vitest';
import { applyProject, ProjectApplyError } from '../../src/project/apply-project.js';
import { parseProjectFile, readProjectFile } from '../../src/project/project-file.js';
import { startEddy, testCredentials, type TestEddy } from '../helpers/eddy.js';

const quickstart = fileURLToPath(new URL('../../examples/quickstart/eddy.config.yaml', import.meta.url));

const running: TestEddy[] = [];
const dirs: string[] = [];
afterEach(async () => {
  while (running.length > 0) await running.pop()!.close();
  while (dirs.length > 0) rmSync(dirs.pop()!, { recursive: true, force: true });
});

async function eddyWithClients(): Promise<TestEddy & { lambda: LambdaClient; sqs: SQSClient; sns: SNSClient }> {
  const test = await startEddy();
  running.push(test);
  const config = { endpoint: test.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 };
  const lambda = new LambdaClient(config);
  const sqs = new SQSClient(config);
  const sns = new SNSClient(config);
  running.push({ ...test, close: async () => (lambda.destroy(), sqs.destroy(), sns.destroy()) });
  return { ...test, lambda, sqs, sns };
}

const target = (endpoint: string) => ({ endpoint, region: 'us-east-1', accountId: '000000000000' });

describe('applying a project file', () => {
  it("runs README's quickstart: a write to Orders reaches the audit handler through the declared mapping", async () => {
    const { endpoint, ddb, eddy } = await eddyWithClients();
    const applied = await applyProject(readProjectFile(quickstart), target(endpoint));
    expect(applied.map((r) => `${r.action} ${r.kind} ${r.name}`)).toEqual([
      'created table Orders',
      'created table OrdersAudit',
      'created queue orders-stream-dlq',
      'created function orders-audit',
      'created event source mapping Orders -> orders-audit',
    ]);

    await ddb.send(new PutItemCommand({ TableName: 'Orders', Item: { orderId: { S: 'o-1' }, total: { N: '42' } } }));
    await ddb.send(new PutItemCommand({ TableName: 'Orders', Item: { orderId: { S: 'o-1' }, total: { N: '43' } } }));
    const drain = await fetch(`${endpoint}/_eddy/drain`, { method: 'POST', body: '{}' });
    expect(drain.status).toBe(200);

    const audit = await ddb.send(new QueryCommand({ TableName: 'OrdersAudit', KeyConditionExpression: 'orderId = :o', ExpressionAttributeValues: { ':o': { S: 'o-1' } } }));
    expect(audit.Items?.map((item) => item.eventName!.S)).toEqual(['INSERT', 'MODIFY']);
    expect(audit.Items?.[1]).toMatchObject({ before: { M: { total: { N: '42' } } }, after: { M: { total: { N: '43' } } } });
    expect(eddy.mappings.metrics()[0]).toMatchObject({ invocations: expect.any(Number), errors: 0 });
  });

  it('applies the same file again without creating anything twice, keeping the mapping', async () => {
    const { endpoint, lambda } = await eddyWithClients();
    const project = readProjectFile(quickstart);
    await applyProject(project, target(endpoint));
    const before = (await lambda.send(new ListEventSourceMappingsCommand({}))).EventSourceMappings!;
    const again = await applyProject(project, target(endpoint));
    expect(again.map((r) => `${r.action} ${r.kind}`)).toEqual([
      'unchanged table',
      'unchanged table',
      'unchanged queue',
      'updated function',
      'updated event source mapping',
    ]);
    const after = (await lambda.send(new ListEventSourceMappingsCommand({}))).EventSourceMappings!;
    expect(after.map((m) => m.UUID)).toEqual(before.map((m) => m.UUID));
  });

  it('resolves names to ARNs and writes attribute structures as the strings AWS takes', async () => {
    const { endpoint, ddb, lambda, sqs, sns } = await eddyWithClients();
    const dir = mkdtempSync(join(tmpdir(), 'eddy-project-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'index.mjs'), 'export const handler = async () => ({});\n');
    const project = parseProjectFile(
      `
tables:
  - TableName: Sessions
    AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
    KeySchema: [{AttributeName: id, KeyType: HASH}]
    BillingMode: PAY_PER_REQUEST
    TimeToLiveSpecification: {AttributeName: expiresAt, Enabled: true}
queues:
  - QueueName: work-dlq
  - QueueName: work
    Attributes:
      VisibilityTimeout: 45
      RedrivePolicy: {deadLetterTargetArn: work-dlq, maxReceiveCount: 3}
functions:
  - FunctionName: worker
    Runtime: nodejs20.x
    Handler: index.handler
    Code: .
    Timeout: 9
    ReservedConcurrentExecutions: 2
topics:
  - Name: changes
    Subscriptions:
      - Protocol: sqs
        Endpoint: work
        Attributes:
          RawMessageDelivery: true
          FilterPolicy: {eventName: [INSERT, MODIFY]}
eventSourceMappings:
  - FunctionName: worker
    Queue: work
    BatchSize: 5
    FilterCriteria:
      Filters:
        - Pattern: {body: {eventName: [INSERT]}}
`,
      join(dir, 'eddy.config.yaml'),
    );
    await applyProject(project, target(endpoint));

    expect((await ddb.send(new DescribeTimeToLiveCommand({ TableName: 'Sessions' }))).TimeToLiveDescription).toMatchObject({ AttributeName: 'expiresAt' });
    const workUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'work' }))).QueueUrl!;
    const attributes = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: workUrl, AttributeNames: ['All'] }))).Attributes!;
    expect(attributes.VisibilityTimeout).toBe('45');
    expect(JSON.parse(attributes.RedrivePolicy!)).toEqual({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:work-dlq', maxReceiveCount: 3 });
    expect((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'worker' }))).Timeout).toBe(9);
    expect((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'worker' }))).ReservedConcurrentExecutions).toBe(2);
    const [subscription] = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:changes' }))).Subscriptions!;
    expect(subscription).toMatchObject({ Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:work' });
    const subscriptionAttributes = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscription!.SubscriptionArn }))).Attributes!;
    expect(subscriptionAttributes.RawMessageDelivery).toBe('true');
    expect(JSON.parse(subscriptionAttributes.FilterPolicy!)).toEqual({ eventName: ['INSERT', 'MODIFY'] });
    const [mapping] = (await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'worker' }))).EventSourceMappings!;
    expect(mapping).toMatchObject({ EventSourceArn: 'arn:aws:sqs:us-east-1:000000000000:work', BatchSize: 5 });
    expect(JSON.parse(mapping!.FilterCriteria!.Filters![0]!.Pattern!)).toEqual({ body: { eventName: ['INSERT'] } });
    expect((await ddb.send(new DescribeTableCommand({ TableName: 'Sessions' }))).Table?.TableStatus).toBe('ACTIVE');
  });

  it("reports AWS's refusal naming the file and the resource", async () => {
    const { endpoint } = await eddyWithClients();
    const project = parseProjectFile('tables: [{TableName: Bad, KeySchema: [], AttributeDefinitions: []}]', '/p/eddy.config.yaml');
    const failure = applyProject(project, target(endpoint));
    await expect(failure).rejects.toThrow(ProjectApplyError);
    await expect(applyProject(project, target(endpoint))).rejects.toThrow(/^\/p\/eddy\.config\.yaml: table Bad: ValidationException: /);

    const noStream = parseProjectFile(
      `
tables: [{TableName: Plain, AttributeDefinitions: [{AttributeName: id, AttributeType: S}], KeySchema: [{AttributeName: id, KeyType: HASH}], BillingMode: PAY_PER_REQUEST}]
eventSourceMappings: [{FunctionName: f, Table: Plain, StartingPosition: LATEST}]
`,
      '/p/eddy.config.yaml',
    );
    await expect(applyProject(noStream, target(endpoint))).rejects.toThrow(/event source mapping Plain -> f: table Plain has no stream/);
  });
});
