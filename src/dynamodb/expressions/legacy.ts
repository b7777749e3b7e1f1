/**
 * The legacy parameters, converted to the same compiled forms as the
 * expressions: Expected (with ConditionalOperator) to a Condition,
 * AttributeUpdates to an Update, AttributesToGet to a Projection.
 *
 * Validation texts and their order: dynalite validations/index.js
 * `validateAttributeConditions` and validations/updateItem.js, getItem.js.
 */
import { AwsError, validationError } from '../../edge/errors.js';
import { typeOf, type AttributeValue } from '../values/attribute-value.js';
import { validateAttributeValue, type ValueLayer } from '../values/validate.js';
import type { Condition, Operand, Projection, Update, UpdateAction } from './ast.js';
import { order } from './compare.js';

const INVALID = 'One or more parameter values were invalid: ';

const COMPARISON_OPERATORS = [
  'IN',
  'NULL',
  'BETWEEN',
  'LT',
  'NOT_CONTAINS',
  'EQ',
  'GT',
  'NOT_NULL',
  'NE',
  'LE',
  'BEGINS_WITH',
  'GE',
  'CONTAINS',
] as const;
type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const given = (value: unknown): boolean => value !== undefined && value !== null;

/** A member outside its enum; DynamoDB reports these with the request's other constraint violations. */
function enumError(value: unknown, at: string, allowed: readonly string[]): AwsError {
  return validationError(
    `1 validation error detected: Value '${String(value)}' at '${at}' failed to satisfy constraint: ` +
      `Member must satisfy enum value set: [${allowed.join(', ')}]`,
  );
}

/** How many values each operator takes: an exact count, or at least one for IN. */
function argumentCountValid(operator: ComparisonOperator, count: number): boolean {
  switch (operator) {
    case 'NULL':
    case 'NOT_NULL':
      return count === 0;
    case 'IN':
      return count > 0;
    case 'BETWEEN':
      return count === 2;
    default:
      return count === 1;
  }
}

function attribute(name: string): Operand {
  return { kind: 'path', path: [name] };
}

function literal(value: AttributeValue): Operand {
  return { kind: 'value', value };
}

const COMPARATORS = { EQ: '=', NE: '<>', LT: '<', LE: '<=', GT: '>', GE: '>=' } as const;

function comparison(name: string, operator: ComparisonOperator, values: readonly AttributeValue[]): Condition {
  const subject = attribute(name);
  const [first, second] = values.map(literal);
  switch (operator) {
    case 'EQ':
    case 'NE':
    case 'LT':
    case 'LE':
    case 'GT':
    case 'GE':
      return { kind: 'compare', op: COMPARATORS[operator], left: subject, right: first! };
    case 'NULL':
      return { kind: 'function', name: 'attribute_not_exists', args: [subject] };
    case 'NOT_NULL':
      return { kind: 'function', name: 'attribute_exists', args: [subject] };
    case 'CONTAINS':
      return { kind: 'function', name: 'contains', args: [subject, first!] };
    case 'NOT_CONTAINS':
      return { kind: 'not', condition: { kind: 'function', name: 'contains', args: [subject, first!] } };
    case 'BEGINS_WITH':
      return { kind: 'function', name: 'begins_with', args: [subject, first!] };
    case 'IN':
      return { kind: 'in', operand: subject, list: values.map(literal) };
    case 'BETWEEN':
      return { kind: 'between', operand: subject, low: first!, high: second! };
  }
}

/** One Expected entry: validated in dynalite's order, then converted. */
function expectedCondition(name: string, entry: Record<string, unknown>, layer: ValueLayer): Condition {
  const { AttributeValueList: list, Value: value, ComparisonOperator: operator, Exists: exists } = entry;

  if (given(list) && given(value)) {
    throw validationError(`${INVALID}Value and AttributeValueList cannot be used together for Attribute: ${name}`);
  }

  if (given(operator)) {
    if (!(COMPARISON_OPERATORS as readonly unknown[]).includes(operator)) {
      throw enumError(operator, `expected.${name}.member.comparisonOperator`, COMPARISON_OPERATORS);
    }
    const op = operator as ComparisonOperator;
    if (given(exists)) {
      throw validationError(`${INVALID}Exists and ComparisonOperator cannot be used together for Attribute: ${name}`);
    }
    if (op !== 'NULL' && op !== 'NOT_NULL' && !given(list) && !given(value)) {
      throw validationError(
        `${INVALID}Value or AttributeValueList must be used with ComparisonOperator: ${op} for Attribute: ${name}`,
      );
    }
    const rawValues: unknown[] = given(list) ? (Array.isArray(list) ? list : []) : given(value) ? [value] : [];
    if (!argumentCountValid(op, rawValues.length)) {
      throw validationError(`${INVALID}Invalid number of argument(s) for the ${op} ComparisonOperator`);
    }
    const values = rawValues.map((raw) => validateAttributeValue(raw, layer));
    if (values.length > 0) {
      const type = typeOf(values[0]!);
      if (values.some((v) => typeOf(v) !== type)) {
        throw validationError(`${INVALID}AttributeValues inside AttributeValueList must be of same type`);
      }
      if (op === 'BETWEEN' && order(values[0]!, values[1]!) === 1) {
        throw validationError(
          'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound',
        );
      }
    }
    return comparison(name, op, values);
  }

  if (given(list)) {
    throw validationError(`${INVALID}AttributeValueList can only be used with a ComparisonOperator for Attribute: ${name}`);
  }
  const mustExist = !given(exists) || exists === true;
  if (mustExist && !given(value)) {
    throw validationError(
      `${INVALID}Value must be provided when Exists is ${given(exists) ? String(exists) : 'null'} for Attribute: ${name}`,
    );
  }
  if (!mustExist && given(value)) {
    throw validationError(`${INVALID}Value cannot be used when Exists is false for Attribute: ${name}`);
  }
  if (!mustExist) return { kind: 'function', name: 'attribute_not_exists', args: [attribute(name)] };
  return { kind: 'compare', op: '=', left: attribute(name), right: literal(validateAttributeValue(value, layer)) };
}

/**
 * Expected and ConditionalOperator as a Condition: every entry must hold
 * (AND, the default) or any of them (OR). An empty Expected is no condition.
 */
export function compileExpected(
  expected: unknown,
  conditionalOperator: unknown,
  layer: ValueLayer = 'current',
): Condition | undefined {
  if (!isObject(expected)) return undefined;
  if (given(conditionalOperator) && conditionalOperator !== 'AND' && conditionalOperator !== 'OR') {
    throw enumError(conditionalOperator, 'conditionalOperator', ['OR', 'AND']);
  }
  const kind = conditionalOperator === 'OR' ? 'or' : 'and';
  let combined: Condition | undefined;
  for (const [name, entry] of Object.entries(expected)) {
    const condition = expectedCondition(name, isObject(entry) ? entry : {}, layer);
    combined = combined === undefined ? condition : { kind, left: combined, right: condition };
  }
  return combined;
}

const ATTRIBUTE_UPDATE_ACTIONS = ['ADD', 'PUT', 'DELETE'] as const;
const DELETE_TYPES = new Set(['SS', 'NS', 'BS']);
const ADD_TYPES = new Set(['L', 'SS', 'NS', 'BS', 'N']);

/** AttributeUpdates as an Update of top-level attributes, validated as DynamoDB does. */
export function compileAttributeUpdates(attributeUpdates: unknown, layer: ValueLayer = 'current'): Update | undefined {
  if (!isObject(attributeUpdates)) return undefined;
  const actions: UpdateAction[] = [];
  for (const [name, raw] of Object.entries(attributeUpdates)) {
    const entry = isObject(raw) ? raw : {};
    const action = given(entry.Action) ? entry.Action : 'PUT';
    if (!(ATTRIBUTE_UPDATE_ACTIONS as readonly unknown[]).includes(action)) {
      throw enumError(action, `attributeUpdates.${name}.member.action`, ATTRIBUTE_UPDATE_ACTIONS);
    }
    const value = given(entry.Value) ? validateAttributeValue(entry.Value, layer) : undefined;
    if (value === undefined) {
      if (action !== 'DELETE') {
        throw validationError(`${INVALID}Only DELETE action is allowed when no attribute value is specified`);
      }
      actions.push({ action: 'REMOVE', path: [name] });
      continue;
    }
    const type = typeOf(value);
    if (action === 'DELETE') {
      if (!DELETE_TYPES.has(type)) {
        throw validationError(`${INVALID}DELETE action with value is not supported for the type ${type}`);
      }
      actions.push({ action: 'DELETE', path: [name], value });
    } else if (action === 'ADD') {
      if (!ADD_TYPES.has(type)) throw validationError(`${INVALID}ADD action is not supported for the type ${type}`);
      actions.push({ action: 'ADD', path: [name], value });
    } else {
      actions.push({ action: 'SET', path: [name], value: { kind: 'value', value } });
    }
  }
  return { source: 'attribute-updates', actions };
}

/** AttributesToGet as a Projection of top-level attributes; a name may not repeat. */
export function compileAttributesToGet(attributesToGet: unknown): Projection | undefined {
  if (!Array.isArray(attributesToGet)) return undefined;
  const seen = new Set<string>();
  for (const name of attributesToGet.map(String)) {
    if (seen.has(name)) throw validationError(`${INVALID}Duplicate value in attribute name: ${name}`);
    seen.add(name);
  }
  return { paths: [...seen].map((name) => [name]) };
}
