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
  ctx.tables.delete(table);
  // The stream outlives the table: readable until its records expire (24 h).
  ctx.streams.disable(table.id);
  return { TableDescription: description };
}
