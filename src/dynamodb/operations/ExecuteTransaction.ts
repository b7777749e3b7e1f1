import { AwsError, validationError } from '../../edge/errors.js';
import { writeUnits, type ReturnConsumedCapacity } from '../capacity.js';
import type { DynamoContext } from '../context.js';
import {
  CapacityByTable,
  findReplay,
  itemIdentity,
  matchKey,
  replayCapacity,
  requestHash,
  runAll,
  saveToken,
  TRANSACTION_FACTOR,
} from '../item-writes/index.js';
import {
  executeCheck,
  executeGet,
  executeWrite,
  prepareStatement,
  readStatement,
  type StatementInput,
  type StatementPlan,
} from '../partiql/index.js';
import { itemSize } from '../values/size.js';
import { MULTIPLE_OPERATIONS } from './TransactWriteItems.js';

interface ExecuteTransactionInput {
  TransactStatements: StatementInput[];
  ClientRequestToken?: string;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
}

/** Not captured from DynamoDB: another emulator's text for a transaction of reads and writes. */
export const MIXED_READS_AND_WRITES = 'ExecuteTransaction API does not support both read and write operations in the same request.';

/** A statement's ValidationException, saying which statement (docs/partiql.md). */
function inStatement<T>(index: number, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof AwsError && error.code === 'ValidationException') {
      throw validationError(`Validation failed in TransactStatements[${index}]: ${error.message}`);
    }
    throw error;
  }
}

/**
 * Up to 100 PartiQL statements as one transaction (docs/partiql.md): all
 * SELECTs of single items, or all INSERT, UPDATE, DELETE and EXISTS, each
 * item at most once. Every statement is read, then every one prepared,
 * before anything runs; then they run in one SQLite transaction and any
 * failure cancels it with a reason per statement, as TransactWriteItems does.
 * Capacity is transactional (twice the units); an EXISTS is billed like a
 * ConditionCheck. ClientRequestToken makes a write transaction idempotent
 * (item-writes/tokens.ts); a read transaction is simply read again.
 */
export function ExecuteTransaction(input: ExecuteTransactionInput, ctx: DynamoContext): unknown {
  const statements = input.TransactStatements;
  const read = statements.map((statement, i) => inStatement(i, () => readStatement(statement, 'transaction')));
  const plans: StatementPlan[] = statements.map((statement, i) => inStatement(i, () => prepareStatement(ctx, read[i]!, 'transaction', statement)));

  const reads = plans.filter((plan) => plan.kind === 'get').length;
  if (reads > 0 && reads < plans.length) throw validationError(MIXED_READS_AND_WRITES);
  const seen = new Set<string>();
  for (const plan of plans) {
    if (plan.kind === 'select') continue;
    const key = matchKey(plan.table, plan.key, 'key').key;
    if (!key) continue;
    const identity = itemIdentity(plan.table, key);
    if (seen.has(identity)) throw validationError(MULTIPLE_OPERATIONS);
    seen.add(identity);
  }

  const writes = reads === 0;
  const hash = requestHash('ExecuteTransaction', statements);
  const replay = findReplay(ctx, input.ClientRequestToken, hash);
  if (replay && writes) return { Responses: plans.map(() => ({})), ...replayCapacity(ctx, replay, input.ReturnConsumedCapacity) };

  return ctx.items.transaction(() => {
    const capacity = new CapacityByTable();
    const responses = runAll(plans, (plan) => {
      switch (plan.kind) {
        case 'get': {
          const { item, units } = executeGet(ctx, plan);
          // A transactional read costs twice a strongly consistent one.
          capacity.addRead(plan.table, TRANSACTION_FACTOR * (plan.consistent ? units : units * 2));
          return item ? { Item: item } : {};
        }
        case 'check': {
          executeCheck(ctx, plan);
          const stored = ctx.items.get(plan.table, plan.key);
          const size = stored ? itemSize(stored) : 0;
          capacity.addWrite(plan.table, TRANSACTION_FACTOR * writeUnits(size, size));
          return {};
        }
        case 'select':
          // Transaction mode plans a SELECT of one item as 'get'.
          throw new Error('unexpected select plan in a transaction');
        default:
          capacity.addWrite(plan.table, TRANSACTION_FACTOR * executeWrite(ctx, plan).units);
          return {};
      }
    });
    if (writes) {
      const targets = plans.flatMap((plan) => (plan.kind === 'select' ? [] : [{ tableName: plan.table.description.TableName, key: plan.key }]));
      saveToken(ctx, input.ClientRequestToken, hash, targets);
    }
    return { Responses: responses, ...capacity.transactional(input.ReturnConsumedCapacity) };
  });
}
