import type { Clock } from '../clock.js';
import type { EddyConfig } from '../config.js';
import type { RequestContext } from '../edge/request-context.js';
import type { Db } from '../store/database.js';
import type { TableCatalog } from './table-catalog.js';
import type { ItemStore } from './item-store.js';
import type { StreamsEngine } from '../streams/streams-engine.js';

/** What the DynamoDB operations share: the store, the catalog and Eddy's clock. */
export interface DynamoDeps {
  db: Db;
  clock: Clock;
  config: EddyConfig;
  tables: TableCatalog;
  items: ItemStore;
  streams: StreamsEngine;
}

export type DynamoContext = RequestContext & DynamoDeps;
