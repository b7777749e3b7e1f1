import { join } from 'node:path';
import type { AdjustableClock } from '../clock.js';
import type { RestJsonService } from '../edge/rest-json-protocol.js';
import type { Db } from '../store/database.js';
import { CodeDirectory } from './code-directory.js';
import type { MappingControl } from './deps.js';
import type { Destinations } from './esm/destinations.js';
import type { MappingRunner } from './esm/mapping.js';
import { FunctionStore } from './function-store.js';
import { AsyncEventStore } from './runtime/async-events.js';
import { FunctionInvoker, type InvocationLogEntry } from './runtime/invoker.js';
import { createLambdaService } from './service.js';

export type { InvokeRequest, InvokeResult, InvocationLogEntry } from './runtime/invoker.js';
export { FunctionInvoker } from './runtime/invoker.js';

export interface LambdaOptions {
  /** Worker threads alive at once across functions (default 32). */
  maxWorkers?: number;
  /** How long a warm worker waits for its next invocation (default 5 minutes). */
  idleTimeoutMs?: number;
  onInvocationLog?(entry: InvocationLogEntry): void;
  onError?(error: unknown, functionArn: string): void;
}

/** Lambda inside Eddy: the REST-JSON service for the edge and the invoker other parts call. */
export interface Lambda {
  service: RestJsonService;
  invoker: FunctionInvoker;
  store: FunctionStore;
  close(): Promise<void>;
}

export function createLambda(
  db: Db,
  clock: AdjustableClock,
  config: { inMemory: boolean; dataDir: string; accountId: string; region: string },
  options: LambdaOptions,
  /** Built after the invoker (it invokes through it), so handed in as a factory. */
  mappings: (invoker: FunctionInvoker) => MappingRunner,
  esm: MappingControl,
  /** Where asynchronous invocation records and dead-letter messages go (SQS, SNS). */
  destinations: Destinations,
): Lambda {
  const store = new FunctionStore(db);
  const code = new CodeDirectory(config.inMemory ? undefined : join(config.dataDir));
  const invoker = new FunctionInvoker({ store, code, events: new AsyncEventStore(db), clock, destinations, accountId: config.accountId, region: config.region, ...options });
  const service = createLambdaService({ store, code, invoker, clock, mappings: mappings(invoker), esm });
  return {
    service,
    invoker,
    store,
    close: async () => {
      await invoker.close();
      code.close();
    },
  };
}
