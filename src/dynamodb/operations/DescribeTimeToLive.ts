import { AwsError } from '../../edge/errors.js';
import type { DynamoContext } from '../context.js';
import { requireTable } from '../require-table.js';

/**
 * The table's Time to Live setting. A table whose TTL was never enabled and one
 * where it was disabled look the same on AWS: DISABLED with no AttributeName.
 * Eddy never reports ENABLING or DISABLING (see UpdateTimeToLive).
 */
export function DescribeTimeToLive(input: { TableName: string }, ctx: DynamoContext): unknown {
  const table = requireTable(ctx, input.TableName);
  if (ctx.tables.status(table) === 'CREATING') {
    // As observed on AWS once a new table is past its first seconds (before that: ResourceNotFoundException).
    throw new AwsError('ValidationException', 'Cannot describe time to live while table is in CREATING state: Current table state is CREATING');
  }
  const attributeName = table.ttlAttribute;
  return {
    TimeToLiveDescription: attributeName === undefined ? { TimeToLiveStatus: 'DISABLED' } : { TimeToLiveStatus: 'ENABLED', AttributeName: attributeName },
  };
}
