/**
 * From a request's Statement and Parameters to a plan: what to read or
 * write, in which table, under which condition. Nothing is read or written
 * here; `execute.ts` runs plans.
 *
 * The checks run in DynamoDB's order: the parameters (before the statement
 * is even read), the syntax, the parameter count, the statement's
 * expressions, then the table ("Requested resource not found"), then what
 * needs the table (keys, key types), then the RETURNING clause.
 */
import { AwsError, validationError } from '../../edge/errors.js';
import type { DynamoContext } from '../context.js';
import { checkKeyAttributeUpdates, type Path, type SetValue, type Update } from '../expressions/index.js';
import { keyOfNewItem } from '../keys.js';
import { requireActiveTable } from '../require-table.js';
import { keyAttributeNames, type Table } from '../table-catalog.js';
import type { AttributeValue, Item } from '../values/attribute-value.js';
import { itemSize, itemTooLargeError, MAX_ITEM_SIZE } from '../values/size.js';
import type {
  DeleteStatement,
  Expr,
  InsertStatement,
  ParsedStatement,
  Returning,
  ReturningMapping,
  SelectStatement,
  UpdateStatement,
} from './ast.js';
import { conditionPaths, parameterValue, whereCondition, type Node, type TranslationContext } from './condition.js';
import {
  BATCH_SELECT_NEEDS_KEY,
  deleteReturning,
  duplicateTupleKey,
  eddyRefuses,
  EXISTS_NEEDS_KEY_AND_CONDITION,
  EXISTS_OUTSIDE_TRANSACTION,
  INSERT_ITEM_FORMAT,
  INSERT_RETURNING,
  invalid,
  NO_SUCH_INDEX,
  notWellFormed,
  ORDER_BY_NEEDS_HASH_KEY,
  ORDER_BY_NEEDS_WHERE,
  orderByKey,
  OVERLAPPING_CONDITIONS,
  PARAMETER_COUNT,
  PartiqlSyntaxError,
  RETURNING_MULTIPLE,
  RETURNING_STAR,
  TRANSACTION_INDEX_READ,
  TRANSACTION_RETURNING,
  TRANSACTION_SELECT_NEEDS_KEY,
  TOO_MANY_READS,
  unsupportedDataType,
} from './errors.js';
import { checkKeyPaths, comparePartitions, hasHashCondition, insertTarget, planReads, readSource, singleItemKey, writeKey, writeSource, type KeyRead } from './keys.js';
import { isLiteralValue, literalValue, nodeIdentifier, structKey } from './literals.js';
import { requestHash } from './next-token.js';
import { readParameters } from './parameters.js';
import { parseStatement } from './parser.js';
import { translateProjection, type Column } from './projection.js';
import { translateUpdate } from './update.js';

/** Where a statement runs; each has its own rules for SELECT, EXISTS and RETURNING. */
export type StatementMode = 'statement' | 'batch' | 'transaction';

/** One statement as ExecuteStatement, BatchExecuteStatement and ExecuteTransaction carry it. */
export interface StatementInput {
  Statement: string;
  Parameters?: unknown;
  ConsistentRead?: boolean;
  ReturnValuesOnConditionCheckFailure?: string;
}

/** A statement read and checked on its own, before any table is looked up. */
export interface ReadStatement {
  readonly parsed: ParsedStatement;
  readonly parameters: readonly AttributeValue[];
  /** Ties NextTokens to this statement and these parameters. */
  readonly hash: string;
}

interface PlanBase {
  readonly table: Table;
  /** ReturnValuesOnConditionCheckFailure. */
  readonly returnOnFailure?: string;
}

/** A SELECT in ExecuteStatement: key reads (or a scan), filtered by the whole WHERE. */
export interface SelectPlan extends PlanBase {
  readonly kind: 'select';
  readonly columns?: readonly Column[];
  readonly filter?: Node;
  readonly reads: readonly KeyRead[] | 'scan';
  /** Sort-key order within each read (ORDER BY sort key DESC makes it false). */
  readonly forward: boolean;
  readonly consistent: boolean;
  readonly hash: string;
}

/** A SELECT of one item by its full key (BatchExecuteStatement, ExecuteTransaction). */
export interface GetPlan extends PlanBase {
  readonly kind: 'get';
  readonly key: Item;
  readonly columns?: readonly Column[];
  readonly consistent: boolean;
}

export interface InsertPlan extends PlanBase {
  readonly kind: 'insert';
  readonly key: Item;
  readonly item: Item;
}

export interface UpdatePlan extends PlanBase {
  readonly kind: 'update';
  readonly key: Item;
  /** The WHERE besides the key; the item must also exist. */
  readonly condition?: Node;
  readonly update: Update;
  readonly returning?: ReturningMapping;
}

export interface DeletePlan extends PlanBase {
  readonly kind: 'delete';
  readonly key: Item;
  /** The WHERE besides the key, checked when the item exists. */
  readonly condition?: Node;
  /** RETURNING ALL OLD * */
  readonly returning: boolean;
}

/** EXISTS(SELECT ...) in ExecuteTransaction: a condition on one item. */
export interface CheckPlan extends PlanBase {
  readonly kind: 'check';
  readonly key: Item;
  readonly condition: Node;
}

export type StatementPlan = SelectPlan | GetPlan | InsertPlan | UpdatePlan | DeletePlan | CheckPlan;
export type WritePlan = InsertPlan | UpdatePlan | DeletePlan;

/** Whether a read statement is a read (SELECT) rather than a write, for BatchExecuteStatement's rule. */
export const isReadStatement = (statement: ReadStatement): boolean => statement.parsed.statement.kind === 'select';

/**
 * Step 1, no table needed: the parameters, the syntax, the parameter count,
 * and where EXISTS may appear.
 */
export function readStatement(input: StatementInput, mode: StatementMode): ReadStatement {
  const parameters = readParameters(input.Parameters);
  let parsed: ParsedStatement;
  try {
    parsed = parseStatement(input.Statement);
  } catch (error) {
    if (error instanceof PartiqlSyntaxError) throw notWellFormed(error.detail);
    throw error;
  }
  if (parsed.parameterCount !== parameters.length) throw validationError(PARAMETER_COUNT);
  if (parsed.statement.kind === 'exists' && mode !== 'transaction') throw validationError(EXISTS_OUTSIDE_TRANSACTION);
  return { parsed, parameters, hash: requestHash(input.Statement, input.Parameters) };
}

function checkReturning(returning: Returning | undefined): ReturningMapping | undefined {
  if (!returning) return undefined;
  if (returning.elements.length > 1) throw validationError(RETURNING_MULTIPLE);
  const [element] = returning.elements;
  if (!element!.star) throw validationError(RETURNING_STAR);
  return element!.mapping;
}

const where = (expr: Expr | undefined, context: TranslationContext): Node | undefined =>
  expr ? whereCondition(expr, context) : undefined;

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function prepareSelect(ctx: DynamoContext, read: ReadStatement, select: SelectStatement, mode: StatementMode, input: StatementInput): SelectPlan | GetPlan {
  const context: TranslationContext = { parameters: read.parameters };
  const columns = translateProjection(select);
  const source = readSource(select.from);
  const filter = where(select.where, context);
  if (mode === 'transaction' && source.index !== undefined) throw validationError(TRANSACTION_INDEX_READ);
  const table = requireActiveTable(ctx, source.table);
  const consistent = input.ConsistentRead === true;
  if (mode !== 'statement') {
    const needsKey = mode === 'batch' ? BATCH_SELECT_NEEDS_KEY : TRANSACTION_SELECT_NEEDS_KEY;
    // DynamoDB decomposes these too, and reports too many or overlapping reads before the key rule.
    if (source.index === undefined) {
      try {
        planReads(filter, table);
      } catch (error) {
        if (error instanceof AwsError && (error.message === TOO_MANY_READS || error.message === OVERLAPPING_CONDITIONS)) throw error;
      }
    }
    const key = source.index === undefined ? singleItemKey(filter, table) : undefined;
    if (!key) throw validationError(needsKey);
    checkKeyPaths(columns?.map((column) => column.path) ?? [], table);
    return { kind: 'get', table, key, ...optional('columns', columns), consistent };
  }
  if (source.index !== undefined) throw validationError(NO_SUCH_INDEX);
  checkKeyPaths([...(columns?.map((column) => column.path) ?? []), ...(filter ? conditionPaths(filter) : [])], table);

  let reads = planReads(filter, table);
  let forward = true;
  if (select.orderBy) {
    if (!filter) throw validationError(ORDER_BY_NEEDS_WHERE);
    const keyNames = keyAttributeNames(table);
    let partitionDescending: boolean | undefined;
    for (const item of select.orderBy) {
      if (item.expr.type !== 'identifier') {
        throw validationError(`Argument to ORDER BY must be of type VariableReference. Type: ${item.expr.type === 'path' ? 'Path' : nodeIdentifier(item.expr)}`);
      }
      if (!keyNames.includes(item.expr.name)) throw validationError(orderByKey(item.expr.name));
      if (item.expr.name === table.hashKey.name) partitionDescending = item.descending;
      else forward = !item.descending;
    }
    if (!hasHashCondition(filter, table)) throw validationError(ORDER_BY_NEEDS_HASH_KEY);
    if (reads === 'scan') throw eddyRefuses('ORDER BY on a statement that reads the whole table');
    if (partitionDescending !== undefined) {
      reads = [...reads].sort((a, b) => (partitionDescending ? -comparePartitions(a, b) : comparePartitions(a, b)));
    }
  }
  return { kind: 'select', table, ...optional('columns', columns), ...optional('filter', filter), reads, forward, consistent, hash: read.hash };
}

/** The item of an INSERT: a `{...}` of attribute names to literals or parameters. */
function insertItem(value: Expr, context: TranslationContext): Item {
  if (value.type !== 'struct') throw invalid(INSERT_ITEM_FORMAT, value.position);
  const item: Item = {};
  for (const field of value.fields) {
    const name = structKey(field.key, 'root');
    let attribute: AttributeValue;
    if (isLiteralValue(field.value)) attribute = literalValue(field.value);
    else if (field.value.type === 'parameter') attribute = parameterValue(context, field.value.index);
    else throw invalid(unsupportedDataType(nodeIdentifier(field.value), 'root'), field.value.position);
    if (Object.hasOwn(item, name)) throw invalid(duplicateTupleKey(name, 'root'), field.key.position);
    Object.defineProperty(item, name, { value: attribute, enumerable: true, writable: true, configurable: true });
  }
  return item;
}

function prepareInsert(ctx: DynamoContext, read: ReadStatement, insert: InsertStatement, input: StatementInput): InsertPlan {
  const item = insertItem(insert.value, { parameters: read.parameters });
  const table = requireActiveTable(ctx, insertTarget(insert.target));
  const key = keyOfNewItem(table, item);
  if (insert.returning) throw validationError(INSERT_RETURNING);
  if (itemSize(item) > MAX_ITEM_SIZE) throw itemTooLargeError();
  return { kind: 'insert', table, key, item, ...optional('returnOnFailure', input.ReturnValuesOnConditionCheckFailure) };
}

function prepareUpdate(ctx: DynamoContext, read: ReadStatement, update: UpdateStatement, mode: StatementMode, input: StatementInput): UpdatePlan {
  const context: TranslationContext = { parameters: read.parameters };
  const filter = where(update.where, context);
  const compiled = translateUpdate(update.operations, context);
  const table = requireActiveTable(ctx, writeSource(update.target));
  const { key, condition } = writeKey(filter, table);
  const returning = checkReturning(update.returning);
  if (mode === 'transaction' && returning) throw validationError(TRANSACTION_RETURNING);
  checkKeyAttributeUpdates(compiled, keyAttributeNames(table));
  checkKeyPaths([...(condition ? conditionPaths(condition) : []), ...updatePaths(compiled)], table);
  return {
    kind: 'update',
    table,
    key,
    ...optional('condition', condition),
    update: compiled,
    ...optional('returning', returning),
    ...optional('returnOnFailure', input.ReturnValuesOnConditionCheckFailure),
  };
}

function operandPaths(value: SetValue, out: Path[]): void {
  switch (value.kind) {
    case 'path':
      out.push(value.path);
      break;
    case 'if_not_exists':
      out.push(value.path);
      operandPaths(value.fallback, out);
      break;
    case 'list_append':
    case 'plus':
    case 'minus':
      operandPaths(value.left, out);
      operandPaths(value.right, out);
      break;
    case 'value':
      break;
  }
}

/** Every path an update writes or reads. */
function updatePaths(update: Update): Path[] {
  const paths: Path[] = [];
  for (const action of update.actions) {
    paths.push(action.path);
    if (action.action === 'SET') operandPaths(action.value, paths);
  }
  return paths;
}

function prepareDelete(ctx: DynamoContext, read: ReadStatement, statement: DeleteStatement, mode: StatementMode, input: StatementInput): DeletePlan {
  const filter = where(statement.where, { parameters: read.parameters });
  const table = requireActiveTable(ctx, writeSource(statement.target));
  const { key, condition } = writeKey(filter, table);
  const returning = checkReturning(statement.returning);
  if (mode === 'transaction' && returning) throw validationError(TRANSACTION_RETURNING);
  if (returning && returning !== 'ALL OLD') throw validationError(deleteReturning(`${returning} *`));
  if (condition) checkKeyPaths(conditionPaths(condition), table);
  return {
    kind: 'delete',
    table,
    key,
    ...optional('condition', condition),
    returning: returning === 'ALL OLD',
    ...optional('returnOnFailure', input.ReturnValuesOnConditionCheckFailure),
  };
}

/** EXISTS(SELECT * FROM t WHERE <full key> AND <condition>). */
function prepareCheck(ctx: DynamoContext, read: ReadStatement, select: SelectStatement, input: StatementInput): CheckPlan {
  const filter = where(select.where, { parameters: read.parameters });
  const source = readSource(select.from);
  if (source.index !== undefined) throw validationError('Operations on indices are not supported in transactions');
  const table = requireActiveTable(ctx, source.table);
  let extracted: { key: Item; condition?: Node };
  try {
    extracted = writeKey(filter, table, true);
  } catch (error) {
    if (error instanceof AwsError) throw validationError(EXISTS_NEEDS_KEY_AND_CONDITION);
    throw error;
  }
  if (!extracted.condition) throw validationError(EXISTS_NEEDS_KEY_AND_CONDITION);
  checkKeyPaths(conditionPaths(extracted.condition), table);
  return {
    kind: 'check',
    table,
    key: extracted.key,
    condition: extracted.condition,
    ...optional('returnOnFailure', input.ReturnValuesOnConditionCheckFailure),
  };
}

/** Step 2: translate a read statement against its table into a plan. */
export function prepareStatement(ctx: DynamoContext, read: ReadStatement, mode: StatementMode, input: StatementInput): StatementPlan {
  const statement = read.parsed.statement;
  switch (statement.kind) {
    case 'select':
      return prepareSelect(ctx, read, statement, mode, input);
    case 'insert':
      return prepareInsert(ctx, read, statement, input);
    case 'update':
      return prepareUpdate(ctx, read, statement, mode, input);
    case 'delete':
      return prepareDelete(ctx, read, statement, mode, input);
    case 'exists':
      return prepareCheck(ctx, read, statement.select, input);
  }
}

