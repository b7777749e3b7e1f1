/**
 * DynamoDB's PartiQL: ExecuteStatement, BatchExecuteStatement and (to come)
 * ExecuteTransaction share these steps.
 *
 *  1. `readStatement(input, mode)`: Parameters, syntax, parameter count,
 *     where EXISTS may appear. No table needed.
 *  2. `prepareStatement(ctx, read, mode, input)`: the statement against its
 *     table: key, condition, update, projection, reads; DynamoDB's
 *     ValidationExceptions and "Requested resource not found".
 *  3. Run the plan: `executeSelect` (pages with NextToken), `executeGet`
 *     (a SELECT of one item), `executeWrite` (INSERT, UPDATE, DELETE) or
 *     `executeCheck` (EXISTS).
 *
 * ExecuteTransaction: read and prepare every statement with mode
 * 'transaction' (prefixing a failure with "Validation failed in
 * TransactStatements[i]: "), then call `executeWrite` / `executeCheck` /
 * `executeGet` for each plan inside one `ctx.items.transaction(...)`:
 * `executeWrite` joins the enclosing transaction, so throwing after a
 * failed statement rolls every earlier write back. Catch each statement's
 * AwsError to build the CancellationReasons, then throw.
 */
export {
  isReadStatement,
  prepareStatement,
  readStatement,
  type CheckPlan,
  type DeletePlan,
  type GetPlan,
  type InsertPlan,
  type ReadStatement,
  type SelectPlan,
  type StatementInput,
  type StatementMode,
  type StatementPlan,
  type UpdatePlan,
  type WritePlan,
} from './prepare.js';
export { executeCheck, executeGet, executeSelect, executeWrite, type SelectPage, type WriteOutcome } from './execute.js';
export { parseStatement } from './parser.js';
