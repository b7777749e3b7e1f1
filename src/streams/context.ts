import type { AdjustableClock } from '../clock.js';
import type { RequestContext } from '../edge/request-context.js';
import type { TableCatalog } from '../dynamodb/table-catalog.js';
import type { ShardIteratorCodec } from './shard-iterator.js';
import type { ShardReaders } from './shard-readers.js';
import type { StreamsEngine } from './streams-engine.js';

export interface StreamsDeps {
  engine: StreamsEngine;
  iterators: ShardIteratorCodec;
  readers: ShardReaders;
  tables: TableCatalog;
  clock: AdjustableClock;
}

export type StreamsContext = RequestContext & StreamsDeps;
