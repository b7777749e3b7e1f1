import { consumedCapacity, type ReturnConsumedCapacity } from '../capacity.js';
import type { DynamoContext } from '../context.js';
import {
  executeSelect,
  executeWrite,
  prepareStatement,
  readStatement,
  type StatementInput,
  type WritePlan,
} from '../partiql/index.js';

interface ExecuteStatementInput extends StatementInput {
  NextToken?: string;
  Limit?: number;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
}

/**
 * One PartiQL statement (docs/partiql.md). A SELECT returns a page of
 * Items with NextToken and LastEvaluatedKey when it stopped early; INSERT,
 * UPDATE and DELETE return their RETURNING item, or an empty Items list.
 */
export function ExecuteStatement(input: ExecuteStatementInput, ctx: DynamoContext): unknown {
  const read = readStatement(input, 'statement');
  const plan = prepareStatement(ctx, read, 'statement', input);
  if (plan.kind === 'select') {
    const { units, ...page } = executeSelect(ctx, plan, {
      ...(input.Limit !== undefined ? { limit: input.Limit } : {}),
      ...(input.NextToken !== undefined ? { nextToken: input.NextToken } : {}),
    });
    return { ...page, ...consumedCapacity(plan.table, units, input.ReturnConsumedCapacity) };
  }
  // In 'statement' mode a plan is a SELECT or a write; single-item reads and EXISTS belong to batches and transactions.
  const outcome = executeWrite(ctx, plan as WritePlan);
  return { Items: outcome.items, ...consumedCapacity(plan.table, outcome.units, input.ReturnConsumedCapacity) };
}
