import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { FromWorker, RuntimeError, ToWorker, WorkerInit } from './node-protocol.js';

/** What the pool needs to know of a function to run it. */
export interface NodeFunctionSpec {
  /** `account/region/name`: warm workers are kept per key. */
  key: string;
  /** The function's Runtime (`nodejs20.x`, `python3.12`, `provided.al2023`): Node runs in a worker thread, the others in a process. */
  runtime: string;
  /** Changes whenever the function's code or configuration does (its RevisionId): older workers retire. */
  generation: string;
  taskRoot: string;
  handler: string;
  functionName: string;
  memoryMB: number;
  timeoutSeconds: number;
  logGroupName: string;
  /** The worker's whole environment, except AWS_LAMBDA_LOG_STREAM_NAME which is per worker. */
  environment: Record<string, string>;
}

export interface NodeInvocation {
  requestId: string;
  /** The event as JSON text. */
  event: string;
  invokedFunctionArn: string;
  clientContext?: unknown;
}

/** How one invocation went, with what Lambda would have logged of it. */
export interface NodeOutcome {
  /** The result as JSON text, when the handler succeeded. */
  payload?: string;
  /** The function error, reported with X-Amz-Function-Error: Unhandled. */
  error?: RuntimeError;
  /** Console output of the invocation, already formatted. */
  logs: string;
  /** Console output of the INIT phase, on a cold start. */
  initLogs?: string;
  /** How long INIT took, on a cold start. */
  initDurationMs?: number;
  durationMs: number;
  memoryUsedMB: number;
  /** Set when the invocation timed out. */
  timedOut?: boolean;
  /** Lines Lambda itself adds before END (runtime exits, timeouts). */
  platformLines: string[];
}

/** What an invocation that ran out of time reports, from any runtime: Lambda's Sandbox.Timedout error and platform line. */
export function timedOutOutcome(requestId: string, timeoutSeconds: number, logs: string, memoryUsedMB: number): Omit<NodeOutcome, 'initLogs' | 'initDurationMs'> {
  const seconds = timeoutSeconds.toFixed(2);
  return {
    error: { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${requestId} Error: Task timed out after ${seconds} seconds` },
    logs,
    durationMs: timeoutSeconds * 1000,
    memoryUsedMB,
    timedOut: true,
    platformLines: [`${new Date().toISOString()} ${requestId} Task timed out after ${seconds} seconds\n`],
  };
}

export interface NodePoolOptions {
  /** Execution environments alive at once, across functions; more invocations wait for one. */
  maxWorkers: number;
  /** A warm worker nobody used for this long is stopped. */
  idleTimeoutMs: number;
  /** Starts an execution environment for `spec` (a Node worker thread by default; Python and provided runtimes get a process). */
  start?(spec: NodeFunctionSpec, onGone: (environment: ExecutionEnvironment) => void): ExecutionEnvironment;
}

/** What the pool keeps warm: a Node worker thread, or a runtime process speaking the Lambda Runtime API. */
export interface ExecutionEnvironment {
  readonly spec: NodeFunctionSpec;
  /** Settles when INIT finished (or failed). */
  readonly ready: Promise<{ error?: RuntimeError; durationMs: number }>;
  readonly initLogs: string[];
  busy: boolean;
  lastUsed: number;
  idleTimer: NodeJS.Timeout | undefined;
  /** Whether it may take another invocation. */
  readonly usable: boolean;
  invoke(invocation: NodeInvocation): Promise<Omit<NodeOutcome, 'initLogs' | 'initDurationMs'>>;
  /** Asks it to stop; never handed another invocation. */
  stop(): void;
  /** Stops it and resolves once it is gone. */
  terminate(): Promise<void>;
  /** A busy environment keeps Eddy's process alive; an idle one does not. */
  ref(): void;
  unref(): void;
}

/**
 * Lambda's INIT phase is limited to 10 seconds; past that Lambda retries INIT
 * inside the first invocation, under the function's timeout. Eddy lets INIT
 * run for both together.
 */
const INIT_LIMIT_MS = 10_000;

/** The most console output kept per invocation (the oldest is dropped first). */
const MAX_LOG_CHARS = 1024 * 1024;

const here = import.meta.url;
const require = createRequire(here);
/** Running from TypeScript sources (tests): the worker module itself needs tsx. */
const fromSources = here.endsWith('.ts');
const WORKER_ENTRY = new URL(fromSources ? './node-worker.ts' : './node-worker.js', here).href;
const TSX = { cjs: require.resolve('tsx/cjs/api'), esm: tsxEsmApi() };

/**
 * The ES module build of tsx's ESM registration API (its CommonJS build
 * cannot find its own loader), read from tsx's exports map.
 */
function tsxEsmApi(): string {
  const root = dirname(require.resolve('tsx/package.json'));
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports?: Record<string, { import?: { default?: string } }> };
  const entry = manifest.exports?.['./esm/api']?.import?.default ?? './dist/esm/api/index.mjs';
  return pathToFileURL(join(root, entry)).href;
}

/**
 * A worker thread starts from this: it registers tsx first when the worker
 * module is TypeScript, then imports the worker module.
 */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.tsx.registered) {
    require(workerData.tsx.cjs).register();
    (await import(workerData.tsx.esm)).register();
  }
  await import(workerData.entry);
})().catch((error) => setImmediate(() => { throw error; }));
`;

/** `2026/11/27/[$LATEST]0123456789abcdef0123456789abcdef`, as Lambda names a log stream per execution environment. */
export function logStreamName(): string {
  const now = new Date();
  const day = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${String(now.getUTCDate()).padStart(2, '0')}`;
  return `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
}

type Pending = {
  requestId: string;
  startedAt: number;
  logs: string[];
  logChars: number;
  settle(outcome: Omit<NodeOutcome, 'initLogs' | 'initDurationMs'>): void;
};

/** One worker thread: one execution environment of one function generation. */
export class NodeWorker implements ExecutionEnvironment {
  readonly worker: Worker;
  readonly ready: Promise<{ error?: RuntimeError; durationMs: number }>;
  readonly initLogs: string[] = [];
  initDurationMs = 0;
  alive = true;
  /** Asked to stop (timeout, crash, retirement): never handed another invocation. */
  stopping = false;
  busy = false;
  lastUsed = Date.now();
  idleTimer: NodeJS.Timeout | undefined;
  private pending: Pending | undefined;
  private initSettled = false;
  private onInit: ((result: { error?: RuntimeError; durationMs: number }) => void) | undefined;
  private readonly startedAt = performance.now();

  constructor(
    readonly spec: NodeFunctionSpec,
    private readonly onGone: (worker: ExecutionEnvironment) => void,
  ) {
    const stream = logStreamName();
    const init: WorkerInit & { entry: string } = {
      taskRoot: spec.taskRoot,
      handler: spec.handler,
      functionName: spec.functionName,
      functionVersion: '$LATEST',
      memoryLimitInMB: String(spec.memoryMB),
      logGroupName: spec.logGroupName,
      logStreamName: stream,
      tsx: { ...TSX, registered: fromSources },
      entry: WORKER_ENTRY,
    };
    this.ready = new Promise((resolve) => (this.onInit = resolve));
    this.worker = new Worker(BOOTSTRAP, {
      eval: true,
      workerData: init,
      env: { ...spec.environment, AWS_LAMBDA_LOG_STREAM_NAME: stream },
      execArgv: [],
      name: `lambda:${spec.functionName}`,
      resourceLimits: { maxOldGenerationSizeMb: spec.memoryMB },
    });
    const initLimit = setTimeout(() => {
      const seconds = spec.timeoutSeconds.toFixed(2);
      this.settleInit({ error: { errorType: 'Sandbox.Timedout', errorMessage: `Error: Task timed out after ${seconds} seconds` }, durationMs: performance.now() - this.startedAt });
      this.stop();
    }, INIT_LIMIT_MS + spec.timeoutSeconds * 1000);
    void this.ready.then(() => clearTimeout(initLimit));
    this.worker.on('message', (message: FromWorker) => this.receive(message));
    this.worker.on('error', (error: Error & { code?: string }) => this.die(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'oom' : 'error', error));
    this.worker.on('exit', (code) => this.die('exit', undefined, code));
  }

  private settleInit(result: { error?: RuntimeError; durationMs: number }): void {
    if (this.initSettled) return;
    this.initSettled = true;
    this.initDurationMs = result.durationMs;
    this.onInit?.(result);
  }

  private receive(message: FromWorker): void {
    switch (message.type) {
      case 'ready':
        this.settleInit({ durationMs: performance.now() - this.startedAt });
        return;
      case 'init-error':
        this.settleInit({ error: message.error, durationMs: performance.now() - this.startedAt });
        return;
      case 'log': {
        const pending = this.pending;
        if (!pending) {
          if (!this.initSettled) this.initLogs.push(message.text);
          return;
        }
        pending.logs.push(message.text);
        pending.logChars += message.text.length;
        while (pending.logChars > MAX_LOG_CHARS && pending.logs.length > 1) pending.logChars -= pending.logs.shift()!.length;
        return;
      }
      case 'result': {
        const pending = this.pending;
        if (!pending || pending.requestId !== message.requestId) return;
        this.pending = undefined;
        pending.settle({
          payload: message.payload,
          error: message.error,
          logs: pending.logs.join(''),
          durationMs: performance.now() - pending.startedAt,
          memoryUsedMB: message.memoryUsedMB,
          platformLines: [],
        });
        if (message.fatal) this.stop();
        return;
      }
      case 'crash':
        this.stop();
        return;
    }
  }

  /** The worker thread ended: by a process.exit, running out of memory, an error, or being stopped. */
  private die(how: 'exit' | 'oom' | 'error', error?: Error, code?: number): void {
    const wasAlive = this.alive;
    this.alive = false;
    const cause = how === 'oom' ? 'signal: killed' : how === 'exit' ? `exit status ${code ?? 0}` : (error?.message ?? 'unknown error');
    this.settleInit({
      error: { errorType: how === 'oom' ? 'Runtime.OutOfMemory' : 'Runtime.ExitError', errorMessage: `Error: Runtime exited with error: ${cause}` },
      durationMs: performance.now() - this.startedAt,
    });
    const pending = this.pending;
    if (pending) {
      this.pending = undefined;
      const runtimeError: RuntimeError = {
        errorType: how === 'oom' ? 'Runtime.OutOfMemory' : 'Runtime.ExitError',
        errorMessage: `RequestId: ${pending.requestId} Error: Runtime exited with error: ${cause}`,
      };
      pending.settle({
        error: runtimeError,
        logs: pending.logs.join(''),
        durationMs: performance.now() - pending.startedAt,
        memoryUsedMB: how === 'oom' ? this.spec.memoryMB : 0,
        platformLines: [`${runtimeError.errorMessage}\n${runtimeError.errorType}\n`],
      });
    }
    if (wasAlive) this.onGone(this);
  }

  /** Runs one invocation; the timeout terminates the worker. */
  invoke(invocation: NodeInvocation): Promise<Omit<NodeOutcome, 'initLogs' | 'initDurationMs'>> {
    const timeoutMs = this.spec.timeoutSeconds * 1000;
    const startedAt = performance.now();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const pending = this.pending;
        if (!pending || pending.requestId !== invocation.requestId) return;
        this.pending = undefined;
        resolve(timedOutOutcome(invocation.requestId, this.spec.timeoutSeconds, pending.logs.join(''), 0));
        this.stop();
      }, timeoutMs);
      this.pending = {
        requestId: invocation.requestId,
        startedAt,
        logs: [],
        logChars: 0,
        settle: (outcome) => {
          clearTimeout(timer);
          resolve(outcome);
        },
      };
      const message: ToWorker = { type: 'invoke', ...invocation, deadline: Date.now() + timeoutMs };
      this.worker.postMessage(message);
    });
  }

  /** Whether it may take another invocation. */
  get usable(): boolean {
    return this.alive && !this.stopping;
  }

  stop(): void {
    this.stopping = true;
    if (!this.alive) return;
    void this.worker.terminate();
  }

  async terminate(): Promise<void> {
    this.stopping = true;
    await this.worker.terminate();
  }

  ref(): void {
    this.worker.ref();
  }

  unref(): void {
    this.worker.unref();
  }
}

/**
 * Warm Node workers per function: an invocation takes an idle worker of its
 * function's current generation, or starts one (a cold start), or waits while
 * `maxWorkers` are busy. A worker that finishes goes back to idle until
 * `idleTimeoutMs` passes unused; a timeout, crash or code update retires it.
 */
export class NodeWorkerPool {
  private readonly idle = new Map<string, ExecutionEnvironment[]>();
  private readonly workers = new Set<ExecutionEnvironment>();
  private readonly generations = new Map<string, string>();
  private readonly waiting: (() => void)[] = [];
  private closed = false;

  constructor(private readonly options: NodePoolOptions) {}

  /** Worker threads alive (busy or idle), for tests and diagnostics. */
  get size(): number {
    return this.workers.size;
  }

  async run(spec: NodeFunctionSpec, invocation: NodeInvocation): Promise<NodeOutcome> {
    this.generations.set(spec.key, spec.generation);
    let cold: { error?: RuntimeError; durationMs: number } | undefined;
    let worker = this.takeIdle(spec);
    while (!worker) {
      if (this.closed) throw new Error('the Lambda runtime is shutting down');
      if (this.workers.size >= this.options.maxWorkers && !this.evictIdle()) {
        await new Promise<void>((resolve) => this.waiting.push(resolve));
        worker = this.takeIdle(spec);
        continue;
      }
      const onGone = (gone: ExecutionEnvironment): void => this.forget(gone);
      const fresh = this.options.start ? this.options.start(spec, onGone) : new NodeWorker(spec, onGone);
      fresh.busy = true;
      this.workers.add(fresh);
      cold = await fresh.ready;
      if (cold.error) {
        fresh.stop();
        this.forget(fresh);
        return {
          error: cold.error,
          logs: '',
          initLogs: fresh.initLogs.join(''),
          initDurationMs: cold.durationMs,
          durationMs: 0,
          memoryUsedMB: 0,
          platformLines: [],
        };
      }
      worker = fresh;
    }
    worker.ref();
    try {
      const outcome = await worker.invoke(invocation);
      return cold ? { ...outcome, initLogs: worker.initLogs.join(''), initDurationMs: cold.durationMs } : outcome;
    } finally {
      this.release(worker);
    }
  }

  /** Stops the idle workers of a function (updated or deleted); busy ones stop when they finish. */
  retire(key: string): void {
    this.generations.delete(key);
    for (const worker of this.idle.get(key) ?? []) worker.stop();
    this.idle.delete(key);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const resolve of this.waiting.splice(0)) resolve();
    await Promise.all([...this.workers].map((w) => w.terminate()));
  }

  private takeIdle(spec: NodeFunctionSpec): ExecutionEnvironment | undefined {
    const list = this.idle.get(spec.key);
    while (list && list.length > 0) {
      const worker = list.pop()!;
      clearTimeout(worker.idleTimer);
      if (worker.usable && worker.spec.generation === spec.generation) {
        worker.busy = true;
        return worker;
      }
      worker.stop();
    }
    return undefined;
  }

  /** Stops the least recently used idle worker of any function to make room; false if none is idle. */
  private evictIdle(): boolean {
    let oldest: ExecutionEnvironment | undefined;
    for (const list of this.idle.values()) for (const worker of list) if (!oldest || worker.lastUsed < oldest.lastUsed) oldest = worker;
    if (!oldest) return false;
    this.removeIdle(oldest);
    oldest.stop();
    this.forget(oldest);
    return true;
  }

  private release(worker: ExecutionEnvironment): void {
    worker.busy = false;
    worker.lastUsed = Date.now();
    if (!worker.usable || this.closed || this.generations.get(worker.spec.key) !== worker.spec.generation) {
      worker.stop();
      this.forget(worker);
      return;
    }
    worker.unref();
    const list = this.idle.get(worker.spec.key) ?? [];
    list.push(worker);
    this.idle.set(worker.spec.key, list);
    worker.idleTimer = setTimeout(() => {
      this.removeIdle(worker);
      worker.stop();
      this.forget(worker);
    }, this.options.idleTimeoutMs);
    worker.idleTimer.unref();
    this.wakeOne();
  }

  private removeIdle(worker: ExecutionEnvironment): void {
    clearTimeout(worker.idleTimer);
    const list = this.idle.get(worker.spec.key);
    const at = list?.indexOf(worker) ?? -1;
    if (list && at >= 0) list.splice(at, 1);
  }

  private forget(worker: ExecutionEnvironment): void {
    if (!this.workers.delete(worker)) return;
    this.removeIdle(worker);
    this.wakeOne();
  }

  private wakeOne(): void {
    this.waiting.shift()?.();
  }
}
