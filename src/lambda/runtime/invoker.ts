import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { AwsError } from '../../edge/errors.js';
import type { RequestContext } from '../../edge/request-context.js';
import type { AdjustableClock } from '../../clock.js';
import { ClockTimers } from '../../clock-timers.js';
import type { CodeDirectory } from '../code-directory.js';
import { functionNotFound, throttled } from '../errors.js';
import { functionArn, parseFunctionRef, refArn } from '../function-name.js';
import { fingerprint } from '../local-code.js';
import type { FunctionStore, StoredFunction } from '../function-store.js';
import type { Destinations } from '../esm/destinations.js';
import { effectiveSettings } from '../event-invoke-config.js';
import { afterAttempt, deadLetterAttributes, invocationRecord, tooOld, type AsyncEventStore, type Condition, type QueuedEvent } from './async-events.js';
import { functionEnvironment } from './environment.js';
import { invocationLog, logTail } from './invocation-log.js';
import { FunctionLogs } from './function-logs.js';
import { NodeWorker, NodeWorkerPool, type NodeFunctionSpec } from './node-pool.js';
import { RuntimeProcess } from './runtime-process.js';

export type InvocationType = 'RequestResponse' | 'Event' | 'DryRun';

/** One invocation, as Invoke takes it or as another part of Eddy (the event source mapping engine) asks for it. */
export interface InvokeRequest {
  /** A name, partial ARN or ARN, optionally qualified (`name:$LATEST`). */
  functionName: string;
  /** The event as JSON text (bytes or string); empty means `{}`. */
  payload?: Uint8Array | string;
  /** RequestResponse (the default) waits for the result; Event returns 202 and runs in the background; DryRun only checks. */
  invocationType?: InvocationType;
  /** `Tail` asks for the last 4 KB of the invocation's log. */
  logType?: 'None' | 'Tail';
  /** Base64 JSON handed to the handler as context.clientContext. */
  clientContext?: string;
  qualifier?: string;
  /** The caller's account and region; Eddy's own by default. */
  account?: string;
  region?: string;
  /** The awsRequestId to use (the Invoke request's id); a new UUID by default. */
  requestId?: string;
}

export interface InvokeResult {
  /** 200 (RequestResponse), 202 (Event) or 204 (DryRun). */
  statusCode: number;
  requestId: string;
  /** `Unhandled` when the function failed: `payload` is then its error document. */
  functionError?: 'Unhandled';
  /** The function's result as JSON text, or its error; empty for Event and DryRun. */
  payload: Buffer;
  /** Base64 of the last 4 KB of the log, when `logType` was Tail. */
  logTail?: string;
  /** `$LATEST` for RequestResponse invocations. */
  executedVersion?: string;
  /** The whole log of the invocation (START ... REPORT); RequestResponse only. */
  log?: string;
}

export interface InvocationLogEntry {
  functionArn: string;
  requestId: string;
  log: string;
}

export interface FunctionInvokerOptions {
  store: FunctionStore;
  code: CodeDirectory;
  /** The durable queue of Event invocations. */
  events: AsyncEventStore;
  /** Eddy's clock: retries of Event invocations are due on it. */
  clock: AdjustableClock;
  /** Where the records of Event invocations go (OnSuccess/OnFailure SQS and SNS destinations, dead-letter queues). */
  destinations: Destinations;
  accountId: string;
  region: string;
  /** Execution environments (worker threads and runtime processes) alive at once across functions (default 32); more invocations queue. */
  maxWorkers?: number;
  /** Log lines kept per function for `eddy logs` (default 1000). */
  logLines?: number;
  /** How long a warm worker waits for its next invocation before it stops (default 5 minutes). */
  idleTimeoutMs?: number;
  /** Every finished invocation's log (for `eddy logs` and Eddy's own log). */
  onInvocationLog?(entry: InvocationLogEntry): void;
  /** A background (Event) invocation that failed inside Eddy. */
  onError?(error: unknown, functionArn: string): void;
}

/** Lambda's request payload limits: 6 MB for a synchronous invocation, 1 MB for an asynchronous one. */
const MAX_SYNC_PAYLOAD = 6_291_456;
const MAX_ASYNC_PAYLOAD = 1_048_576;
/** A synchronous response larger than this is a function error. */
const MAX_RESPONSE_PAYLOAD = 6_291_556;
/** An account's concurrency (Lambda's default quota). */
const ACCOUNT_CONCURRENCY = 1000;

const RUNTIME_DIR = dirname(fileURLToPath(import.meta.url));

/** A local code directory whose fingerprint costs less than this (ms) is checked before every invocation. */
const FINGERPRINT_ALWAYS_MS = 2;
/** A costlier one is checked again once this many times its cost has passed since the last check. */
const FINGERPRINT_SPACING = 20;

const keyOf = (fn: { account: string; region: string; name: string }): string => `${fn.account}/${fn.region}/${fn.name}`;

/**
 * Runs functions. The Invoke operation is one caller; the event source
 * mapping engine will be another, calling `invoke` directly without HTTP. It
 * resolves the function, enforces reserved concurrency, runs the handler on
 * the runtime its Runtime names (Node: a pool of warm worker threads) and
 * returns the result the way Invoke answers it. `idle()` resolves once no
 * invocation is running or queued, so tests need no sleeps.
 */
export class FunctionInvoker {
  private readonly pool: NodeWorkerPool;
  /** The recent log lines of each function (`eddy logs`). */
  readonly logs: FunctionLogs;
  private readonly running = new Map<string, number>();
  private runningTotal = 0;
  private readonly slotWaiters = new Map<string, Set<() => void>>();
  private readonly specs = new Map<string, NodeFunctionSpec>();
  /** The last fingerprint of each local-directory function's code, and what taking it cost. */
  private readonly fingerprints = new Map<string, { directory: string; hash: string; at: number; costMs: number }>();
  /**
   * Background (Event) invocations not yet finished, except those parked: behind
   * a reserved concurrency of 0, or waiting for a retry that is due later on
   * Eddy's clock. idle() waits for these only.
   */
  private readonly background = new Set<Promise<void>>();
  private resumed = false;
  private readonly idleWaiters: (() => void)[] = [];
  /** Retries and age limits due later on Eddy's clock. */
  private readonly timers: ClockTimers;
  /** Waits for a clock time (untilDue) that a close ends early. */
  private readonly closeWaiters = new Set<() => void>();
  private endpoint: string | undefined;
  private closed = false;

  constructor(private readonly options: FunctionInvokerOptions) {
    this.logs = new FunctionLogs(options.logLines ?? 1000);
    this.timers = new ClockTimers(options.clock, (error) => options.onError?.(error, 'asynchronous invocation'));
    this.pool = new NodeWorkerPool({
      maxWorkers: options.maxWorkers ?? 32,
      idleTimeoutMs: options.idleTimeoutMs ?? 5 * 60_000,
      // Node handlers run in worker threads; Python and provided.* runtimes in a process speaking the Runtime API.
      start: (spec, onGone) => (spec.runtime.startsWith('nodejs') ? new NodeWorker(spec, onGone) : new RuntimeProcess(spec, onGone)),
    });
  }

  /** Where handlers' SDK clients send their requests (AWS_ENDPOINT_URL): Eddy's own URL, once it listens. */
  setEndpoint(url: string): void {
    this.endpoint = url;
    this.specs.clear();
  }

  /** Worker threads alive, busy or warm. */
  get workerCount(): number {
    return this.pool.size;
  }

  async invoke(request: InvokeRequest): Promise<InvokeResult> {
    const requestId = request.requestId ?? randomUUID();
    const ctx: RequestContext = { requestId, accountId: request.account ?? this.options.accountId, region: request.region ?? this.options.region, host: '' };
    const ref = parseFunctionRef(request.functionName, ctx, request.qualifier);
    const fn = this.options.store.get(ref.account, ref.region, ref.name);
    if (!fn || (ref.qualifier !== undefined && ref.qualifier !== '$LATEST')) throw functionNotFound(refArn(ref));
    const type = request.invocationType ?? 'RequestResponse';
    const invokedArn = functionArn(fn.account, fn.region, fn.name, ref.qualifier);

    const bytes = typeof request.payload === 'string' ? Buffer.from(request.payload, 'utf8') : Buffer.from(request.payload ?? new Uint8Array());
    const limit = type === 'Event' ? MAX_ASYNC_PAYLOAD : MAX_SYNC_PAYLOAD;
    if (bytes.length > limit) {
      throw new AwsError('RequestEntityTooLargeException', `Request must be smaller than ${limit} bytes for the InvokeFunction operation`, 413, undefined, 'Message');
    }
    const event = bytes.length === 0 ? '{}' : bytes.toString('utf8');
    try {
      JSON.parse(event);
    } catch (error) {
      throw new AwsError('InvalidRequestContentException', `Could not parse request body into json: Could not parse payload into json: ${(error as Error).message}`, 400);
    }
    const clientContext = decodeClientContext(request.clientContext);
    if (type === 'DryRun') return { statusCode: 204, requestId, payload: Buffer.alloc(0) };

    if (type === 'Event') {
      const now = this.options.clock.now();
      const queued: QueuedEvent = { requestId, account: fn.account, region: fn.region, functionName: fn.name, invokedArn, event, clientContext, enqueuedAt: now, attempts: 0, dueAt: now };
      // Stored before the 202: an accepted event survives a crash.
      this.options.events.add(queued);
      this.runInBackground(queued);
      return { statusCode: 202, requestId, payload: Buffer.alloc(0) };
    }

    this.checkConcurrency(fn);
    const result = await this.run(fn, { requestId, event, invokedArn, clientContext });
    return {
      statusCode: 200,
      requestId,
      executedVersion: '$LATEST',
      functionError: result.functionError,
      payload: result.payload,
      logTail: request.logType === 'Tail' ? logTail(result.log) : undefined,
      log: result.log,
    };
  }

  /** Resolves once no invocation is running and no background invocation can still run. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** A function was updated or deleted: its warm workers retire and throttled events look again. */
  functionChanged(account: string, region: string, name: string): void {
    const key = keyOf({ account, region, name });
    this.specs.delete(key);
    this.fingerprints.delete(key);
    this.pool.retire(key);
    this.wakeSlotWaiters(key);
  }

  /** Reserved concurrency changed: events waiting for a slot look again. */
  concurrencyChanged(account: string, region: string, name: string): void {
    this.wakeSlotWaiters(keyOf({ account, region, name }));
  }

  /** The unqualified ARN of the function `functionName` names (a name, partial ARN or ARN), if it exists. */
  functionArnOf(functionName: string): string | undefined {
    const ctx: RequestContext = { requestId: '', accountId: this.options.accountId, region: this.options.region, host: '' };
    let ref;
    try {
      ref = parseFunctionRef(functionName, ctx);
    } catch {
      return undefined;
    }
    return this.options.store.get(ref.account, ref.region, ref.name) ? functionArn(ref.account, ref.region, ref.name) : undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.logs.close();
    for (const waiters of this.slotWaiters.values()) for (const wake of waiters) wake();
    for (const wake of [...this.closeWaiters]) wake();
    this.timers.close();
    await this.pool.close();
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private checkConcurrency(fn: StoredFunction): void {
    const running = this.running.get(keyOf(fn)) ?? 0;
    if (fn.reservedConcurrency !== null && running >= fn.reservedConcurrency) throw throttled('ReservedFunctionConcurrentInvocationLimitExceeded');
    if (this.runningTotal >= ACCOUNT_CONCURRENCY) throw throttled('ConcurrentInvocationLimitExceeded');
  }

  private async run(
    fn: StoredFunction,
    invocation: { requestId: string; event: string; invokedArn: string; clientContext?: unknown },
  ): Promise<{ payload: Buffer; functionError?: 'Unhandled'; log: string }> {
    const key = keyOf(fn);
    this.running.set(key, (this.running.get(key) ?? 0) + 1);
    this.runningTotal++;
    try {
      const outcome = await this.pool.run(this.spec(fn), {
        requestId: invocation.requestId,
        event: invocation.event,
        invokedFunctionArn: invocation.invokedArn,
        clientContext: invocation.clientContext,
      });
      let error = outcome.error;
      let payload = error ? JSON.stringify(error) : (outcome.payload ?? 'null');
      if (!error && Buffer.byteLength(payload) > MAX_RESPONSE_PAYLOAD) {
        error = {
          errorType: 'Function.ResponseSizeTooLarge',
          errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_PAYLOAD} bytes).`,
        };
        payload = JSON.stringify({ errorMessage: error.errorMessage, errorType: error.errorType });
      }
      const log = invocationLog({ requestId: invocation.requestId, memoryMB: fn.configuration.MemorySize, ...outcome });
      const arn = functionArn(fn.account, fn.region, fn.name);
      this.logs.add(arn, log);
      this.options.onInvocationLog?.({ functionArn: arn, requestId: invocation.requestId, log });
      return { payload: Buffer.from(payload, 'utf8'), functionError: error ? 'Unhandled' : undefined, log };
    } finally {
      const left = (this.running.get(key) ?? 1) - 1;
      if (left === 0) this.running.delete(key);
      else this.running.set(key, left);
      this.runningTotal--;
      this.wakeSlotWaiters(key);
      this.checkIdle();
    }
  }

  /**
   * Resumes the Event invocations a previous run of Eddy accepted and did not
   * finish (once, when Eddy listens: handlers need its endpoint).
   */
  resumeQueuedEvents(): void {
    if (this.resumed) return;
    this.resumed = true;
    for (const queued of this.options.events.all()) this.runInBackground(queued);
  }

  /**
   * An Event invocation, from the queue: it waits until it is due on Eddy's
   * clock, then for a slot under the function's reserved concurrency (as
   * Lambda's internal queue does), then runs; a function error makes it due
   * again later, until its attempts are spent (async-events.ts). Its row goes
   * once it is finished; a close leaves it for the next start.
   */
  private runInBackground(queued: QueuedEvent): void {
    const arn = functionArn(queued.account, queued.region, queued.functionName);
    const key = keyOf({ account: queued.account, region: queued.region, name: queued.functionName });
    const self: { task?: Promise<void> } = {};
    const park = (parked: boolean): void => {
      if (!self.task) return;
      if (parked) this.background.delete(self.task);
      else this.background.add(self.task);
    };
    // The row goes after the outcome's records are sent: a crash in between sends them again rather than never.
    const finish = (outcome?: Promise<void>): Promise<void> | void => {
      if (!outcome) return this.options.events.remove(queued.requestId);
      return outcome.finally(() => this.options.events.remove(queued.requestId));
    };
    self.task = (async () => {
      await Promise.resolve(); // self.task is set and counted from here on
      for (;;) {
        if (this.closed) return;
        if (this.options.clock.now() < queued.dueAt) {
          park(true);
          this.checkIdle();
          await this.untilDue(queued.dueAt, () => park(false));
          continue;
        }
        const current = this.options.store.get(queued.account, queued.region, queued.functionName);
        // Lambda discards the queued events of a deleted function (its configuration went with it).
        if (!current) return finish();
        // The configuration is read at each attempt: a Put applies to events already queued.
        const settings = effectiveSettings(this.options.store.eventInvokeConfig(current.account, current.region, current.name));
        if (tooOld(queued.enqueuedAt, this.options.clock.now(), settings.maxAgeMs)) return finish(this.outcome(current, queued, 'EventAgeExceeded'));
        // A retry due under an older configuration that MaximumRetryAttempts now forbids.
        if (queued.attempts > settings.maxRetries) return finish(this.outcome(current, queued, 'RetriesExhausted'));
        const running = this.running.get(key) ?? 0;
        const reserved = current.reservedConcurrency;
        if ((reserved !== null && running >= reserved) || this.runningTotal >= ACCOUNT_CONCURRENCY) {
          // Parked behind a reserved concurrency of 0 it may never run: idle() does not wait for it.
          const parked = reserved === 0;
          if (parked) park(true);
          this.checkIdle();
          // A throttled event waits for a slot, or until it is too old (then its OnFailure record and dead-letter message go out).
          const expired = this.untilDue(queued.enqueuedAt + settings.maxAgeMs + 1, () => park(false));
          await Promise.race([new Promise<void>((resolve) => this.waitForSlot(key, resolve)), expired]);
          expired.cancel();
          if (parked) park(false);
          continue;
        }
        const result = await this.run(current, { requestId: queued.requestId, event: queued.event, invokedArn: queued.invokedArn, clientContext: queued.clientContext });
        if (this.closed) return;
        queued.attempts++;
        queued.lastResponse = { payload: result.payload.toString('utf8'), functionError: result.functionError };
        const failed = result.functionError !== undefined;
        const next = afterAttempt(failed, queued.attempts, this.options.clock.now(), settings.maxRetries);
        if (next.done) return finish(this.outcome(current, queued, failed ? 'RetriesExhausted' : 'Success'));
        queued.dueAt = next.dueAt;
        this.options.events.reschedule(queued);
      }
    })()
      .catch((error: unknown) => this.options.onError?.(error, arn))
      .finally(() => {
        if (self.task) this.background.delete(self.task);
        this.checkIdle();
      });
    this.background.add(self.task);
  }

  /**
   * Sends the records of a finished event as the function's configuration
   * asks, read now: the invocation record to the OnSuccess or OnFailure
   * destination (an SQS queue, an SNS topic, or another function invoked
   * asynchronously with it), and a failed event to the dead-letter queue with
   * its RequestID, ErrorCode and ErrorMessage attributes. A destination that
   * fails (a deleted queue, say) is logged as Lambda counts
   * DestinationDeliveryFailures, and does not stop the others.
   */
  private async outcome(fn: StoredFunction, queued: QueuedEvent, condition: Condition): Promise<void> {
    const arn = functionArn(fn.account, fn.region, fn.name);
    const settings = effectiveSettings(this.options.store.eventInvokeConfig(fn.account, fn.region, fn.name));
    const destination = condition === 'Success' ? settings.onSuccess : settings.onFailure;
    const sends: (() => Promise<unknown> | void)[] = [];
    if (destination) {
      const record = invocationRecord(queued, condition, functionArn(fn.account, fn.region, fn.name, '$LATEST'), this.options.clock.now(), queued.lastResponse);
      sends.push(() =>
        destination.split(':')[2] === 'lambda'
          ? this.invoke({ functionName: destination, payload: record, invocationType: 'Event', account: fn.account, region: fn.region })
          : this.options.destinations.send(destination, record),
      );
    }
    const deadLetter = fn.configuration.DeadLetterConfig?.TargetArn;
    if (condition !== 'Success' && deadLetter) {
      sends.push(() => this.options.destinations.send(deadLetter, queued.event, deadLetterAttributes(queued.requestId, queued.lastResponse)));
    }
    for (const send of sends) {
      try {
        await send();
      } catch (error) {
        this.options.onError?.(error, arn);
      }
    }
  }

  /**
   * Resolves once Eddy's clock reaches `dueAt` (a ClockTimers timer: the wall-clock
   * wait, and at once when a test advances the clock past it) or Eddy closes.
   * `onDue` runs synchronously at that moment, so an idle() called right after
   * `clock.advance` already waits for the invocation that became due.
   * `cancel()` stops waiting (the promise then never resolves).
   */
  private untilDue(dueAt: number, onDue: () => void): Promise<void> & { cancel(): void } {
    let cancel = (): void => {};
    const promise = new Promise<void>((resolve) => {
      const wake = (): void => {
        cancel();
        onDue();
        resolve();
      };
      const unschedule = this.timers.schedule(dueAt, wake);
      this.closeWaiters.add(wake);
      cancel = () => {
        unschedule();
        this.closeWaiters.delete(wake);
      };
    });
    return Object.assign(promise, { cancel: () => cancel() });
  }


  /**
   * What the pool runs `fn` as. Its generation names the code and the
   * configuration; for a function run from a local directory it also names
   * the directory's fingerprint, taken before every invocation, so an edit on
   * disk retires the warm environments and the next one starts from the new
   * code (an ES module cannot be unloaded from a running worker).
   */
  private spec(fn: StoredFunction): NodeFunctionSpec {
    const key = keyOf(fn);
    const local = fn.configuration.LocalDirectory;
    let generation = `${fn.configuration.RevisionId}/${fn.codeHash}`;
    if (local !== undefined) generation += `/${this.localFingerprint(key, local)}`;
    const cached = this.specs.get(key);
    if (cached && cached.generation === generation) return cached;
    const taskRoot = local ?? this.options.code.ensure(fn.codeHash, () => this.options.store.code(fn.codeHash));
    const c = fn.configuration;
    const spec: NodeFunctionSpec = {
      key,
      runtime: c.Runtime,
      generation,
      taskRoot,
      handler: c.Handler ?? '',
      functionName: fn.name,
      memoryMB: c.MemorySize,
      timeoutSeconds: c.Timeout,
      logGroupName: c.LoggingConfig?.LogGroup ?? `/aws/lambda/${fn.name}`,
      environment: functionEnvironment(fn, taskRoot, RUNTIME_DIR, this.endpoint),
    };
    this.specs.set(key, spec);
    return spec;
  }

  /**
   * The fingerprint of a local code directory, taken afresh for every
   * invocation while taking it costs under FINGERPRINT_ALWAYS_MS (a directory
   * of up to a few hundred files). A larger directory is looked at again once
   * FINGERPRINT_SPACING times its last cost has passed, so the check never
   * takes more than about 5% of the time.
   */
  private localFingerprint(key: string, directory: string): string {
    const last = this.fingerprints.get(key);
    const now = performance.now();
    if (last && last.directory === directory && last.costMs >= FINGERPRINT_ALWAYS_MS && now - last.at < last.costMs * FINGERPRINT_SPACING) return last.hash;
    const { hash } = fingerprint(directory);
    const at = performance.now();
    this.fingerprints.set(key, { directory, hash, at, costMs: at - now });
    return hash;
  }

  private waitForSlot(key: string, wake: () => void): void {
    let waiters = this.slotWaiters.get(key);
    if (!waiters) this.slotWaiters.set(key, (waiters = new Set()));
    waiters.add(wake);
  }

  private wakeSlotWaiters(key: string): void {
    const waiters = this.slotWaiters.get(key);
    if (!waiters) return;
    this.slotWaiters.delete(key);
    for (const wake of waiters) wake();
  }

  private isIdle(): boolean {
    return this.runningTotal === 0 && this.background.size === 0;
  }

  private checkIdle(): void {
    if (!this.isIdle()) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

/** X-Amz-Client-Context: base64 of a JSON object, handed to the handler decoded. */
function decodeClientContext(encoded: string | undefined): unknown {
  if (encoded === undefined || encoded === '') return undefined;
  try {
    return JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
  } catch {
    throw new AwsError('InvalidRequestContentException', 'Client context must be a valid Base64-encoded JSON object.', 400);
  }
}
