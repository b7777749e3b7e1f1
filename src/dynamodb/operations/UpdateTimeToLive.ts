import { AwsError } from '../../edge/errors.js';
import type { DynamoContext } from '../context.js';
import { requireTable } from '../require-table.js';
import { expiryIndex } from '../ttl/expiry.js';

interface UpdateTimeToLiveInput {
  TableName: string;
  /** Both members are required by the model, so the edge has checked them. */
  TimeToLiveSpecification: { Enabled: boolean; AttributeName: string };
}

/**
 * Enables or disables Time to Live. AWS answers with the request's
 * specification and then passes through ENABLING/DISABLING; Eddy applies the
 * change at once (AWS too was observed to settle within a second). Error texts
 * as observed on live AWS; the content checks come before AWS's cooldown check.
 *
 * Not simulated: AWS refuses any further UpdateTimeToLive on the table for a
 * while after a change (documented as up to one hour, observed ~30 min) with
 * ValidationException "Time to live has been modified multiple times within a
 * fixed interval". Eddy accepts the next change at once (see docs/ttl.md).
 */
export function UpdateTimeToLive(input: UpdateTimeToLiveInput, ctx: DynamoContext): unknown {
  const table = requireTable(ctx, input.TableName);
  const name = table.description.TableName;
  if (ctx.tables.status(table) === 'CREATING') {
    // AWS answers ResourceNotFoundException for the first seconds of CREATING, then this.
    throw new AwsError('ResourceInUseException', `Attempt to change a resource which is still in use: Table ${name} is being created`);
  }
  const { Enabled: enabled, AttributeName: attributeName } = input.TimeToLiveSpecification;
  const current = table.ttlAttribute;
  if (enabled) {
    if (current === attributeName) throw validation('TimeToLive is already enabled');
    if (current !== undefined) throw differentAttribute(current);
  } else {
    if (current === undefined) throw validation('TimeToLive is already disabled');
    if (current !== attributeName) throw differentAttribute(current);
  }

  ctx.items.transaction(() => {
    const index = expiryIndex(ctx.db);
    // The index first: the catalog's cached table changes only once nothing else can fail.
    if (enabled) index.backfill(table, attributeName, ctx.clock.now());
    else index.clear(table);
    ctx.tables.setTimeToLive(table, enabled ? attributeName : undefined);
  });
  return { TimeToLiveSpecification: { Enabled: enabled, AttributeName: attributeName } };
}

const validation = (message: string): AwsError => new AwsError('ValidationException', message);

const differentAttribute = (current: string): AwsError =>
  validation(`TimeToLive is active on a different AttributeName: current AttributeName is ${current}`);
