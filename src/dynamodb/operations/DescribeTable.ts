import type { DynamoContext } from '../context.js';
import { requireTable } from '../require-table.js';
import { describeTable } from '../table-description.js';

export function DescribeTable(input: { TableName: string }, ctx: DynamoContext): unknown {
  return { Table: describeTable(ctx, requireTable(ctx, input.TableName)) };
}
