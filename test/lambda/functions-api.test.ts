import { createHash } from 'node:crypto';
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  GetFunctionCodeSigningConfigCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  ListFunctionsCommand,
  ListVersionsByFunctionCommand,
  ListTagsCommand,
  PutFunctionConcurrencyCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, fakeAuthorization, startEddy, type TestEddy } from '../helpers/eddy.js';
import { createFunction, lambdaClient, ROLE, zip } from './helpers.js';

let t: TestEddy;
let lambda: LambdaClient;
beforeAll(async () => {
  t = await startEddy();
  lambda = lambdaClient(t.endpoint);
});
afterAll(async () => {
  lambda.destroy();
  await t.close();
});

const ARN = (name: string): string => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const HANDLER = { 'index.mjs': 'export const handler = async () => "ok";' };
const LAST_MODIFIED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const strip = <T extends { $metadata?: unknown }>(output: T): Omit<T, '$metadata'> => {
  const { $metadata: _, ...rest } = output;
  return rest;
};

/** A raw REST-JSON request to Eddy's Lambda API, for what no SDK shows (headers, bodies). */
async function raw(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(t.endpoint + path, {
    method,
    headers: { Authorization: fakeAuthorization(), 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: text ? JSON.parse(text) : undefined };
}

describe('CreateFunction', () => {
  it('answers every field as Lambda does, the state transition just begun', async () => {
    const code = zip(HANDLER);
    const created = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'fields',
        Runtime: 'nodejs22.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: { ZipFile: code },
        Description: 'a function',
        Environment: { Variables: { GREETING: 'hello' } },
      }),
    );
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(strip(created)).toEqual({
      FunctionName: 'fields',
      FunctionArn: ARN('fields'),
      Runtime: 'nodejs22.x',
      Role: ROLE,
      Handler: 'index.handler',
      CodeSize: code.length,
      Description: 'a function',
      Timeout: 3,
      MemorySize: 128,
      LastModified: expect.stringMatching(LAST_MODIFIED),
      CodeSha256: createHash('sha256').update(code).digest('base64'),
      Version: '$LATEST',
      Environment: { Variables: { GREETING: 'hello' } },
      TracingConfig: { Mode: 'PassThrough' },
      RevisionId: expect.stringMatching(UUID),
      State: 'Pending',
      StateReason: 'The function is being created.',
      StateReasonCode: 'Creating',
      PackageType: 'Zip',
      Architectures: ['x86_64'],
      EphemeralStorage: { Size: 512 },
      SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
      RuntimeVersionConfig: { RuntimeVersionArn: expect.stringMatching(/^arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}$/) },
      LoggingConfig: { LogFormat: 'Text', LogGroup: '/aws/lambda/fields' },
    });

    const got = await lambda.send(new GetFunctionCommand({ FunctionName: 'fields' }));
    expect(got.Configuration).toEqual({
      ...strip(created),
      State: 'Active',
      LastUpdateStatus: 'Successful',
      StateReason: undefined,
      StateReasonCode: undefined,
    });
    expect(got.Configuration?.StateReason).toBeUndefined();
    expect(got.Code?.RepositoryType).toBe('S3');
    const download = await fetch(got.Code!.Location!);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(code);

    const configuration = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: ARN('fields') }));
    expect(strip(configuration)).toEqual(got.Configuration);
  });

  it('accepts Python and provided runtimes (no Handler needed for provided) and stores them', async () => {
    await createFunction(lambda, 'py', { 'app.py': 'def handler(event, context):\n    return event\n' }, { Runtime: 'python3.12', Handler: 'app.handler' });
    await createFunction(lambda, 'custom', { bootstrap: '#!/bin/sh\n' }, { Runtime: 'provided.al2023', Handler: undefined });
    expect((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'py' }))).Runtime).toBe('python3.12');
    const custom = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'custom' }));
    expect(custom.Runtime).toBe('provided.al2023');
    expect(custom.Handler).toBeUndefined();
  });

  it('refuses a name that is taken with ResourceConflictException', async () => {
    await createFunction(lambda, 'twice', HANDLER);
    const error = await errorOf(() => createFunction(lambda, 'twice', HANDLER));
    expect(error.name).toBe('ResourceConflictException');
    expect(error.message).toBe('Function already exist: twice');
    expect(error.$metadata?.httpStatusCode).toBe(409);
  });

  it("checks settings against Lambda's limits with its texts", async () => {
    const timeout = await errorOf(() => createFunction(lambda, 'limits', HANDLER, { Timeout: 901 }));
    expect(timeout.name).toBe('ValidationException');
    expect(timeout.message).toBe("1 validation error detected: Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900");
    const memory = await errorOf(() => createFunction(lambda, 'limits', HANDLER, { MemorySize: 64 }));
    expect(memory.message).toBe("1 validation error detected: Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128");
    const role = await errorOf(() => createFunction(lambda, 'limits', HANDLER, { Role: 'lambda-role' }));
    expect(role.name).toBe('ValidationException');
    expect(role.message).toBe(
      "1 validation error detected: Value 'lambda-role' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+",
    );
    const handler = await errorOf(() => createFunction(lambda, 'limits', HANDLER, { Handler: undefined }));
    expect(handler.name).toBe('InvalidParameterValueException');
    expect(handler.message).toBe('Runtime and Handler are mandatory parameters for functions created with deployment packages.');
    const old = await errorOf(() => createFunction(lambda, 'limits', HANDLER, { Runtime: 'nodejs16.x' }));
    expect(old.message).toBe(
      'The runtime parameter of nodejs16.x is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.',
    );
    const reserved = await errorOf(() => createFunction(lambda, 'limits', HANDLER, { Environment: { Variables: { AWS_REGION: 'x', OK: '1', AWS_ACCESS_KEY_ID: 'y' } } }));
    expect(reserved.name).toBe('InvalidParameterValueException');
    expect(reserved.message).toBe(
      'Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: AWS_REGION, AWS_ACCESS_KEY_ID',
    );
    const large = await errorOf(() => createFunction(lambda, 'limits', HANDLER, { Environment: { Variables: { BIG: 'x'.repeat(4100) } } }));
    expect(large.message).toMatch(/^Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit\. String measured: \{"BIG":"x{4100}"\}$/);
    const badZip = await errorOf(() => lambda.send(new CreateFunctionCommand({ FunctionName: 'limits', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: new TextEncoder().encode('not a zip') } })));
    expect(badZip.name).toBe('InvalidParameterValueException');
    expect(badZip.message).toBe('Could not unzip uploaded file. Please check your file, then try to upload again.');
    const noCode = await errorOf(() => lambda.send(new CreateFunctionCommand({ FunctionName: 'limits', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: {} })));
    expect(noCode.message).toBe('Please provide a source for function code.');
    await expect(lambda.send(new GetFunctionCommand({ FunctionName: 'limits' }))).rejects.toThrow('Function not found');
  });

  it('refuses what Eddy does not simulate, naming it, and accepts the defaults tools send', async () => {
    const java = await errorOf(() => createFunction(lambda, 'refused', HANDLER, { Runtime: 'java21' }));
    expect(java.name).toBe('InvalidParameterValueException');
    expect(java.message).toBe('Eddy does not support Runtime "java21" yet (see docs/lambda.md).');
    const publish = await errorOf(() => createFunction(lambda, 'refused', HANDLER, { Publish: true }));
    expect(publish.message).toBe('Eddy does not support Publish: true (published function versions) yet (see docs/lambda.md).');
    const vpc = await errorOf(() => createFunction(lambda, 'refused', HANDLER, { VpcConfig: { SubnetIds: ['subnet-1'], SecurityGroupIds: [] } }));
    expect(vpc.message).toBe('Eddy does not support VpcConfig {"SubnetIds":["subnet-1"],"SecurityGroupIds":[]} yet (see docs/lambda.md).');
    const s3 = await errorOf(() => lambda.send(new CreateFunctionCommand({ FunctionName: 'refused', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { S3Bucket: 'bucket', S3Key: 'key.zip' } })));
    expect(s3.message).toBe('Eddy does not support code from S3 bucket "bucket" (give Code.ZipFile, or S3Bucket "eddy-local" with S3Key an absolute local directory) yet (see docs/lambda.md).');

    await createFunction(lambda, 'defaults', HANDLER, {
      VpcConfig: { SubnetIds: [], SecurityGroupIds: [] },
      TracingConfig: { Mode: 'PassThrough' },
      Layers: [],
      Architectures: ['arm64'],
      EphemeralStorage: { Size: 1024 },
    });
    const stored = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'defaults' }));
    expect(stored.Architectures).toEqual(['arm64']);
    expect(stored.EphemeralStorage).toEqual({ Size: 1024 });
  });
});

describe('GetFunction and ListFunctions', () => {
  it('answers a missing function with ResourceNotFoundException naming its ARN (404)', async () => {
    const error = await errorOf(() => lambda.send(new GetFunctionCommand({ FunctionName: 'missing' })));
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.message).toBe(`Function not found: ${ARN('missing')}`);
    expect(error.$metadata?.httpStatusCode).toBe(404);
    const qualified = await errorOf(() => lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'missing', Qualifier: '3' })));
    expect(qualified.message).toBe(`Function not found: ${ARN('missing')}:3`);
  });

  it('finds a function by ARN, partial ARN and $LATEST, and refuses other regions', async () => {
    await createFunction(lambda, 'named', HANDLER);
    for (const name of [ARN('named'), '000000000000:function:named', 'named:$LATEST', `${ARN('named')}:$LATEST`]) {
      expect((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }))).FunctionName).toBe('named');
    }
    const version = await errorOf(() => lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'named', Qualifier: '1' })));
    expect(version.message).toBe(`Function not found: ${ARN('named')}:1`);
    const elsewhere = await errorOf(() => lambda.send(new GetFunctionCommand({ FunctionName: 'arn:aws:lambda:eu-west-1:000000000000:function:named' })));
    expect(elsewhere.name).toBe('ResourceNotFoundException');
    expect(elsewhere.message).toBe("Functions from 'eu-west-1' are not reachable in this region ('us-east-1')");
  });

  it('lists in name order, 50 at most per page, with Marker and MaxItems, without State fields', async () => {
    const other = await startEddy();
    const client = lambdaClient(other.endpoint);
    try {
      for (const name of ['list-c', 'list-a', 'list-b']) await createFunction(client, name, HANDLER);
      const first = await client.send(new ListFunctionsCommand({ MaxItems: 2 }));
      expect(first.Functions?.map((f) => f.FunctionName)).toEqual(['list-a', 'list-b']);
      expect(first.NextMarker).toEqual(expect.any(String));
      const second = await client.send(new ListFunctionsCommand({ Marker: first.NextMarker, MaxItems: 2 }));
      expect(second.Functions?.map((f) => f.FunctionName)).toEqual(['list-c']);
      expect(second.NextMarker).toBeUndefined();
      const entry = second.Functions![0]!;
      expect(entry.FunctionArn).toBe(ARN('list-c'));
      expect(entry.State).toBeUndefined();
      expect(entry.LastUpdateStatus).toBeUndefined();
      expect(entry.RuntimeVersionConfig).toBeUndefined();
      expect(entry.Runtime).toBe('nodejs20.x');
      const all = await client.send(new ListFunctionsCommand({ FunctionVersion: 'ALL' }));
      expect(all.Functions?.map((f) => f.FunctionArn)).toEqual(['list-a', 'list-b', 'list-c'].map((n) => `${ARN(n)}:$LATEST`));
      for (let i = 0; i < 52; i++) await createFunction(client, `many-${String(i).padStart(2, '0')}`, HANDLER);
      const capped = await client.send(new ListFunctionsCommand({ MaxItems: 500 }));
      expect(capped.Functions).toHaveLength(50);
      expect(capped.NextMarker).toEqual(expect.any(String));
    } finally {
      client.destroy();
      await other.close();
    }
  });
});

describe('updates and deletion', () => {
  it('updates the configuration: InProgress in the answer, Successful right after, a new RevisionId', async () => {
    await createFunction(lambda, 'configure', HANDLER);
    const before = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'configure' }));
    const updated = await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'configure',
        Timeout: 10,
        MemorySize: 256,
        Description: 'changed',
        Environment: { Variables: { MODE: 'test' } },
        Handler: 'index.main',
        Runtime: 'nodejs22.x',
        RevisionId: before.RevisionId,
      }),
    );
    expect(updated).toMatchObject({
      Timeout: 10,
      MemorySize: 256,
      Description: 'changed',
      Environment: { Variables: { MODE: 'test' } },
      Handler: 'index.main',
      Runtime: 'nodejs22.x',
      State: 'Active',
      LastUpdateStatus: 'InProgress',
      LastUpdateStatusReason: 'The function is being created.',
      LastUpdateStatusReasonCode: 'Creating',
    });
    expect(updated.RevisionId).not.toBe(before.RevisionId);
    expect(updated.CodeSha256).toBe(before.CodeSha256);
    const after = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'configure' }));
    expect(after.LastUpdateStatus).toBe('Successful');
    expect(after.RevisionId).toBe(updated.RevisionId);
    expect(after.Timeout).toBe(10);

    const stale = await errorOf(() => lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'configure', Timeout: 5, RevisionId: before.RevisionId })));
    expect(stale.name).toBe('PreconditionFailedException');
    expect(stale.$metadata?.httpStatusCode).toBe(412);
    expect(stale.message).toBe(
      'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
    );
    const cleared = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'configure', Environment: { Variables: {} } }));
    expect(cleared.Environment).toBeUndefined();
  });

  it('updates the code: new CodeSha256 and CodeSize; DryRun changes nothing', async () => {
    await createFunction(lambda, 'recode', HANDLER);
    const next = zip({ 'index.mjs': 'export const handler = async () => "new code, longer than before";' });
    const dry = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'recode', ZipFile: next, DryRun: true }));
    expect(dry.CodeSha256).toBe(createHash('sha256').update(next).digest('base64'));
    const unchanged = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'recode' }));
    expect(unchanged.CodeSha256).not.toBe(dry.CodeSha256);
    const updated = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'recode', ZipFile: next }));
    expect(updated).toMatchObject({ CodeSize: next.length, CodeSha256: dry.CodeSha256, LastUpdateStatus: 'InProgress' });
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: 'recode' }));
    expect(new Uint8Array(await (await fetch(got.Code!.Location!)).arrayBuffer())).toEqual(next);
    const missing = await errorOf(() => lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'nope', ZipFile: next })));
    expect(missing.message).toBe(`Function not found: ${ARN('nope')}`);
  });

  it('deletes with 204; the function is gone after', async () => {
    await createFunction(lambda, 'doomed', HANDLER);
    const latest = await errorOf(() => lambda.send(new DeleteFunctionCommand({ FunctionName: 'doomed', Qualifier: '$LATEST' })));
    expect(latest.name).toBe('InvalidParameterValueException');
    expect(latest.message).toBe('$LATEST version cannot be deleted without deleting the function.');
    const deleted = await lambda.send(new DeleteFunctionCommand({ FunctionName: 'doomed' }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    const error = await errorOf(() => lambda.send(new DeleteFunctionCommand({ FunctionName: 'doomed' })));
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.message).toBe(`Function not found: ${ARN('doomed')}`);
    await createFunction(lambda, 'doomed', HANDLER);
  });
});

describe('reserved concurrency and tags', () => {
  it('puts, gets and deletes reserved concurrency within the account quota', async () => {
    await createFunction(lambda, 'reserved', HANDLER);
    expect(strip(await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'reserved' })))).toEqual({});
    const put = await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'reserved', ReservedConcurrentExecutions: 5 }));
    expect(strip(put)).toEqual({ ReservedConcurrentExecutions: 5 });
    expect((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'reserved' }))).ReservedConcurrentExecutions).toBe(5);
    expect((await lambda.send(new GetFunctionCommand({ FunctionName: 'reserved' }))).Concurrency).toEqual({ ReservedConcurrentExecutions: 5 });
    const tooMuch = await errorOf(() => lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'reserved', ReservedConcurrentExecutions: 901 })));
    expect(tooMuch.name).toBe('InvalidParameterValueException');
    expect(tooMuch.message).toBe("Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].");
    const deleted = await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'reserved' }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'reserved' }))).ReservedConcurrentExecutions).toBeUndefined();
    const missing = await errorOf(() => lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'nope', ReservedConcurrentExecutions: 1 })));
    expect(missing.message).toBe(`Function not found: ${ARN('nope')}:$LATEST`);
    const negative = await errorOf(() => lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'reserved', ReservedConcurrentExecutions: -1 })));
    expect(negative.name).toBe('ValidationException');
  });

  it('keeps tags given at creation and through TagResource/UntagResource', async () => {
    await createFunction(lambda, 'tagged', HANDLER, { Tags: { team: 'data' } });
    expect((await lambda.send(new GetFunctionCommand({ FunctionName: 'tagged' }))).Tags).toEqual({ team: 'data' });
    await lambda.send(new TagResourceCommand({ Resource: ARN('tagged'), Tags: { stage: 'dev' } }));
    expect((await lambda.send(new ListTagsCommand({ Resource: ARN('tagged') }))).Tags).toEqual({ team: 'data', stage: 'dev' });
    await lambda.send(new UntagResourceCommand({ Resource: ARN('tagged'), TagKeys: ['team'] }));
    expect((await lambda.send(new ListTagsCommand({ Resource: ARN('tagged') }))).Tags).toEqual({ stage: 'dev' });
    const tooMany = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    const error = await errorOf(() => createFunction(lambda, 'overtagged', HANDLER, { Tags: tooMany }));
    expect(error.message).toBe('Number of tags exceeds resource tag limit.');
  });
});

describe('what Terraform reads of a function', () => {
  it('lists the versions of a function: $LATEST alone, with its qualified ARN (Eddy publishes none)', async () => {
    await createFunction(lambda, 'versioned', HANDLER);
    const { Versions, NextMarker } = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'versioned' }));
    expect(NextMarker).toBeUndefined();
    expect(Versions).toHaveLength(1);
    expect(Versions![0]).toMatchObject({ FunctionName: 'versioned', FunctionArn: `${ARN('versioned')}:$LATEST`, Version: '$LATEST', Runtime: 'nodejs20.x' });
    expect((await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: ARN('versioned') }))).Versions).toEqual(Versions);
    const missing = await errorOf(() => lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'unversioned' })));
    expect(missing.name).toBe('ResourceNotFoundException');
  });

  it('answers a function without a code signing configuration with an empty one', async () => {
    await createFunction(lambda, 'unsigned', HANDLER);
    expect(strip(await lambda.send(new GetFunctionCodeSigningConfigCommand({ FunctionName: 'unsigned' })))).toEqual({ CodeSigningConfigArn: '', FunctionName: 'unsigned' });
    const missing = await errorOf(() => lambda.send(new GetFunctionCodeSigningConfigCommand({ FunctionName: 'unsigned-missing' })));
    expect(missing.name).toBe('ResourceNotFoundException');
  });
});

describe('the REST-JSON wire', () => {
  it('writes errors with X-Amzn-ErrorType, the status of the error shape and {"Type", "Message"|"message"}', async () => {
    const missing = await raw('GET', '/2015-03-31/functions/absent');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect(missing.headers.get('x-amzn-requestid')).toMatch(UUID);
    expect(missing.json).toEqual({ Type: 'User', Message: `Function not found: ${ARN('absent')}` });
    await createFunction(lambda, 'wire', HANDLER);
    const conflict = await raw('POST', '/2015-03-31/functions', {
      FunctionName: 'wire',
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: { ZipFile: Buffer.from(zip(HANDLER)).toString('base64') },
    });
    expect(conflict.status).toBe(409);
    expect(conflict.json).toEqual({ Type: 'User', message: 'Function already exist: wire' });
  });

  it('routes a URL-encoded function ARN in the path', async () => {
    const res = await raw('GET', `/2015-03-31/functions/${encodeURIComponent(ARN('wire'))}/configuration`);
    expect(res.status).toBe(200);
    expect(res.json.FunctionName).toBe('wire');
  });

  it('refuses unsigned requests and answers operations Eddy lacks with NotImplementedException', async () => {
    const unsigned = await raw('GET', '/2015-03-31/functions', undefined, { Authorization: '' });
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    const aliases = await raw('GET', '/2015-03-31/functions/wire/aliases');
    expect(aliases.status).toBe(501);
    expect(aliases.headers.get('x-amzn-errortype')).toBe('NotImplementedException');
    expect(aliases.json.message).toBe('Eddy does not implement the ListAliases operation yet.');
    const malformed = await raw('POST', '/2015-03-31/functions', undefined, {});
    expect(malformed.status).toBe(400);
    const broken = await fetch(`${t.endpoint}/2015-03-31/functions`, { method: 'POST', headers: { Authorization: fakeAuthorization() }, body: '{"FunctionName":' });
    expect(broken.status).toBe(400);
    expect(broken.headers.get('x-amzn-errortype')).toBe('InvalidRequestContentException');
  });
});
