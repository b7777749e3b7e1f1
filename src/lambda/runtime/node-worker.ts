/**
 * Runs inside a worker thread: Eddy's stand-in for Lambda's Node.js runtime
 * interface client. It loads one function's handler (the INIT phase), then
 * runs one invocation at a time as the parent asks, with module scope kept
 * between them as in a warm Lambda execution environment.
 *
 * It follows the AWS runtime (aws-lambda-nodejs-runtime-interface-client):
 * `module.function` handler strings resolved in the task root (.js, .mjs,
 * .cjs, and here also .ts, .mts, .cts through tsx), async and callback
 * handlers, `context` with callbackWaitsForEmptyEventLoop, errors reported as
 * `{errorType, errorMessage, trace}`, console lines as
 * `<ISO time>\t<request id>\t<LEVEL>\t<message>` with newlines turned into
 * carriage returns.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { parentPort, workerData } from 'node:worker_threads';
import type { FromWorker, RuntimeError, ToWorker, WorkerInit } from './node-protocol.js';
import { provideSdk } from './provided-sdk.js';

const init = workerData as WorkerInit;
const port = parentPort!;
const send = (message: FromWorker): void => port.postMessage(message);

let currentRequestId: string | undefined;

// ---- logs --------------------------------------------------------------------------

const emit = (text: string): void => send({ type: 'log', text });

function consoleMethod(level: string) {
  return (...args: unknown[]): void => {
    const message = format(...args).replace(/\n/g, '\r');
    emit(`${new Date().toISOString()}\t${currentRequestId ?? 'undefined'}\t${level}\t${message}\n`);
  };
}

console.log = consoleMethod('INFO');
console.info = consoleMethod('INFO');
console.warn = consoleMethod('WARN');
console.error = consoleMethod('ERROR');
console.debug = consoleMethod('DEBUG');
console.trace = (...args: unknown[]): void => {
  const stack = (new Error().stack ?? '').split('\n').slice(2).join('\n');
  consoleMethod('TRACE')(`Trace: ${format(...args)}\n${stack}`);
};

for (const stream of [process.stdout, process.stderr]) {
  stream.write = ((chunk: string | Uint8Array, encoding?: BufferEncoding | ((error?: Error | null) => void), callback?: (error?: Error | null) => void): boolean => {
    emit(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(typeof encoding === 'string' ? encoding : 'utf8'));
    const done = typeof encoding === 'function' ? encoding : callback;
    if (done) queueMicrotask(() => done());
    return true;
  }) as typeof stream.write;
}

// ---- errors ------------------------------------------------------------------------

function isErrorLike(value: unknown): value is Error {
  if (value instanceof Error) return true;
  const candidate = value as { name?: unknown; message?: unknown; stack?: unknown } | null;
  return typeof candidate?.name === 'string' && typeof candidate.message === 'string' && typeof candidate.stack === 'string';
}

/** The runtime's toRapidResponse. */
function toRuntimeError(error: unknown): RuntimeError {
  try {
    if (isErrorLike(error)) {
      return { errorType: error.name || 'Error', errorMessage: error.message || '', trace: (error.stack ?? '').split('\n') };
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
    };
  }
}

/** An error with the name the runtime gives it (`Runtime.ImportModuleError`, ...). */
function runtimeError(name: string, message: string, cause?: unknown): RuntimeError {
  const trace = [`${name}: ${message}`, ...(isErrorLike(cause) ? (cause.stack ?? '').split('\n').slice(1) : [])];
  return { errorType: name, errorMessage: message, trace };
}

// ---- loading the handler -----------------------------------------------------------

type Handler = (event: unknown, context: unknown, callback: (error?: unknown, result?: unknown) => void) => unknown;

const EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'];
let tsxRegistered = init.tsx.registered;

async function registerTsx(): Promise<void> {
  if (tsxRegistered) return;
  tsxRegistered = true;
  (createRequire(import.meta.url)(init.tsx.cjs) as { register(): void }).register();
  ((await import(init.tsx.esm)) as { register(): void }).register();
}

/** Whether Node treats `file` as an ES module: by extension, else by the nearest package.json up to the task root. */
function isEsm(file: string): boolean {
  if (file.endsWith('.mjs') || file.endsWith('.mts')) return true;
  if (file.endsWith('.cjs') || file.endsWith('.cts')) return false;
  const root = resolve(init.taskRoot);
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: string }).type === 'module';
      } catch {
        return false;
      }
    }
    if (dir === root || dirname(dir) === dir) return false;
  }
}

async function loadHandler(): Promise<Handler> {
  const full = init.handler;
  const slash = full.lastIndexOf('/');
  const moduleRoot = slash >= 0 ? full.slice(0, slash) : '';
  const match = /^([^.]*)\.(.*)$/.exec(full.slice(slash + 1));
  if (!match || !match[2]) throw runtimeError('Runtime.MalformedHandlerName', 'Bad handler');
  const [, moduleName, handlerPath] = match as unknown as [string, string, string];

  const root = resolve(init.taskRoot);
  const base = resolve(root, moduleRoot, moduleName);
  // The handler names a file in the deployment package, never one outside it.
  const inside = base.startsWith(root + sep);
  const file = inside ? EXTENSIONS.map((ext) => base + ext).find((candidate) => existsSync(candidate)) : undefined;
  if (!file) {
    throw runtimeError('Runtime.ImportModuleError', `Error: Cannot find module '${moduleName}'\nRequire stack:\n- /var/runtime/index.mjs`);
  }
  if (/\.[cm]?ts$/.test(file)) await registerTsx();
  provideSdk(root, import.meta.url);

  let loaded: Record<string, unknown>;
  try {
    loaded = isEsm(file)
      ? ((await import(pathToFileURL(file).href)) as Record<string, unknown>)
      : (createRequire(join(init.taskRoot, 'index.js'))(file) as Record<string, unknown>);
  } catch (error) {
    if (error instanceof SyntaxError) throw runtimeError('Runtime.UserCodeSyntaxError', `${error.name}: ${error.message}`, error);
    const code = (error as { code?: string }).code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') throw runtimeError('Runtime.ImportModuleError', `Error: ${(error as Error).message}`, error);
    throw error;
  }

  const find = (root: unknown): unknown => handlerPath.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], root);
  let handler = find(loaded);
  // A CommonJS module imported as ESM (or compiled by tsx) keeps its exports on `default`.
  if (typeof handler !== 'function' && loaded.default && typeof loaded.default === 'object') handler = find(loaded.default);
  if (typeof handler !== 'function') throw runtimeError('Runtime.HandlerNotFound', `${moduleName}.${handlerPath} is undefined or not exported`);
  return handler as Handler;
}

// ---- invocations -------------------------------------------------------------------

/**
 * Resolves once nothing but Eddy's own message port keeps the event loop
 * alive: what Lambda waits for after a callback while
 * callbackWaitsForEmptyEventLoop is true (and after a non-async handler that
 * never calls back). It polls from a timer, which Node still counts as active
 * while its callback runs, so one Timeout is the poll's own.
 */
function emptyEventLoop(): Promise<void> {
  return new Promise((done) => {
    const check = (): void => {
      const active = process.getActiveResourcesInfo();
      for (const own of ['MessagePort', 'Timeout']) {
        const at = active.indexOf(own);
        if (at >= 0) active.splice(at, 1);
      }
      if (active.length === 0) done();
      else setTimeout(check, 1);
    };
    setTimeout(check, 0);
  });
}

const memoryUsedMB = (): number => Math.ceil(process.memoryUsage().heapUsed / (1024 * 1024));

let handler: Handler | undefined;
let current: { requestId: string; finish(payload?: string, error?: RuntimeError, fatal?: boolean): void } | undefined;

function invoke(message: ToWorker): void {
  const { requestId } = message;
  currentRequestId = requestId;
  let finished = false;
  const finish = (payload?: string, error?: RuntimeError, fatal?: boolean): void => {
    if (finished) return;
    finished = true;
    if (current?.requestId === requestId) current = undefined;
    send({ type: 'result', requestId, payload, error, fatal, memoryUsedMB: memoryUsedMB() });
  };
  const succeed = (result: unknown): void => {
    let text: string;
    try {
      text = JSON.stringify(result === undefined ? null : result);
    } catch (error) {
      finish(undefined, runtimeError('Runtime.MarshalError', `Unable to stringify response body as json: ${(error as Error).message}`));
      return;
    }
    finish(text);
  };
  const fail = (error: unknown): void => finish(undefined, toRuntimeError(error));
  current = { requestId, finish };

  let calledBack = false;
  const callback = (error?: unknown, result?: unknown): void => {
    if (calledBack) return;
    calledBack = true;
    const respond = (): void => (error !== undefined && error !== null ? fail(error) : succeed(result));
    if (context.callbackWaitsForEmptyEventLoop) void emptyEventLoop().then(respond);
    else respond();
  };
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: init.functionName,
    functionVersion: init.functionVersion,
    invokedFunctionArn: message.invokedFunctionArn,
    memoryLimitInMB: init.memoryLimitInMB,
    awsRequestId: requestId,
    logGroupName: init.logGroupName,
    logStreamName: init.logStreamName,
    identity: undefined,
    clientContext: message.clientContext,
    getRemainingTimeInMillis: (): number => Math.max(0, message.deadline - Date.now()),
    succeed: (result?: unknown): void => callback(null, result),
    fail: (error?: unknown): void => callback(error ?? 'handled'),
    done: (error?: unknown, result?: unknown): void => callback(error, result),
  };

  let event: unknown;
  try {
    event = JSON.parse(message.event);
  } catch (error) {
    fail(error);
    return;
  }
  try {
    const returned = handler!(event, context, callback);
    if (returned !== null && typeof returned === 'object' && typeof (returned as PromiseLike<unknown>).then === 'function') {
      (returned as PromiseLike<unknown>).then(succeed, fail);
    } else if (!calledBack) {
      // A non-async handler that never calls back answers null once the event loop drains.
      void emptyEventLoop().then(() => {
        if (!calledBack) succeed(null);
      });
    }
  } catch (error) {
    fail(error);
  }
}

process.on('uncaughtException', (error) => {
  console.error('Uncaught Exception', JSON.stringify(toRuntimeError(error)));
  if (current) current.finish(undefined, toRuntimeError(error), true);
  else send({ type: 'crash', error: toRuntimeError(error) });
});

process.on('unhandledRejection', (reason) => {
  const error = runtimeError('Runtime.UnhandledPromiseRejection', String(reason), reason);
  console.error(error.errorType, error.errorMessage);
  if (current) current.finish(undefined, error, true);
  else send({ type: 'crash', error });
});

port.on('message', (message: ToWorker) => {
  if (message.type === 'invoke') invoke(message);
});

try {
  handler = await loadHandler();
  send({ type: 'ready' });
} catch (error) {
  send({ type: 'init-error', error: isRuntimeError(error) ? error : toRuntimeError(error) });
}

function isRuntimeError(value: unknown): value is RuntimeError {
  return typeof (value as RuntimeError | null)?.errorType === 'string' && typeof (value as RuntimeError).errorMessage === 'string';
}
