import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { logStreamName, timedOutOutcome, type ExecutionEnvironment, type NodeFunctionSpec, type NodeInvocation, type NodeOutcome } from './node-pool.js';
import type { RuntimeError } from './node-protocol.js';

/**
 * Eddy's Python bootstrap. tsc copies no `.py` file into dist/, so it is read
 * where it sits in the package: `src/lambda/runtime/python-bootstrap.py`,
 * three levels above this module both in src/ and in dist/.
 */
export const PYTHON_BOOTSTRAP = fileURLToPath(new URL('../../../src/lambda/runtime/python-bootstrap.py', import.meta.url));

/**
 * Written by the Python bootstrap on stdout after each invocation's output and
 * before its result: everything before it belongs to that invocation. (A
 * provided runtime's output has no such mark; its result waits one turn of
 * the event loop for output still in the pipe.)
 */
const OUTPUT_MARK = '\x1e\x1fEDDY-INVOCATION-DONE\x1f\x1e';

/** The largest response a runtime may post (Lambda's 6 MB synchronous limit, as the Runtime API counts it). */
const MAX_RESPONSE_BYTES = 6_291_556;
/** Lambda's INIT limit; Eddy lets INIT run for this plus the function's timeout, as for Node. */
const INIT_LIMIT_MS = 10_000;
/** The most console output kept per invocation (the oldest is dropped first). */
const MAX_LOG_CHARS = 1024 * 1024;

const API_PREFIX = '/2018-06-01/runtime/';

/**
 * The interpreter `python3` on PATH resolves to, asked once per PATH: version
 * managers put a shell shim first on PATH (pyenv's costs about 60 ms per
 * start), and every cold start would pay for it.
 */
const pythonExecutables = new Map<string, Promise<string>>();
function pythonExecutable(path: string): Promise<string> {
  let found = pythonExecutables.get(path);
  if (!found) {
    found = new Promise((resolve) => {
      execFile('python3', ['-c', 'import sys; sys.stdout.write(sys.executable)'], { env: { PATH: path }, timeout: 10_000 }, (error, stdout) => {
        resolve(!error && stdout.startsWith('/') && existsSync(stdout) ? stdout : 'python3');
      });
    });
    pythonExecutables.set(path, found);
  }
  return found;
}

type Settled = Omit<NodeOutcome, 'initLogs' | 'initDurationMs'>;

interface Pending {
  invocation: NodeInvocation;
  deadline: number;
  startedAt: number;
  logs: string[];
  logChars: number;
  /** Handed to the runtime by /next. */
  delivered: boolean;
  /** What the runtime posted: a response or an error. */
  result?: { payload?: string; error?: RuntimeError };
  marked: boolean;
  settle(outcome: Settled): void;
}

/**
 * One execution environment of a Python or provided.* function: a process
 * (python3 running Eddy's bootstrap, or the function's own `bootstrap`) that
 * talks to its own Lambda Runtime API listener on 127.0.0.1, given to it as
 * AWS_LAMBDA_RUNTIME_API. A listener per process makes `/next` unambiguous:
 * the Runtime API has no way to say which environment is asking.
 */
export class RuntimeProcess implements ExecutionEnvironment {
  readonly ready: Promise<{ error?: RuntimeError; durationMs: number }>;
  readonly initLogs: string[] = [];
  busy = false;
  lastUsed = Date.now();
  idleTimer: NodeJS.Timeout | undefined;
  private alive = true;
  private stopping = false;
  private child: ChildProcess | undefined;
  private readonly server: Server;
  private readonly exited: Promise<void>;
  private onExited!: () => void;
  private initSettled = false;
  private onInit!: (result: { error?: RuntimeError; durationMs: number }) => void;
  private readonly startedAt = performance.now();
  private pending: Pending | undefined;
  private parkedNext: ServerResponse | undefined;
  private readonly python: boolean;
  private stdoutCarry = '';

  constructor(
    readonly spec: NodeFunctionSpec,
    private readonly onGone: (environment: ExecutionEnvironment) => void,
  ) {
    this.python = spec.runtime.startsWith('python');
    this.ready = new Promise((resolve) => (this.onInit = resolve));
    this.exited = new Promise((resolve) => (this.onExited = resolve));
    this.server = createServer((req, res) => this.serve(req, res));
    this.server.keepAliveTimeout = 65_000;
    const initLimit = setTimeout(() => {
      this.settleInit({ error: { errorType: 'Sandbox.Timedout', errorMessage: `Error: Task timed out after ${spec.timeoutSeconds.toFixed(2)} seconds` } });
      this.stop();
    }, INIT_LIMIT_MS + spec.timeoutSeconds * 1000);
    void this.ready.then(() => clearTimeout(initLimit));
    this.server.once('error', (error) => this.die(`error: ${error.message}`));
    this.server.listen(0, '127.0.0.1', () => {
      if (!this.python) return this.launch('');
      void pythonExecutable(spec.environment.PATH ?? '').then((python) => this.launch(python));
    });
  }

  get usable(): boolean {
    return this.alive && !this.stopping;
  }

  private launch(python: string): void {
    if (this.stopping) return;
    const { port } = this.server.address() as AddressInfo;
    const stream = logStreamName();
    const env: Record<string, string> = {
      ...this.spec.environment,
      AWS_LAMBDA_LOG_STREAM_NAME: stream,
      AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${port}`,
    };
    let command: string;
    let args: string[];
    if (this.python) {
      command = python;
      args = ['-u', PYTHON_BOOTSTRAP];
      env.PYTHONUNBUFFERED = '1';
    } else {
      command = join(this.spec.taskRoot, 'bootstrap');
      args = [];
      if (!existsSync(command)) {
        this.settleInit({
          error: { errorType: 'Runtime.InvalidEntrypoint', errorMessage: `Couldn't find valid bootstrap(s): [${command}]` },
        });
        this.stopping = true;
        this.die('exit status 127');
        return;
      }
      // Zip entries come without their Unix modes (fflate does not report them): Lambda runs bootstrap anyway.
      try {
        chmodSync(command, 0o755);
      } catch {
        // A read-only task root: try to run it as it is.
      }
    }
    // Its own process group, so stopping it also stops what it started (curl, a sleep...), as Lambda ends a whole sandbox.
    const child = spawn(command, args, { cwd: this.spec.taskRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child = child;
    child.stdout.setEncoding('utf8').on('data', (text: string) => this.stdout(text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => this.output(text));
    child.once('error', (error) => this.die(`error: ${error.message}`));
    child.once('exit', (code, signal) => this.die(signal ? `signal: ${signal === 'SIGKILL' ? 'killed' : signal.replace(/^SIG/, '').toLowerCase()}` : `exit status ${code ?? 0}`));
  }

  /** The Runtime API of this environment. */
  private serve(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_RESPONSE_BYTES + 1) chunks.push(chunk);
    });
    req.on('end', () => this.route(req, Buffer.concat(chunks), size, res));
    req.on('error', () => res.destroy());
  }

  private route(req: IncomingMessage, body: Buffer, size: number, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0]!;
    const method = req.method ?? 'GET';
    if (!path.startsWith(API_PREFIX)) return reply(res, 404, { errorMessage: 'Not Found', errorType: 'NotFound' });
    const rest = path.slice(API_PREFIX.length);
    if (rest === 'invocation/next' && method === 'GET') return this.next(res);
    if (rest === 'init/error' && method === 'POST') return this.initError(req, body, res);
    const match = /^invocation\/([^/]+)\/(response|error)$/.exec(rest);
    if (match && method === 'POST') {
      const pending = this.pending;
      const id = decodeURIComponent(match[1]!);
      if (!pending || !pending.delivered || pending.invocation.requestId !== id || pending.result) {
        return reply(res, 400, { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
      }
      if (match[2] === 'response') {
        if (size > MAX_RESPONSE_BYTES) {
          reply(res, 413, { errorMessage: `Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`, errorType: 'RequestEntityTooLarge' });
          pending.result = {
            error: {
              errorType: 'Function.ResponseSizeTooLarge',
              errorMessage: `Response payload size (${size} bytes) exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
            },
          };
        } else {
          reply(res, 202, { status: 'OK' });
          pending.result = { payload: body.length === 0 ? 'null' : body.toString('utf8') };
        }
      } else {
        reply(res, 202, { status: 'OK' });
        pending.result = { error: errorDocument(body, req.headers['lambda-runtime-function-error-type']) };
      }
      this.finishWhenOutputIn();
      return;
    }
    reply(res, 404, { errorMessage: 'Not Found', errorType: 'NotFound' });
  }

  /** GET /next: the runtime finished INIT (the first time) and waits for an invocation. */
  private next(res: ServerResponse): void {
    this.settleInit({});
    if (this.parkedNext && !this.parkedNext.writableEnded) this.parkedNext.destroy();
    this.parkedNext = res;
    res.once('close', () => {
      if (this.parkedNext === res) this.parkedNext = undefined;
    });
    this.deliver();
  }

  private initError(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    if (this.initSettled) return reply(res, 403, { errorMessage: 'Invalid state transition: INIT is over', errorType: 'InvalidStateTransition' });
    reply(res, 202, { status: 'OK' });
    this.settleInit({ error: errorDocument(body, req.headers['lambda-runtime-function-error-type']) });
    // Lambda ends an environment whose INIT failed.
    this.stop();
  }

  private deliver(): void {
    const pending = this.pending;
    const res = this.parkedNext;
    if (!pending || pending.delivered || !res) return;
    this.parkedNext = undefined;
    pending.delivered = true;
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'Lambda-Runtime-Aws-Request-Id': pending.invocation.requestId,
      'Lambda-Runtime-Deadline-Ms': String(pending.deadline),
      'Lambda-Runtime-Invoked-Function-Arn': pending.invocation.invokedFunctionArn,
      'Lambda-Runtime-Trace-Id': traceId(),
    };
    if (pending.invocation.clientContext !== undefined) headers['Lambda-Runtime-Client-Context'] = JSON.stringify(pending.invocation.clientContext);
    res.writeHead(200, headers);
    res.end(pending.invocation.event);
  }

  invoke(invocation: NodeInvocation): Promise<Settled> {
    const timeoutMs = this.spec.timeoutSeconds * 1000;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const pending = this.pending;
        if (!pending || pending.invocation.requestId !== invocation.requestId) return;
        this.pending = undefined;
        resolve(timedOutOutcome(invocation.requestId, this.spec.timeoutSeconds, pending.logs.join(''), this.memoryUsedMB()));
        this.stop();
      }, timeoutMs);
      this.pending = {
        invocation,
        deadline: Date.now() + timeoutMs,
        startedAt: performance.now(),
        logs: [],
        logChars: 0,
        delivered: false,
        marked: false,
        settle: (outcome) => {
          clearTimeout(timer);
          resolve(outcome);
        },
      };
      this.deliver();
    });
  }

  /** The runtime posted its result: settle once the invocation's output is in too. */
  private finishWhenOutputIn(): void {
    const pending = this.pending;
    if (!pending?.result) return;
    if (this.python && !pending.marked) return;
    const finish = (): void => {
      if (this.pending !== pending) return;
      this.pending = undefined;
      pending.settle({
        ...pending.result!,
        logs: pending.logs.join(''),
        durationMs: performance.now() - pending.startedAt,
        memoryUsedMB: this.memoryUsedMB(),
        platformLines: [],
      });
    };
    if (this.python) finish();
    else setImmediate(finish);
  }

  private stdout(text: string): void {
    if (!this.python) return this.output(text);
    let data = this.stdoutCarry + text;
    this.stdoutCarry = '';
    for (;;) {
      const at = data.indexOf(OUTPUT_MARK);
      if (at < 0) break;
      this.output(data.slice(0, at));
      data = data.slice(at + OUTPUT_MARK.length);
      if (this.pending) {
        this.pending.marked = true;
        this.finishWhenOutputIn();
      }
    }
    // Keep a possible beginning of the mark for the next chunk.
    let keep = 0;
    for (let n = Math.min(OUTPUT_MARK.length - 1, data.length); n > 0; n--) {
      if (OUTPUT_MARK.startsWith(data.slice(data.length - n))) {
        keep = n;
        break;
      }
    }
    this.output(data.slice(0, data.length - keep));
    this.stdoutCarry = data.slice(data.length - keep);
  }

  private output(text: string): void {
    if (text === '') return;
    const pending = this.pending;
    if (pending && pending.delivered) {
      pending.logs.push(text);
      pending.logChars += text.length;
      while (pending.logChars > MAX_LOG_CHARS && pending.logs.length > 1) pending.logChars -= pending.logs.shift()!.length;
    } else if (!this.initSettled) {
      this.initLogs.push(text);
    }
  }

  private settleInit(result: { error?: RuntimeError }): void {
    if (this.initSettled) return;
    this.initSettled = true;
    this.onInit({ ...result, durationMs: performance.now() - this.startedAt });
  }

  /** The process ended (or could not start): the invocation in flight, or INIT, fails with Runtime.ExitError. */
  private die(cause: string): void {
    if (!this.alive) return;
    this.alive = false;
    this.settleInit({ error: { errorType: 'Runtime.ExitError', errorMessage: `Error: Runtime exited with error: ${cause}` } });
    const pending = this.pending;
    if (pending) {
      this.pending = undefined;
      const error: RuntimeError = { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${pending.invocation.requestId} Error: Runtime exited with error: ${cause}` };
      pending.settle({
        error,
        logs: pending.logs.join('') + this.stdoutCarry,
        durationMs: performance.now() - pending.startedAt,
        memoryUsedMB: 0,
        platformLines: [`${error.errorMessage}\n${error.errorType}\n`],
      });
    }
    this.parkedNext?.destroy();
    this.server.close();
    this.server.closeAllConnections();
    this.onExited();
    this.onGone(this);
  }

  /** Peak resident memory of the process (Linux), for REPORT's Max Memory Used. */
  private memoryUsedMB(): number {
    const pid = this.child?.pid;
    if (pid === undefined) return 0;
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return match ? Math.ceil(Number(match[1]) / 1024) : 0;
    } catch {
      return 0;
    }
  }

  stop(): void {
    this.stopping = true;
    if (!this.alive) return;
    const child = this.child;
    if (!child) return this.die('signal: killed');
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // The group is gone already.
    }
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  async terminate(): Promise<void> {
    this.stop();
    await this.exited;
  }

  ref(): void {
    this.child?.ref();
    this.server.ref();
  }

  unref(): void {
    this.child?.unref();
    this.server.unref();
  }
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** What a runtime posted to /error or /init/error, as the caller will see it. */
function errorDocument(body: Buffer, typeHeader: string | string[] | undefined): RuntimeError {
  const headerType = typeof typeHeader === 'string' && typeHeader !== '' ? typeHeader : undefined;
  try {
    const parsed = JSON.parse(body.toString('utf8')) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const doc = parsed as RuntimeError;
      return { ...doc, errorType: doc.errorType ?? headerType ?? 'Unhandled', errorMessage: doc.errorMessage ?? '' };
    }
  } catch {
    // Not JSON: report what the header says.
  }
  return { errorType: headerType ?? 'Unhandled', errorMessage: body.toString('utf8') };
}

/** An X-Ray trace header as Lambda passes it (Eddy does not trace: it is only well-formed). */
function traceId(): string {
  const hex = (n: number): string => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('');
  return `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${hex(24)};Parent=${hex(16)};Sampled=0`;
}
