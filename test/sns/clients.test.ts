import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEddy, type TestEddy } from '../helpers/eddy.js';

const run = promisify(execFile);
let t: TestEddy;
beforeAll(async () => {
  t = await startEddy();
});
afterAll(async () => t.close());

describe('boto3', () => {
  it('runs every SNS operation, delivers to SQS and gets SNS errors', async () => {
    const script = fileURLToPath(new URL('./boto3_sns.py', import.meta.url));
    const { stdout } = await run('python3', [script, t.endpoint], { timeout: 60_000 });
    const observed = JSON.parse(stdout.trim().split('\n').pop()!);
    const topic = 'arn:aws:sns:us-east-1:000000000000:py-topic';
    expect(observed).toEqual({
      topic,
      listed: [topic],
      displayName: 'Python',
      tags: [{ Key: 'team', Value: 'eddy' }],
      subscription: {
        Protocol: 'sqs',
        Endpoint: 'arn:aws:sqs:us-east-1:000000000000:py-queue',
        RawMessageDelivery: 'true',
        FilterPolicy: '{"kind": ["keep"]}',
        FilterPolicyScope: 'MessageAttributes',
        PendingConfirmation: 'false',
      },
      byTopic: ['arn:aws:sqs:us-east-1:000000000000:py-queue'],
      all: [true],
      messageIdLength: 36,
      batch: ['one'],
      received: ['b1', 'kept'],
      binary: [[0, 1]],
      errors: {
        missingTopic: { code: 'NotFound', message: 'Topic does not exist', status: 404 },
        badName: { code: 'InvalidParameter', message: 'Invalid parameter: Topic Name', status: 400 },
        emptyMessage: { code: 'InvalidParameter', message: 'Invalid parameter: Empty message', status: 400 },
        badAttribute: { code: 'ParameterValueInvalid', message: "Could not cast message attribute 'n' value to number.", status: 400 },
        badProtocol: { code: 'InvalidParameter', message: 'Invalid parameter: Amazon SNS does not support this protocol string: fax', status: 400 },
        badPolicy: { code: 'InvalidParameter', message: 'Invalid parameter: FilterPolicy: failed to parse JSON.', status: 400 },
      },
      afterUnsubscribe: [],
      afterDelete: [],
    });
  });
});

describe('aws CLI', () => {
  const aws = async (...args: string[]) => {
    try {
      const { stdout } = await run('aws', ['--endpoint-url', t.endpoint, '--region', 'us-east-1', '--output', 'json', ...args], {
        env: { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDEDDY', AWS_SECRET_ACCESS_KEY: 'secret', AWS_PAGER: '' },
        timeout: 60_000,
      });
      return { code: 0, out: stdout.trim() ? JSON.parse(stdout) : undefined, err: '' };
    } catch (error: any) {
      return { code: error.code as number, out: undefined, err: String(error.stderr) };
    }
  };

  it('creates a topic, subscribes a queue, publishes and reports errors', async () => {
    const topic = (await aws('sns', 'create-topic', '--name', 'cli-topic', '--attributes', 'DisplayName=Cli')).out.TopicArn;
    expect(topic).toBe('arn:aws:sns:us-east-1:000000000000:cli-topic');
    const queueUrl = (await aws('sqs', 'create-queue', '--queue-name', 'cli-queue')).out.QueueUrl;
    const subscribed = await aws('sns', 'subscribe', '--topic-arn', topic, '--protocol', 'sqs', '--notification-endpoint', 'arn:aws:sqs:us-east-1:000000000000:cli-queue');
    expect(subscribed.out.SubscriptionArn).toMatch(/^arn:aws:sns:us-east-1:000000000000:cli-topic:/);
    const published = await aws('sns', 'publish', '--topic-arn', topic, '--message', 'from the cli', '--subject', 'CLI', '--message-attributes', '{"eventName":{"DataType":"String","StringValue":"INSERT"}}');
    expect(published.out.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    const received = await aws('sqs', 'receive-message', '--queue-url', queueUrl);
    const envelope = JSON.parse(received.out.Messages[0].Body);
    expect(envelope).toMatchObject({ Type: 'Notification', Subject: 'CLI', Message: 'from the cli', MessageAttributes: { eventName: { Type: 'String', Value: 'INSERT' } } });
    const attributes = await aws('sns', 'get-topic-attributes', '--topic-arn', topic);
    expect(attributes.out.Attributes).toMatchObject({ DisplayName: 'Cli', SubscriptionsConfirmed: '1' });
    const missing = await aws('sns', 'publish', '--topic-arn', `${topic}-missing`, '--message', 'x');
    expect(missing.code).not.toBe(0);
    expect(missing.err).toContain('An error occurred (NotFound) when calling the Publish operation: Topic does not exist');
  });
});
