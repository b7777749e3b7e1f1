import { AwsError } from '../../edge/errors.js';
import type { DynamoContext } from '../context.js';
import { requireTable } from '../require-table.js';
import { describeTable } from '../table-description.js';

export function DeleteTable(input: { TableName: string }, ctx: DynamoContext): unknown {
  const table = requireTable(ctx, input.TableName);
  const status = ctx.tables.status(table);
  if (status !== 'ACTIVE') {
    throw new AwsError('ResourceInUseException', `Attempt to change a resource which is still in use: Table is being ${status === 'CREATING' ? 'created' : 'updated'}: ${table.description.TableName}`);
  }
  if (table.description.DeletionProtectionEnabled) {
    throw new AwsError('ValidationException', `Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.`);
  }
  const description = describeTable(ctx, table, 'DELETING');
  // The stream outlives the table: readable until its records expire (24 h).
  // Disabled first, in the same transaction: deleting the items must not capture REMOVE records.
  ctx.items.transaction(() => {
    ctx.streams.disable(table.id);
    ctx.tables.delete(table);
  });
  return { TableDescription: description };
}
