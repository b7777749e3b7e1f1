import { describe, expect, it } from 'vitest';
import type { AttributeValue, Item } from '../../../src/dynamodb/values/attribute-value.js';
import { project } from '../../../src/dynamodb/expressions/index.js';
import { compile, compileError } from './helpers.js';

const N = (n: string): AttributeValue => ({ N: n });
const S = (s: string): AttributeValue => ({ S: s });

function projected(item: Item, expression: string, names?: Record<string, string>): Item {
  const { projection } = compile({ ProjectionExpression: expression, ...(names ? { ExpressionAttributeNames: names } : {}) });
  return project(projection!, item);
}

const item: Item = {
  pk: S('p'),
  a: { M: { b: S('bb'), c: S('cc'), d: { M: { e: S('ee'), f: S('ff') } } } },
  l: {
    L: [
      { M: { x: S('x0'), y: S('y0') } },
      { M: { x: S('x1'), y: S('y1') } },
      S('l2'),
    ],
  },
  n: N('1'),
};

describe('projecting an item', () => {
  it('returns the named top-level attributes that exist', () => {
    expect(projected(item, 'pk, n, absent')).toEqual({ pk: S('p'), n: N('1') });
    expect(projected(item, 'absent')).toEqual({});
  });

  it('keeps only the projected members of nested maps', () => {
    expect(projected(item, 'a.b')).toEqual({ a: { M: { b: S('bb') } } });
    expect(projected(item, 'a.b, a.d.f')).toEqual({ a: { M: { b: S('bb'), d: { M: { f: S('ff') } } } } });
    expect(projected(item, 'a.nope, a.d.nope')).toEqual({});
  });

  it('collapses list indexes into a list of the selected elements, in index order', () => {
    expect(projected(item, 'l[2], l[0]')).toEqual({ l: { L: [item.l!.L![0]!, S('l2')] } });
    expect(projected(item, 'l[2]')).toEqual({ l: { L: [S('l2')] } });
    expect(projected(item, 'l[1].x, l[7]')).toEqual({ l: { L: [{ M: { x: S('x1') } }] } });
  });

  it('merges paths through the same list element', () => {
    expect(projected(item, 'l[0].x, l[0].y')).toEqual({ l: { L: [{ M: { x: S('x0'), y: S('y0') } }] } });
    expect(projected(item, 'l[1].y, l[0].x')).toEqual({ l: { L: [{ M: { x: S('x0') } }, { M: { y: S('y1') } }] } });
  });

  it('resolves placeholders, including names that are not valid in an expression', () => {
    expect(projected({ 'a.b': S('dotted'), status: S('s') }, '#d, #s', { '#d': 'a.b', '#s': 'status' })).toEqual({
      'a.b': S('dotted'),
      status: S('s'),
    });
  });

  it('skips paths whose steps have the wrong type', () => {
    expect(projected(item, 'n.x, a[0], l.x')).toEqual({});
  });

  it('returns copies, not parts of the item', () => {
    const result = projected(item, 'a.d');
    result.a!.M!.d!.M!.e = S('changed');
    expect(item.a!.M!.d!.M!.e).toEqual(S('ee'));
  });

  it('takes plain paths too, as for ReturnValues', () => {
    expect(project([['a', 'c'], ['l', 1, 'x']], item)).toEqual({ a: { M: { c: S('cc') } }, l: { L: [{ M: { x: S('x1') } }] } });
    expect(project([['a'], ['a', 'b']], item)).toEqual({ a: item.a });
    expect(project([['a', 'b'], ['a']], item)).toEqual({ a: item.a });
  });
});

describe('projection errors', () => {
  it('reports reserved words, then undefined names', () => {
    expect(compileError({ ProjectionExpression: '#x, a.name' })).toBe(
      'Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name',
    );
    expect(compileError({ ProjectionExpression: 'a, #x' })).toBe(
      'Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #x',
    );
  });

  // dynalite's test/getItem.js, run against DynamoDB, and the dynamodb-conformance captures.
  it.each([
    ['b[1], b.a, #a.b, a', '[a, b]', '[a]'],
    ['a, #a[1]', '[a]', '[a, [1]]'],
    ['a, a', '[a]', '[a]'],
    ['#a, #b', '[a]', '[a]'],
    ['a, a.b', '[a]', '[a, b]'],
    ['a.b, a', '[a, b]', '[a]'],
  ])('overlapping paths in %j', (expression, one, two) => {
    const names = Object.fromEntries([['#a', 'a'], ['#b', 'a']].filter(([key]) => expression.includes(key!)));
    expect(compileError({ ProjectionExpression: expression, ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}) })).toBe(
      `Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${one}, path two: ${two}`,
    );
  });

  it.each([
    ['a.b, #a[1], #b', '[a, b]', '[a, [1]]'],
    ['a.b[1], #a[1], #b', '[a, b, [1]]', '[a, [1]]'],
    ['a[3].b, #a.#b.b', '[a, [3], b]', '[a, [3], b]'],
  ])('conflicting paths in %j', (expression, one, two) => {
    expect(compileError({ ProjectionExpression: expression, ExpressionAttributeNames: { '#a': 'a', '#b': '[3]' } })).toBe(
      `Invalid ProjectionExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: ${one}, path two: ${two}`,
    );
  });

  it('allows siblings and distinct elements', () => {
    expect(compile({ ProjectionExpression: 'a.b, a.c, l[0].x, l[0].y, l[1]' }).projection?.paths).toEqual([
      ['a', 'b'],
      ['a', 'c'],
      ['l', 0, 'x'],
      ['l', 0, 'y'],
      ['l', 1],
    ]);
  });

  it('accepts words that are keywords elsewhere as attribute names only if not reserved', () => {
    expect(compileError({ ProjectionExpression: 'a, set' })).toBe(
      'Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: set',
    );
  });
});
