import { describe, expect, it } from 'vitest';
import type { AttributeValue, Item } from '../../../src/dynamodb/values/attribute-value.js';
import { evaluateCondition } from '../../../src/dynamodb/expressions/index.js';
import { compile, compileError } from './helpers.js';

const N = (n: string): AttributeValue => ({ N: n });
const S = (s: string): AttributeValue => ({ S: s });
const B = (bytes: number[]): AttributeValue => ({ B: Buffer.from(bytes).toString('base64') });

/** Evaluates `expression` against `item` with `:name` values and `#name` names. */
function holds(
  expression: string,
  item: Item | undefined,
  placeholders: Record<string, AttributeValue> = {},
  names?: Record<string, string>,
): boolean {
  // Only the placeholders the expression uses: unused ones are an error.
  const used = Object.fromEntries(
    Object.entries(placeholders).filter(([key]) => new RegExp(`${key}(?![0-9A-Za-z_])`).test(expression)),
  );
  const { condition } = compile({
    ConditionExpression: expression,
    ...(Object.keys(used).length ? { ExpressionAttributeValues: used } : {}),
    ...(names ? { ExpressionAttributeNames: names } : {}),
  });
  return evaluateCondition(condition!, item);
}

const item: Item = {
  n: N('5'),
  s: S('cat'),
  b: B([1, 2, 3]),
  t: { BOOL: true },
  z: { NULL: true },
  ss: { SS: ['a', 'b'] },
  ns: { NS: ['1', '2.5'] },
  bs: { BS: [Buffer.from([9]).toString('base64')] },
  l: { L: [N('1'), S('x'), { SS: ['p', 'q'] }, { L: [N('3'), N('4')] }] },
  m: { M: { inside: { M: { deep: S('here') } }, things: { L: [S('a'), S('b')] } } },
};

describe('comparisons', () => {
  it('= and <> compare values of the same type, numbers numerically and sets without order', () => {
    expect(holds('n = :v', item, { ':v': N('5.0') })).toBe(true);
    expect(holds('n = :v', item, { ':v': N('6') })).toBe(false);
    expect(holds('ss = :v', item, { ':v': { SS: ['b', 'a'] } })).toBe(true);
    expect(holds('ns = :v', item, { ':v': { NS: ['2.50', '1'] } })).toBe(true);
    expect(holds('l = :v', item, { ':v': item.l! })).toBe(true);
    expect(holds('m = :v', item, { ':v': item.m! })).toBe(true);
    expect(holds('t = :v', item, { ':v': { BOOL: true } })).toBe(true);
    expect(holds('z = :v', item, { ':v': { NULL: true } })).toBe(true);
    expect(holds('n <> :v', item, { ':v': N('6') })).toBe(true);
    expect(holds('n <> :v', item, { ':v': N('5') })).toBe(false);
  });

  it('never finds values of different types equal, so <> holds for them', () => {
    expect(holds('n = :v', item, { ':v': S('5') })).toBe(false);
    expect(holds('n <> :v', item, { ':v': S('5') })).toBe(true);
    expect(holds('t = :v', item, { ':v': N('1') })).toBe(false);
  });

  it('finds a missing attribute equal to nothing and different from everything, even another missing one', () => {
    expect(holds('q = :v', item, { ':v': N('1') })).toBe(false);
    expect(holds('q = r', item)).toBe(false);
    expect(holds('q <> :v', item, { ':v': N('1') })).toBe(true);
    expect(holds('q <> r', item)).toBe(true);
    expect(holds('q <> r', undefined)).toBe(true);
  });

  it('orders numbers numerically, strings by UTF-8 bytes and binaries by unsigned bytes', () => {
    expect(holds('n < :v', item, { ':v': N('10') })).toBe(true);
    expect(holds('n > :v', item, { ':v': N('-100') })).toBe(true);
    expect(holds('n <= :v', item, { ':v': N('5') })).toBe(true);
    expect(holds('n >= :v', item, { ':v': N('5.0000000000000000000000000000000000001') })).toBe(false);
    expect(holds('s < :v', item, { ':v': S('dog') })).toBe(true);
    expect(holds('s > :v', item, { ':v': S('Cat') })).toBe(true);
    // U+FF5E sorts before U+1F600 in UTF-8, after it in UTF-16.
    expect(holds('a < :v', { a: S('\uff5e') }, { ':v': S('😀') })).toBe(true);
    expect(holds('b < :v', item, { ':v': B([1, 2, 4]) })).toBe(true);
    expect(holds('b > :v', item, { ':v': B([1, 2]) })).toBe(true);
    expect(holds('b < :v', { b: B([0x7f]) }, { ':v': B([0x80]) })).toBe(true);
  });

  it('makes an order comparison false for missing attributes, other types and unordered item values', () => {
    for (const op of ['<', '<=', '>', '>=']) {
      expect(holds(`q ${op} :v`, item, { ':v': N('1') })).toBe(false);
      expect(holds(`:v ${op} q`, item, { ':v': N('1') })).toBe(false);
      expect(holds(`q ${op} r`, item)).toBe(false);
      expect(holds(`n ${op} :v`, item, { ':v': S('5') })).toBe(false);
      expect(holds(`l ${op} :v`, item, { ':v': N('1') })).toBe(false);
    }
  });

  it('compares two attributes of the item', () => {
    expect(holds('n > l[0]', item)).toBe(true);
    expect(holds('m.things[1] > m.things[0]', item)).toBe(true);
  });

  it('refuses a literal of a type without an order in an order comparison, but not in =', () => {
    expect(compileError({ ConditionExpression: 'a < :v', ExpressionAttributeValues: { ':v': { L: [] } } })).toBe(
      'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: <, operand type: L',
    );
    expect(compileError({ ConditionExpression: ':v >= a', ExpressionAttributeValues: { ':v': { BOOL: true } } })).toBe(
      'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: >=, operand type: BOOL',
    );
    expect(holds('a = :v', { a: { L: [] } }, { ':v': { L: [] } })).toBe(true);
  });
});

describe('BETWEEN and IN', () => {
  it('BETWEEN includes both bounds and needs all three values of one ordered type', () => {
    expect(holds('n BETWEEN :lo AND :hi', item, { ':lo': N('5'), ':hi': N('5') })).toBe(true);
    expect(holds('n BETWEEN :lo AND :hi', item, { ':lo': N('1'), ':hi': N('4.99') })).toBe(false);
    expect(holds('s BETWEEN :lo AND :hi', item, { ':lo': S('ca'), ':hi': S('cb') })).toBe(true);
    expect(holds('b BETWEEN :lo AND :hi', item, { ':lo': B([1]), ':hi': B([2]) })).toBe(true);
    expect(holds('q BETWEEN :lo AND :hi', item, { ':lo': N('1'), ':hi': N('9') })).toBe(false);
    expect(holds('s BETWEEN :lo AND :hi', item, { ':lo': N('1'), ':hi': N('9') })).toBe(false);
    expect(holds('q between z and x', item)).toBe(false);
    // Bounds from the item are not checked in advance: a reversed range is simply false.
    expect(holds('n BETWEEN l[0] AND :hi', item, { ':hi': N('0') })).toBe(false);
  });

  it('BETWEEN refuses literal bounds of different types or in the wrong order', () => {
    expect(compileError({ ConditionExpression: 'a BETWEEN :lo AND :hi', ExpressionAttributeValues: { ':lo': S('a'), ':hi': N('1') } })).toBe(
      'Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; ' +
        'lower bound operand: AttributeValue: {S:a}, upper bound operand: AttributeValue: {N:1}',
    );
    expect(compileError({ ConditionExpression: 'a BETWEEN :lo AND :hi', ExpressionAttributeValues: { ':lo': N('10'), ':hi': N('9') } })).toBe(
      'Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ' +
        'lower bound operand: AttributeValue: {N:10}, upper bound operand: AttributeValue: {N:9}',
    );
    expect(compileError({ ConditionExpression: 'a BETWEEN :lo AND :hi', ExpressionAttributeValues: { ':lo': { SS: ['a'] }, ':hi': { SS: ['b'] } } })).toBe(
      'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: SS',
    );
  });

  it('IN holds when the value equals one of the operands', () => {
    expect(holds('n IN (:a, :b)', item, { ':a': N('4'), ':b': N('5') })).toBe(true);
    expect(holds('n IN (:a, :b)', item, { ':a': N('4'), ':b': S('5') })).toBe(false);
    expect(holds('ss IN (:a)', item, { ':a': { SS: ['b', 'a'] } })).toBe(true);
    expect(holds('q IN (:a, r)', item, { ':a': N('1') })).toBe(false);
    expect(holds(':a IN (s, n)', item, { ':a': S('cat') })).toBe(true);
  });

  it('IN takes at most 100 operands', () => {
    const hundred = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`:v${i}`, N(String(i))]));
    const list = (count: number) => Array.from({ length: count }, (_, i) => `:v${i}`).join(', ');
    expect(holds(`n IN (${list(100)})`, item, hundred as Record<string, AttributeValue>)).toBe(true);
    expect(holds(`n IN (${list(5)})`, item, hundred as Record<string, AttributeValue>)).toBe(false);
    expect(compileError({ ConditionExpression: `a IN (${list(101)})`, ExpressionAttributeValues: hundred })).toBe(
      'Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101',
    );
  });
});

describe('functions', () => {
  it('attribute_exists and attribute_not_exists look at the whole path', () => {
    expect(holds('attribute_exists(m.inside.deep)', item)).toBe(true);
    expect(holds('attribute_exists(m.inside.nope)', item)).toBe(false);
    expect(holds('attribute_exists(l[3][1])', item)).toBe(true);
    expect(holds('attribute_exists(l[4])', item)).toBe(false);
    expect(holds('attribute_exists(z)', item)).toBe(true);
    expect(holds('attribute_not_exists(s.deeper)', item)).toBe(true);
    expect(holds('attribute_not_exists(#k)', undefined, {}, { '#k': 'pk' })).toBe(true);
    expect(holds('attribute_exists(#k)', undefined, {}, { '#k': 'pk' })).toBe(false);
  });

  it('attribute_type compares the type name', () => {
    for (const [path, type] of [['n', 'N'], ['s', 'S'], ['b', 'B'], ['t', 'BOOL'], ['z', 'NULL'], ['ss', 'SS'], ['ns', 'NS'], ['bs', 'BS'], ['l', 'L'], ['m', 'M']]) {
      expect(holds(`attribute_type(${path}, :t)`, item, { ':t': S(type!) })).toBe(true);
      expect(holds(`attribute_type(${path}, :t)`, item, { ':t': S(type === 'S' ? 'N' : 'S') })).toBe(false);
    }
    expect(holds('attribute_type(q, :t)', item, { ':t': S('NULL') })).toBe(false);
  });

  it('begins_with works on strings and binaries of the same type', () => {
    expect(holds('begins_with(s, :p)', item, { ':p': S('ca') })).toBe(true);
    expect(holds('begins_with(s, :p)', item, { ':p': S('at') })).toBe(false);
    expect(holds('begins_with(b, :p)', item, { ':p': B([1, 2]) })).toBe(true);
    expect(holds('begins_with(b, :p)', item, { ':p': B([2]) })).toBe(false);
    expect(holds('begins_with(s, :p)', item, { ':p': B([1]) })).toBe(false);
    expect(holds('begins_with(n, :p)', item, { ':p': S('5') })).toBe(false);
    expect(holds('begins_with(:str, s)', item, { ':str': S('category') })).toBe(true);
  });

  it('contains finds substrings, byte sequences, set members and list elements', () => {
    expect(holds('contains(s, :v)', item, { ':v': S('at') })).toBe(true);
    expect(holds('contains(s, :v)', item, { ':v': S('dog') })).toBe(false);
    expect(holds('contains(b, :v)', item, { ':v': B([2, 3]) })).toBe(true);
    expect(holds('contains(ss, :v)', item, { ':v': S('b') })).toBe(true);
    expect(holds('contains(ss, :v)', item, { ':v': S('c') })).toBe(false);
    expect(holds('contains(ns, :v)', item, { ':v': N('2.50') })).toBe(true);
    expect(holds('contains(ns, :v)', item, { ':v': S('1') })).toBe(false);
    expect(holds('contains(bs, :v)', item, { ':v': B([9]) })).toBe(true);
    expect(holds('contains(l, :v)', item, { ':v': S('x') })).toBe(true);
    expect(holds('contains(l, :v)', item, { ':v': { SS: ['q', 'p'] } })).toBe(true);
    expect(holds('contains(l, :v)', item, { ':v': { L: [N('3'), N('4')] } })).toBe(true);
    expect(holds('contains(l, :v)', item, { ':v': N('2') })).toBe(false);
    expect(holds('contains(m, :v)', item, { ':v': S('inside') })).toBe(false);
    expect(holds('contains(q, :v)', item, { ':v': S('a') })).toBe(false);
    expect(holds('contains(ss, s)', { ss: { SS: ['cat'] }, s: S('cat') })).toBe(true);
  });

  it('size counts UTF-16 code units of strings, bytes, members and entries', () => {
    const sized: Item = { s: S('é𝄞'), b: B([1, 2, 3, 4]), ss: { SS: ['a', 'b', 'c'] }, l: { L: [N('1')] }, m: { M: { a: N('1'), b: N('2') } }, e: S('') };
    expect(holds('size(s) = :v', sized, { ':v': N('3') })).toBe(true);
    expect(holds('size(b) = :v', sized, { ':v': N('4') })).toBe(true);
    expect(holds('size(ss) = :v', sized, { ':v': N('3') })).toBe(true);
    expect(holds('size(l) = :v', sized, { ':v': N('1') })).toBe(true);
    expect(holds('size(m) = :v', sized, { ':v': N('2') })).toBe(true);
    expect(holds('size(e) = :v', sized, { ':v': N('0') })).toBe(true);
    expect(holds('size(s) < size(ss)', { s: S('ab'), ss: { SS: ['a', 'b', 'c'] } })).toBe(true);
    expect(holds('size(:v) = :n', {}, { ':v': S('abcd'), ':n': N('4') })).toBe(true);
  });

  it('size of a number, boolean, null or missing attribute makes the comparison false', () => {
    for (const path of ['n', 't', 'z', 'q']) {
      expect(holds(`size(${path}) = :v`, item, { ':v': N('1') })).toBe(false);
      expect(holds(`size(${path}) >= :v`, item, { ':v': N('0') })).toBe(false);
    }
    expect(holds('size(s) = :v', item, { ':v': S('3') })).toBe(false);
  });

  it('size is usable in BETWEEN, IN and contains', () => {
    expect(holds('size(s) BETWEEN :a AND :b', item, { ':a': N('3'), ':b': N('4') })).toBe(true);
    expect(holds('size(ss) IN (:a, :b)', item, { ':a': N('1'), ':b': N('2') })).toBe(true);
    expect(holds('contains(l, size(s))', { l: { L: [N('3')] }, s: S('cat') })).toBe(true);
  });
});

describe('logic and paths', () => {
  it('evaluates AND before OR and honours parentheses and NOT', () => {
    const v = { ':t': { BOOL: true }, ':f': { BOOL: false } };
    const it3 = { a: { BOOL: true }, b: { BOOL: false }, c: { BOOL: false } };
    expect(holds('a = :t OR b = :t AND c = :t', it3, v)).toBe(true);
    expect(holds('(a = :t OR b = :t) AND c = :t', it3, v)).toBe(false);
    expect(holds('NOT a = :t OR c = :f', it3, v)).toBe(true);
    expect(holds('NOT (a = :t OR c = :f)', it3, v)).toBe(false);
    expect(holds('NOT NOT a = :t', it3, v)).toBe(true);
  });

  it('follows nested maps, list indexes and placeholders in any element', () => {
    expect(holds('m.inside.deep = :v', item, { ':v': S('here') })).toBe(true);
    expect(holds('#m.#i.#d = :v', item, { ':v': S('here') }, { '#m': 'm', '#i': 'inside', '#d': 'deep' })).toBe(true);
    expect(holds('l[3][0] = :v', item, { ':v': N('3') })).toBe(true);
    expect(holds('l[2] = :v', item, { ':v': { SS: ['p', 'q'] } })).toBe(true);
    expect(holds('m.things[1] = :v', item, { ':v': S('b') })).toBe(true);
    expect(holds('l[9] = :v', item, { ':v': N('1') })).toBe(false);
    expect(holds('m[0] = :v', item, { ':v': N('1') })).toBe(false);
    expect(holds('l.x = :v', item, { ':v': N('1') })).toBe(false);
    expect(holds('#dotted = :v', { 'a.b': S('x') }, { ':v': S('x') }, { '#dotted': 'a.b' })).toBe(true);
  });

  it('evaluates against no item as against an empty one', () => {
    expect(holds('attribute_not_exists(a) AND NOT a = :v', undefined, { ':v': N('1') })).toBe(true);
  });
});
