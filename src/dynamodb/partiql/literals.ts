/**
 * Statement literals to attribute values: 'strings', numbers, TRUE/FALSE,
 * NULL, [lists], <<sets>> and {'maps': ...}, with DynamoDB's errors, which
 * name the place inside the value as a path from `root` (`under root.m[1]`).
 * Each attribute value is its own root: the item of an INSERT is not.
 */
import { validationError, type AwsError } from '../../edge/errors.js';
import type { AttributeValue } from '../values/attribute-value.js';
import { compareNumbers } from '../values/number.js';
import type { Expr } from './ast.js';
import {
  BAG_MEMBER_TYPE,
  duplicateTupleKey,
  EMPTY_BAG,
  EMPTY_PATH_COMPONENT,
  invalid,
  negativeZero,
  NESTING_UNDER,
  notWellFormed,
  tupleKeyType,
  unsupportedDataType,
} from './errors.js';
import { readPartiqlNumber } from './numbers.js';

/** DynamoDB allows 32 levels of nesting; an attribute value is level 1. */
const MAX_DEPTH = 32;

/** Whether `expr` is a literal value (possibly a collection) rather than a path, parameter or operation. */
export function isLiteralValue(expr: Expr): boolean {
  if (expr.type === 'literal') return expr.value.kind !== 'missing';
  return expr.type === 'list' || expr.type === 'bag' || expr.type === 'struct';
}

/** How DynamoDB names a node it cannot store, nested inside a value: its AST class. */
function nodeClass(expr: Expr): string {
  switch (expr.type) {
    case 'parameter':
      return 'Parameter';
    case 'identifier':
      return 'VariableReference';
    case 'path':
      return 'Path';
    case 'sexp':
      return 'Seq';
    case 'literal':
      return 'LiteralMissing';
    case 'is':
      return 'Typed';
    default:
      return 'NAry';
  }
}

/** How DynamoDB names a node it cannot store as an INSERT attribute value. */
export function nodeIdentifier(expr: Expr): string {
  switch (expr.type) {
    case 'identifier':
      return expr.name;
    case 'call':
      return expr.name;
    case 'path':
      return 'PATH';
    case 'parameter':
      return 'PARAMETER';
    case 'literal':
      return 'MISSING';
    case 'binary':
      return expr.op;
    case 'not':
      return 'not';
    case 'negate':
      return '-';
    case 'plus':
      return '+';
    case 'between':
      return 'between';
    case 'in':
      return 'in';
    case 'like':
      return 'like';
    case 'is':
      return 'IS';
    case 'sexp':
      return 'SEXP';
    default:
      return 'UNKNOWN';
  }
}

/** A number literal as DynamoDB stores it; `path` names it in errors. */
export function numberLiteral(text: string, negative: boolean, path: string): string {
  const reading = readPartiqlNumber(negative ? `-${text}` : text);
  // Exponent and scale were checked by the lexer; what remains is DynamoDB's range.
  if (!reading.ok) throw reading.reason === 'range' ? withPath(reading.message, path) : notWellFormed('');
  if (negative && reading.value === '0' && /[.eE]/.test(text)) throw validationError(negativeZero(path));
  return reading.value;
}

const withPath = (message: string, path: string): AwsError =>
  validationError(message.endsWith('.') ? message : `${message} under ${path}`);

function numberMember(expr: Expr, path: string): string {
  if (expr.type === 'literal' && expr.value.kind === 'number') return numberLiteral(expr.value.text, expr.value.negative, path);
  throw validationError(BAG_MEMBER_TYPE);
}

function stringMember(expr: Expr): string {
  if (expr.type === 'literal' && expr.value.kind === 'string') return expr.value.text;
  throw validationError(BAG_MEMBER_TYPE);
}

const numberText = (expr: Expr): string =>
  expr.type === 'literal' && expr.value.kind === 'number' ? `${expr.value.negative ? '-' : ''}${expr.value.text}` : '';

function bag(items: readonly Expr[], path: string): AttributeValue {
  const [first] = items;
  if (!first) throw validationError(EMPTY_BAG);
  if (first.type === 'literal' && first.value.kind === 'number') {
    const members = items.map((item) => numberMember(item, path));
    for (let i = 0; i < members.length; i++) {
      if (members.slice(0, i).some((m) => compareNumbers(m, members[i]!) === 0)) {
        const texts = items.map(numberText).join(', ');
        throw withPath(`One or more parameter values were invalid: Input collection [${texts}] contains duplicates!`, path);
      }
    }
    return { NS: members };
  }
  if (first.type === 'literal' && first.value.kind === 'string') {
    const members = items.map(stringMember);
    if (new Set(members).size !== members.length) {
      throw validationError(`One or more parameter values were invalid: Input collection [${members.join(', ')}] contains duplicates.`);
    }
    return { SS: members };
  }
  throw validationError(BAG_MEMBER_TYPE);
}

/** A map key of a `{...}` literal: a non-empty string literal. */
export function structKey(key: Expr, path: string): string {
  if (key.type === 'literal' && key.value.kind === 'string') {
    if (key.value.text === '') throw validationError(EMPTY_PATH_COMPONENT);
    return key.value.text;
  }
  const type = key.type === 'literal' ? key.value.kind.toUpperCase() : nodeClass(key);
  throw invalid(tupleKeyType(type === 'NUMBER' ? 'DECIMAL' : type, path), key.position);
}

/**
 * The attribute value a literal expression denotes. `depth` is the nesting
 * level of `expr` (1 for an attribute value).
 */
export function literalValue(expr: Expr, path = 'root', depth = 1): AttributeValue {
  if (depth > MAX_DEPTH) throw validationError(`${NESTING_UNDER} under ${path}`);
  switch (expr.type) {
    case 'literal':
      switch (expr.value.kind) {
        case 'string':
          return { S: expr.value.text };
        case 'number':
          return { N: numberLiteral(expr.value.text, expr.value.negative, path) };
        case 'boolean':
          return { BOOL: expr.value.value };
        case 'null':
          return { NULL: true };
        case 'missing':
          break;
      }
      break;
    case 'list':
      return { L: expr.items.map((item, i) => literalValue(item, `${path}[${i}]`, depth + 1)) };
    case 'bag':
      return bag(expr.items, path);
    case 'struct': {
      const map: Record<string, AttributeValue> = {};
      for (const field of expr.fields) {
        const key = structKey(field.key, path);
        if (Object.hasOwn(map, key)) throw invalid(duplicateTupleKey(key, path), field.key.position);
        Object.defineProperty(map, key, {
          value: literalValue(field.value, `${path}.${key}`, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return { M: map };
    }
  }
  throw invalid(unsupportedDataType(nodeClass(expr), path), expr.position);
}
