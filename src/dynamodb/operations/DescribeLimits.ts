import type { DynamoContext } from '../context.js';

/** The default per-account and per-table quotas AWS reports for a new account. */
export function DescribeLimits(_input: unknown, _ctx: DynamoContext): unknown {
  return {
    AccountMaxReadCapacityUnits: 80000,
    AccountMaxWriteCapacityUnits: 80000,
    TableMaxReadCapacityUnits: 40000,
    TableMaxWriteCapacityUnits: 40000,
  };
}
