/**
 * The messages between Eddy and a Node worker thread running one function's
 * handler (src/lambda/runtime/node-worker.ts). Types only: the worker imports
 * nothing of Eddy's at run time.
 */

/** What a worker is started with (its `workerData`). */
export interface WorkerInit {
  /** The unpacked deployment package (LAMBDA_TASK_ROOT). */
  taskRoot: string;
  /** `index.handler`, `src/app.main`, ... */
  handler: string;
  functionName: string;
  functionVersion: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
  /**
   * tsx's CommonJS registration API (a path) and ESM one (a file URL), loaded only for
   * TypeScript handlers; `registered` when the bootstrap already did (Eddy
   * running from its TypeScript sources).
   */
  tsx: { cjs: string; esm: string; registered: boolean };
}

/**
 * An error as Lambda's Node runtime reports it (its `toRapidResponse`); other
 * runtimes post their own shape to the Runtime API (Python: `stackTrace`,
 * `requestId`), passed on as they sent it.
 */
export interface RuntimeError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
  stackTrace?: string[];
  [member: string]: unknown;
}

export type ToWorker = {
  type: 'invoke';
  requestId: string;
  /** The event as JSON text. */
  event: string;
  /** Epoch milliseconds the invocation times out at (getRemainingTimeInMillis). */
  deadline: number;
  invokedFunctionArn: string;
  /** Decoded X-Amz-Client-Context JSON, if any. */
  clientContext?: unknown;
};

export type FromWorker =
  | { type: 'ready' }
  | { type: 'init-error'; error: RuntimeError }
  /** Console output of the current invocation (or of init), already formatted as Lambda writes it. */
  | { type: 'log'; text: string }
  | {
      type: 'result';
      requestId: string;
      /** The handler's result as JSON text, or its error. */
      payload?: string;
      error?: RuntimeError;
      /** The runtime itself is broken (an uncaught exception): the worker must be replaced. */
      fatal?: boolean;
      memoryUsedMB: number;
    }
  /** An uncaught exception outside any invocation: the worker is unusable. */
  | { type: 'crash'; error: RuntimeError };
