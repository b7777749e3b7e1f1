import { CreateEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testCredentials } from '../helpers/eddy.js';
import { esmFixture, until, type EsmFixture } from './esm-support.js';

let f: EsmFixture;
let sqs: SQSClient;
beforeEach(async () => {
  // Clock control: a function can move Eddy's clock while it runs (POST /_eddy/clock).
  f = await esmFixture({ allowClockControl: true });
  sqs = new SQSClient({ endpoint: f.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
});
afterEach(async () => {
  sqs.destroy();
  await f.close();
});

async function queue(name: string): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

async function messages(url: string): Promise<any[]> {
  const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
  return (Messages ?? []).map((message) => JSON.parse(message.Body!));
}

const ISO_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

describe('DynamoDB stream mapping: on-failure destinations', () => {
  it('retries exhausted: the batch metadata goes to an SQS queue with AWS payload, and the shard goes on', async () => {
    const dlq = await queue('orders-dlq');
    await f.recordingFunction('recorder', `if (event.Records.some((r) => r.dynamodb.Keys.pk.S === 'bad')) throw new Error('boom');`);
    for (const key of ['a', 'bad', 'c']) await f.put(key);
    await f.lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'recorder',
        EventSourceArn: f.streamArn,
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 2,
        MaximumRetryAttempts: 1,
        DestinationConfig: { OnFailure: { Destination: dlq.arn } },
      }),
    );
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    expect(f.batches()).toEqual([['a', 'bad'], ['a', 'bad'], ['c']]);

    const [record, ...more] = await messages(dlq.url);
    expect(more).toEqual([]);
    const sequenceNumbers = f.invocations()[0]!.Records.map((r) => r.dynamodb.SequenceNumber);
    expect(Object.keys(record)).toEqual(['requestContext', 'responseContext', 'version', 'timestamp', 'DDBStreamBatchInfo']);
    expect(record).toEqual({
      requestContext: { requestId: expect.stringMatching(/^[0-9a-f-]{36}$/), functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:recorder', condition: 'RetryAttemptsExhausted', approximateInvokeCount: 2 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      DDBStreamBatchInfo: {
        shardId: f.eddy.mappings.metrics()[0]!.shards[0]!.shardId,
        startSequenceNumber: sequenceNumbers[0],
        endSequenceNumber: sequenceNumbers[1],
        approximateArrivalOfFirstRecord: expect.stringMatching(ISO_SECONDS),
        approximateArrivalOfLastRecord: expect.stringMatching(ISO_SECONDS),
        batchSize: 2,
        streamArn: f.streamArn,
      },
    });
    expect(f.eddy.mappings.metrics()[0]).toMatchObject({ onFailureSends: 1, recordsFailed: 2, recordsDelivered: 1 });
  });

  it('a partial batch failure reported by the function is sent with functionError null', async () => {
    const dlq = await queue('partial-dlq');
    await f.recordingFunction('recorder', `const bad = event.Records.find((r) => r.dynamodb.Keys.pk.S === 'bad'); return bad ? { batchItemFailures: [{ itemIdentifier: bad.dynamodb.SequenceNumber }] } : {};`);
    for (const key of ['a', 'bad', 'c']) await f.put(key);
    await f.lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'recorder',
        EventSourceArn: f.streamArn,
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 3,
        MaximumRetryAttempts: 0,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: { OnFailure: { Destination: dlq.arn } },
      }),
    );
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    expect(f.batches()).toEqual([['a', 'bad', 'c']]);
    const [record] = await messages(dlq.url);
    expect(record.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: null });
    expect(record.requestContext).toMatchObject({ condition: 'RetryAttemptsExhausted', approximateInvokeCount: 1 });
    expect(record.DDBStreamBatchInfo).toMatchObject({ batchSize: 2, startSequenceNumber: f.invocations()[0]!.Records[1]!.dynamodb.SequenceNumber });
  });

  it('records older than MaximumRecordAgeInSeconds go to an SNS topic with condition RecordAgeExceeded, never invoked', async () => {
    const sns = new SNSClient({ endpoint: f.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
    try {
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'stream-failures' }));
      const inbox = await f.recordingFunction('inbox');
      await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: inbox }));
      await f.recordingFunction('recorder');
      await f.put('old');
      f.eddy.clock.advance(120_000);
      await f.lambda.send(
        new CreateEventSourceMappingCommand({
          FunctionName: 'recorder',
          EventSourceArn: f.streamArn,
          StartingPosition: 'TRIM_HORIZON',
          MaximumRecordAgeInSeconds: 60,
          DestinationConfig: { OnFailure: { Destination: TopicArn } },
        }),
      );
      await f.put('fresh');
      expect(await f.eddy.mappings.drain(10_000)).toBe(true);
      expect(f.batches()).toEqual([['fresh']]);
      await f.eddy.sns.idle();
      await f.eddy.lambda.idle();
      const [delivery, ...more] = f.invocations('inbox');
      expect(more).toEqual([]);
      const record = JSON.parse((delivery as any).Records[0].Sns.Message);
      expect(record.requestContext).toMatchObject({ condition: 'RecordAgeExceeded', approximateInvokeCount: 0 });
      expect(record.DDBStreamBatchInfo).toMatchObject({ batchSize: 1, streamArn: f.streamArn });
    } finally {
      sns.destroy();
    }
  });

  it('with MaximumRetryAttempts -1 a failing batch is retried until its records are older than MaximumRecordAgeInSeconds', async () => {
    const dlq = await queue('expired-dlq');
    await f.recordingFunction('recorder', `throw new Error('always');`);
    await f.put('doomed');
    await f.lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'recorder',
        EventSourceArn: f.streamArn,
        StartingPosition: 'TRIM_HORIZON',
        MaximumRetryAttempts: -1,
        MaximumRecordAgeInSeconds: 60,
        DestinationConfig: { OnFailure: { Destination: dlq.arn } },
      }),
    );
    await until(f, () => f.invocations().length >= 3);
    expect(await f.eddy.mappings.drain(100)).toBe(false);
    f.eddy.clock.advance(61_000);
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    const invoked = f.invocations().length;
    const [record] = await messages(dlq.url);
    expect(record.requestContext).toMatchObject({ condition: 'RecordAgeExceeded', approximateInvokeCount: invoked });
    expect(record.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    expect(f.batches().every((batch) => batch.length === 1 && batch[0] === 'doomed')).toBe(true);
  });

  /** On its second invocation the function advances Eddy's clock 61 s (POST /_eddy/clock) before it answers: the records expire while it runs. */
  const advanceOnSecondCall = `const calls = fs.readFileSync(process.env.LOG_FILE, 'utf8').trim().split('\\n').length;
    if (calls === 2) {
      const res = await fetch(process.env.AWS_ENDPOINT_URL + '/_eddy/clock', { method: 'POST', body: JSON.stringify({ advanceSeconds: 61 }) });
      if (!res.ok) throw new Error('clock not advanced: ' + res.status);
    }`;

  async function expiringInFlight(body: string): Promise<any[]> {
    const dlq = await queue('in-flight-dlq');
    await f.recordingFunction('recorder', `${advanceOnSecondCall} ${body}`);
    await f.put('doomed');
    await f.lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'recorder',
        EventSourceArn: f.streamArn,
        StartingPosition: 'TRIM_HORIZON',
        MaximumRetryAttempts: -1,
        MaximumRecordAgeInSeconds: 60,
        DestinationConfig: { OnFailure: { Destination: dlq.arn } },
      }),
    );
    expect(await f.eddy.mappings.drain(10_000)).toBe(true);
    expect(f.batches()).toEqual([['doomed'], ['doomed']]);
    return messages(dlq.url);
  }

  it('records that expire during a failing invocation are reported with that invocation as the last one', async () => {
    const [record, ...more] = await expiringInFlight(`throw new Error('always');`);
    expect(more).toEqual([]);
    expect(record.requestContext).toMatchObject({ condition: 'RecordAgeExceeded', approximateInvokeCount: 2 });
    expect(record.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    expect(f.eddy.mappings.metrics()[0]).toMatchObject({ invocations: 2, errors: 2, recordsFailed: 1, recordsDelivered: 0, onFailureSends: 1 });
  });

  it('records that expire during a successful invocation are delivered: nothing goes to the destination', async () => {
    expect(await expiringInFlight(`if (calls === 1) throw new Error('first');`)).toEqual([]);
    expect(f.eddy.mappings.metrics()[0]).toMatchObject({ invocations: 2, errors: 1, recordsFailed: 0, recordsDelivered: 1, onFailureSends: 0 });
  });
});
