/**
 * Compiling all the expression and legacy parameters of one request, with
 * DynamoDB's validation errors in DynamoDB's order (dynalite
 * validations/index.js `validateExpressionParams`, `validateExpressions`
 * and the per-operation validations/<operation>.js):
 *
 *  1. expression and legacy parameters mixed; placeholders without expressions;
 *  2. AttributeUpdates, Expected, AttributesToGet;
 *  3. ExpressionAttributeNames, then ExpressionAttributeValues;
 *  4. UpdateExpression, ConditionExpression, KeyConditionExpression,
 *     FilterExpression, ProjectionExpression, each parsed and checked;
 *  5. unused names, then unused values;
 *  6. updates of key attributes.
 */
import { validationError } from '../../edge/errors.js';
import type { Condition, Projection, Update } from './ast.js';
import { checkCondition, countOperators } from './condition-check.js';
import { parseConditionSyntax } from './condition-syntax.js';
import { compileAttributeUpdates, compileAttributesToGet, compileExpected } from './legacy.js';
import { ExpressionSyntaxError, invalidExpression, type ExpressionKind } from './errors.js';
import { checkParameterMix, inferOperation, type ExpressionOperation } from './parameters.js';
import { checkProjection } from './projection-check.js';
import { parseProjectionSyntax } from './projection-syntax.js';
import { Substitutions } from './substitutions.js';
import type { ValueLayer } from '../values/validate.js';
import { checkUpdate } from './update-check.js';
import { parseUpdateSyntax } from './update-syntax.js';

/**
 * The members of a PutItem, UpdateItem, DeleteItem, GetItem, Query or Scan
 * request that expressions concern, as deserialized (JSON types checked,
 * contents untrusted).
 */
export interface ExpressionRequest {
  ConditionExpression?: unknown;
  UpdateExpression?: unknown;
  ProjectionExpression?: unknown;
  FilterExpression?: unknown;
  KeyConditionExpression?: unknown;
  ExpressionAttributeNames?: unknown;
  ExpressionAttributeValues?: unknown;
  Expected?: unknown;
  ConditionalOperator?: unknown;
  AttributeUpdates?: unknown;
  AttributesToGet?: unknown;
  /** Only looked at for the expression/legacy mixing rule; not compiled yet. */
  QueryFilter?: unknown;
  ScanFilter?: unknown;
  KeyConditions?: unknown;
}

export interface CompiledExpressions {
  condition?: Condition;
  update?: Update;
  projection?: Projection;
  filter?: Condition;
  keyCondition?: Condition;
}

export interface CompileOptions {
  /**
   * The table's key attribute names, partition key first. Updating one is an
   * error, checked last; pass [] to check later with {@link checkKeyAttributeUpdates}.
   */
  keyAttributeNames: readonly string[];
  /**
   * The operation, which decides which parameters count as expression and
   * legacy ones and how messages list them. Guessed from the request when
   * absent, which can pick the wrong wording for a request that only has
   * ExpressionAttributeValues.
   */
  operation?: ExpressionOperation;
  /**
   * Which of DynamoDB's two attribute-value layers checks the values
   * (ExpressionAttributeValues, Expected, AttributeUpdates): `current` (the
   * default) for PutItem, UpdateItem, DeleteItem, GetItem and Query, `older`
   * for Scan, batches and transactions. See {@link ValueLayer}.
   */
  valueLayer?: ValueLayer;
  /**
   * True for requests DynamoDB's newer front end answers (PutItem, UpdateItem
   * and DeleteItem), whose "ExpressionAttributeValues can only be specified
   * when using expressions" names no missing expression.
   */
  newerFrontEnd?: boolean;
}

/** DynamoDB's limit on the length of each expression, in UTF-8 bytes. */
export const MAX_EXPRESSION_BYTES = 4096;
/** DynamoDB's limit on operators (comparisons, BETWEEN, IN, AND, OR, NOT) in one condition. */
export const MAX_OPERATORS = 300;

const given = (value: unknown): boolean => value !== undefined && value !== null;

/**
 * Every member of {@link ExpressionRequest} (the Record makes the compiler
 * hold the list to the interface): a request without any compiles to nothing.
 */
const EXPRESSION_MEMBERS = new Set(Object.keys({
  ConditionExpression: true,
  UpdateExpression: true,
  ProjectionExpression: true,
  FilterExpression: true,
  KeyConditionExpression: true,
  ExpressionAttributeNames: true,
  ExpressionAttributeValues: true,
  Expected: true,
  ConditionalOperator: true,
  AttributeUpdates: true,
  AttributesToGet: true,
  QueryFilter: true,
  ScanFilter: true,
  KeyConditions: true,
} satisfies Record<keyof ExpressionRequest, true>));

/** Whether `request` gives any expression or legacy member (looking at its own few members, not at all fourteen). */
function hasExpressionMembers(request: ExpressionRequest): boolean {
  for (const member of Object.keys(request)) {
    if (EXPRESSION_MEMBERS.has(member) && given(request[member as keyof ExpressionRequest])) return true;
  }
  return false;
}

/** Runs the steps shared by every expression kind: empty, size, then the grammar and checks. */
function compileExpression<T>(kind: ExpressionKind, source: unknown, compile: (text: string) => T | { error: string }): T {
  if (typeof source !== 'string') throw new TypeError(`${kind} must be a string`);
  if (source === '') throw invalidExpression(kind, 'The expression can not be empty;');
  const size = Buffer.byteLength(source, 'utf8');
  if (size > MAX_EXPRESSION_BYTES) {
    // An UpdateExpression's message stops at the semicolon; the others add the size
    // (Parity Suite deepRequests.test.ts, ten regions, October 2026).
    const tail = kind === 'UpdateExpression' ? '' : ` expression size: ${size}`;
    throw invalidExpression(kind, `Expression size has exceeded the maximum allowed size;${tail}`);
  }
  let result: T | { error: string };
  try {
    result = compile(source);
  } catch (error) {
    if (error instanceof ExpressionSyntaxError) throw invalidExpression(kind, error.detail);
    throw error;
  }
  if (typeof result === 'object' && result !== null && 'error' in result) throw invalidExpression(kind, result.error);
  return result;
}

function conditionCompiler(substitutions: Substitutions) {
  return (text: string): Condition | { error: string } => {
    const { root, redundantParentheses } = parseConditionSyntax(text);
    if (countOperators(root) > MAX_OPERATORS) {
      // DynamoDB stops counting at the first operator over the limit.
      return { error: `The expression contains too many operators; operator count: ${MAX_OPERATORS + 1}` };
    }
    return checkCondition(root, redundantParentheses, substitutions);
  };
}

/** Throws DynamoDB's error when an update writes to a key attribute (partition key first). */
export function checkKeyAttributeUpdates(update: Update, keyAttributeNames: readonly string[]): void {
  for (const name of keyAttributeNames) {
    if (update.actions.some((action) => action.path[0] === name)) {
      throw validationError(
        `One or more parameter values were invalid: Cannot update attribute ${name}. This attribute is part of the key`,
      );
    }
  }
}

/**
 * Validates and compiles the expressions (or legacy parameters) of one
 * request. Throws the AwsError ValidationException DynamoDB would return.
 */
export function compileExpressions(request: ExpressionRequest, options: CompileOptions): CompiledExpressions {
  // Most item reads and writes carry none of these: then there is nothing to check or compile.
  if (!hasExpressionMembers(request)) return {};
  const operation = options.operation ?? inferOperation(request);
  checkParameterMix(request, operation, options.newerFrontEnd === true);

  const layer = options.valueLayer ?? 'current';
  const compiled: CompiledExpressions = {};
  if (given(request.AttributeUpdates)) compiled.update = compileAttributeUpdates(request.AttributeUpdates, layer);
  if (given(request.Expected)) compiled.condition = compileExpected(request.Expected, request.ConditionalOperator, layer);
  if (given(request.AttributesToGet)) compiled.projection = compileAttributesToGet(request.AttributesToGet);

  const substitutions = Substitutions.read(request.ExpressionAttributeNames, request.ExpressionAttributeValues, layer);
  const condition = conditionCompiler(substitutions);

  if (given(request.UpdateExpression)) {
    compiled.update = compileExpression('UpdateExpression', request.UpdateExpression, (text) =>
      checkUpdate(parseUpdateSyntax(text), substitutions),
    );
  }
  if (given(request.ConditionExpression)) {
    compiled.condition = compileExpression('ConditionExpression', request.ConditionExpression, condition);
  }
  if (given(request.KeyConditionExpression)) {
    compiled.keyCondition = compileExpression('KeyConditionExpression', request.KeyConditionExpression, condition);
  }
  if (given(request.FilterExpression)) {
    compiled.filter = compileExpression('FilterExpression', request.FilterExpression, condition);
  }
  if (given(request.ProjectionExpression)) {
    compiled.projection = compileExpression('ProjectionExpression', request.ProjectionExpression, (text) =>
      checkProjection(parseProjectionSyntax(text), substitutions),
    );
  }
  substitutions.checkAllUsed();

  if (compiled.update) checkKeyAttributeUpdates(compiled.update, options.keyAttributeNames);
  return compiled;
}

