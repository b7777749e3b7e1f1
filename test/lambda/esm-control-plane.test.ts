import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateEventSourceMappingCommand,
  DeleteEventSourceMappingCommand,
  DeleteFunctionCommand,
  GetEventSourceMappingCommand,
  ListEventSourceMappingsCommand,
  ListTagsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateEventSourceMappingCommand,
  type CreateEventSourceMappingCommandInput,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEddy, type TestEddy } from '../helpers/eddy.js';
import { createFunction, lambdaClient } from './helpers.js';

let t: TestEddy;
let lambda: LambdaClient;
let ordersStream: string;
let paymentsStream: string;

const HANDLER = { 'index.js': 'exports.handler = async () => {};' };
const fnArn = (name: string): string => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

async function streamTable(name: string): Promise<string> {
  const created = await t.ddb.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  return created.TableDescription!.LatestStreamArn!;
}

/** The AWS error a call fails with: name, message, HTTP status. */
async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await promise;
  } catch (error: any) {
    return { name: error.name, message: error.message, status: error.$metadata?.httpStatusCode };
  }
  throw new Error('the call succeeded');
}

const create = (input: Partial<CreateEventSourceMappingCommandInput>) =>
  lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'orders-stream-processor', EventSourceArn: ordersStream, StartingPosition: 'TRIM_HORIZON', ...input }));

async function allMappings(): Promise<string[]> {
  const listed = await lambda.send(new ListEventSourceMappingsCommand({}));
  return listed.EventSourceMappings!.map((m) => m.UUID!);
}

beforeAll(async () => {
  t = await startEddy();
  lambda = lambdaClient(t.endpoint);
  ordersStream = await streamTable('Orders');
  paymentsStream = await streamTable('Payments');
  await createFunction(lambda, 'orders-stream-processor', HANDLER);
  await createFunction(lambda, 'audit', HANDLER);
});
// Each test starts without mappings, even when the one before failed midway.
afterEach(async () => {
  for (const uuid of await allMappings()) await lambda.send(new DeleteEventSourceMappingCommand({ UUID: uuid }));
});
afterAll(async () => {
  lambda.destroy();
  await t.close();
});

describe('CreateEventSourceMapping and GetEventSourceMapping', () => {
  it('answers 202 with every field of a DynamoDB mapping, Creating, then Enabled', async () => {
    const before = t.eddy.clock.now();
    const created = await create({});
    const { $metadata, ...fields } = created;
    expect($metadata.httpStatusCode).toBe(202);
    expect(fields).toEqual({
      UUID: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      EventSourceMappingArn: `arn:aws:lambda:us-east-1:000000000000:event-source-mapping:${created.UUID}`,
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 0,
      ParallelizationFactor: 1,
      EventSourceArn: ordersStream,
      FunctionArn: fnArn('orders-stream-processor'),
      LastModified: expect.any(Date),
      LastProcessingResult: 'No records processed',
      State: 'Creating',
      StateTransitionReason: 'User action',
      DestinationConfig: { OnFailure: {} },
      MaximumRecordAgeInSeconds: -1,
      BisectBatchOnFunctionError: false,
      MaximumRetryAttempts: -1,
      TumblingWindowInSeconds: 0,
      FunctionResponseTypes: [],
    });
    expect(created.LastModified!.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);

    const got = await lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }));
    const { $metadata: getMeta, ...gotFields } = got;
    expect(getMeta.httpStatusCode).toBe(200);
    expect(gotFields).toEqual({ ...fields, State: 'Enabled' });
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID }));
  });

  it('keeps every setting it is given and names the function by ARN or partial ARN', async () => {
    const created = await create({
      FunctionName: '000000000000:function:audit',
      EventSourceArn: paymentsStream,
      StartingPosition: 'LATEST',
      BatchSize: 10000,
      MaximumBatchingWindowInSeconds: 300,
      ParallelizationFactor: 10,
      MaximumRetryAttempts: 10000,
      MaximumRecordAgeInSeconds: 604800,
      BisectBatchOnFunctionError: true,
      TumblingWindowInSeconds: 900,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FilterCriteria: { Filters: [{ Pattern: '{"eventName":["INSERT"]}' }, { Pattern: '{"dynamodb":{"NewImage":{"status":{"S":["SHIPPED"]}}}}' }] },
      DestinationConfig: { OnFailure: { Destination: 'arn:aws:sns:us-east-1:000000000000:failures' } },
      Enabled: false,
    });
    expect(created).toMatchObject({
      FunctionArn: fnArn('audit'),
      EventSourceArn: paymentsStream,
      StartingPosition: 'LATEST',
      BatchSize: 10000,
      MaximumBatchingWindowInSeconds: 300,
      ParallelizationFactor: 10,
      MaximumRetryAttempts: 10000,
      MaximumRecordAgeInSeconds: 604800,
      BisectBatchOnFunctionError: true,
      TumblingWindowInSeconds: 900,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FilterCriteria: { Filters: [{ Pattern: '{"eventName":["INSERT"]}' }, { Pattern: '{"dynamodb":{"NewImage":{"status":{"S":["SHIPPED"]}}}}' }] },
      DestinationConfig: { OnFailure: { Destination: 'arn:aws:sns:us-east-1:000000000000:failures' } },
      State: 'Creating',
    });
    const got = await lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }));
    expect(got.State).toBe('Disabled');
    expect(got.FilterCriteria).toEqual(created.FilterCriteria);
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID }));
  });

  it('answers an unknown UUID with ResourceNotFoundException', async () => {
    for (const command of [
      new GetEventSourceMappingCommand({ UUID: '00000000-0000-0000-0000-000000000000' }),
      new UpdateEventSourceMappingCommand({ UUID: '00000000-0000-0000-0000-000000000000', BatchSize: 5 }),
      new DeleteEventSourceMappingCommand({ UUID: '00000000-0000-0000-0000-000000000000' }),
    ]) {
      expect(await failure(lambda.send(command as any))).toEqual({ name: 'ResourceNotFoundException', message: 'The resource you requested does not exist.', status: 404 });
    }
  });

  it('refuses a second mapping of the same stream and function with ResourceConflictException', async () => {
    const first = await create({});
    expect(await failure(create({ BatchSize: 5 }))).toEqual({
      name: 'ResourceConflictException',
      message: `The event source arn (" ${ordersStream} ") and function (" orders-stream-processor ") provided mapping already exists. Please update or delete the existing mapping with UUID ${first.UUID}`,
      status: 409,
    });
    // The same stream to another function is a different mapping.
    const other = await create({ FunctionName: 'audit' });
    expect(await allMappings()).toEqual([first.UUID, other.UUID]);
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID: first.UUID }));
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID: other.UUID }));
  });
});

describe('validation', () => {
  const invalid = (message: string) => ({ name: 'InvalidParameterValueException', message, status: 400 });
  const notSupported = (what: string) => invalid(`Eddy does not support ${what} yet (see docs/lambda.md).`);

  const cases: [string, Partial<CreateEventSourceMappingCommandInput>, { name: string; message: string; status: number }][] = [
    ['no StartingPosition', { StartingPosition: undefined }, invalid("1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.")],
    ['AT_TIMESTAMP on a DynamoDB stream', { StartingPosition: 'AT_TIMESTAMP', StartingPositionTimestamp: new Date(1_700_000_000_000) }, invalid('')],
    ['a timestamp without AT_TIMESTAMP', { StartingPosition: 'LATEST', StartingPositionTimestamp: new Date(1_700_000_000_000) }, invalid('Timestamp only valid with StartingPosition AT_TIMESTAMP')],
    ['MaximumRecordAgeInSeconds 0', { MaximumRecordAgeInSeconds: 0 }, invalid('MaximumRecordAgeInSeconds must be either -1 (forever) or between 60 and 604800 (inclusive)')],
    ['MaximumRecordAgeInSeconds 59', { MaximumRecordAgeInSeconds: 59 }, invalid('MaximumRecordAgeInSeconds must be either -1 (forever) or between 60 and 604800 (inclusive)')],
    [
      'BatchSize 0',
      { BatchSize: 0 },
      { name: 'ValidationException', message: "1 validation error detected: Value '0' at 'batchSize' failed to satisfy constraint: Member must have value greater than or equal to 1", status: 400 },
    ],
    [
      'BatchSize 10001',
      { BatchSize: 10001 },
      { name: 'ValidationException', message: "1 validation error detected: Value '10001' at 'batchSize' failed to satisfy constraint: Member must have value less than or equal to 10000", status: 400 },
    ],
    [
      'MaximumRetryAttempts -2',
      { MaximumRetryAttempts: -2 },
      { name: 'ValidationException', message: "1 validation error detected: Value '-2' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value greater than or equal to -1", status: 400 },
    ],
    [
      'ParallelizationFactor 11',
      { ParallelizationFactor: 11 },
      { name: 'ValidationException', message: "1 validation error detected: Value '11' at 'parallelizationFactor' failed to satisfy constraint: Member must have value less than or equal to 10", status: 400 },
    ],
    [
      'TumblingWindowInSeconds 901',
      { TumblingWindowInSeconds: 901 },
      { name: 'ValidationException', message: "1 validation error detected: Value '901' at 'tumblingWindowInSeconds' failed to satisfy constraint: Member must have value less than or equal to 900", status: 400 },
    ],
    [
      'MaximumBatchingWindowInSeconds 301',
      { MaximumBatchingWindowInSeconds: 301 },
      { name: 'ValidationException', message: "1 validation error detected: Value '301' at 'maximumBatchingWindowInSeconds' failed to satisfy constraint: Member must have value less than or equal to 300", status: 400 },
    ],
    ['six filters', { FilterCriteria: { Filters: Array.from({ length: 6 }, () => ({ Pattern: '{"eventName":["INSERT"]}' })) } }, invalid('The number of filters in FilterCriteria (6) exceeds the limit of 5.')],
    ['a pattern that is not JSON', { FilterCriteria: { Filters: [{ Pattern: '{"eventName":' }] } }, invalid('Invalid filter pattern definition.')],
    ['a pattern with a bare value', { FilterCriteria: { Filters: [{ Pattern: '{"eventName":"INSERT"}' }] } }, invalid('Invalid filter pattern definition.')],
    ['an empty pattern', { FilterCriteria: { Filters: [{ Pattern: '' }] } }, invalid('Invalid filter pattern definition.')],
    ['an S3 on-failure destination', { DestinationConfig: { OnFailure: { Destination: 'arn:aws:s3:::failed-batches' } } }, notSupported('S3 on-failure destinations (Eddy simulates no S3; use an SQS queue or SNS topic)')],
    [
      'a function as on-failure destination',
      { DestinationConfig: { OnFailure: { Destination: 'arn:aws:lambda:us-east-1:000000000000:function:audit' } } },
      invalid('The provided destination config DestinationConfig.OnFailure.Destination is invalid: arn:aws:lambda:us-east-1:000000000000:function:audit is not an SQS queue or SNS topic ARN.'),
    ],
    ['an on-success destination', { DestinationConfig: { OnSuccess: { Destination: 'arn:aws:sqs:us-east-1:000000000000:done' } } }, invalid('Unsupported DestinationConfig parameter for given event source mapping type.')],
    ['ScalingConfig on a stream', { ScalingConfig: { MaximumConcurrency: 5 } }, invalid('Unsupported ScalingConfig parameter for given event source mapping type.')],
    ['SourceAccessConfigurations', { SourceAccessConfigurations: [{ Type: 'BASIC_AUTH', URI: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:s' }] }, notSupported('SourceAccessConfigurations')],
    ['KMSKeyArn', { KMSKeyArn: 'arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab' }, notSupported('KMSKeyArn (encrypted filter criteria)')],
    ['MetricsConfig', { MetricsConfig: { Metrics: ['EventCount'] } }, notSupported('MetricsConfig (event source mapping metrics; Eddy serves them at /_eddy/metrics)')],
    ['ProvisionedPollerConfig', { ProvisionedPollerConfig: { MinimumPollers: 1 } }, notSupported('ProvisionedPollerConfig (provisioned mode)')],
    ['more than 50 tags', { Tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])) }, invalid('Number of tags exceeds resource tag limit.')],
    ['a function that does not exist', { FunctionName: 'nope' }, invalid('Function does not exist')],
    ['a qualified function', { FunctionName: 'audit:live' }, notSupported('event source mappings on a function version or alias (audit:live)')],
    [
      'a stream that does not exist',
      { EventSourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Orders/stream/2020-01-01T00:00:00.000' },
      invalid('Stream not found: arn:aws:dynamodb:us-east-1:000000000000:table/Orders/stream/2020-01-01T00:00:00.000'),
    ],
    ['a Kinesis stream (not simulated)', { EventSourceArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/orders' }, invalid('Stream not found: arn:aws:kinesis:us-east-1:000000000000:stream/orders')],
    ['an MSK cluster', { EventSourceArn: 'arn:aws:kafka:us-east-1:000000000000:cluster/orders/abc' }, notSupported('Amazon MSK event sources')],
    ['an S3 bucket as source', { EventSourceArn: 'arn:aws:s3:::orders' }, invalid('Unrecognized event source.')],
  ];

  it.each(cases)('refuses %s and creates nothing', async (_name, input, expected) => {
    const wanted = expected.message === '' ? { ...expected, message: `Unsupported starting position for arn type: ${ordersStream}` } : expected;
    expect(await failure(create(input))).toEqual(wanted);
    expect(await allMappings()).toEqual([]);
  });

  it('accepts MaximumRecordAgeInSeconds -1 and 60, the edges of the valid range', async () => {
    const forever = await create({ MaximumRecordAgeInSeconds: -1 });
    expect(forever.MaximumRecordAgeInSeconds).toBe(-1);
    const minute = await create({ FunctionName: 'audit', MaximumRecordAgeInSeconds: 60 });
    expect(minute.MaximumRecordAgeInSeconds).toBe(60);
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID: forever.UUID }));
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID: minute.UUID }));
  });
});

describe('UpdateEventSourceMapping and DeleteEventSourceMapping', () => {
  it('changes settings (Updating, then Enabled) and keeps the rest', async () => {
    const created = await create({ BatchSize: 100, MaximumBatchingWindowInSeconds: 5, ParallelizationFactor: 2, MaximumRetryAttempts: 3 });
    const updated = await lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, ParallelizationFactor: 4, BatchSize: 200, MaximumBatchingWindowInSeconds: 3 }));
    expect(updated.$metadata.httpStatusCode).toBe(202);
    const { $metadata: _c, ...before } = created;
    const { $metadata: _u, ...after } = updated;
    expect(after).toEqual({ ...before, ParallelizationFactor: 4, BatchSize: 200, MaximumBatchingWindowInSeconds: 3, State: 'Updating', LastModified: expect.any(Date) });
    const got = await lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }));
    expect(got).toMatchObject({ State: 'Enabled', ParallelizationFactor: 4, BatchSize: 200, MaximumBatchingWindowInSeconds: 3, MaximumRetryAttempts: 3 });
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID }));
  });

  it('disables (Disabling, Disabled) and enables again (Enabling, Enabled)', async () => {
    const created = await create({});
    const disabling = await lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, Enabled: false }));
    expect(disabling.State).toBe('Disabling');
    expect((await lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }))).State).toBe('Disabled');
    const enabling = await lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, Enabled: true }));
    expect(enabling.State).toBe('Enabling');
    expect((await lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }))).State).toBe('Enabled');
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID }));
  });

  it('moves a mapping to another function, unless that pair already has one', async () => {
    const created = await create({});
    const moved = await lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, FunctionName: fnArn('audit') }));
    expect(moved.FunctionArn).toBe(fnArn('audit'));
    const second = await create({});
    expect(await failure(lambda.send(new UpdateEventSourceMappingCommand({ UUID: second.UUID, FunctionName: 'audit' })))).toEqual({
      name: 'ResourceConflictException',
      message: `The event source arn (" ${ordersStream} ") and function (" audit ") provided mapping already exists. Please update or delete the existing mapping with UUID ${created.UUID}`,
      status: 409,
    });
    expect(await failure(lambda.send(new UpdateEventSourceMappingCommand({ UUID: second.UUID, FunctionName: 'nope' })))).toMatchObject({ message: 'Function does not exist' });
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID }));
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID: second.UUID }));
  });

  it('refuses invalid updates and changes nothing', async () => {
    const created = await create({ MaximumRecordAgeInSeconds: 3600 });
    expect(await failure(lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, MaximumRecordAgeInSeconds: 10 })))).toMatchObject({
      name: 'InvalidParameterValueException',
      message: 'MaximumRecordAgeInSeconds must be either -1 (forever) or between 60 and 604800 (inclusive)',
    });
    expect(await failure(lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, ScalingConfig: { MaximumConcurrency: 2 } })))).toMatchObject({
      message: 'Unsupported ScalingConfig parameter for given event source mapping type.',
    });
    const got = await lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }));
    expect(got.MaximumRecordAgeInSeconds).toBe(3600);
    expect(got.LastModified).toEqual(created.LastModified);
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID }));
  });

  it('sets and clears filters and the on-failure destination', async () => {
    const created = await create({ DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:000000000000:orders-stream-dlq' } } });
    const filtered = await lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, FilterCriteria: { Filters: [{ Pattern: '{"eventName":["MODIFY"]}' }] } }));
    expect(filtered.FilterCriteria).toEqual({ Filters: [{ Pattern: '{"eventName":["MODIFY"]}' }] });
    expect(filtered.DestinationConfig).toEqual({ OnFailure: { Destination: 'arn:aws:sqs:us-east-1:000000000000:orders-stream-dlq' } });
    const cleared = await lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, FilterCriteria: {}, DestinationConfig: { OnFailure: {} } }));
    expect(cleared.FilterCriteria).toBeUndefined();
    expect(cleared.DestinationConfig).toEqual({ OnFailure: {} });
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID }));
  });

  it('deletes with State Deleting; the mapping is gone afterwards', async () => {
    const created = await create({});
    const deleted = await lambda.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID }));
    expect(deleted.$metadata.httpStatusCode).toBe(202);
    expect(deleted).toMatchObject({ UUID: created.UUID, State: 'Deleting', FunctionArn: fnArn('orders-stream-processor') });
    expect(await failure(lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID })))).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(await allMappings()).toEqual([]);
  });

  it('keeps a mapping when its function is deleted, as Lambda does', async () => {
    await createFunction(lambda, 'short-lived', HANDLER);
    const created = await create({ FunctionName: 'short-lived' });
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'short-lived' }));
    const got = await lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }));
    expect(got.FunctionArn).toBe(fnArn('short-lived'));
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID }));
  });
});

describe('tags on event source mappings', () => {
  it('keeps the tags given at creation and through TagResource/UntagResource on the mapping ARN; they go with the mapping', async () => {
    const created = await create({ Tags: { team: 'orders' } });
    const arn = created.EventSourceMappingArn!;
    expect(arn).toBe(`arn:aws:lambda:us-east-1:000000000000:event-source-mapping:${created.UUID}`);
    expect((await lambda.send(new ListTagsCommand({ Resource: arn }))).Tags).toEqual({ team: 'orders' });
    await lambda.send(new TagResourceCommand({ Resource: arn, Tags: { stage: 'dev' } }));
    // A state change of the mapping leaves its tags alone.
    await lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, BatchSize: 50 }));
    expect((await lambda.send(new ListTagsCommand({ Resource: arn }))).Tags).toEqual({ team: 'orders', stage: 'dev' });
    await lambda.send(new UntagResourceCommand({ Resource: arn, TagKeys: ['team'] }));
    expect((await lambda.send(new ListTagsCommand({ Resource: arn }))).Tags).toEqual({ stage: 'dev' });
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID }));
    expect(await failure(lambda.send(new ListTagsCommand({ Resource: arn })))).toMatchObject({ name: 'ResourceNotFoundException', message: 'The resource you requested does not exist.', status: 404 });
  });
});

describe('ListEventSourceMappings', () => {
  it('filters by source and by function (name, partial ARN, ARN) and pages with MaxItems and NextMarker', async () => {
    const a = await create({});
    const b = await create({ FunctionName: 'audit' });
    const c = await create({ EventSourceArn: paymentsStream });
    const list = async (input: Record<string, unknown>) => {
      const out = await lambda.send(new ListEventSourceMappingsCommand(input));
      return { uuids: out.EventSourceMappings!.map((m) => m.UUID), next: out.NextMarker };
    };
    expect(await list({})).toEqual({ uuids: [a.UUID, b.UUID, c.UUID], next: undefined });
    expect(await list({ EventSourceArn: ordersStream })).toEqual({ uuids: [a.UUID, b.UUID], next: undefined });
    expect(await list({ FunctionName: 'orders-stream-processor' })).toEqual({ uuids: [a.UUID, c.UUID], next: undefined });
    expect(await list({ FunctionName: '000000000000:function:audit' })).toEqual({ uuids: [b.UUID], next: undefined });
    expect(await list({ FunctionName: fnArn('orders-stream-processor'), EventSourceArn: paymentsStream })).toEqual({ uuids: [c.UUID], next: undefined });
    expect(await list({ FunctionName: 'nobody' })).toEqual({ uuids: [], next: undefined });

    const first = await list({ MaxItems: 2 });
    expect(first.uuids).toEqual([a.UUID, b.UUID]);
    expect(first.next).toEqual(expect.any(String));
    expect(await list({ MaxItems: 2, Marker: first.next })).toEqual({ uuids: [c.UUID], next: undefined });

    const listed = await lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: paymentsStream }));
    expect(listed.EventSourceMappings![0]).toMatchObject({ UUID: c.UUID, State: 'Enabled', StartingPosition: 'TRIM_HORIZON', LastProcessingResult: 'No records processed' });

    expect(await failure(lambda.send(new ListEventSourceMappingsCommand({ Marker: 'garbage' })))).toEqual({ name: 'InvalidParameterValueException', message: 'Invalid marker: garbage', status: 400 });
    expect(await failure(lambda.send(new ListEventSourceMappingsCommand({ MaxItems: 0 })))).toMatchObject({ name: 'ValidationException' });
    for (const m of [a, b, c]) await lambda.send(new DeleteEventSourceMappingCommand({ UUID: m.UUID }));
  });
});

describe('state transitions with tableTransitionMs', () => {
  it('reports Creating, Disabling and Updating until the transition time has passed on Eddy’s clock', async () => {
    const slow = await startEddy({ tableTransitionMs: 60_000 });
    const client = lambdaClient(slow.endpoint);
    try {
      const stream = (
        await slow.ddb.send(
          new CreateTableCommand({
            TableName: 'Slow',
            AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
            KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
            BillingMode: 'PAY_PER_REQUEST',
            StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
          }),
        )
      ).TableDescription!.LatestStreamArn!;
      await createFunction(client, 'slow-fn', HANDLER);
      const created = await client.send(new CreateEventSourceMappingCommand({ FunctionName: 'slow-fn', EventSourceArn: stream, StartingPosition: 'LATEST' }));
      const state = async () => (await client.send(new GetEventSourceMappingCommand({ UUID: created.UUID }))).State;
      expect(await state()).toBe('Creating');
      slow.eddy.clock.advance(60_000);
      expect(await state()).toBe('Enabled');
      await client.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, Enabled: false }));
      expect(await state()).toBe('Disabling');
      slow.eddy.clock.advance(60_000);
      expect(await state()).toBe('Disabled');
      await client.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, BatchSize: 7 }));
      expect(await state()).toBe('Updating');
      slow.eddy.clock.advance(60_000);
      expect(await state()).toBe('Disabled');
    } finally {
      client.destroy();
      await slow.close();
    }
  });
});
