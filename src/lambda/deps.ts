import type { Clock } from '../clock.js';
import type { CodeDirectory } from './code-directory.js';
import type { MappingRunner } from './esm/mapping.js';
import type { FunctionStore } from './function-store.js';
import type { FunctionInvoker } from './runtime/invoker.js';

/** What every Lambda operation works with. */
export interface LambdaDeps {
  store: FunctionStore;
  code: CodeDirectory;
  invoker: FunctionInvoker;
  clock: Clock;
  /** The event source mapping engine the mapping operations drive. */
  mappings: MappingRunner;
}
