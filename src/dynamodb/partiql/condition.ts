/**
 * WHERE clauses: translated from the syntax tree into a condition tree,
 * checked with DynamoDB's texts, and evaluated against items with DynamoDB's
 * comparison semantics (the helpers ConditionExpression uses).
 *
 * PartiQL differs from ConditionExpression in one way that needs its own
 * tree: a condition is a value (BOOL) and can be compared
 * (`attribute_exists(a) = true`, `(n = 5 OR f = 'x') = false`, captured
 * against DynamoDB), so operands and conditions are one kind of node.
 */
import { validationError, type AwsError } from '../../edge/errors.js';
import { beginsWith, compare, contains, equal, order, ORDERED_TYPES, sizeOf } from '../expressions/compare.js';
import type { Comparator, Path, PathElement } from '../expressions/ast.js';
import { formatPath, samePath, valueAt } from '../expressions/paths.js';
import { typeOf, type AttributeType, type AttributeValue, type Item } from '../values/attribute-value.js';
import type { Expr, PathStep } from './ast.js';
import {
  AND_OR_OPERANDS,
  EMPTY_PATH_COMPONENT,
  IN_OPERANDS,
  invalid,
  IS_OPERAND,
  listIndexRange,
  MISSING_NEEDS_IS,
  NOT_OPERAND,
  PARAMETER_COUNT,
  PATH_STARTS_WITH_INDEX,
  UNEXPECTED_PATH_COMPONENT,
  UNPIVOT_PATH,
  unrecognizedFunction,
  unsupportedConditionOperator,
  unsupportedIsType,
  unsupportedToken,
  WHERE_NOT_BOOLEAN,
  WILDCARD_PATH,
  type SourcePosition,
} from './errors.js';
import { literalValue } from './literals.js';

export type ConditionFunction = 'attribute_exists' | 'attribute_not_exists' | 'attribute_type' | 'begins_with' | 'contains';

/** A node of a WHERE clause: something with a value, or a condition (whose value is BOOL). */
export type Node =
  | { readonly kind: 'value'; readonly value: AttributeValue; readonly position: SourcePosition }
  | { readonly kind: 'path'; readonly path: Path; readonly position: SourcePosition }
  | { readonly kind: 'size'; readonly operand: Node; readonly position: SourcePosition }
  | { readonly kind: 'and' | 'or'; readonly left: Node; readonly right: Node }
  | { readonly kind: 'not'; readonly operand: Node }
  | { readonly kind: 'compare'; readonly op: Comparator; readonly left: Node; readonly right: Node }
  | { readonly kind: 'between'; readonly operand: Node; readonly low: Node; readonly high: Node }
  | { readonly kind: 'in'; readonly operand: Node; readonly list: readonly Node[] }
  | { readonly kind: 'function'; readonly name: ConditionFunction; readonly args: readonly Node[] };

export const isCondition = (node: Node): boolean => node.kind !== 'value' && node.kind !== 'path' && node.kind !== 'size';

const ARITY: Readonly<Record<string, number>> = {
  attribute_exists: 1,
  attribute_not_exists: 1,
  attribute_type: 2,
  begins_with: 2,
  contains: 2,
  size: 1,
};
const TYPE_NAMES: readonly string[] = ['S', 'N', 'B', 'NULL', 'SS', 'BOOL', 'L', 'BS', 'NS', 'M'];

/** `IS <type>` names DynamoDB maps to an attribute type. */
const IS_TYPES: Readonly<Record<string, string>> = {
  BOOL: 'BOOL',
  BOOLEAN: 'BOOL',
  NUMERIC: 'N',
  STRING: 'S',
  BLOB: 'B',
  STRUCT: 'M',
  TUPLE: 'M',
  LIST: 'L',
};
/** Other PartiQL type names, as DynamoDB names them when refusing `IS <type>`. */
const OTHER_TYPES: Readonly<Record<string, string>> = {
  INT: 'INTEGER',
  INTEGER: 'INTEGER',
  INT4: 'INTEGER4',
  INT8: 'INTEGER8',
  BIGINT: 'INTEGER8',
  SMALLINT: 'SMALLINT',
  DEC: 'DECIMAL',
  DECIMAL: 'DECIMAL',
  FLOAT: 'FLOAT',
  REAL: 'REAL',
  'DOUBLE PRECISION': 'DOUBLE_PRECISION',
  CHAR: 'CHARACTER',
  CHARACTER: 'CHARACTER',
  VARCHAR: 'CHARACTER_VARYING',
  SYMBOL: 'SYMBOL',
  CLOB: 'CLOB',
  SEXP: 'SEXP',
  BAG: 'BAG',
  DATE: 'DATE',
  TIME: 'TIME',
  TIMESTAMP: 'TIMESTAMP',
};

// --- paths ---------------------------------------------------------------

function nameElement(name: string): string {
  if (name === '') throw validationError(EMPTY_PATH_COMPONENT);
  return name;
}

const INT32_MAX = 2 ** 31 - 1;

function stepElement(step: PathStep): PathElement {
  switch (step.kind) {
    case 'name':
      return nameElement(step.name);
    case 'unpivot':
      throw invalid(UNPIVOT_PATH, step.position);
    case 'wildcard':
      throw invalid(WILDCARD_PATH, step.position);
    case 'index': {
      const index = step.index;
      if (index.type === 'literal' && index.value.kind === 'string') return nameElement(index.value.text);
      if (index.type === 'literal' && index.value.kind === 'number' && /^\d+$/.test(index.value.text)) {
        const value = BigInt(index.value.text);
        if (value === 0n) return 0;
        if (index.value.negative || value > BigInt(INT32_MAX)) {
          throw invalid(listIndexRange(`${index.value.negative ? '-' : ''}${value}`), index.position);
        }
        return Number(value);
      }
      throw invalid(UNEXPECTED_PATH_COMPONENT, index.position);
    }
  }
}

/** A document path from an identifier or a path expression; undefined when `expr` is neither. */
export function pathOf(expr: Expr): Path | undefined {
  if (expr.type === 'identifier') return [nameElement(expr.name)];
  if (expr.type !== 'path') return undefined;
  if (expr.root.type === 'list' || expr.root.type === 'sexp') throw invalid(PATH_STARTS_WITH_INDEX, expr.root.position);
  if (expr.root.type !== 'identifier') throw invalid(UNEXPECTED_PATH_COMPONENT, expr.root.position);
  return [nameElement(expr.root.name), ...expr.steps.map(stepElement)];
}

// --- translation ---------------------------------------------------------

/** What a statement's expressions are read against: its parameter values. */
export interface TranslationContext {
  readonly parameters: readonly AttributeValue[];
}

export function parameterValue(context: TranslationContext, index: number): AttributeValue {
  const value = context.parameters[index];
  if (value === undefined) throw validationError(PARAMETER_COUNT);
  return value;
}

const operandType = (node: Node): AttributeType | undefined =>
  node.kind === 'value' ? typeOf(node.value) : isCondition(node) ? 'BOOL' : node.kind === 'size' ? 'N' : undefined;

const wrongType = (operator: string, type: string): AwsError =>
  validationError(`Incorrect operand type for operator or function; operator or function: ${operator}, operand type: ${type}`);

function checkOrdered(operator: string, nodes: readonly Node[]): void {
  for (const node of nodes) {
    const type = operandType(node);
    if (type !== undefined && !ORDERED_TYPES.has(type)) throw wrongType(operator, type);
  }
}

function checkDistinct(operator: string, left: Node, right: Node): void {
  if (left.kind === 'path' && right.kind === 'path' && samePath(left.path, right.path)) {
    throw validationError(
      `The first operand must be distinct from the remaining operands for this operator or function; operator: ${operator}, first operand: ${formatPath(left.path)}`,
    );
  }
}

function boundText(value: AttributeValue): string {
  const type = typeOf(value);
  return `AttributeValue: {${type}:${String(value[type])}}`;
}

function checkBetweenBounds(low: Node, high: Node): void {
  if (low.kind !== 'value' || high.kind !== 'value') return;
  const bounds = `lower bound operand: ${boundText(low.value)}, upper bound operand: ${boundText(high.value)}`;
  if (typeOf(low.value) !== typeOf(high.value)) {
    throw validationError(`The BETWEEN operator requires same data type for lower and upper bounds; ${bounds}`);
  }
  if (order(low.value, high.value) === 1) {
    throw validationError(`The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ${bounds}`);
  }
}

function misused(node: Node): AwsError {
  const name = node.kind === 'function' ? node.name : node.kind;
  return validationError(`The function is not allowed to be used this way in an expression; function: ${name}`);
}

/** Arguments of a function are values, paths or size(). */
function functionArgument(node: Node): Node {
  if (isCondition(node)) throw misused(node);
  return node;
}

function callNode(expr: Extract<Expr, { type: 'call' }>, context: TranslationContext): Node {
  const name = expr.name;
  if (name === 'if_not_exists' || name === 'list_append') {
    throw validationError(`The function is not allowed to be used this way in an expression; function: ${name}`);
  }
  if (!Object.hasOwn(ARITY, name) || expr.star) throw invalid(unrecognizedFunction(name), expr.position);
  const args = expr.args.map((arg) => functionArgument(node(arg, context)));
  if (args.length !== ARITY[name]) {
    throw validationError(
      `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`,
    );
  }
  switch (name) {
    case 'size': {
      const type = operandType(args[0]!);
      if (type === 'N' || type === 'BOOL' || type === 'NULL') throw wrongType('size', type);
      return { kind: 'size', operand: args[0]!, position: expr.position };
    }
    case 'attribute_exists':
    case 'attribute_not_exists':
      if (args[0]!.kind !== 'path') {
        throw validationError(`Operator or function requires a document path; operator or function: ${name}`);
      }
      break;
    case 'begins_with':
      checkDistinct(name, args[0]!, args[1]!);
      for (const arg of args) {
        const type = operandType(arg);
        if (type !== undefined && type !== 'S' && type !== 'B') throw wrongType(name, type);
      }
      break;
    case 'contains':
      checkDistinct(name, args[0]!, args[1]!);
      break;
    case 'attribute_type': {
      checkDistinct(name, args[0]!, args[1]!);
      const typeArg = args[1]!;
      const type = operandType(typeArg);
      if (type !== 'S' || typeArg.kind !== 'value') throw wrongType(name, type ?? '{NS,SS,L,BS,N,M,B,BOOL,NULL,S}');
      if (!TYPE_NAMES.includes(typeArg.value.S!)) {
        throw validationError(`Invalid attribute type name found; type: ${typeArg.value.S}, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`);
      }
      break;
    }
  }
  return { kind: 'function', name: name as ConditionFunction, args };
}

function isNode(expr: Extract<Expr, { type: 'is' }>, context: TranslationContext): Node {
  const operandExpr = expr.operand;
  if (operandExpr.type !== 'identifier' && operandExpr.type !== 'path' && operandExpr.type !== 'literal') {
    throw validationError(IS_OPERAND);
  }
  const operand = operandExpr.type === 'literal' && operandExpr.value.kind === 'missing'
    ? { kind: 'value' as const, value: { NULL: true }, position: operandExpr.position }
    : node(operandExpr, context);
  let result: Node;
  if (expr.typeName === 'MISSING') {
    if (operand.kind !== 'path') {
      throw validationError('Operator or function requires a document path; operator or function: attribute_not_exists');
    }
    result = { kind: 'function', name: 'attribute_not_exists', args: [operand] };
  } else if (expr.typeName === 'NULL') {
    result = { kind: 'compare', op: '=', left: operand, right: { kind: 'value', value: { NULL: true }, position: expr.position } };
  } else if (Object.hasOwn(IS_TYPES, expr.typeName)) {
    result = {
      kind: 'function',
      name: 'attribute_type',
      args: [operand, { kind: 'value', value: { S: IS_TYPES[expr.typeName]! }, position: expr.position }],
    };
  } else {
    throw invalid(unsupportedIsType(OTHER_TYPES[expr.typeName] ?? expr.typeName), expr.position);
  }
  return expr.negated ? { kind: 'not', operand: result } : result;
}

const condition = (node: Node, message: string): Node => {
  if (!isCondition(node)) throw validationError(message);
  return node;
};

/** Translates one expression of a WHERE clause, checking it as DynamoDB does. */
export function node(expr: Expr, context: TranslationContext): Node {
  switch (expr.type) {
    case 'literal':
      if (expr.value.kind === 'missing') throw validationError(MISSING_NEEDS_IS);
      return { kind: 'value', value: literalValue(expr), position: expr.position };
    case 'list':
    case 'bag':
    case 'struct':
      return { kind: 'value', value: literalValue(expr), position: expr.position };
    case 'sexp':
      throw invalid(unsupportedToken('SEXP'));
    case 'parameter':
      return { kind: 'value', value: parameterValue(context, expr.index), position: expr.position };
    case 'identifier':
    case 'path':
      return { kind: 'path', path: pathOf(expr)!, position: expr.position };
    case 'call':
      return callNode(expr, context);
    case 'not':
      return { kind: 'not', operand: condition(node(expr.operand, context), NOT_OPERAND) };
    case 'negate':
    case 'plus':
      throw validationError(unsupportedConditionOperator(expr.type === 'negate' ? '-' : '+'));
    case 'binary': {
      if (expr.op === 'and' || expr.op === 'or') {
        const left = condition(node(expr.left, context), AND_OR_OPERANDS);
        const right = condition(node(expr.right, context), AND_OR_OPERANDS);
        return { kind: expr.op, left, right };
      }
      if (expr.op === '+' || expr.op === '-' || expr.op === '*' || expr.op === '/' || expr.op === '%' || expr.op === '||') {
        throw validationError(unsupportedConditionOperator(expr.op));
      }
      const left = node(expr.left, context);
      const right = node(expr.right, context);
      if (expr.op !== '=' && expr.op !== '<>') checkOrdered(expr.op, [left, right]);
      checkDistinct(expr.op, left, right);
      return { kind: 'compare', op: expr.op, left, right };
    }
    case 'between': {
      const operand = node(expr.operand, context);
      const low = node(expr.low, context);
      const high = node(expr.high, context);
      checkOrdered('BETWEEN', [operand, low, high]);
      checkBetweenBounds(low, high);
      const result: Node = { kind: 'between', operand, low, high };
      return expr.negated ? { kind: 'not', operand: result } : result;
    }
    case 'in': {
      const list = expr.list;
      if ((list.type !== 'list' && list.type !== 'bag' && list.type !== 'sexp') || list.items.length === 0) {
        throw validationError(IN_OPERANDS);
      }
      const operand = node(expr.operand, context);
      const members = list.items.map((item) => node(item, context));
      if (members.length > 100) {
        throw validationError(`The IN operator is provided with too many operands; number of operands: ${members.length}`);
      }
      const result: Node = { kind: 'in', operand, list: members };
      return expr.negated ? { kind: 'not', operand: result } : result;
    }
    case 'like':
      throw validationError(unsupportedConditionOperator('like'));
    case 'is':
      return isNode(expr, context);
  }
}

/** A whole WHERE clause: an expression that resolves to a boolean. */
export function whereCondition(expr: Expr, context: TranslationContext): Node {
  return condition(node(expr, context), WHERE_NOT_BOOLEAN);
}

/** Every document path a condition reads, in order. */
export function conditionPaths(root: Node): Path[] {
  const paths: Path[] = [];
  const walk = (n: Node): void => {
    switch (n.kind) {
      case 'path':
        paths.push(n.path);
        break;
      case 'size':
      case 'not':
        walk(n.operand);
        break;
      case 'and':
      case 'or':
      case 'compare':
        walk(n.left);
        walk(n.right);
        break;
      case 'between':
        walk(n.operand);
        walk(n.low);
        walk(n.high);
        break;
      case 'in':
        walk(n.operand);
        n.list.forEach(walk);
        break;
      case 'function':
        n.args.forEach(walk);
        break;
      case 'value':
        break;
    }
  };
  walk(root);
  return paths;
}

// --- evaluation ----------------------------------------------------------


/** The value of a node for an item (undefined when it reads a missing attribute). */
export function valueOf(n: Node, item: Item | undefined): AttributeValue | undefined {
  switch (n.kind) {
    case 'value':
      return n.value;
    case 'path':
      return valueAt(item, n.path);
    case 'size':
      return sizeOf(valueOf(n.operand, item));
    default:
      return { BOOL: holds(n, item) };
  }
}

/** Whether a condition holds for an item (undefined when there is none). */
export function holds(n: Node, item: Item | undefined): boolean {
  switch (n.kind) {
    case 'and':
      return holds(n.left, item) && holds(n.right, item);
    case 'or':
      return holds(n.left, item) || holds(n.right, item);
    case 'not':
      return !holds(n.operand, item);
    case 'compare': {
      const left = valueOf(n.left, item);
      const right = valueOf(n.right, item);
      return compare(n.op, left, right);
    }
    case 'between': {
      const subject = valueOf(n.operand, item);
      return compare('>=', subject, valueOf(n.low, item)) && compare('<=', subject, valueOf(n.high, item));
    }
    case 'in': {
      const subject = valueOf(n.operand, item);
      return n.list.some((candidate) => equal(subject, valueOf(candidate, item)));
    }
    case 'function': {
      const [first, second] = n.args.map((arg) => valueOf(arg, item));
      switch (n.name) {
        case 'attribute_exists':
          return first !== undefined;
        case 'attribute_not_exists':
          return first === undefined;
        case 'attribute_type':
          return first !== undefined && second?.S === typeOf(first);
        case 'begins_with':
          return beginsWith(first, second);
        case 'contains':
          return contains(first, second);
      }
      return false;
    }
    default: {
      const value = valueOf(n, item);
      return value?.BOOL === true;
    }
  }
}

