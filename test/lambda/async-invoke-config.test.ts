import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  DeleteFunctionEventInvokeConfigCommand,
  GetFunctionConfigurationCommand,
  GetFunctionEventInvokeConfigCommand,
  ListFunctionEventInvokeConfigsCommand,
  PutFunctionEventInvokeConfigCommand,
  UpdateFunctionConfigurationCommand,
  UpdateFunctionEventInvokeConfigCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, startEddy, type TestEddy } from '../helpers/eddy.js';
import { createFunction, lambdaClient, ROLE, zip } from './helpers.js';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function';
const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:failures';
const TOPIC = 'arn:aws:sns:us-east-1:000000000000:outcomes';
const HANDLER = { 'index.mjs': 'export const handler = async () => "ok";' };

let t: TestEddy;
let lambda: LambdaClient;
beforeEach(async () => {
  t = await startEddy();
  lambda = lambdaClient(t.endpoint);
  await createFunction(lambda, 'worker', HANDLER);
  await createFunction(lambda, 'auditor', HANDLER);
});
afterEach(async () => {
  lambda.destroy();
  await t.close();
});

const put = (input: Omit<ConstructorParameters<typeof PutFunctionEventInvokeConfigCommand>[0], 'FunctionName'> & { FunctionName?: string }) =>
  lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'worker', ...input }));
const update = (input: Omit<ConstructorParameters<typeof UpdateFunctionEventInvokeConfigCommand>[0], 'FunctionName'> & { FunctionName?: string }) =>
  lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'worker', ...input }));
const get = (FunctionName = 'worker', Qualifier?: string) => lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName, Qualifier }));

describe('PutFunctionEventInvokeConfig / Get / Update / List / Delete', () => {
  it('answers the configuration as Lambda does: $LATEST-qualified ARN, LastModified in epoch seconds on Eddy clock, both destinations', async () => {
    // Eddy's clock, a day ahead: LastModified is read from it.
    t.eddy.clock.advance(24 * 60 * 60 * 1000);
    const before = t.eddy.clock.now();
    const out = await put({ MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 600, DestinationConfig: { OnFailure: { Destination: QUEUE } } });
    const after = t.eddy.clock.now();
    const { $metadata, ...config } = out;
    expect($metadata.httpStatusCode).toBe(200);
    expect(config.LastModified!.getTime()).toBeGreaterThanOrEqual(before);
    expect(config.LastModified!.getTime()).toBeLessThanOrEqual(after);
    expect(config).toEqual({
      LastModified: config.LastModified,
      FunctionArn: `${ARN}:worker:$LATEST`,
      MaximumRetryAttempts: 1,
      MaximumEventAgeInSeconds: 600,
      DestinationConfig: { OnSuccess: {}, OnFailure: { Destination: QUEUE } },
    });
    const { $metadata: _, ...read } = await get();
    expect(read).toEqual(config);
    // The same through an ARN and an explicit $LATEST qualifier.
    expect((await get(`${ARN}:worker`)).FunctionArn).toBe(`${ARN}:worker:$LATEST`);
    expect((await get('worker', '$LATEST')).MaximumRetryAttempts).toBe(1);
    expect((await get('worker:$LATEST')).MaximumEventAgeInSeconds).toBe(600);
  });

  it('Put replaces the whole configuration (what it leaves out is gone); Update changes only what it names', async () => {
    await put({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 60, DestinationConfig: { OnSuccess: { Destination: TOPIC } } });
    const replaced = await put({ MaximumRetryAttempts: 0 });
    expect(replaced.MaximumEventAgeInSeconds).toBeUndefined();
    expect(replaced.DestinationConfig).toEqual({ OnSuccess: {}, OnFailure: {} });

    t.eddy.clock.advance(60 * 60 * 1000);
    const updated = await update({ MaximumEventAgeInSeconds: 3600 });
    expect(updated).toMatchObject({ MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 3600 });
    expect(updated.LastModified!.getTime() - replaced.LastModified!.getTime()).toBeGreaterThanOrEqual(60 * 60 * 1000);
    const destinations = await update({ DestinationConfig: { OnSuccess: { Destination: QUEUE }, OnFailure: { Destination: `${ARN}:auditor` } } });
    expect(destinations).toMatchObject({ MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 3600 });
    expect(destinations.DestinationConfig).toEqual({ OnSuccess: { Destination: QUEUE }, OnFailure: { Destination: `${ARN}:auditor` } });
    expect((await get()).DestinationConfig).toEqual(destinations.DestinationConfig);
  });

  it('lists the one configuration a function has, pages with MaxItems and Marker, and deletes it', async () => {
    expect((await lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'worker' }))).FunctionEventInvokeConfigs).toEqual([]);
    await put({ MaximumRetryAttempts: 1 });
    const listed = await lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'worker', MaxItems: 1 }));
    expect(listed.FunctionEventInvokeConfigs).toEqual([
      { LastModified: expect.any(Date), FunctionArn: `${ARN}:worker:$LATEST`, MaximumRetryAttempts: 1, DestinationConfig: { OnSuccess: {}, OnFailure: {} } },
    ]);
    expect(listed.NextMarker).toBeUndefined();
    const after = await lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'worker', Marker: `${ARN}:worker:$LATEST` }));
    expect(after.FunctionEventInvokeConfigs).toEqual([]);

    const deleted = await lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'worker' }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    const gone = await errorOf(() => get());
    expect([gone.name, gone.message, gone.$metadata?.httpStatusCode]).toEqual([
      'ResourceNotFoundException',
      `The function ${ARN}:worker:$LATEST doesn't have an EventInvokeConfig`,
      404,
    ]);
    const again = await errorOf(() => lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'worker' })));
    expect([again.name, again.message]).toEqual(['ResourceNotFoundException', `The function ${ARN}:worker doesn't have an EventInvokeConfig`]);
  });

  it('goes with its function: a function created again under the name has none', async () => {
    await put({ MaximumRetryAttempts: 0 });
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'worker' }));
    await createFunction(lambda, 'worker', HANDLER);
    expect((await errorOf(() => get())).name).toBe('ResourceNotFoundException');
  });
});

describe('event invoke configuration errors (nothing changes)', () => {
  it('a missing function, a missing configuration, an Update without one', async () => {
    const noFunction = await errorOf(() => put({ FunctionName: 'ghost', MaximumRetryAttempts: 1 }));
    expect([noFunction.name, noFunction.message, noFunction.$metadata?.httpStatusCode]).toEqual(['ResourceNotFoundException', "The function doesn't exist.", 404]);
    const getGhost = await errorOf(() => get('ghost'));
    expect(getGhost.message).toBe(`The function ${ARN}:ghost:$LATEST doesn't have an EventInvokeConfig`);
    const listGhost = await errorOf(() => lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'ghost' })));
    expect([listGhost.name, listGhost.message]).toEqual(['ResourceNotFoundException', "The function doesn't exist."]);
    const updateNone = await errorOf(() => update({ MaximumRetryAttempts: 1 }));
    expect([updateNone.name, updateNone.message]).toEqual(['ResourceNotFoundException', `The function ${ARN}:worker:$LATEST doesn't have an EventInvokeConfig`]);
  });

  it('versions and aliases do not exist on Eddy: a qualifier other than $LATEST names nothing', async () => {
    await put({ MaximumRetryAttempts: 1 });
    const putVersion = await errorOf(() => put({ Qualifier: '1', MaximumRetryAttempts: 0 }));
    expect([putVersion.name, putVersion.message]).toEqual(['ResourceNotFoundException', "The function doesn't exist."]);
    const getAlias = await errorOf(() => get('worker:live'));
    expect(getAlias.message).toBe(`The function ${ARN}:worker:live doesn't have an EventInvokeConfig`);
    const deleteVersion = await errorOf(() => lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'worker', Qualifier: '1' })));
    expect(deleteVersion.message).toBe(`The function ${ARN}:worker:1 doesn't have an EventInvokeConfig`);
    const mismatch = await errorOf(() => put({ FunctionName: 'worker:$LATEST', Qualifier: '1', MaximumRetryAttempts: 0 }));
    expect([mismatch.name, mismatch.message]).toEqual(['InvalidParameterValueException', 'The derived qualifier from the function name does not match the specified qualifier.']);
    expect((await get()).MaximumRetryAttempts).toBe(1);
  });

  it('needs at least one setting; retries 0..2 and ages 60..21600 as the model bounds them', async () => {
    const nothing = await errorOf(() => put({}));
    expect([nothing.name, nothing.message, nothing.$metadata?.httpStatusCode]).toEqual([
      'InvalidParameterValueException',
      'You must specify at least one of error handling or destination setting.',
      400,
    ]);
    expect((await errorOf(() => update({}))).name).toBe('InvalidParameterValueException');
    const retries = await errorOf(() => put({ MaximumRetryAttempts: 3 }));
    expect([retries.name, retries.message]).toEqual([
      'ValidationException',
      "1 validation error detected: Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2",
    ]);
    const age = await errorOf(() => put({ MaximumEventAgeInSeconds: 59 }));
    expect([age.name, age.message]).toEqual([
      'ValidationException',
      "1 validation error detected: Value '59' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60",
    ]);
    const accepted = await put({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21600 });
    expect([accepted.MaximumRetryAttempts, accepted.MaximumEventAgeInSeconds]).toEqual([2, 21600]);
  });

  it('destinations: not the function itself, an existing function, a supported service; EventBridge and S3 refused by name', async () => {
    await put({ MaximumRetryAttempts: 1 });
    const itself = await errorOf(() => put({ DestinationConfig: { OnSuccess: { Destination: `${ARN}:worker` } } }));
    expect([itself.name, itself.message]).toEqual(['InvalidParameterValueException', "You can't specify the function as a destination for itself."]);
    const missing = await errorOf(() => put({ DestinationConfig: { OnFailure: { Destination: `${ARN}:ghost` } } }));
    expect(missing.message).toBe(`The destination ARN ${ARN}:ghost is invalid.`);
    const iam = 'arn:aws:iam::000000000000:role/some-role';
    const service = await errorOf(() => put({ DestinationConfig: { OnSuccess: { Destination: iam } } }));
    expect([service.name, service.message]).toEqual([
      'InvalidParameterValueException',
      `The provided destination config DestinationConfig(onSuccess=OnSuccess(destination=${iam}), onFailure=null) is invalid.`,
    ]);
    const bus = 'arn:aws:events:us-east-1:000000000000:event-bus/default';
    const eventBridge = await errorOf(() => put({ DestinationConfig: { OnFailure: { Destination: bus } } }));
    expect([eventBridge.name, eventBridge.message]).toEqual([
      'InvalidParameterValueException',
      `Eddy does not support DestinationConfig.OnFailure.Destination "${bus}" yet (see docs/lambda.md).`,
    ]);
    const bucket = await errorOf(() => update({ DestinationConfig: { OnFailure: { Destination: 'arn:aws:s3:::failed-events' } } }));
    expect(bucket.message).toBe('Eddy does not support DestinationConfig.OnFailure.Destination "arn:aws:s3:::failed-events" yet (see docs/lambda.md).');
    const malformed = await errorOf(() => put({ DestinationConfig: { OnFailure: { Destination: 'https://sqs.us-east-1.amazonaws.com/000000000000/q' } } }));
    expect(malformed.name).toBe('ValidationException');
    // None of these changed the configuration.
    expect(await get()).toMatchObject({ MaximumRetryAttempts: 1, DestinationConfig: { OnSuccess: {}, OnFailure: {} } });
    // An empty Destination is no destination.
    expect((await put({ DestinationConfig: { OnSuccess: { Destination: '' }, OnFailure: {} } })).DestinationConfig).toEqual({ OnSuccess: {}, OnFailure: {} });
  });
});

describe('DeadLetterConfig', () => {
  it('takes an SQS queue or SNS topic at CreateFunction and UpdateFunctionConfiguration, shows it, and removes it with an empty TargetArn', async () => {
    await lambda.send(
      new CreateFunctionCommand({ FunctionName: 'with-dlq', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zip(HANDLER) }, DeadLetterConfig: { TargetArn: QUEUE } }),
    );
    expect((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'with-dlq' }))).DeadLetterConfig).toEqual({ TargetArn: QUEUE });
    const toTopic = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'with-dlq', DeadLetterConfig: { TargetArn: TOPIC } }));
    expect(toTopic.DeadLetterConfig).toEqual({ TargetArn: TOPIC });
    // Other updates keep it.
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'with-dlq', Timeout: 10 }));
    expect((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'with-dlq' }))).DeadLetterConfig).toEqual({ TargetArn: TOPIC });
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'with-dlq', DeadLetterConfig: { TargetArn: '' } }));
    expect((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'with-dlq' }))).DeadLetterConfig).toBeUndefined();
  });

  it('refuses a target that is not an SQS queue or SNS topic, changing nothing', async () => {
    const refused = await errorOf(() =>
      lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'worker', DeadLetterConfig: { TargetArn: `${ARN}:auditor` }, Timeout: 9 })),
    );
    expect([refused.name, refused.message]).toEqual([
      'InvalidParameterValueException',
      'Invalid dead letter queue ARN: The service specified by the TargetArn is not supported for dead letter configuration.',
    ]);
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'worker' }));
    expect([config.DeadLetterConfig, config.Timeout]).toEqual([undefined, 3]);
  });
});
