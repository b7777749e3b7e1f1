import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, GetItemCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import {
  DeleteFunctionConcurrencyCommand,
  InvokeCommand,
  PutFunctionConcurrencyCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, fakeAuthorization, startEddy, type TestEddy } from '../helpers/eddy.js';
import { createFunction, lambdaClient, logOf, payloadOf, zip } from './helpers.js';

let t: TestEddy;
let lambda: LambdaClient;
beforeAll(async () => {
  t = await startEddy();
  lambda = lambdaClient(t.endpoint);
  await t.ddb.send(
    new CreateTableCommand({
      TableName: 'Writes',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
});
afterAll(async () => {
  lambda.destroy();
  await t.close();
});

const ARN = (name: string): string => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const invoke = (name: string, event: unknown = {}, extra: Partial<ConstructorParameters<typeof InvokeCommand>[0]> = {}) =>
  lambda.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify(event), ...extra }));

/** A handler that puts `{id: event.id, source: <where>}` into the Writes table through Eddy, with no endpoint configured. */
const WRITER = `
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
const client = new DynamoDBClient({});
export const handler = async (event) => {
  await client.send(new PutItemCommand({ TableName: 'Writes', Item: { id: { S: event.id }, source: { S: 'lambda' } } }));
  return { wrote: event.id };
};`;

async function readWrite(id: string): Promise<Record<string, unknown> | undefined> {
  return (await t.ddb.send(new GetItemCommand({ TableName: 'Writes', Key: { id: { S: id } }, ConsistentRead: true }))).Item;
}

describe('handlers of every module kind', () => {
  it('runs an ES module handler with the event and returns its result', async () => {
    await createFunction(lambda, 'esm', { 'index.mjs': 'export const handler = async (event) => ({ got: event, kind: "esm" });' });
    const out = await invoke('esm', { a: 1 });
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBeUndefined();
    expect(out.ExecutedVersion).toBe('$LATEST');
    expect(payloadOf(out)).toEqual({ got: { a: 1 }, kind: 'esm' });
  });

  it('runs a CommonJS handler (module.exports and exports.name), in a subdirectory too', async () => {
    await createFunction(lambda, 'cjs', { 'index.js': 'module.exports.handler = async (event) => ({ kind: typeof require, n: event.n * 2 });' });
    expect(payloadOf(await invoke('cjs', { n: 21 }))).toEqual({ kind: 'function', n: 42 });
    await createFunction(lambda, 'nested', { 'src/handlers/app.cjs': 'exports.main = async () => "nested";' }, { Handler: 'src/handlers/app.main' });
    expect(payloadOf(await invoke('nested'))).toBe('nested');
  });

  it('runs TypeScript handlers, CommonJS-typed and ESM-typed, with no build step', async () => {
    await createFunction(
      lambda,
      'ts-cjs',
      { 'index.ts': 'interface Event { name: string }\nexport const handler = async (event: Event): Promise<string> => `hello ${event.name}`;\n' },
    );
    expect(payloadOf(await invoke('ts-cjs', { name: 'ts' }))).toBe('hello ts');
    await createFunction(
      lambda,
      'ts-esm',
      {
        'package.json': '{"type":"module"}',
        'handler.ts': 'import { helper } from "./lib/helper.ts";\nexport async function handler(event: { n: number }): Promise<number> { return helper(event.n); }\n',
        'lib/helper.ts': 'export const helper = (n: number): number => n + 1;\n',
      },
      { Handler: 'handler.handler' },
    );
    expect(payloadOf(await invoke('ts-esm', { n: 1 }))).toBe(2);
  });

  it('runs callback handlers, waiting for the event loop to empty unless told not to', async () => {
    await createFunction(lambda, 'callback', {
      'index.js': `
        let fired = 0;
        exports.handler = function (event, context, callback) {
          // Reporting must not wait: a timer left pending by an earlier invocation keeps the loop busy (as on Lambda).
          if (event.report) { context.callbackWaitsForEmptyEventLoop = false; return callback(null, { fired }); }
          context.callbackWaitsForEmptyEventLoop = event.wait;
          setTimeout(() => { fired++; }, event.delay);
          callback(null, { waited: event.wait });
        };`,
    });
    const started = Date.now();
    expect(payloadOf(await invoke('callback', { wait: true, delay: 300 }))).toEqual({ waited: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(payloadOf(await invoke('callback', { report: true }))).toEqual({ fired: 1 });
    // Not waiting: the answer comes at once, the timer fires later (here: after the test).
    expect(payloadOf(await invoke('callback', { wait: false, delay: 60_000 }))).toEqual({ waited: false });
    expect(payloadOf(await invoke('callback', { report: true }))).toEqual({ fired: 1 });

    await createFunction(lambda, 'callback-error', { 'index.js': 'exports.handler = (event, context, callback) => callback(new RangeError("out of range"));' });
    const failed = await invoke('callback-error');
    expect(failed.FunctionError).toBe('Unhandled');
    expect(payloadOf(failed)).toMatchObject({ errorType: 'RangeError', errorMessage: 'out of range' });
  });

  it('keeps module scope between warm invocations', async () => {
    await createFunction(lambda, 'warm', { 'index.mjs': 'let count = 0; const loadedAt = Math.random(); export const handler = async () => ({ count: ++count, loadedAt });' });
    const first = payloadOf(await invoke('warm'));
    const second = payloadOf(await invoke('warm'));
    const third = payloadOf(await invoke('warm'));
    expect([first.count, second.count, third.count]).toEqual([1, 2, 3]);
    expect(new Set([first.loadedAt, second.loadedAt, third.loadedAt]).size).toBe(1);
  });

  it('reports a missing module or handler as Lambda does', async () => {
    await createFunction(lambda, 'no-module', { 'other.js': '' });
    const module = await invoke('no-module');
    expect(module.FunctionError).toBe('Unhandled');
    expect(payloadOf(module)).toMatchObject({ errorType: 'Runtime.ImportModuleError', errorMessage: "Error: Cannot find module 'index'\nRequire stack:\n- /var/runtime/index.mjs" });
    await createFunction(lambda, 'no-handler', { 'index.js': 'exports.other = async () => 1;' });
    expect(payloadOf(await invoke('no-handler'))).toMatchObject({ errorType: 'Runtime.HandlerNotFound', errorMessage: 'index.handler is undefined or not exported' });
    // A handler path never leaves the deployment package.
    await createFunction(lambda, 'escape', { 'index.js': 'exports.handler = async () => 1;' }, { Handler: '../../node_modules/@aws-sdk/client-dynamodb/dist-cjs/index.handler' });
    expect(payloadOf(await invoke('escape'))).toMatchObject({ errorType: 'Runtime.ImportModuleError' });
  });
});

describe('context and environment', () => {
  it('gives the handler a complete context', async () => {
    await createFunction(
      lambda,
      'context',
      {
        'index.mjs': `export const handler = async (event, context) => ({
          keys: Object.keys(context).sort(),
          awsRequestId: context.awsRequestId,
          functionName: context.functionName,
          functionVersion: context.functionVersion,
          invokedFunctionArn: context.invokedFunctionArn,
          memoryLimitInMB: context.memoryLimitInMB,
          logGroupName: context.logGroupName,
          logStreamName: context.logStreamName,
          remaining: context.getRemainingTimeInMillis(),
          callbackWaitsForEmptyEventLoop: context.callbackWaitsForEmptyEventLoop,
          clientContext: context.clientContext,
        });`,
      },
      { Timeout: 7, MemorySize: 256 },
    );
    const clientContext = Buffer.from(JSON.stringify({ custom: { from: 'test' } })).toString('base64');
    const out = await invoke('context', {}, { ClientContext: clientContext });
    const context = payloadOf(out);
    expect(context).toEqual({
      keys: expect.arrayContaining([
        'awsRequestId',
        'callbackWaitsForEmptyEventLoop',
        'functionName',
        'functionVersion',
        'getRemainingTimeInMillis',
        'invokedFunctionArn',
        'logGroupName',
        'logStreamName',
        'memoryLimitInMB',
      ]),
      awsRequestId: out.$metadata.requestId,
      functionName: 'context',
      functionVersion: '$LATEST',
      invokedFunctionArn: ARN('context'),
      memoryLimitInMB: '256',
      logGroupName: '/aws/lambda/context',
      logStreamName: expect.stringMatching(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/),
      remaining: expect.any(Number),
      callbackWaitsForEmptyEventLoop: true,
      clientContext: { custom: { from: 'test' } },
    });
    expect(context.remaining).toBeGreaterThan(5000);
    expect(context.remaining).toBeLessThanOrEqual(7000);
    const qualified = payloadOf(await invoke(`${ARN('context')}:$LATEST`));
    expect(qualified.invokedFunctionArn).toBe(`${ARN('context')}:$LATEST`);
  });

  it("sets Lambda's variables in the worker's own environment, and the function's", async () => {
    await createFunction(
      lambda,
      'env',
      { 'index.js': 'exports.handler = async () => ({ ...process.env });' },
      { Environment: { Variables: { MY_SETTING: 'on' } }, MemorySize: 512 },
    );
    const env = payloadOf(await invoke('env'));
    expect(env).toMatchObject({
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'env',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/env',
      AWS_LAMBDA_LOG_STREAM_NAME: expect.stringMatching(/\[\$LATEST\][0-9a-f]{32}$/),
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
      LAMBDA_TASK_ROOT: expect.any(String),
      _HANDLER: 'index.handler',
      AWS_ENDPOINT_URL: t.endpoint,
      AWS_ACCESS_KEY_ID: expect.any(String),
      AWS_SECRET_ACCESS_KEY: expect.any(String),
      AWS_SESSION_TOKEN: expect.any(String),
      MY_SETTING: 'on',
    });
    // Worker threads do not share process.env: Eddy's own is untouched.
    expect(process.env.AWS_LAMBDA_FUNCTION_NAME).toBeUndefined();
    expect(process.env.MY_SETTING).toBeUndefined();
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'env', Environment: { Variables: { MY_SETTING: 'off' } } }));
    expect(payloadOf(await invoke('env')).MY_SETTING).toBe('off');
  });

  it("reaches Eddy's DynamoDB through the handler's own SDK client with no endpoint configured", async () => {
    await createFunction(lambda, 'writer', { 'index.mjs': WRITER });
    const out = await invoke('writer', { id: 'sync-1' });
    expect(out.FunctionError).toBeUndefined();
    expect(payloadOf(out)).toEqual({ wrote: 'sync-1' });
    expect(await readWrite('sync-1')).toEqual({ id: { S: 'sync-1' }, source: { S: 'lambda' } });
  });
});

describe('function errors', () => {
  it('answers 200 with X-Amz-Function-Error: Unhandled and the Node runtime error document', async () => {
    await createFunction(lambda, 'thrower', { 'index.mjs': 'export const handler = async () => { console.log("about to fail"); throw new TypeError("bad input"); };' });
    const out = await invoke('thrower', {}, { LogType: 'Tail' });
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe('Unhandled');
    const error = payloadOf(out);
    expect(Object.keys(error)).toEqual(['errorType', 'errorMessage', 'trace']);
    expect(error.errorType).toBe('TypeError');
    expect(error.errorMessage).toBe('bad input');
    expect(error.trace[0]).toBe('TypeError: bad input');
    expect(logOf(out)).toContain('INFO\tabout to fail');

    const res = await fetch(`${t.endpoint}/2015-03-31/functions/thrower/invocations`, { method: 'POST', headers: { Authorization: fakeAuthorization() }, body: '{}' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-amz-function-error')).toBe('Unhandled');
    expect(res.headers.get('x-amz-executed-version')).toBe('$LATEST');
    expect(((await res.json()) as { errorType: string }).errorType).toBe('TypeError');
  });

  it('turns process.exit into Runtime.ExitError and starts a fresh worker after', async () => {
    await createFunction(lambda, 'exiter', { 'index.js': 'let calls = 0; exports.handler = async (event) => { calls++; if (event.exit) process.exit(3); return calls; };' });
    expect(payloadOf(await invoke('exiter'))).toBe(1);
    const out = await invoke('exiter', { exit: true });
    expect(out.FunctionError).toBe('Unhandled');
    expect(payloadOf(out)).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${out.$metadata.requestId} Error: Runtime exited with error: exit status 3`,
    });
    expect(payloadOf(await invoke('exiter'))).toBe(1);
  });

  it('turns running out of memory into Runtime.OutOfMemory', async () => {
    await createFunction(lambda, 'hog', { 'index.js': 'const keep = []; exports.handler = async () => { for (;;) keep.push(new Array(100000).fill(Math.random())); };' });
    const out = await invoke('hog');
    expect(out.FunctionError).toBe('Unhandled');
    expect(payloadOf(out)).toEqual({
      errorType: 'Runtime.OutOfMemory',
      errorMessage: `RequestId: ${out.$metadata.requestId} Error: Runtime exited with error: signal: killed`,
    });
  });

  it('reports an exception thrown outside the handler promise', async () => {
    await createFunction(lambda, 'stray', { 'index.js': 'exports.handler = async () => { setTimeout(() => { throw new Error("stray"); }, 0); return new Promise(() => {}); };' });
    const out = await invoke('stray');
    expect(out.FunctionError).toBe('Unhandled');
    expect(payloadOf(out)).toMatchObject({ errorType: 'Error', errorMessage: 'stray' });
  });

  it('times out as Lambda does, even a handler spinning the CPU, without blocking Eddy, and replaces the worker', async () => {
    await createFunction(
      lambda,
      'sleeper',
      { 'index.mjs': 'let calls = 0; export const handler = async (event) => { calls++; if (event.spin) for (;;); return calls; };' },
      { Timeout: 1 },
    );
    expect(payloadOf(await invoke('sleeper'))).toBe(1);
    await createFunction(lambda, 'meanwhile', { 'index.mjs': 'export const handler = async () => "still here";' });
    expect(payloadOf(await invoke('meanwhile'))).toBe('still here');
    const spinning = invoke('sleeper', { spin: true }, { LogType: 'Tail' });
    let spinDone = false;
    void spinning.then(() => (spinDone = true));
    // Eddy keeps answering while the handler spins in its worker thread.
    expect(payloadOf(await invoke('meanwhile'))).toBe('still here');
    expect((await t.ddb.send(new ListTablesCommand({}))).TableNames).toContain('Writes');
    expect(spinDone).toBe(false);
    const out = await spinning;
    expect(out.FunctionError).toBe('Unhandled');
    expect(payloadOf(out)).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${out.$metadata.requestId} Error: Task timed out after 1.00 seconds`,
    });
    expect(logOf(out)).toMatch(new RegExp(`Z ${out.$metadata.requestId} Task timed out after 1\\.00 seconds\\n`));
    expect(logOf(out)).toContain('Status: timeout');
    expect(payloadOf(await invoke('sleeper'))).toBe(1);
  });
});

describe('invocation types and logs', () => {
  it('returns the last 4 KB of the log with LogType Tail, START to REPORT', async () => {
    await createFunction(lambda, 'talker', {
      'index.mjs': 'export const handler = async (event) => { for (let i = 0; i < event.lines; i++) console.log(`line ${i}`); console.warn("careful"); return "done"; };',
    });
    const out = await invoke('talker', { lines: 2 }, { LogType: 'Tail' });
    const id = out.$metadata.requestId!;
    const log = logOf(out);
    expect(log).toMatch(new RegExp(`START RequestId: ${id} Version: \\$LATEST\\n`));
    expect(log).toMatch(new RegExp(`\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z\\t${id}\\tINFO\\tline 0\\n`));
    expect(log).toContain(`\t${id}\tWARN\tcareful\n`);
    expect(log).toContain(`END RequestId: ${id}\n`);
    expect(log).toMatch(new RegExp(`REPORT RequestId: ${id}\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\t`));
    expect((await invoke('talker', { lines: 1 })).LogResult).toBeUndefined();
    const long = await invoke('talker', { lines: 1000 }, { LogType: 'Tail' });
    const tail = Buffer.from(long.LogResult!, 'base64');
    expect(tail.length).toBe(4096);
    expect(tail.toString('utf8')).toMatch(/REPORT RequestId: .*\t\n$/);
  });

  it('answers Event with 202 and runs the handler in the background; idle() says when it is done', async () => {
    await createFunction(lambda, 'async-writer', { 'index.mjs': WRITER });
    const out = await invoke('async-writer', { id: 'event-1' }, { InvocationType: 'Event' });
    expect(out.StatusCode).toBe(202);
    expect(out.Payload?.length ?? 0).toBe(0);
    await t.eddy.lambda.idle();
    expect(await readWrite('event-1')).toEqual({ id: { S: 'event-1' }, source: { S: 'lambda' } });
  });

  it('answers DryRun with 204 and runs nothing', async () => {
    await createFunction(lambda, 'dry-writer', { 'index.mjs': WRITER });
    const out = await invoke('dry-writer', { id: 'dry-1' }, { InvocationType: 'DryRun' });
    expect(out.StatusCode).toBe(204);
    await t.eddy.lambda.idle();
    expect(await readWrite('dry-1')).toBeUndefined();
    const missing = await errorOf(() => invoke('absent', {}, { InvocationType: 'DryRun' }));
    expect(missing.name).toBe('ResourceNotFoundException');
  });

  it('refuses a payload that is not JSON and one over 6 MB', async () => {
    await createFunction(lambda, 'strict', { 'index.mjs': 'export const handler = async (e) => e;' });
    const notJson = await errorOf(() => lambda.send(new InvokeCommand({ FunctionName: 'strict', Payload: new TextEncoder().encode('not json') })));
    expect(notJson.name).toBe('InvalidRequestContentException');
    expect(notJson.message).toMatch(/^Could not parse request body into json: Could not parse payload into json: /);
    const huge = await errorOf(() => invoke('strict', { blob: 'x'.repeat(6_300_000) }));
    expect(huge.name).toBe('RequestEntityTooLargeException');
    expect(huge.message).toBe('Request must be smaller than 6291456 bytes for the InvokeFunction operation');
    expect(huge.$metadata?.httpStatusCode).toBe(413);
    const empty = await lambda.send(new InvokeCommand({ FunctionName: 'strict' }));
    expect(payloadOf(empty)).toEqual({});
  });

  it('picks up new code and configuration on the next invocation', async () => {
    await createFunction(lambda, 'evolving', { 'index.mjs': 'export const handler = async () => "v1";' });
    expect(payloadOf(await invoke('evolving'))).toBe('v1');
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'evolving', ZipFile: zip({ 'index.mjs': 'export const handler = async () => "v2";' }) }));
    expect(payloadOf(await invoke('evolving'))).toBe('v2');
  });

  it('answers a missing function with ResourceNotFoundException', async () => {
    const error = await errorOf(() => invoke('ghost'));
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.message).toBe(`Function not found: ${ARN('ghost')}`);
  });
});

describe('reserved concurrency', () => {
  it('throttles beyond the reservation with 429 and Reason; an Event waits for a slot', async () => {
    await createFunction(lambda, 'limited', { 'index.mjs': WRITER });
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'limited', ReservedConcurrentExecutions: 0 }));
    const error = await errorOf(() => invoke('limited', { id: 'never' }));
    expect(error.name).toBe('TooManyRequestsException');
    expect(error.$metadata?.httpStatusCode).toBe(429);
    expect(error.message).toBe('Rate Exceeded.');
    expect(error.Reason).toBe('ReservedFunctionConcurrentInvocationLimitExceeded');
    const res = await fetch(`${t.endpoint}/2015-03-31/functions/limited/invocations`, { method: 'POST', headers: { Authorization: fakeAuthorization() }, body: '{}' });
    expect(res.status).toBe(429);
    expect(res.headers.get('x-amzn-errortype')).toBe('TooManyRequestsException');
    expect(await res.json()).toEqual({ Type: 'User', message: 'Rate Exceeded.', Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' });

    // Lambda queues an asynchronous invocation and runs it once the function may run again.
    expect((await invoke('limited', { id: 'queued' }, { InvocationType: 'Event' })).StatusCode).toBe(202);
    await t.eddy.lambda.idle();
    expect(await readWrite('queued')).toBeUndefined();
    await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'limited' }));
    await t.eddy.lambda.idle();
    expect(await readWrite('queued')).toEqual({ id: { S: 'queued' }, source: { S: 'lambda' } });
    expect(await readWrite('never')).toBeUndefined();
  });

  it('lets exactly the reserved number run at once', async () => {
    // The handler holds its invocation open until the test answers its request.
    const held: ServerResponse[] = [];
    const gate = createServer((_req, res) => held.push(res));
    gate.listen(0, '127.0.0.1');
    await once(gate, 'listening');
    const url = `http://127.0.0.1:${(gate.address() as AddressInfo).port}/`;
    try {
      await createFunction(lambda, 'one-at-a-time', { 'index.mjs': 'export const handler = async (event) => (await fetch(event.url)).text();' });
      await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'one-at-a-time', ReservedConcurrentExecutions: 1 }));
      const first = invoke('one-at-a-time', { url });
      while (held.length === 0) await once(gate, 'request');
      const second = await errorOf(() => invoke('one-at-a-time', { url }));
      expect(second.name).toBe('TooManyRequestsException');
      expect(second.Reason).toBe('ReservedFunctionConcurrentInvocationLimitExceeded');
      held[0]!.end('released');
      expect(payloadOf(await first)).toBe('released');
      const third = invoke('one-at-a-time', { url });
      while (held.length === 1) await once(gate, 'request');
      held[1]!.end('again');
      expect(payloadOf(await third)).toBe('again');
    } finally {
      for (const res of held) if (!res.writableEnded) res.end();
      gate.close();
    }
  });
});
