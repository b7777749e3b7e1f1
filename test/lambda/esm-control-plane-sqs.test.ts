import {
  CreateEventSourceMappingCommand,
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  ListEventSourceMappingsCommand,
  UpdateEventSourceMappingCommand,
  type CreateEventSourceMappingCommandInput,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEddy, testCredentials, type TestEddy } from '../helpers/eddy.js';
import { createFunction, lambdaClient } from './helpers.js';

let t: TestEddy;
let lambda: LambdaClient;
let sqs: SQSClient;
let jobs: string;
let jobsFifo: string;

async function queueArn(name: string, attributes: Record<string, string> = {}): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return Attributes!.QueueArn!;
}

async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await promise;
  } catch (error: any) {
    return { name: error.name, message: error.message, status: error.$metadata?.httpStatusCode };
  }
  throw new Error('the call succeeded');
}

const create = (input: Partial<CreateEventSourceMappingCommandInput>) => lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'worker', EventSourceArn: jobs, ...input }));
const invalid = (message: string) => ({ name: 'InvalidParameterValueException', message, status: 400 });

async function allMappings(): Promise<string[]> {
  return (await lambda.send(new ListEventSourceMappingsCommand({}))).EventSourceMappings!.map((m) => m.UUID!);
}

beforeAll(async () => {
  t = await startEddy();
  lambda = lambdaClient(t.endpoint);
  sqs = new SQSClient({ endpoint: t.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
  jobs = await queueArn('jobs');
  jobsFifo = await queueArn('jobs.fifo', { FifoQueue: 'true' });
  await createFunction(lambda, 'worker', { 'index.js': 'exports.handler = async () => {};' });
});
afterEach(async () => {
  for (const uuid of await allMappings()) await lambda.send(new DeleteEventSourceMappingCommand({ UUID: uuid }));
});
afterAll(async () => {
  lambda.destroy();
  sqs.destroy();
  await t.close();
});

describe('SQS event source mappings', () => {
  it('answers with the fields Lambda returns for a queue: no stream settings, USER_INITIATED', async () => {
    const created = await create({});
    const { $metadata, ...fields } = created;
    expect($metadata.httpStatusCode).toBe(202);
    expect(fields).toEqual({
      UUID: expect.any(String),
      EventSourceMappingArn: `arn:aws:lambda:us-east-1:000000000000:event-source-mapping:${created.UUID}`,
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 0,
      EventSourceArn: jobs,
      FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:worker',
      LastModified: expect.any(Date),
      State: 'Creating',
      StateTransitionReason: 'USER_INITIATED',
      FunctionResponseTypes: [],
    });
    const { $metadata: _m, ...got } = await lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }));
    expect(got).toEqual({ ...fields, State: 'Enabled' });
  });

  it('keeps ScalingConfig, ReportBatchItemFailures and a body filter; an empty ScalingConfig clears the limit', async () => {
    const created = await create({
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 1,
      ScalingConfig: { MaximumConcurrency: 5 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FilterCriteria: { Filters: [{ Pattern: '{"body":{"RequestCode":["BBBB"]}}' }] },
    });
    expect(created).toMatchObject({
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 1,
      ScalingConfig: { MaximumConcurrency: 5 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FilterCriteria: { Filters: [{ Pattern: '{"body":{"RequestCode":["BBBB"]}}' }] },
    });
    const updated = await lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, ScalingConfig: {} }));
    expect(updated.ScalingConfig).toBeUndefined();
    expect(updated.State).toBe('Updating');
  });

  const cases: [string, Partial<CreateEventSourceMappingCommandInput>, ReturnType<typeof invalid>][] = [
    ['a StartingPosition', { StartingPosition: 'LATEST' }, invalid('StartingPosition is not valid for SQS event sources.')],
    ['BatchSize over 10 without a batching window', { BatchSize: 11 }, invalid('Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10')],
    ['ParallelizationFactor', { ParallelizationFactor: 2 }, invalid('Unsupported ParallelizationFactor parameter for given event source mapping type.')],
    ['MaximumRetryAttempts', { MaximumRetryAttempts: 2 }, invalid('Unsupported MaximumRetryAttempts parameter for given event source mapping type.')],
    ['MaximumRecordAgeInSeconds', { MaximumRecordAgeInSeconds: 60 }, invalid('Unsupported MaximumRecordAgeInSeconds parameter for given event source mapping type.')],
    ['BisectBatchOnFunctionError', { BisectBatchOnFunctionError: true }, invalid('Unsupported BisectBatchOnFunctionError parameter for given event source mapping type.')],
    ['TumblingWindowInSeconds', { TumblingWindowInSeconds: 30 }, invalid('Unsupported TumblingWindowInSeconds parameter for given event source mapping type.')],
    ['DestinationConfig', { DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:000000000000:dlq' } } }, invalid('Unsupported DestinationConfig parameter for given event source mapping type.')],
    ['a FIFO queue with BatchSize 11', { EventSourceArn: '', BatchSize: 11, MaximumBatchingWindowInSeconds: 0 }, invalid('Maximum batch size must be between 1 and 10 inclusive')],
    ['a FIFO queue with a batching window', { EventSourceArn: '', MaximumBatchingWindowInSeconds: 1 }, invalid('Batching window is not supported for FIFO queues')],
    [
      'a queue that does not exist',
      { EventSourceArn: 'arn:aws:sqs:us-east-1:000000000000:nope' },
      invalid('Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist or you do not have access to it.'),
    ],
    ['a filter that is not a pattern', { FilterCriteria: { Filters: [{ Pattern: '{"body": 5}' }] } }, invalid('Invalid filter pattern definition.')],
  ];

  it.each(cases)('refuses %s and creates nothing', async (_name, input, expected) => {
    const withQueue = input.EventSourceArn === '' ? { ...input, EventSourceArn: jobsFifo } : input;
    expect(await failure(create(withQueue))).toEqual(expected);
    expect(await allMappings()).toEqual([]);
  });

  it('refuses a second mapping of the queue to the same function, in SQS words', async () => {
    const first = await create({});
    expect(await failure(create({}))).toEqual({
      name: 'ResourceConflictException',
      message: `An event source mapping with SQS arn (" ${jobs} ") and function (" worker ") already exists. Please update or delete the existing mapping with UUID ${first.UUID}`,
      status: 409,
    });
  });

  it('checks batch size and window together on update', async () => {
    const created = await create({});
    expect(await failure(lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, BatchSize: 100 })))).toEqual(
      invalid('Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10'),
    );
    const updated = await lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, BatchSize: 100, MaximumBatchingWindowInSeconds: 2 }));
    expect(updated).toMatchObject({ BatchSize: 100, MaximumBatchingWindowInSeconds: 2 });
    expect(await failure(lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, MaximumBatchingWindowInSeconds: 0 })))).toEqual(
      invalid('Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10'),
    );
  });
});
