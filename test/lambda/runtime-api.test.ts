import { spawn } from 'node:child_process';
import { get, type IncomingMessage } from 'node:http';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateFunctionCommand, InvokeCommand, UpdateFunctionCodeCommand, type CreateFunctionCommandInput, type LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FunctionLogs } from '../../src/lambda/runtime/function-logs.js';
import { startEddy, type TestEddy } from '../helpers/eddy.js';
import { ROLE, lambdaClient, logOf, payloadOf, zip } from './helpers.js';

const cli = fileURLToPath(new URL('../../bin/eddy.js', import.meta.url));
const ARN = (name: string): string => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

let t: TestEddy;
let lambda: LambdaClient;
beforeAll(async () => {
  t = await startEddy();
  lambda = lambdaClient(t.endpoint);
  await t.ddb.send(
    new CreateTableCommand({
      TableName: 'PyWrites',
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

/** A GET on Eddy with node:http (a fresh connection, closed after), answering the response as it starts. */
function httpGet(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => get(url, { agent: false }, resolve).once('error', reject));
}

async function textOf(response: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of response) text += String(chunk);
  return text;
}

const invoke = (name: string, event: unknown = {}, extra: Partial<ConstructorParameters<typeof InvokeCommand>[0]> = {}) =>
  lambda.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify(event), ...extra }));

async function create(name: string, runtime: string, handler: string, files: Record<string, string>, extra: Partial<CreateFunctionCommandInput> = {}): Promise<void> {
  await lambda.send(
    new CreateFunctionCommand({ FunctionName: name, Runtime: runtime as CreateFunctionCommandInput['Runtime'], Role: ROLE, Handler: handler, Code: { ZipFile: zip(files) }, ...extra }),
  );
}

const PYTHON_APP = `
import os
calls = 0

def handler(event, context):
    global calls
    calls += 1
    print("handling", event["n"])
    return {
        "calls": calls,
        "pid": os.getpid(),
        "event": event,
        "requestId": context.aws_request_id,
        "functionName": context.function_name,
        "functionVersion": context.function_version,
        "arn": context.invoked_function_arn,
        "memory": context.memory_limit_in_mb,
        "logGroup": context.log_group_name,
        "logStream": context.log_stream_name,
        "remaining": context.get_remaining_time_in_millis(),
        "runtimeApi": os.environ["AWS_LAMBDA_RUNTIME_API"],
        "taskRoot": os.environ["LAMBDA_TASK_ROOT"],
        "custom": os.environ.get("CUSTOM"),
        "clientContext": context.client_context.custom if context.client_context else None,
    }
`;

describe('the Python runtime', () => {
  it('runs module.function with a full context, keeps module scope warm and captures print output', async () => {
    await create('py-app', 'python3.12', 'app.handler', { 'app.py': PYTHON_APP }, { Timeout: 7, MemorySize: 256, Environment: { Variables: { CUSTOM: 'yes' } } });
    const first = await invoke('py-app', { n: 1 }, { LogType: 'Tail' });
    expect(first.FunctionError).toBeUndefined();
    const a = payloadOf(first);
    expect(a).toMatchObject({
      calls: 1,
      event: { n: 1 },
      requestId: first.$metadata.requestId,
      functionName: 'py-app',
      functionVersion: '$LATEST',
      arn: ARN('py-app'),
      memory: '256',
      logGroup: '/aws/lambda/py-app',
      custom: 'yes',
    });
    expect(a.logStream).toMatch(/^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(a.remaining).toBeGreaterThan(5000);
    expect(a.remaining).toBeLessThanOrEqual(7000);
    expect(a.runtimeApi).toMatch(/^127\.0\.0\.1:\d+$/);
    const log = logOf(first);
    expect(log).toContain(`START RequestId: ${first.$metadata.requestId} Version: $LATEST\nhandling 1\nEND RequestId: ${first.$metadata.requestId}\n`);
    expect(log).toMatch(/REPORT RequestId: \S+\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 256 MB\tMax Memory Used: \d+ MB\tInit Duration: [\d.]+ ms/);

    expect(a.clientContext).toBeNull();
    const second = await invoke('py-app', { n: 2 }, { LogType: 'Tail', ClientContext: Buffer.from(JSON.stringify({ custom: { k: 'v' } })).toString('base64') });
    const b = payloadOf(second);
    expect(b.clientContext).toEqual({ k: 'v' });
    expect(b.calls).toBe(2);
    expect(b.pid).toBe(a.pid);
    expect(logOf(second)).toContain('handling 2\n');
    expect(logOf(second)).not.toContain('Init Duration');

    // New code retires the warm process: the next invocation runs the new module.
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'py-app', ZipFile: zip({ 'app.py': 'def handler(event, context):\n    return "v2"\n' }) }));
    expect(payloadOf(await invoke('py-app', { n: 3 }))).toBe('v2');
  });

  it('runs a handler that uses boto3 against Eddy with no endpoint configuration of its own', async () => {
    await create('py-boto', 'python3.12', 'writer.handler', {
      'writer.py': `
import boto3
from boto3.dynamodb.types import TypeDeserializer

client = boto3.client("dynamodb")
deserializer = TypeDeserializer()

def handler(event, context):
    item = {"id": {"S": event["id"]}, "total": {"N": str(event["total"])}}
    client.put_item(TableName="PyWrites", Item=item)
    read = client.get_item(TableName="PyWrites", Key={"id": {"S": event["id"]}}, ConsistentRead=True)["Item"]
    plain = {k: deserializer.deserialize(v) for k, v in read.items()}
    return {"id": plain["id"], "total": int(plain["total"])}
`,
    });
    const out = await invoke('py-boto', { id: 'from-python', total: 42 });
    expect(out.FunctionError).toBeUndefined();
    expect(payloadOf(out)).toEqual({ id: 'from-python', total: 42 });
    const item = (await t.ddb.send(new GetItemCommand({ TableName: 'PyWrites', Key: { id: { S: 'from-python' } }, ConsistentRead: true }))).Item;
    expect(item).toEqual({ id: { S: 'from-python' }, total: { N: '42' } });

    // An Event invocation runs it in the background; idle() says when it is done.
    const queued = await invoke('py-boto', { id: 'async-python', total: 7 }, { InvocationType: 'Event' });
    expect(queued.StatusCode).toBe(202);
    await t.eddy.lambda.idle();
    const later = (await t.ddb.send(new GetItemCommand({ TableName: 'PyWrites', Key: { id: { S: 'async-python' } }, ConsistentRead: true }))).Item;
    expect(later).toEqual({ id: { S: 'async-python' }, total: { N: '7' } });
  });

  it("reports a raised exception in Python's error shape, and stays warm", async () => {
    await create('py-raise', 'python3.12', 'app.handler', {
      'app.py': 'calls = 0\ndef handler(event, context):\n    global calls\n    calls += 1\n    if event.get("fail"):\n        raise ValueError("bad input %d" % calls)\n    return calls\n',
    });
    const failed = await invoke('py-raise', { fail: true }, { LogType: 'Tail' });
    expect(failed.StatusCode).toBe(200);
    expect(failed.FunctionError).toBe('Unhandled');
    const error = payloadOf(failed);
    expect(Object.keys(error).sort()).toEqual(['errorMessage', 'errorType', 'requestId', 'stackTrace']);
    expect(error.errorMessage).toBe('bad input 1');
    expect(error.errorType).toBe('ValueError');
    expect(error.requestId).toBe(failed.$metadata.requestId);
    expect(error.stackTrace).toHaveLength(1);
    expect(error.stackTrace[0]).toMatch(/^ {2}File ".*app\.py", line 6, in handler\n {4}raise ValueError\("bad input %d" % calls\)\n$/);
    expect(logOf(failed)).toContain('[ERROR] ValueError: bad input 1');
    expect(payloadOf(await invoke('py-raise', {}))).toBe(2);
  });

  it('fails INIT with Runtime.ImportModuleError and Runtime.HandlerNotFound', async () => {
    await create('py-missing', 'python3.12', 'nowhere.handler', { 'app.py': 'def handler(e, c):\n    return 1\n' });
    const missing = await invoke('py-missing');
    expect(missing.FunctionError).toBe('Unhandled');
    expect(payloadOf(missing)).toMatchObject({ errorType: 'Runtime.ImportModuleError', errorMessage: "Unable to import module 'nowhere': No module named 'nowhere'" });
    await create('py-nohandler', 'python3.12', 'app.main', { 'app.py': 'def handler(e, c):\n    return 1\n' });
    expect(payloadOf(await invoke('py-nohandler'))).toMatchObject({ errorType: 'Runtime.HandlerNotFound', errorMessage: "Handler 'main' missing on module 'app'" });
  });

  it('kills a handler past its timeout, then starts a fresh process', async () => {
    await create('py-slow', 'python3.12', 'app.handler', {
      'app.py': 'import time\ncalls = 0\ndef handler(event, context):\n    global calls\n    calls += 1\n    if event.get("spin"):\n        while True:\n            time.sleep(0.01)\n    return calls\n',
    }, { Timeout: 1 });
    expect(payloadOf(await invoke('py-slow'))).toBe(1);
    const out = await invoke('py-slow', { spin: true }, { LogType: 'Tail' });
    expect(out.FunctionError).toBe('Unhandled');
    expect(payloadOf(out)).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${out.$metadata.requestId} Error: Task timed out after 1.00 seconds` });
    expect(logOf(out)).toMatch(/Task timed out after 1\.00 seconds\nEND RequestId/);
    // Module scope starts over: the timed-out process is gone.
    expect(payloadOf(await invoke('py-slow'))).toBe(1);
  });

  it('turns a process exit into Runtime.ExitError', async () => {
    await create('py-exit', 'python3.12', 'app.handler', { 'app.py': 'import os\ndef handler(event, context):\n    print("about to exit")\n    os._exit(3)\n' });
    const out = await invoke('py-exit', {}, { LogType: 'Tail' });
    expect(out.FunctionError).toBe('Unhandled');
    expect(payloadOf(out)).toEqual({ errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${out.$metadata.requestId} Error: Runtime exited with error: exit status 3` });
    expect(logOf(out)).toContain('about to exit\n');
  });
});

/** A provided.al2023 bootstrap in shell: the Runtime API through curl. */
const SHELL_BOOTSTRAP = `#!/bin/sh
set -eu
API="http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
echo "init from shell"
HEADERS="$(mktemp)"
while true; do
  EVENT="$(curl -sS -D "$HEADERS" "$API/invocation/next")"
  header() { grep -i "^$1:" "$HEADERS" | tr -d '\\r' | cut -d' ' -f2-; }
  ID="$(header Lambda-Runtime-Aws-Request-Id)"
  echo "shell handling $ID"
  BODY="{\\"event\\":$EVENT,\\"id\\":\\"$ID\\",\\"arn\\":\\"$(header Lambda-Runtime-Invoked-Function-Arn)\\",\\"deadline\\":$(header Lambda-Runtime-Deadline-Ms),\\"trace\\":\\"$(header Lambda-Runtime-Trace-Id)\\",\\"pid\\":$$,\\"handler\\":\\"$_HANDLER\\"}"
  curl -sS -X POST "$API/invocation/$ID/response" -d "$BODY" > /dev/null
done
`;

/** A provided.al2 bootstrap in Python that probes the Runtime API's answers. */
const PYTHON_PROBE = `#!/usr/bin/env python3
import http.client, json, os
API = os.environ["AWS_LAMBDA_RUNTIME_API"]

def call(method, path, body=None, headers={}):
    conn = http.client.HTTPConnection(API)
    conn.request(method, "/2018-06-01/runtime" + path, body=body, headers=headers)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r, data

last = None
while True:
    r, body = call("GET", "/invocation/next")
    rid = r.getheader("Lambda-Runtime-Aws-Request-Id")
    event = json.loads(body)
    if event.get("mode") == "big":
        posted, data = call("POST", "/invocation/%s/response" % rid, "[" + "1," * 3200000 + "1]")
        print("big response answered", posted.status, data.decode())
    elif event.get("mode") == "fail":
        posted, data = call("POST", "/invocation/%s/error" % rid, json.dumps({"errorMessage": "custom failure", "errorType": "Custom.Failure", "stackTrace": ["here"]}), {"Lambda-Runtime-Function-Error-Type": "Custom.Failure"})
    else:
        wrong, wrong_body = call("POST", "/invocation/not-the-id/response", "{}")
        context = r.getheader("Lambda-Runtime-Client-Context")
        posted, data = call("POST", "/invocation/%s/response" % rid, json.dumps({"wrong": [wrong.status, json.loads(wrong_body)], "clientContext": json.loads(context) if context else None, "last": last}))
    # What the post was answered, reported by the next invocation.
    last = [posted.status, json.loads(data)]
`;

describe('provided runtimes', () => {
  it('runs a shell bootstrap that speaks the Runtime API with curl (provided.al2023), warm between invocations', async () => {
    await create('sh-fn', 'provided.al2023', 'whatever.handler', { bootstrap: SHELL_BOOTSTRAP }, { Timeout: 10 });
    const before = Date.now();
    const first = await invoke('sh-fn', { hello: 'shell' }, { LogType: 'Tail' });
    expect(first.FunctionError).toBeUndefined();
    const a = payloadOf(first);
    expect(a).toMatchObject({ event: { hello: 'shell' }, id: first.$metadata.requestId, arn: ARN('sh-fn'), handler: 'whatever.handler' });
    expect(a.deadline).toBeGreaterThanOrEqual(before + 10_000);
    expect(a.deadline).toBeLessThanOrEqual(Date.now() + 10_000);
    expect(a.trace).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
    const log = logOf(first);
    expect(log.indexOf('init from shell')).toBeLessThan(log.indexOf('START RequestId'));
    expect(log).toContain(`shell handling ${first.$metadata.requestId}\n`);
    const second = await invoke('sh-fn', { hello: 'again' });
    expect(payloadOf(second)).toMatchObject({ event: { hello: 'again' }, pid: a.pid });
  });

  it('answers the Runtime API as Lambda does: 202 for results, 400 for an unknown request id, errors passed through', async () => {
    await create('probe', 'provided.al2', 'unused', { bootstrap: PYTHON_PROBE });
    const clientContext = Buffer.from(JSON.stringify({ custom: { who: 'test' } })).toString('base64');
    const out = await invoke('probe', {}, { LogType: 'Tail', ClientContext: clientContext });
    expect(out.FunctionError).toBeUndefined();
    const wrong = [400, { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' }];
    expect(payloadOf(out)).toEqual({ wrong, clientContext: { custom: { who: 'test' } }, last: null });

    const failed = await invoke('probe', { mode: 'fail' });
    expect(failed.FunctionError).toBe('Unhandled');
    expect(payloadOf(failed)).toEqual({ errorMessage: 'custom failure', errorType: 'Custom.Failure', stackTrace: ['here'] });
    // The /error post was accepted...
    expect(payloadOf(await invoke('probe'))).toEqual({ wrong, clientContext: null, last: [202, { status: 'OK' }] });
    // ...and so was the /response post.
    expect(payloadOf(await invoke('probe'))).toMatchObject({ last: [202, { status: 'OK' }] });

    const big = await invoke('probe', { mode: 'big' });
    expect(big.FunctionError).toBe('Unhandled');
    expect(payloadOf(big)).toEqual({
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: 'Response payload size (6400003 bytes) exceeded maximum allowed payload size (6291556 bytes).',
    });
    expect(payloadOf(await invoke('probe'))).toMatchObject({ last: [413, { errorMessage: 'Exceeded maximum allowed payload size (6291556 bytes).', errorType: 'RequestEntityTooLarge' }] });
  });

  it('reports /init/error as the function error, and a missing bootstrap as Runtime.InvalidEntrypoint', async () => {
    await create('init-fails', 'provided.al2023', 'x', {
      bootstrap: `#!/bin/sh\necho "cannot start"\ncurl -sS -X POST -H 'Lambda-Runtime-Function-Error-Type: Custom.InitFailed' -d '{"errorMessage":"no config","errorType":"Custom.InitFailed"}' "http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/init/error"\nsleep 30\n`,
    });
    const out = await invoke('init-fails', {}, { LogType: 'Tail' });
    expect(out.FunctionError).toBe('Unhandled');
    expect(payloadOf(out)).toEqual({ errorMessage: 'no config', errorType: 'Custom.InitFailed' });
    expect(logOf(out)).toContain('cannot start\n');

    await create('no-bootstrap', 'provided.al2023', 'x', { 'main.sh': 'echo nothing' });
    const missing = await invoke('no-bootstrap');
    expect(payloadOf(missing)).toMatchObject({ errorType: 'Runtime.InvalidEntrypoint' });
  });
});

describe('function logs', () => {
  it('keeps the last lines of each function, bounded', () => {
    const logs = new FunctionLogs(3);
    logs.add('a', 'one\ntwo\n');
    logs.add('a', 'three\nfour\n');
    logs.add('b', 'other\n');
    expect(logs.recent('a')).toEqual(['two', 'three', 'four']);
    expect(logs.recent('b')).toEqual(['other']);
    expect(logs.recent('c')).toEqual([]);
  });

  it('serves them at /_eddy/logs/<function>, following new invocations with ?follow=1', async () => {
    await create('logged', 'python3.12', 'app.handler', { 'app.py': 'def handler(event, context):\n    print("logged", event["n"])\n    return event["n"]\n' });
    const first = await invoke('logged', { n: 1 });
    const text = await textOf(await httpGet(`${t.endpoint}/_eddy/logs/logged`));
    const lines = text.split('\n');
    expect(lines[0]).toBe(`START RequestId: ${first.$metadata.requestId} Version: $LATEST`);
    expect(lines[1]).toBe('logged 1');
    expect(lines[2]).toBe(`END RequestId: ${first.$metadata.requestId}`);
    expect(lines[3]).toMatch(/^REPORT RequestId: \S+\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\t/);
    const byArn = await httpGet(`${t.endpoint}/_eddy/logs/${encodeURIComponent(ARN('logged'))}`);
    expect(byArn.statusCode).toBe(200);
    expect(await textOf(byArn)).toBe(text);
    const missing = await httpGet(`${t.endpoint}/_eddy/logs/nobody`);
    expect(missing.statusCode).toBe(404);
    expect(await textOf(missing)).toBe('Function not found: nobody\n');

    const following = await httpGet(`${t.endpoint}/_eddy/logs/logged?follow=1`);
    following.setEncoding('utf8');
    let seen = '';
    let wanted = 'logged 1\n';
    let onSeen: () => void = () => {};
    following.on('data', (chunk: string) => {
      seen += chunk;
      if (seen.includes(wanted)) onSeen();
    });
    await new Promise<void>((resolve) => (seen.includes(wanted) ? resolve() : (onSeen = resolve)));
    const second = await invoke('logged', { n: 2 });
    wanted = `REPORT RequestId: ${second.$metadata.requestId}`;
    await new Promise<void>((resolve) => (seen.includes(wanted) ? resolve() : (onSeen = resolve)));
    expect(seen).toContain(`START RequestId: ${second.$metadata.requestId} Version: $LATEST\nlogged 2\nEND RequestId: ${second.$metadata.requestId}\n`);
    following.destroy();
  });

  it('prints them with `eddy logs`, and follows with --follow', async () => {
    await create('cli-logged', 'nodejs20.x', 'index.handler', { 'index.mjs': 'export const handler = async (e) => { console.log("cli sees", e.n); return e.n; };' });
    const first = await invoke('cli-logged', { n: 1 });
    const printed = await new Promise<{ out: string; code: number | null }>((resolve) => {
      const child = spawn(process.execPath, [cli, 'logs', 'cli-logged', '--endpoint', t.endpoint], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.once('exit', (code) => resolve({ out, code }));
    });
    expect(printed.code).toBe(0);
    expect(printed.out).toMatch(new RegExp(`^START RequestId: ${first.$metadata.requestId} Version: \\$LATEST\\n.*\\tINFO\\tcli sees 1\\nEND RequestId`));

    const unknown = await new Promise<{ err: string; code: number | null }>((resolve) => {
      const child = spawn(process.execPath, [cli, 'logs', 'nobody', '--endpoint', t.endpoint], { stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.once('exit', (code) => resolve({ err, code }));
    });
    expect(unknown).toEqual({ err: 'eddy: Function not found: nobody\n', code: 1 });

    const child = spawn(process.execPath, [cli, 'logs', 'cli-logged', '--follow', '--endpoint', t.endpoint], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let wanted = 'cli sees 1\n';
    let onOut: () => void = () => {};
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(wanted)) onOut();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) => (out.includes(wanted) ? resolve() : (onOut = resolve)));
    const second = await invoke('cli-logged', { n: 2 });
    wanted = `REPORT RequestId: ${second.$metadata.requestId}`;
    await new Promise<void>((resolve) => (out.includes(wanted) ? resolve() : (onOut = resolve)));
    expect(out).toContain('\tINFO\tcli sees 2\n');
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
