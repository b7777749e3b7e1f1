import type { Clock } from '../clock.js';
import type { QueryRequestContext } from '../edge/query-protocol.js';
import type { RoleStore } from './role-store.js';

/** What every IAM operation receives: the request, the role store and Eddy's clock. */
export interface IamContext extends QueryRequestContext {
  store: RoleStore;
  clock: Clock;
}
