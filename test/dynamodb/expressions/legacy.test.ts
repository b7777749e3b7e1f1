import { describe, expect, it } from 'vitest';
import type { AttributeValue, Item } from '../../../src/dynamodb/values/attribute-value.js';
import { evaluateCondition, project } from '../../../src/dynamodb/expressions/index.js';
import { compile, compileError } from './helpers.js';

const N = (n: string): AttributeValue => ({ N: n });
const S = (s: string): AttributeValue => ({ S: s });

const INVALID = 'One or more parameter values were invalid: ';

function expected(item: Item | undefined, entries: Record<string, unknown>, conditionalOperator?: string): boolean {
  const { condition } = compile({ Expected: entries, ...(conditionalOperator ? { ConditionalOperator: conditionalOperator } : {}) });
  return evaluateCondition(condition!, item);
}

describe('Expected validation', () => {
  // dynalite's test/putItem.js and updateItem.js, run against DynamoDB.
  it.each([
    [{ a: {} }, 'Value must be provided when Exists is null for Attribute: a'],
    [{ a: { Exists: true } }, 'Value must be provided when Exists is true for Attribute: a'],
    [{ a: { Exists: false, Value: S('a') } }, 'Value cannot be used when Exists is false for Attribute: a'],
    [{ a: { ComparisonOperator: 'LT' } }, 'Value or AttributeValueList must be used with ComparisonOperator: LT for Attribute: a'],
    [{ a: { Exists: true, ComparisonOperator: 'LT' } }, 'Exists and ComparisonOperator cannot be used together for Attribute: a'],
    [{ a: { AttributeValueList: [S('a')], Value: S('a'), ComparisonOperator: 'LT' } }, 'Value and AttributeValueList cannot be used together for Attribute: a'],
    [{ a: { AttributeValueList: [S('a')] } }, 'AttributeValueList can only be used with a ComparisonOperator for Attribute: a'],
    [{ a: { Exists: true, AttributeValueList: [S('a')] } }, 'AttributeValueList can only be used with a ComparisonOperator for Attribute: a'],
    [{ a: { AttributeValueList: [], ComparisonOperator: 'EQ' } }, 'Invalid number of argument(s) for the EQ ComparisonOperator'],
    [{ a: { AttributeValueList: [S('a')], ComparisonOperator: 'NULL' } }, 'Invalid number of argument(s) for the NULL ComparisonOperator'],
    [{ a: { AttributeValueList: [], ComparisonOperator: 'IN' } }, 'Invalid number of argument(s) for the IN ComparisonOperator'],
    [{ a: { AttributeValueList: [N('1'), N('10'), N('12')], ComparisonOperator: 'BETWEEN' } }, 'Invalid number of argument(s) for the BETWEEN ComparisonOperator'],
    [{ a: { Value: S('a'), ComparisonOperator: 'NULL' } }, 'Invalid number of argument(s) for the NULL ComparisonOperator'],
    [{ a: { Value: S('a'), ComparisonOperator: 'BETWEEN' } }, 'Invalid number of argument(s) for the BETWEEN ComparisonOperator'],
    [{ a: { AttributeValueList: [S('a'), N('1')], ComparisonOperator: 'IN' } }, 'AttributeValues inside AttributeValueList must be of same type'],
  ])('%j', (entries, message) => {
    expect(compileError({ Expected: entries })).toBe(INVALID + message);
  });

  it('refuses a BETWEEN range whose lower bound is above the upper one', () => {
    expect(compileError({ Expected: { a: { AttributeValueList: [N('10'), N('9')], ComparisonOperator: 'BETWEEN' } } })).toBe(
      'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound',
    );
  });

  it('validates the values it is given', () => {
    expect(compileError({ Expected: { a: { Value: { NULL: false } } } })).toBe(`${INVALID}Null attribute value types must have the value of true`);
  });

  it('refuses operators outside the enums', () => {
    expect(compileError({ Expected: { a: { ComparisonOperator: 'LIKE', Value: S('a') } } })).toBe(
      "1 validation error detected: Value 'LIKE' at 'expected.a.member.comparisonOperator' failed to satisfy constraint: " +
        'Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]',
    );
    expect(compileError({ Expected: { a: { Exists: false } }, ConditionalOperator: 'AN' })).toBe(
      "1 validation error detected: Value 'AN' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [OR, AND]",
    );
  });
});

describe('Expected as a condition', () => {
  const item: Item = { a: N('5'), s: S('hello'), ss: { SS: ['x', 'y'] }, l: { L: [N('1'), S('two')] } };

  it('Value alone or with Exists true means equal; Exists false means absent', () => {
    expect(expected(item, { a: { Value: N('5') } })).toBe(true);
    expect(expected(item, { a: { Value: N('6') } })).toBe(false);
    expect(expected(item, { a: { Value: N('5.0'), Exists: true } })).toBe(true);
    expect(expected(item, { q: { Exists: false } })).toBe(true);
    expect(expected(item, { a: { Exists: false } })).toBe(false);
    expect(expected(undefined, { a: { Exists: false } })).toBe(true);
    expect(expected(undefined, { a: { Value: N('5') } })).toBe(false);
  });

  it.each([
    ['EQ', [N('5')], true],
    ['EQ', [S('5')], false],
    ['NE', [N('4')], true],
    ['NE', [N('5')], false],
    ['LE', [N('5')], true],
    ['LT', [N('5')], false],
    ['GE', [N('5')], true],
    ['GT', [N('4.9')], true],
    ['GT', [S('4')], false],
    ['IN', [N('1'), N('5')], true],
    ['IN', [N('1'), N('2')], false],
    ['BETWEEN', [N('5'), N('6')], true],
    ['BETWEEN', [N('6'), N('7')], false],
  ] as const)('%s %j on a number attribute is %s', (op, list, result) => {
    expect(expected(item, { a: { ComparisonOperator: op, AttributeValueList: list } })).toBe(result);
  });

  it('handles the operators that look inside values', () => {
    expect(expected(item, { s: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [S('he')] } })).toBe(true);
    expect(expected(item, { s: { ComparisonOperator: 'CONTAINS', Value: S('ell') } })).toBe(true);
    expect(expected(item, { ss: { ComparisonOperator: 'CONTAINS', AttributeValueList: [S('y')] } })).toBe(true);
    expect(expected(item, { l: { ComparisonOperator: 'CONTAINS', AttributeValueList: [S('two')] } })).toBe(true);
    expect(expected(item, { ss: { ComparisonOperator: 'NOT_CONTAINS', AttributeValueList: [S('z')] } })).toBe(true);
    expect(expected(item, { ss: { ComparisonOperator: 'NOT_CONTAINS', AttributeValueList: [S('x')] } })).toBe(false);
    expect(expected(item, { a: { ComparisonOperator: 'NOT_NULL' } })).toBe(true);
    expect(expected(item, { q: { ComparisonOperator: 'NULL' } })).toBe(true);
  });

  it('treats a missing attribute as unequal to anything and containing nothing', () => {
    expect(expected(item, { q: { ComparisonOperator: 'NE', AttributeValueList: [N('1')] } })).toBe(true);
    expect(expected(item, { q: { ComparisonOperator: 'NOT_CONTAINS', AttributeValueList: [S('a')] } })).toBe(true);
    expect(expected(item, { q: { ComparisonOperator: 'LT', AttributeValueList: [N('1')] } })).toBe(false);
  });

  it('combines entries with AND unless ConditionalOperator is OR', () => {
    const entries = { a: { Value: N('5') }, s: { Value: S('nope') } };
    expect(expected(item, entries)).toBe(false);
    expect(expected(item, entries, 'AND')).toBe(false);
    expect(expected(item, entries, 'OR')).toBe(true);
  });

  it('has no condition for an empty Expected', () => {
    expect(compile({ Expected: {} }).condition).toBeUndefined();
  });
});

describe('AttributeUpdates validation', () => {
  it('needs a value except to delete', () => {
    expect(compileError({ AttributeUpdates: { a: { Action: 'PUT' } } })).toBe(
      `${INVALID}Only DELETE action is allowed when no attribute value is specified`,
    );
    expect(compileError({ AttributeUpdates: { a: {} } })).toBe(`${INVALID}Only DELETE action is allowed when no attribute value is specified`);
  });

  it.each([S('1'), N('1'), { B: 'Yg==' }, { NULL: true }, { BOOL: true }, { M: {} }, { L: [] }])('refuses DELETE with %j', (value) => {
    expect(compileError({ AttributeUpdates: { a: { Action: 'DELETE', Value: value } } })).toBe(
      `${INVALID}DELETE action with value is not supported for the type ${Object.keys(value)[0]}`,
    );
  });

  it.each([S('1'), { B: 'Yg==' }, { NULL: true }, { BOOL: true }, { M: {} }])('refuses ADD with %j', (value) => {
    expect(compileError({ AttributeUpdates: { a: { Action: 'ADD', Value: value } } })).toBe(
      `${INVALID}ADD action is not supported for the type ${Object.keys(value)[0]}`,
    );
  });

  it('converts each entry to an action on a top-level attribute', () => {
    expect(
      compile({
        AttributeUpdates: {
          p: { Value: S('x') },
          r: { Action: 'DELETE' },
          d: { Action: 'DELETE', Value: { SS: ['a'] } },
          n: { Action: 'ADD', Value: N('1') },
          l: { Action: 'ADD', Value: { L: [] } },
        },
      }).update,
    ).toEqual({
      source: 'attribute-updates',
      actions: [
        { action: 'SET', path: ['p'], value: { kind: 'value', value: S('x') } },
        { action: 'REMOVE', path: ['r'] },
        { action: 'DELETE', path: ['d'], value: { SS: ['a'] } },
        { action: 'ADD', path: ['n'], value: N('1') },
        { action: 'ADD', path: ['l'], value: { L: [] } },
      ],
    });
  });

  it('refuses an unknown action', () => {
    expect(compileError({ AttributeUpdates: { a: { Action: 'SET', Value: S('x') } } })).toBe(
      "1 validation error detected: Value 'SET' at 'attributeUpdates.a.member.action' failed to satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]",
    );
  });
});

describe('AttributesToGet', () => {
  it('projects top-level attributes, whatever characters their names have', () => {
    const { projection } = compile({ AttributesToGet: ['a', 'b.c', 'status'] });
    expect(project(projection!, { a: N('1'), 'b.c': S('x'), status: S('s'), other: S('o') })).toEqual({ a: N('1'), 'b.c': S('x'), status: S('s') });
  });

  it('refuses a name given twice', () => {
    expect(compileError({ AttributesToGet: ['a', 'b', 'a'] })).toBe(`${INVALID}Duplicate value in attribute name: a`);
  });
});
