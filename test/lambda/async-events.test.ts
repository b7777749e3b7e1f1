import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  InvokeCommand,
  PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_MAXIMUM_EVENT_AGE_SECONDS } from '../../src/lambda/event-invoke-config.js';
import { afterAttempt, tooOld } from '../../src/lambda/runtime/async-events.js';
import { startEddy, testCredentials, type TestEddy } from '../helpers/eddy.js';
import { createFunction, lambdaClient } from './helpers.js';

const MINUTE = 60_000;
const MAX_EVENT_AGE_MS = DEFAULT_MAXIMUM_EVENT_AGE_SECONDS * 1000;

/**
 * A handler that counts its attempts per event in the Attempts table (through
 * Eddy, with the awsRequestId it ran under) and fails while the count is below
 * `event.succeedOnAttempt` (never when that is absent).
 */
const COUNTER = `
import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
const client = new DynamoDBClient({});
export const handler = async (event, context) => {
  const out = await client.send(new UpdateItemCommand({
    TableName: 'Attempts', Key: { id: { S: event.id } },
    UpdateExpression: 'ADD attempts :one SET requestIds = list_append(if_not_exists(requestIds, :empty), :rid)',
    ExpressionAttributeValues: { ':one': { N: '1' }, ':empty': { L: [] }, ':rid': { L: [{ S: context.awsRequestId }] } },
    ReturnValues: 'ALL_NEW',
  }));
  const attempts = Number(out.Attributes.attempts.N);
  if (event.succeedOnAttempt === undefined || attempts < event.succeedOnAttempt) throw new Error('attempt ' + attempts + ' failed');
  return 'ok';
};`;

async function attemptsOf(ddb: DynamoDBClient, id: string): Promise<{ attempts: number; requestIds: string[] }> {
  const item = (await ddb.send(new GetItemCommand({ TableName: 'Attempts', Key: { id: { S: id } }, ConsistentRead: true }))).Item;
  return { attempts: Number(item?.attempts?.N ?? 0), requestIds: (item?.requestIds?.L ?? []).map((v) => v.S!) };
}

async function setUp(t: TestEddy, lambda: LambdaClient): Promise<void> {
  await t.ddb.send(
    new CreateTableCommand({
      TableName: 'Attempts',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await createFunction(lambda, 'counter', { 'index.mjs': COUNTER });
}

describe('the retry schedule (pure)', () => {
  it('retries a failure one minute, then two minutes later, and stops after the third attempt', () => {
    expect(afterAttempt(true, 1, 1000, 2)).toEqual({ done: false, dueAt: 1000 + MINUTE });
    expect(afterAttempt(true, 2, 1000, 2)).toEqual({ done: false, dueAt: 1000 + 2 * MINUTE });
    expect(afterAttempt(true, 3, 1000, 2)).toEqual({ done: true });
    expect(afterAttempt(false, 1, 1000, 2)).toEqual({ done: true });
    expect(tooOld(0, MAX_EVENT_AGE_MS, MAX_EVENT_AGE_MS)).toBe(false);
    expect(tooOld(0, MAX_EVENT_AGE_MS + 1, MAX_EVENT_AGE_MS)).toBe(true);
  });

  it('stops after MaximumRetryAttempts retries: none with 0, one with 1', () => {
    expect(afterAttempt(true, 1, 1000, 0)).toEqual({ done: true });
    expect(afterAttempt(true, 1, 1000, 1)).toEqual({ done: false, dueAt: 1000 + MINUTE });
    expect(afterAttempt(true, 2, 1000, 1)).toEqual({ done: true });
    expect(tooOld(0, 60_001, 60_000)).toBe(true);
  });
});

describe('asynchronous invocations (InvocationType Event)', () => {
  let t: TestEddy;
  let lambda: LambdaClient;
  beforeEach(async () => {
    t = await startEddy();
    lambda = lambdaClient(t.endpoint);
    await setUp(t, lambda);
  });
  afterEach(async () => {
    lambda.destroy();
    await t.close();
  });

  const invokeEvent = (event: unknown) => lambda.send(new InvokeCommand({ FunctionName: 'counter', InvocationType: 'Event', Payload: JSON.stringify(event) }));

  it('retries a failing event twice, one minute and then two minutes later on Eddy clock, under the same request id', async () => {
    const out = await invokeEvent({ id: 'always-fails' });
    expect(out.StatusCode).toBe(202);
    const requestId = out.$metadata.requestId!;
    await t.eddy.lambda.idle();
    expect(await attemptsOf(t.ddb, 'always-fails')).toEqual({ attempts: 1, requestIds: [requestId] });

    t.eddy.clock.advance(MINUTE - 1000);
    await t.eddy.lambda.idle();
    expect((await attemptsOf(t.ddb, 'always-fails')).attempts).toBe(1);
    t.eddy.clock.advance(1000);
    await t.eddy.lambda.idle();
    expect(await attemptsOf(t.ddb, 'always-fails')).toEqual({ attempts: 2, requestIds: [requestId, requestId] });

    t.eddy.clock.advance(2 * MINUTE - 1000);
    await t.eddy.lambda.idle();
    expect((await attemptsOf(t.ddb, 'always-fails')).attempts).toBe(2);
    t.eddy.clock.advance(1000);
    await t.eddy.lambda.idle();
    expect((await attemptsOf(t.ddb, 'always-fails')).attempts).toBe(3);

    // Three attempts in all: nothing later.
    t.eddy.clock.advance(60 * MINUTE);
    await t.eddy.lambda.idle();
    expect((await attemptsOf(t.ddb, 'always-fails')).attempts).toBe(3);
  });

  it('stops retrying once an attempt succeeds', async () => {
    await invokeEvent({ id: 'second-time-lucky', succeedOnAttempt: 2 });
    await t.eddy.lambda.idle();
    t.eddy.clock.advance(MINUTE);
    await t.eddy.lambda.idle();
    expect((await attemptsOf(t.ddb, 'second-time-lucky')).attempts).toBe(2);
    t.eddy.clock.advance(10 * MINUTE);
    await t.eddy.lambda.idle();
    expect((await attemptsOf(t.ddb, 'second-time-lucky')).attempts).toBe(2);
  });

  it('discards the pending retries of a deleted function, also when a function of the same name comes back', async () => {
    await invokeEvent({ id: 'orphan' });
    await t.eddy.lambda.idle();
    expect((await attemptsOf(t.ddb, 'orphan')).attempts).toBe(1);
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'counter' }));
    t.eddy.clock.advance(MINUTE);
    await t.eddy.lambda.idle();
    await createFunction(lambda, 'counter', { 'index.mjs': COUNTER });
    t.eddy.clock.advance(10 * MINUTE);
    await t.eddy.lambda.idle();
    expect((await attemptsOf(t.ddb, 'orphan')).attempts).toBe(1);
  });

  it('discards a throttled event once it is older than six hours, and runs one that is not', async () => {
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'counter', ReservedConcurrentExecutions: 0 }));
    await invokeEvent({ id: 'too-old', succeedOnAttempt: 1 });
    t.eddy.clock.advance(MAX_EVENT_AGE_MS - MINUTE);
    await invokeEvent({ id: 'young', succeedOnAttempt: 1 });
    t.eddy.clock.advance(2 * MINUTE);
    await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'counter' }));
    await t.eddy.lambda.idle();
    expect((await attemptsOf(t.ddb, 'too-old')).attempts).toBe(0);
    expect((await attemptsOf(t.ddb, 'young')).attempts).toBe(1);
  });
});

describe('the queue across restarts', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'eddy-async-events-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps a pending retry across a restart and runs it when due; a finished event does not run again', async () => {
    const first = await startEddy({ inMemory: false, dataDir });
    const before = lambdaClient(first.endpoint);
    await setUp(first, before);
    const failing = await before.send(new InvokeCommand({ FunctionName: 'counter', InvocationType: 'Event', Payload: JSON.stringify({ id: 'restarted', succeedOnAttempt: 2 }) }));
    await before.send(new InvokeCommand({ FunctionName: 'counter', InvocationType: 'Event', Payload: JSON.stringify({ id: 'finished', succeedOnAttempt: 1 }) }));
    await first.eddy.lambda.idle();
    expect((await attemptsOf(first.ddb, 'restarted')).attempts).toBe(1);
    expect((await attemptsOf(first.ddb, 'finished')).attempts).toBe(1);
    before.destroy();
    await first.close();

    const second = await startEddy({ inMemory: false, dataDir });
    try {
      await second.eddy.lambda.idle();
      // Not due yet: the retry waits for its minute on the clock.
      expect((await attemptsOf(second.ddb, 'restarted')).attempts).toBe(1);
      second.eddy.clock.advance(MINUTE);
      await second.eddy.lambda.idle();
      expect(await attemptsOf(second.ddb, 'restarted')).toEqual({ attempts: 2, requestIds: [failing.$metadata.requestId, failing.$metadata.requestId] });
      expect((await attemptsOf(second.ddb, 'finished')).attempts).toBe(1);
    } finally {
      await second.close();
    }
  });

  it('keeps the last response of a pending retry, so the record written after a restart still carries it', async () => {
    const first = await startEddy({ inMemory: false, dataDir });
    const before = lambdaClient(first.endpoint);
    const sqsBefore = new SQSClient({ endpoint: first.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
    await createFunction(before, 'thrower', { 'index.mjs': "export const handler = async () => { throw new Error('no good'); };" });
    const { QueueUrl } = await sqsBefore.send(new CreateQueueCommand({ QueueName: 'thrower-failures' }));
    const destination = { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:000000000000:thrower-failures' } };
    await before.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'thrower', DestinationConfig: destination }));
    const invoked = await before.send(new InvokeCommand({ FunctionName: 'thrower', InvocationType: 'Event', Payload: '{"n":1}' }));
    await first.eddy.lambda.idle();
    before.destroy();
    sqsBefore.destroy();
    await first.close();

    const second = await startEddy({ inMemory: false, dataDir });
    const after = lambdaClient(second.endpoint);
    const sqsAfter = new SQSClient({ endpoint: second.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
    try {
      // No more retries: when the retry comes due it ends without running, and the record is written from what was kept.
      await after.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'thrower', MaximumRetryAttempts: 0, DestinationConfig: destination }));
      second.eddy.clock.advance(MINUTE);
      await second.eddy.lambda.idle();
      const { Messages } = await sqsAfter.send(new ReceiveMessageCommand({ QueueUrl }));
      const record = JSON.parse(Messages![0]!.Body!);
      expect(record.requestContext).toEqual({
        requestId: invoked.$metadata.requestId,
        functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:thrower:$LATEST',
        condition: 'RetriesExhausted',
        approximateInvokeCount: 1,
      });
      expect(record.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
      expect(record.responsePayload).toMatchObject({ errorType: 'Error', errorMessage: 'no good' });
    } finally {
      after.destroy();
      sqsAfter.destroy();
      await second.close();
    }
  });
});
