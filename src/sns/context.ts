import type { QueryRequestContext } from '../edge/query-protocol.js';
import type { Publisher } from './publisher.js';
import type { SnsStore } from './sns-store.js';

/** What every SNS operation receives: the request and SNS's store and publisher. */
export interface SnsContext extends QueryRequestContext {
  store: SnsStore;
  publisher: Publisher;
}

export interface Tag {
  Key: string;
  Value: string;
}

/** Listing pages hold 100 entries; the NextToken is the last row id of the page. */
export const PAGE_SIZE = 100;
