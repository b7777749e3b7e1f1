/**
 * The SET and REMOVE clauses of an UPDATE, translated into the compiled
 * update UpdateItem applies (`expressions/ast.ts`), so a PartiQL update
 * behaves, and fails at apply time, exactly like an UpdateExpression.
 *
 *   SET a = <value | ? | path>            SET
 *   SET a = x + y, SET a = x - y          SET with arithmetic
 *   SET a = list_append(x, y)             SET
 *   SET a = if_not_exists(path, v)        SET
 *   SET a = set_add(a, <<...>>)           ADD
 *   SET a = set_delete(a, <<...>>)        DELETE
 *   REMOVE a                              REMOVE
 */
import { validationError, type AwsError } from '../../edge/errors.js';
import type { Path, SetValue, Update, UpdateAction, UpdateOperand } from '../expressions/ast.js';
import { findPathClash, pathClashMessage, samePath } from '../expressions/paths.js';
import { typeOf } from '../values/attribute-value.js';
import type { DmlOperation, Expr } from './ast.js';
import { parameterValue, pathOf, type TranslationContext } from './condition.js';
import {
  eddyRefuses,
  invalid,
  IS_IN_UPDATE,
  MISSING_NEEDS_IS,
  setFunctionArity,
  setFunctionFirstArgument,
  setFunctionSecondArgument,
  unrecognizedAssignmentTarget,
  unrecognizedFunction,
  unsupportedToken,
  unsupportedUpdateOperator,
} from './errors.js';
import { literalValue, nodeIdentifier } from './literals.js';

const CONDITION_FUNCTIONS = new Set(['attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains', 'size']);

const wrongType = (operator: string, type: string): AwsError =>
  validationError(`Incorrect operand type for operator or function; operator or function: ${operator}, operand type: ${type}`);

function target(expr: Expr): Path {
  const path = pathOf(expr);
  if (!path) throw validationError(unrecognizedAssignmentTarget(nodeIdentifier(expr)));
  return path;
}

/** A value or path operand of SET (the things UpdateExpression calls operands). */
function operand(expr: Expr, context: TranslationContext): UpdateOperand {
  switch (expr.type) {
    case 'literal':
      if (expr.value.kind === 'missing') throw validationError(MISSING_NEEDS_IS);
      return { kind: 'value', value: literalValue(expr) };
    case 'list':
    case 'bag':
    case 'struct':
      return { kind: 'value', value: literalValue(expr) };
    case 'sexp':
      throw validationError(unsupportedToken('SEXP'));
    case 'parameter':
      return { kind: 'value', value: parameterValue(context, expr.index) };
    case 'identifier':
    case 'path':
      return { kind: 'path', path: pathOf(expr)! };
    case 'call':
      return functionOperand(expr, context);
    case 'is':
      throw validationError(IS_IN_UPDATE);
    case 'negate':
      throw validationError(unsupportedUpdateOperator('-'));
    case 'plus':
      throw validationError(unsupportedUpdateOperator('+'));
    case 'binary':
      if (expr.op === '+' || expr.op === '-') throw eddyRefuses('nested arithmetic in a SET clause');
      throw validationError(unsupportedUpdateOperator(expr.op));
    case 'not':
      throw validationError(unsupportedUpdateOperator('not'));
    case 'between':
    case 'in':
    case 'like':
      throw validationError(unsupportedUpdateOperator(expr.type));
  }
}

function functionOperand(expr: Extract<Expr, { type: 'call' }>, context: TranslationContext): UpdateOperand {
  const name = expr.name;
  if (CONDITION_FUNCTIONS.has(name)) {
    throw validationError(`The function is not allowed to be used this way in an expression; function: ${name}`);
  }
  if ((name !== 'if_not_exists' && name !== 'list_append') || expr.star) throw invalid(unrecognizedFunction(name), expr.position);
  const args = expr.args.map((arg) => operand(arg, context));
  if (args.length !== 2) {
    throw validationError(
      `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`,
    );
  }
  const [first, second] = args as [UpdateOperand, UpdateOperand];
  if (name === 'if_not_exists') {
    if (first.kind !== 'path') throw validationError('Operator or function requires a document path; operator or function: if_not_exists');
    return { kind: 'if_not_exists', path: first.path, fallback: second };
  }
  for (const arg of args) {
    if (arg.kind === 'value' && arg.value.L === undefined) throw wrongType('list_append', typeOf(arg.value));
  }
  return { kind: 'list_append', left: first, right: second };
}

function setValue(expr: Expr, context: TranslationContext): SetValue {
  if (expr.type === 'binary' && (expr.op === '+' || expr.op === '-')) {
    const left = operand(expr.left, context);
    const right = operand(expr.right, context);
    for (const side of [left, right]) {
      if (side.kind === 'value' && side.value.N === undefined) throw wrongType(expr.op, typeOf(side.value));
    }
    return { kind: expr.op === '+' ? 'plus' : 'minus', left, right };
  }
  return operand(expr, context);
}

/** `SET a = set_add(a, <<...>>)` and set_delete: ADD and DELETE of the set's members. */
function setFunction(path: Path, call: Extract<Expr, { type: 'call' }>, context: TranslationContext): UpdateAction {
  const fn = call.name === 'set_add' ? 'SET_ADD' : 'SET_DELETE';
  if (call.args.length !== 2 || call.star) throw invalid(setFunctionArity(fn), call.position);
  const [firstExpr, secondExpr] = call.args as [Expr, Expr];
  const first = operand(firstExpr, context);
  const second = operand(secondExpr, context);
  if (first.kind !== 'path' || !samePath(first.path, path)) throw invalid(setFunctionFirstArgument(fn), call.position);
  // DynamoDB points at the first argument here.
  const value = second.kind === 'value' ? second.value : undefined;
  if (!value || (value.SS === undefined && value.NS === undefined && value.BS === undefined)) {
    throw invalid(setFunctionSecondArgument(fn), firstExpr.position);
  }
  return { action: fn === 'SET_ADD' ? 'ADD' : 'DELETE', path, value };
}

/** Translates the SET and REMOVE clauses of an UPDATE. */
export function translateUpdate(operations: readonly DmlOperation[], context: TranslationContext): Update {
  const actions: UpdateAction[] = operations.map((operation): UpdateAction => {
    const path = target(operation.target);
    if (operation.op === 'remove') return { action: 'REMOVE', path };
    const value = operation.value;
    if (value.type === 'call' && (value.name === 'set_add' || value.name === 'set_delete')) {
      return setFunction(path, value, context);
    }
    return { action: 'SET', path, value: setValue(value, context) };
  });
  const clash = findPathClash(actions.map((action) => action.path));
  if (clash) throw validationError(pathClashMessage(clash));
  return { source: 'expression', actions };
}
