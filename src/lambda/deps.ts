import type { Clock } from '../clock.js';
import type { CodeDirectory } from './code-directory.js';
import type { EventSources } from './esm/event-sources.js';
import type { MappingRunner } from './esm/mapping.js';
import type { MappingStore } from './esm/mapping-store.js';
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
  /** The event source mapping operations: stored mappings, the sources they may read, how long a state transition shows. */
  esm: MappingControl;
}

export interface MappingControl {
  store: MappingStore;
  sources: EventSources;
  /** Eddy-clock time a mapping reports Creating/Enabling/Disabling/Updating (config tableTransitionMs). */
  transitionMs: number;
}
