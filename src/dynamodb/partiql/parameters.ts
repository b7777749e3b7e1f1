/**
 * The `Parameters` of a PartiQL request: attribute values checked as
 * DynamoDB checks them for PartiQL, before the statement is read (captured:
 * a bad parameter wins over a statement that does not parse).
 *
 * JSON types are checked first for every parameter, by the same reader as
 * any attribute value. Then each parameter is checked in document order, and
 * the first problem wins: a value nested deeper than 32 levels, or a number
 * that Java's BigDecimal cannot hold ("The parameter cannot be converted to a
 * numeric value: 1e99999999999", where PutItem would say "overflow"), or any
 * of the usual attribute value rules.
 */
import { AwsError, validationError } from '../../edge/errors.js';
import type { AttributeValue } from '../values/attribute-value.js';
import { NOT_A_NUMBER_MESSAGE } from '../values/number.js';
import {
  EMPTY_BINARY_SET_MESSAGE,
  EMPTY_NUMBER_SET_MESSAGE,
  EMPTY_STRING_SET_MESSAGE,
  EMPTY_VALUE_MESSAGE,
  MAX_NESTING_LEVEL,
  MULTIPLE_TYPES_MESSAGE,
  NESTING_TOO_DEEP_MESSAGE,
  NULL_NOT_TRUE_MESSAGE,
  NUMBER_SET_DUPLICATES_MESSAGE,
  validateAttributeValue,
} from '../values/validate.js';
import { readPartiqlNumber } from './numbers.js';

const INVALID = 'One or more parameter values were invalid: ';

function number(text: string): string {
  const reading = readPartiqlNumber(text);
  if (reading.ok) return reading.value;
  if (reading.reason === 'range') throw validationError(reading.message);
  // Captured: the text follows a colon, except for an empty one.
  throw validationError(text === '' ? NOT_A_NUMBER_MESSAGE : `${NOT_A_NUMBER_MESSAGE}: ${text}`);
}

const list = (members: readonly (string | null)[]): string => `[${members.map((m) => m ?? 'null').join(', ')}]`;

function stringSet(members: readonly (string | null)[]): string[] {
  if (members.length === 0) throw validationError(EMPTY_STRING_SET_MESSAGE);
  if (members.includes(null)) throw validationError(`${INVALID}An string set may not have a empty string as a member`);
  if (new Set(members).size !== members.length) {
    throw validationError(`${INVALID}Input collection ${list(members)} contains duplicates.`);
  }
  return [...(members as string[])];
}

function numberSet(members: readonly (string | null)[]): string[] {
  if (members.length === 0) throw validationError(EMPTY_NUMBER_SET_MESSAGE);
  const numbers = members.map((m) => (m === null ? number('') : number(m)));
  if (new Set(numbers).size !== numbers.length) throw validationError(NUMBER_SET_DUPLICATES_MESSAGE);
  return numbers;
}

function binarySet(members: readonly (string | null)[]): string[] {
  if (members.length === 0) throw validationError(EMPTY_BINARY_SET_MESSAGE);
  if (members.includes(null)) throw validationError(`${INVALID}Binary sets may not contain null or empty values`);
  if (new Set(members).size !== members.length) {
    throw validationError(`${INVALID}Input collection ${list(members)}of type BS contains duplicates.`);
  }
  return [...(members as string[])];
}

/** Semantic checks of one value whose JSON types are known to be right. */
function check(value: Record<string, unknown>, level: number): AttributeValue {
  if (level > MAX_NESTING_LEVEL) throw validationError(NESTING_TOO_DEEP_MESSAGE);
  const checked: AttributeValue = {};
  let types = 0;
  for (const member of Object.keys(value)) {
    const raw = value[member];
    if (raw === null || raw === undefined) continue;
    switch (member) {
      case 'S':
      case 'B':
      case 'BOOL':
        checked[member] = raw as never;
        break;
      case 'N':
        checked.N = number(raw as string);
        break;
      case 'NULL':
        if (raw !== true) throw validationError(NULL_NOT_TRUE_MESSAGE);
        checked.NULL = true;
        break;
      case 'SS':
        checked.SS = stringSet(raw as (string | null)[]);
        break;
      case 'NS':
        checked.NS = numberSet(raw as (string | null)[]);
        break;
      case 'BS':
        checked.BS = binarySet(raw as (string | null)[]);
        break;
      case 'L':
        checked.L = (raw as unknown[]).map((element) => checkValue(element, level + 1));
        break;
      case 'M': {
        const map: Record<string, AttributeValue> = {};
        const entries = raw as Record<string, unknown>;
        for (const key of Object.keys(entries)) {
          Object.defineProperty(map, key, { value: checkValue(entries[key], level + 1), enumerable: true, writable: true, configurable: true });
        }
        checked.M = map;
        break;
      }
      default:
        continue;
    }
    types++;
  }
  if (types === 0) throw validationError(EMPTY_VALUE_MESSAGE);
  if (types > 1) throw validationError(MULTIPLE_TYPES_MESSAGE);
  return checked;
}

function checkValue(value: unknown, level: number): AttributeValue {
  if (value === null || typeof value !== 'object') throw validationError(EMPTY_VALUE_MESSAGE);
  return check(value as Record<string, unknown>, level);
}

/** Validates `Parameters` and returns the values, numbers normalized. */
export function readParameters(parameters: unknown): AttributeValue[] {
  if (parameters === undefined || parameters === null) return [];
  const values = parameters as unknown[];
  // Pass 1: JSON types only; semantic errors are left to pass 2, which knows PartiQL's number rules.
  for (const value of values) {
    try {
      validateAttributeValue(value);
    } catch (error) {
      if (error instanceof AwsError && error.code === 'SerializationException') throw error;
    }
  }
  return values.map((value) => checkValue(value, 1));
}
