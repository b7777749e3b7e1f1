import type { DynamoContext } from '../context.js';

export function ListTables(input: { ExclusiveStartTableName?: string; Limit?: number }, ctx: DynamoContext): unknown {
  const limit = input.Limit ?? 100;
  const names = ctx.tables.list(ctx.accountId, ctx.region);
  const start = input.ExclusiveStartTableName;
  const after = start === undefined ? names : names.filter((name) => name > start);
  const page = after.slice(0, limit);
  // LastEvaluatedTableName only when more names follow the page.
  return after.length > limit ? { TableNames: page, LastEvaluatedTableName: page[page.length - 1] } : { TableNames: page };
}
