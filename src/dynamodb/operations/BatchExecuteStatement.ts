import { AwsError, validationError } from '../../edge/errors.js';
import { consumedCapacity, type ReturnConsumedCapacity } from '../capacity.js';
import type { DynamoContext } from '../context.js';
import { encodedKey } from '../item-store.js';
import {
  executeGet,
  executeWrite,
  isReadStatement,
  prepareStatement,
  readStatement,
  type ReadStatement,
  type StatementInput,
  type StatementPlan,
} from '../partiql/index.js';
import { BATCH_DUPLICATE_KEYS, BATCH_MIXED } from '../partiql/errors.js';
import type { Table } from '../table-catalog.js';
import type { Item } from '../values/attribute-value.js';

interface BatchExecuteStatementInput {
  Statements: StatementInput[];
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
}

/** BatchStatementError codes for the errors a statement can fail with. */
const ERROR_CODES: Readonly<Record<string, string>> = {
  ValidationException: 'ValidationError',
  ConditionalCheckFailedException: 'ConditionalCheckFailed',
  ResourceNotFoundException: 'ResourceNotFound',
  DuplicateItemException: 'DuplicateItem',
  TransactionConflictException: 'TransactionConflict',
  ProvisionedThroughputExceededException: 'ProvisionedThroughputExceeded',
  ItemCollectionSizeLimitExceededException: 'ItemCollectionSizeLimitExceeded',
  RequestLimitExceeded: 'RequestLimitExceeded',
  ThrottlingException: 'ThrottlingError',
  InternalServerError: 'InternalServerError',
  AccessDeniedException: 'AccessDenied',
};

interface Entry {
  readonly input: StatementInput;
  read?: ReadStatement;
  plan?: StatementPlan;
  error?: AwsError;
}

/** A statement's own failure; a malformed request (JSON types) fails the whole batch, as DynamoDB reads it whole. */
function statementError(error: unknown): AwsError {
  if (!(error instanceof AwsError) || error.code === 'SerializationException') throw error;
  return error;
}

function errorMember(error: AwsError): Record<string, unknown> {
  const item = error.extra?.Item as Item | undefined;
  return { Code: ERROR_CODES[error.code] ?? error.code, Message: error.message, ...(item ? { Item: item } : {}) };
}

const itemIdentity = (table: Table, key: Item): string =>
  `${table.id}:${encodedKey(table, key).map((part) => part.toString('hex')).join(':')}`;

/**
 * Up to 25 PartiQL statements, all reads (SELECTs naming one item by its
 * full key) or all writes, each succeeding or failing on its own
 * (docs/partiql.md).
 */
export function BatchExecuteStatement(input: BatchExecuteStatementInput, ctx: DynamoContext): unknown {
  const entries: Entry[] = input.Statements.map((statement) => {
    try {
      return { input: statement, read: readStatement(statement, 'batch') };
    } catch (error) {
      return { input: statement, error: statementError(error) };
    }
  });

  // All reads or all writes, among the statements that could be read at all.
  const kinds = new Set(entries.flatMap((entry) => (entry.read ? [isReadStatement(entry.read)] : [])));
  if (kinds.size > 1) throw validationError(BATCH_MIXED);

  for (const entry of entries) {
    if (!entry.read) continue;
    try {
      entry.plan = prepareStatement(ctx, entry.read, 'batch', entry.input);
    } catch (error) {
      entry.error = statementError(error);
    }
  }

  // Two statements on one item are refused before anything runs.
  const items = new Set<string>();
  for (const entry of entries) {
    if (!entry.plan || entry.plan.kind === 'select') continue;
    const identity = itemIdentity(entry.plan.table, entry.plan.key);
    if (items.has(identity)) throw validationError(BATCH_DUPLICATE_KEYS);
    items.add(identity);
  }

  const capacity = new Map<number, { table: Table; units: number }>();
  const charge = (table: Table, units: number): void => {
    const entry = capacity.get(table.id) ?? { table, units: 0 };
    entry.units += units;
    capacity.set(table.id, entry);
  };

  const responses = entries.map((entry) => {
    const plan = entry.plan;
    if (!plan) return { Error: errorMember(entry.error!) };
    const TableName = plan.table.description.TableName;
    try {
      if (plan.kind === 'get') {
        const { item, units } = executeGet(ctx, plan);
        charge(plan.table, units);
        return { TableName, ...(item ? { Item: item } : {}) };
      }
      if (plan.kind === 'select' || plan.kind === 'check') throw new Error(`unexpected ${plan.kind} plan in a batch`);
      const { items: returned, units } = executeWrite(ctx, plan);
      charge(plan.table, units);
      return { TableName, ...(returned[0] ? { Item: returned[0] } : {}) };
    } catch (error) {
      const failure = statementError(error);
      // A write that fails while running still names its table; a read does not.
      return { Error: errorMember(failure), ...(plan.kind === 'get' ? {} : { TableName }) };
    }
  });

  const consumed = [...capacity.values()]
    .map(({ table, units }) => consumedCapacity(table, units, input.ReturnConsumedCapacity).ConsumedCapacity)
    .filter((member) => member !== undefined);
  return { Responses: responses, ...(consumed.length > 0 ? { ConsumedCapacity: consumed } : {}) };
}
