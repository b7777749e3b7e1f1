import {
  InvokeCommand,
  PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand,
  UpdateFunctionConfigurationCommand,
  type LambdaClient,
  type PutFunctionEventInvokeConfigCommandInput,
} from '@aws-sdk/client-lambda';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEddy, testCredentials, type TestEddy } from '../helpers/eddy.js';
import { createFunction, lambdaClient } from './helpers.js';

const MINUTE = 60_000;
const LATEST = 'arn:aws:lambda:us-east-1:000000000000:function:worker:$LATEST';
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Fails when the event asks it to; otherwise answers what it processed. */
const WORKER = `export const handler = async (event) => {
  if (event.fail) throw new Error('could not process ' + event.id);
  return { processed: event.id };
};`;

/** A destination function: it forwards the record it receives to the queue in QUEUE_URL. */
const AUDITOR = `import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
const sqs = new SQSClient({});
export const handler = async (event) => {
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: JSON.stringify(event) }));
};`;

let t: TestEddy;
let lambda: LambdaClient;
let sqs: SQSClient;
beforeEach(async () => {
  t = await startEddy();
  lambda = lambdaClient(t.endpoint);
  sqs = new SQSClient({ endpoint: t.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
  await createFunction(lambda, 'worker', { 'index.mjs': WORKER });
});
afterEach(async () => {
  lambda.destroy();
  sqs.destroy();
  await t.close();
});

async function queue(name: string): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

async function received(url: string): Promise<Message[]> {
  // Hidden for the 12 hours SQS allows: the tests move Eddy's clock past the default 30 s, and a message read must not come back.
  const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], VisibilityTimeout: 43_200 }));
  return Messages ?? [];
}

const bodies = async (url: string): Promise<any[]> => (await received(url)).map((message) => JSON.parse(message.Body!));

const configure = (input: Omit<PutFunctionEventInvokeConfigCommandInput, 'FunctionName'>) =>
  lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'worker', ...input }));

async function invokeEvent(event: unknown): Promise<string> {
  const out = await lambda.send(new InvokeCommand({ FunctionName: 'worker', InvocationType: 'Event', Payload: JSON.stringify(event) }));
  expect(out.StatusCode).toBe(202);
  return out.$metadata.requestId!;
}

describe('MaximumRetryAttempts and the OnFailure record', () => {
  it('0: one attempt, then the record exactly as Lambda sends it to an SQS queue', async () => {
    const failures = await queue('failures');
    await configure({ MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: failures.arn } } });
    const requestId = await invokeEvent({ id: 'order-1', fail: true });
    await t.eddy.lambda.idle();
    const [record, ...more] = await bodies(failures.url);
    expect(more).toEqual([]);
    expect(Object.keys(record)).toEqual(['version', 'timestamp', 'requestContext', 'requestPayload', 'responseContext', 'responsePayload']);
    expect(record).toEqual({
      version: '1.0',
      timestamp: expect.stringMatching(ISO_MS),
      requestContext: { requestId, functionArn: LATEST, condition: 'RetriesExhausted', approximateInvokeCount: 1 },
      requestPayload: { id: 'order-1', fail: true },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'could not process order-1', trace: expect.any(Array) },
    });
    // No retry comes later.
    t.eddy.clock.advance(10 * MINUTE);
    await t.eddy.lambda.idle();
    expect(await bodies(failures.url)).toEqual([]);
  });

  it('1: a second attempt one minute later, then the record counts two', async () => {
    const failures = await queue('failures');
    await configure({ MaximumRetryAttempts: 1, DestinationConfig: { OnFailure: { Destination: failures.arn } } });
    const requestId = await invokeEvent({ id: 'order-2', fail: true });
    await t.eddy.lambda.idle();
    expect(await bodies(failures.url)).toEqual([]);
    t.eddy.clock.advance(MINUTE);
    await t.eddy.lambda.idle();
    const [record] = await bodies(failures.url);
    expect(record.requestContext).toEqual({ requestId, functionArn: LATEST, condition: 'RetriesExhausted', approximateInvokeCount: 2 });
    // The record's timestamp is Eddy's clock at the end, a minute after the event.
    expect(Date.parse(record.timestamp)).toBeGreaterThanOrEqual(t.eddy.clock.now() - 5000);
  });

  it('the configuration is read when a retry is due: a Put after the first failure stops the retries', async () => {
    const failures = await queue('failures');
    await configure({ DestinationConfig: { OnFailure: { Destination: failures.arn } } });
    await invokeEvent({ id: 'order-3', fail: true });
    await t.eddy.lambda.idle();
    await configure({ MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: failures.arn } } });
    t.eddy.clock.advance(MINUTE);
    await t.eddy.lambda.idle();
    const [record] = await bodies(failures.url);
    expect(record.requestContext).toMatchObject({ condition: 'RetriesExhausted', approximateInvokeCount: 1 });
    expect(record.responsePayload.errorMessage).toBe('could not process order-3');
  });
});

describe('MaximumEventAgeInSeconds', () => {
  it('a throttled event older than the maximum age goes to OnFailure as EventAgeExceeded, without a response, and never runs', async () => {
    const failures = await queue('failures');
    const dlq = await queue('worker-dlq');
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'worker', DeadLetterConfig: { TargetArn: dlq.arn } }));
    await configure({ MaximumEventAgeInSeconds: 60, DestinationConfig: { OnFailure: { Destination: failures.arn }, OnSuccess: { Destination: failures.arn } } });
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'worker', ReservedConcurrentExecutions: 0 }));
    const requestId = await invokeEvent({ id: 'late' });
    await t.eddy.lambda.idle();
    t.eddy.clock.advance(59_000);
    await t.eddy.lambda.idle();
    expect(await bodies(failures.url)).toEqual([]);
    t.eddy.clock.advance(2000);
    await t.eddy.lambda.idle();
    const [record, ...more] = await bodies(failures.url);
    expect(more).toEqual([]);
    expect(record).toEqual({
      version: '1.0',
      timestamp: expect.stringMatching(ISO_MS),
      requestContext: { requestId, functionArn: LATEST, condition: 'EventAgeExceeded', approximateInvokeCount: 0 },
      requestPayload: { id: 'late' },
    });
    const [dead] = await received(dlq.url);
    expect(JSON.parse(dead!.Body!)).toEqual({ id: 'late' });
    expect(dead!.MessageAttributes).toEqual({ RequestID: { DataType: 'String', StringValue: requestId } });
  });
});

describe('MaximumEventAgeInSeconds across retries', () => {
  it('a retry due after the maximum age does not run: EventAgeExceeded, with the last response', async () => {
    const failures = await queue('failures');
    await configure({ MaximumEventAgeInSeconds: 100, DestinationConfig: { OnFailure: { Destination: failures.arn } } });
    const requestId = await invokeEvent({ id: 'order-9', fail: true });
    await t.eddy.lambda.idle();
    t.eddy.clock.advance(MINUTE);
    await t.eddy.lambda.idle();
    expect(await bodies(failures.url)).toEqual([]);
    t.eddy.clock.advance(2 * MINUTE);
    await t.eddy.lambda.idle();
    const [record] = await bodies(failures.url);
    expect(record.requestContext).toEqual({ requestId, functionArn: LATEST, condition: 'EventAgeExceeded', approximateInvokeCount: 2 });
    expect(record.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    expect(record.responsePayload.errorMessage).toBe('could not process order-9');
  });
});

describe('OnSuccess', () => {
  it('sends the record of a successful event, with the function result as responsePayload, to an SQS queue', async () => {
    const successes = await queue('successes');
    const failures = await queue('failures');
    await configure({ DestinationConfig: { OnSuccess: { Destination: successes.arn }, OnFailure: { Destination: failures.arn } } });
    const requestId = await invokeEvent({ id: 'order-4' });
    await t.eddy.lambda.idle();
    expect(await bodies(successes.url)).toEqual([
      {
        version: '1.0',
        timestamp: expect.stringMatching(ISO_MS),
        requestContext: { requestId, functionArn: LATEST, condition: 'Success', approximateInvokeCount: 1 },
        requestPayload: { id: 'order-4' },
        responseContext: { statusCode: 200, executedVersion: '$LATEST' },
        responsePayload: { processed: 'order-4' },
      },
    ]);
    expect(await bodies(failures.url)).toEqual([]);
  });
});

describe('OnFailure to SNS and to another function', () => {
  it('publishes the record to an SNS topic (here delivered to a subscribed queue)', async () => {
    const sns = new SNSClient({ endpoint: t.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
    try {
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'failed-orders' }));
      const subscriber = await queue('failed-orders-subscriber');
      await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: subscriber.arn }));
      await configure({ MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: TopicArn } } });
      const requestId = await invokeEvent({ id: 'order-5', fail: true });
      await t.eddy.lambda.idle();
      await t.eddy.sns.idle();
      const [notification] = await bodies(subscriber.url);
      expect(notification).toMatchObject({ Type: 'Notification', TopicArn });
      // A destination record carries no message attributes.
      expect(notification.MessageAttributes).toBeUndefined();
      const record = JSON.parse(notification.Message);
      expect(record.requestContext).toEqual({ requestId, functionArn: LATEST, condition: 'RetriesExhausted', approximateInvokeCount: 1 });
      expect(record.requestPayload).toEqual({ id: 'order-5', fail: true });
    } finally {
      sns.destroy();
    }
  });

  it('invokes another function asynchronously with the record as its event', async () => {
    const audit = await queue('audit');
    await createFunction(lambda, 'auditor', { 'index.mjs': AUDITOR }, { Environment: { Variables: { QUEUE_URL: audit.url } } });
    await configure({ MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: 'arn:aws:lambda:us-east-1:000000000000:function:auditor' } } });
    const requestId = await invokeEvent({ id: 'order-6', fail: true });
    await t.eddy.lambda.idle();
    const [record] = await bodies(audit.url);
    expect(record).toMatchObject({
      version: '1.0',
      requestContext: { requestId, functionArn: LATEST, condition: 'RetriesExhausted', approximateInvokeCount: 1 },
      requestPayload: { id: 'order-6', fail: true },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorMessage: 'could not process order-6' },
    });
  });

  it('a destination that fails (its queue deleted) does not stop the dead-letter message', async () => {
    const failures = await queue('failures');
    const dlq = await queue('worker-dlq');
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'worker', DeadLetterConfig: { TargetArn: dlq.arn } }));
    await configure({ MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: failures.arn } } });
    await sqs.send(new DeleteQueueCommand({ QueueUrl: failures.url }));
    await invokeEvent({ id: 'order-7', fail: true });
    await t.eddy.lambda.idle();
    expect((await received(dlq.url)).map((message) => JSON.parse(message.Body!))).toEqual([{ id: 'order-7', fail: true }]);
  });
});

describe('dead-letter queue (DeadLetterConfig)', () => {
  it('after the last attempt the event goes to the queue as it was sent, with RequestID, ErrorCode and ErrorMessage', async () => {
    const dlq = await queue('worker-dlq');
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'worker', DeadLetterConfig: { TargetArn: dlq.arn } }));
    const payload = '{"id":"order-8",  "fail":true}';
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'worker', InvocationType: 'Event', Payload: payload }));
    await t.eddy.lambda.idle();
    t.eddy.clock.advance(MINUTE);
    await t.eddy.lambda.idle();
    expect(await received(dlq.url)).toEqual([]);
    t.eddy.clock.advance(2 * MINUTE);
    await t.eddy.lambda.idle();
    const [message, ...more] = await received(dlq.url);
    expect(more).toEqual([]);
    expect(message!.Body).toBe(payload);
    expect(message!.MessageAttributes).toEqual({
      RequestID: { DataType: 'String', StringValue: out.$metadata.requestId },
      ErrorCode: { DataType: 'Number', StringValue: '200' },
      ErrorMessage: { DataType: 'String', StringValue: 'could not process order-8' },
    });
  });

  it('to an SNS topic the event is the message and RequestID, ErrorCode and ErrorMessage its message attributes', async () => {
    const sns = new SNSClient({ endpoint: t.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
    try {
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'worker-dead-letters' }));
      const subscriber = await queue('worker-dead-letters-raw');
      await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: subscriber.arn, Attributes: { RawMessageDelivery: 'true' } }));
      await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'worker', DeadLetterConfig: { TargetArn: TopicArn } }));
      await configure({ MaximumRetryAttempts: 0 });
      const payload = '{"id":"order-9","fail":true}';
      const out = await lambda.send(new InvokeCommand({ FunctionName: 'worker', InvocationType: 'Event', Payload: payload }));
      await t.eddy.lambda.idle();
      await t.eddy.sns.idle();
      const [message, ...more] = await received(subscriber.url);
      expect(more).toEqual([]);
      expect(message!.Body).toBe(payload);
      expect(message!.MessageAttributes).toEqual({
        RequestID: { DataType: 'String', StringValue: out.$metadata.requestId },
        ErrorCode: { DataType: 'Number', StringValue: '200' },
        ErrorMessage: { DataType: 'String', StringValue: 'could not process order-9' },
      });
    } finally {
      sns.destroy();
    }
  });

  it('a successful event sends nothing there', async () => {
    const dlq = await queue('worker-dlq');
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'worker', DeadLetterConfig: { TargetArn: dlq.arn } }));
    await invokeEvent({ id: 'fine' });
    await t.eddy.lambda.idle();
    expect(await received(dlq.url)).toEqual([]);
  });
});
