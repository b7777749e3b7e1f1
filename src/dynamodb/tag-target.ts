import { AwsError } from '../edge/errors.js';
import type { DynamoContext } from './context.js';
import type { Table } from './table-catalog.js';

/** The table a tagging call names by ARN. */
export function tagTarget(ctx: DynamoContext, resourceArn: string): Table {
  if (!/^arn:aws[a-z-]*:dynamodb:[^:]+:\d{12}:table\/[^/]+/.test(resourceArn)) {
    throw new AwsError('ValidationException', `Invalid TableArn: Invalid ResourceArn provided as input ${resourceArn}`);
  }
  const table = ctx.tables.findByArn(resourceArn);
  if (!table) throw new AwsError('ResourceNotFoundException', `Requested resource not found: ResourceArn: ${resourceArn} not found`);
  return table;
}
