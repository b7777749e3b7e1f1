import { describe, expect, it } from 'vitest';
import type { AttributeValue, Item } from '../../../src/dynamodb/values/attribute-value.js';
import { applyUpdate, project } from '../../../src/dynamodb/expressions/index.js';
import { compile, validationMessage } from './helpers.js';

const N = (n: string): AttributeValue => ({ N: n });
const S = (s: string): AttributeValue => ({ S: s });

/** Applies `expression` to `item` and returns the new item. */
function update(item: Item, expression: string, placeholders?: Record<string, AttributeValue>, names?: Record<string, string>): Item {
  return run(item, expression, placeholders, names).item;
}

function run(item: Item, expression: string, placeholders?: Record<string, AttributeValue>, names?: Record<string, string>) {
  const compiled = compile({
    UpdateExpression: expression,
    ...(placeholders ? { ExpressionAttributeValues: placeholders } : {}),
    ...(names ? { ExpressionAttributeNames: names } : {}),
  });
  return applyUpdate(compiled.update!, item);
}

function updateError(item: Item, expression: string, placeholders?: Record<string, AttributeValue>, names?: Record<string, string>): string {
  return validationMessage(() => update(item, expression, placeholders, names));
}

const INVALID_PATH = 'The document path provided in the update expression is invalid for update';
const MISSING = 'The provided expression refers to an attribute that does not exist in the item';
const WRONG_TYPE = 'An operand in the update expression has an incorrect data type';

describe('SET', () => {
  it('writes top-level, nested and list-element values and keeps what it does not touch', () => {
    const item: Item = { pk: S('k'), m: { M: { keep: S('k'), earlier: S('o') } }, l: { L: [S('a'), S('b')] } };
    expect(update(item, 'SET x = :v, m.earlier = :v, m.#new = :v, l[1] = :v', { ':v': N('1') }, { '#new': 'new' })).toEqual({
      pk: S('k'),
      x: N('1'),
      m: { M: { keep: S('k'), earlier: N('1'), new: N('1') } },
      l: { L: [S('a'), N('1')] },
    });
  });

  it('appends when the list index is past the end', () => {
    expect(update({ l: { L: [S('a'), S('b'), S('c')] } }, 'SET l[5] = :v', { ':v': S('x') })).toEqual({
      l: { L: [S('a'), S('b'), S('c'), S('x')] },
    });
    expect(update({ l: { L: [] } }, 'SET l[0] = :v', { ':v': S('x') })).toEqual({ l: { L: [S('x')] } });
  });

  it('computes every value from the item as it was', () => {
    expect(update({ a: N('1'), b: N('2') }, 'SET a = b, b = a')).toEqual({ a: N('2'), b: N('1') });
    expect(update({ a: N('1') }, 'SET a = a + :one, b = a', { ':one': N('1') })).toEqual({ a: N('2'), b: N('1') });
  });

  it('adds and subtracts numbers exactly, to 38 digits', () => {
    const big = '12345678901234567890123456789012345678';
    expect(update({ n: N(big) }, 'SET n = n + :v', { ':v': N('1') })).toEqual({ n: N('12345678901234567890123456789012345679') });
    expect(update({ n: N('0.1') }, 'SET n = n + :v', { ':v': N('0.2') })).toEqual({ n: N('0.3') });
    expect(update({ n: N('1') }, 'SET n = :v - n', { ':v': N('0.25') })).toEqual({ n: N('-0.75') });
    expect(update({ n: N('-5') }, 'SET n = n - :v', { ':v': N('-5') })).toEqual({ n: N('0') });
    expect(update({ a: N('1E+125'), b: N('9E+125') }, 'SET c = b - a')).toEqual({ a: N('1E+125'), b: N('9E+125'), c: N(`8${'0'.repeat(125)}`) });
  });

  it('reports results out of range or beyond 38 significant digits as an overflow', () => {
    expect(updateError({ n: N(`9${'9'.repeat(37)}E+88`) }, 'SET n = n + n')).toBe(
      'Number overflow. Attempting to store a number with magnitude larger than supported range',
    );
    // A 38-digit number plus 0.1 needs 39 digits: DynamoDB calls that an overflow too.
    expect(updateError({ n: N(`1${'0'.repeat(36)}1`) }, 'SET n = n + :v', { ':v': N('0.1') })).toBe(
      'Number overflow. Attempting to store a number with magnitude larger than supported range',
    );
  });

  it('refuses arithmetic on a missing attribute or a value that is not a number', () => {
    expect(updateError({}, 'SET n = n + :v', { ':v': N('1') })).toBe(MISSING);
    expect(updateError({ n: S('1') }, 'SET n = n + :v', { ':v': N('1') })).toBe(WRONG_TYPE);
    expect(updateError({ n: N('1'), m: { M: {} } }, 'SET x = n - m')).toBe(WRONG_TYPE);
  });

  it('refuses copying an attribute that does not exist', () => {
    expect(updateError({}, 'SET c = b')).toBe(MISSING);
    expect(updateError({ b: { M: {} } }, 'SET c = b.x')).toBe(MISSING);
  });

  it('if_not_exists keeps an existing value and otherwise takes the second operand', () => {
    expect(update({ a: N('5') }, 'SET a = if_not_exists(a, :d)', { ':d': N('0') })).toEqual({ a: N('5') });
    expect(update({}, 'SET a = if_not_exists(a, :d)', { ':d': N('0') })).toEqual({ a: N('0') });
    expect(update({ k: S('key') }, 'SET b = if_not_exists(b, k)')).toEqual({ k: S('key'), b: S('key') });
    expect(update({}, 'SET c = if_not_exists(c, :zero) + :one', { ':zero': N('0'), ':one': N('1') })).toEqual({ c: N('1') });
    expect(update({ m: { M: { x: N('2') } } }, 'SET y = if_not_exists(m.x, :d)', { ':d': N('0') }).y).toEqual(N('2'));
    expect(updateError({}, 'SET a = if_not_exists(a, b)')).toBe(MISSING);
  });

  it('list_append concatenates two lists in order', () => {
    const item: Item = { l: { L: [S('a')] } };
    expect(update(item, 'SET l = list_append(l, :v)', { ':v': { L: [S('b'), S('c')] } })).toEqual({ l: { L: [S('a'), S('b'), S('c')] } });
    expect(update(item, 'SET l = list_append(:v, l)', { ':v': { L: [S('z')] } })).toEqual({ l: { L: [S('z'), S('a')] } });
    expect(update({}, 'SET l = list_append(if_not_exists(l, :e), :v)', { ':e': { L: [] }, ':v': { L: [N('1')] } })).toEqual({ l: { L: [N('1')] } });
    expect(updateError({}, 'SET l = list_append(l, :v)', { ':v': { L: [] } })).toBe(MISSING);
    expect(updateError({ l: { SS: ['a'] } }, 'SET l = list_append(l, :v)', { ':v': { L: [] } })).toBe(WRONG_TYPE);
  });
});

describe('REMOVE', () => {
  it('removes attributes and map entries, and ignores missing ones', () => {
    expect(update({ a: N('1'), m: { M: { x: N('1'), y: N('2') } } }, 'REMOVE a, m.x, q, m.q')).toEqual({ m: { M: { y: N('2') } } });
  });

  it('removes list elements, shifting later ones, with indexes referring to the list as it was', () => {
    const l: Item = { l: { L: [S('a'), S('b'), S('c'), S('d')] } };
    expect(update(l, 'REMOVE l[1]')).toEqual({ l: { L: [S('a'), S('c'), S('d')] } });
    expect(update(l, 'REMOVE l[0], l[1]')).toEqual({ l: { L: [S('c'), S('d')] } });
    expect(update(l, 'REMOVE l[3], l[0]')).toEqual({ l: { L: [S('b'), S('c')] } });
    expect(update(l, 'REMOVE l[9]')).toEqual(l);
    expect(update(l, 'SET l[1] = :v REMOVE l[0]', { ':v': S('x') })).toEqual({ l: { L: [S('x'), S('c'), S('d')] } });
  });
});

describe('ADD', () => {
  it('adds to numbers and creates missing attributes', () => {
    expect(update({ n: N('1') }, 'ADD n :v', { ':v': N('3') })).toEqual({ n: N('4') });
    expect(update({}, 'ADD n :v, s :s', { ':v': N('-1.5'), ':s': { SS: ['a'] } })).toEqual({ n: N('-1.5'), s: { SS: ['a'] } });
    expect(update({ m: { M: {} } }, 'ADD m.n :v', { ':v': N('2') })).toEqual({ m: { M: { n: N('2') } } });
  });

  it('adds members to sets, without duplicates', () => {
    expect(update({ s: { SS: ['a', 'b'] } }, 'ADD s :v', { ':v': { SS: ['b', 'c'] } })).toEqual({ s: { SS: ['a', 'b', 'c'] } });
    expect(update({ s: { NS: ['1', '2'] } }, 'ADD s :v', { ':v': { NS: ['2.0', '3'] } })).toEqual({ s: { NS: ['1', '2', '3'] } });
    // The union keeps DynamoDB's member order: bytewise for binaries (0x01 < 0x01 0x02 < 0x02).
    expect(update({ s: { BS: ['AQI=', 'Ag=='] } }, 'ADD s :v', { ':v': { BS: ['Ag==', 'AQ=='] } })).toEqual({ s: { BS: ['AQ==', 'AQI=', 'Ag=='] } });
    expect(update({ s: { SS: ['a'] } }, 'ADD s :v', { ':v': { SS: [''] } })).toEqual({ s: { SS: ['', 'a'] } });
    expect(update({ s: { NS: ['10'] } }, 'ADD s :v', { ':v': { NS: ['9', '-1'] } })).toEqual({ s: { NS: ['-1', '9', '10'] } });
  });

  it('refuses adding to a value of another type', () => {
    expect(updateError({ s: { SS: ['1'] } }, 'ADD s :v', { ':v': { NS: ['1'] } })).toBe(WRONG_TYPE);
    expect(updateError({ s: { NS: ['1'] } }, 'ADD s :v', { ':v': N('1') })).toBe(WRONG_TYPE);
    expect(updateError({ s: { M: {} } }, 'ADD s :v', { ':v': { NS: ['1'] } })).toBe(WRONG_TYPE);
    expect(updateError({ s: S('x') }, 'ADD s :v', { ':v': N('1') })).toBe(WRONG_TYPE);
  });
});

describe('DELETE', () => {
  it('removes members from a set and the attribute once the set is empty', () => {
    expect(update({ s: { NS: ['1', '2', '3'] } }, 'DELETE s :v', { ':v': { NS: ['1', '4'] } })).toEqual({ s: { NS: ['2', '3'] } });
    expect(update({ s: { NS: ['2', '3'] }, t: S('x') }, 'DELETE s :v', { ':v': { NS: ['3.0', '2'] } })).toEqual({ t: S('x') });
    expect(update({ m: { M: { s: { SS: ['a'] } } } }, 'DELETE m.s :v', { ':v': { SS: ['a'] } })).toEqual({ m: { M: {} } });
  });

  it('ignores a missing attribute and refuses another set type', () => {
    expect(update({}, 'DELETE s :v', { ':v': { SS: ['a'] } })).toEqual({});
    expect(updateError({ s: { NS: ['1'] } }, 'DELETE s :v', { ':v': { SS: ['1'] } })).toBe(WRONG_TYPE);
    expect(updateError({ s: N('1') }, 'DELETE s :v', { ':v': { NS: ['1'] } })).toBe(WRONG_TYPE);
  });
});

describe('document paths into what is not there', () => {
  it('refuses nested paths into a non-existent item or attribute', () => {
    expect(updateError({ k: S('x') }, 'set b.a = k')).toBe(INVALID_PATH);
    expect(updateError({ k: S('x') }, 'set b[1] = k')).toBe(INVALID_PATH);
  });

  // dynalite's test/updateItem.js, run against DynamoDB: b is a string, c a map, d a list, y missing.
  it.each([
    'set b.a = :a, #1 = :a',
    'set b[1] = :a, #1 = :a',
    'set y.a = :a, #1 = :a',
    'set y[1] = :a, #1 = :a',
    'set c[1] = :a, #1 = :a',
    'set d.#1 = :a',
    'remove b.a set #1 = :a',
    'remove b[1] set #1 = :a',
    'remove y.a set #1 = :a',
    'remove y[1] set #1 = :a',
    'remove c[1] set #1 = :a',
    'remove d.#1 set #1 = :a',
    'delete b.a :a set #1 = :a',
    'delete b[1] :a set #1 = :a',
    'delete y.a :a set #1 = :a',
    'delete y[1] :a set #1 = :a',
    'delete c[1] :a set #1 = :a',
    'delete d.#1 :a',
    'add b.a :a set #1 = :a',
    'add b[1] :a set #1 = :a',
    'add y.a :a set #1 = :a',
    'add y[1] :a set #1 = :a',
    'add c[1] :a set #1 = :a',
    'add d.#1 :a',
  ])('%j', (expression) => {
    const item: Item = { a: S('key'), b: S('key'), c: { M: { 1: S('a') } }, d: { L: [S('a'), S('b')] } };
    expect(updateError(item, expression, { ':a': { SS: ['a'] } }, { '#1': '1' })).toBe(INVALID_PATH);
  });
});

describe('several actions on one item', () => {
  // dynalite's test/updateItem.js "should update nested attributes", run against DynamoDB.
  it('applies list writes in index order and projects the written paths for ReturnValues', () => {
    const key = S('k');
    const before: Item = { a: key, b: { M: { a: N('1'), b: N('2'), c: N('3') } }, c: { L: [N('1'), N('3')] } };
    const { item: after, updatedPaths } = run(
      before,
      'set b.c=((c[1])+(b.a)),b.a = a,c[1] = a, c[4] = b.a - b.b, c[2] = b.c add c[8] :b, c[6] :a',
      { ':a': N('2'), ':b': { SS: ['a'] } },
    );
    expect(after).toEqual({
      a: key,
      b: { M: { a: key, b: N('2'), c: N('4') } },
      c: { L: [N('1'), key, N('3'), N('-1'), N('2'), { SS: ['a'] }] },
    });
    expect(project(updatedPaths, after)).toEqual({ b: { M: { a: key, c: N('4') } }, c: { L: [key, N('3'), N('2')] } });
    expect(project(updatedPaths, before)).toEqual({ b: { M: { a: N('1'), c: N('3') } }, c: { L: [N('3')] } });
  });

  it('applies sections written in any order and reports the paths in the order written', () => {
    const { item, updatedPaths } = run(
      { b: N('1'), c: { SS: ['a', 'b', 'x'] } },
      'ADD #e :e,#d :d DELETE #c :c REMOVE #b SET #f = :f',
      { ':c': { SS: ['a', 'b'] }, ':d': N('5'), ':e': { SS: ['a', 'b'] }, ':f': { L: [S('a'), N('1')] } },
      { '#b': 'b', '#c': 'c', '#d': 'd', '#e': 'e', '#f': 'f' },
    );
    expect(item).toEqual({ c: { SS: ['x'] }, d: N('5'), e: { SS: ['a', 'b'] }, f: { L: [S('a'), N('1')] } });
    expect(updatedPaths).toEqual([['e'], ['d'], ['c'], ['b'], ['f']]);
  });

  it('leaves the input item unchanged', () => {
    const before: Item = { m: { M: { x: N('1') } }, l: { L: [N('1')] } };
    const copy = structuredClone(before);
    update(before, 'SET m.x = :v, l[0] = :v ADD m.y :v', { ':v': N('9') });
    expect(before).toEqual(copy);
  });

  it('treats names like __proto__ and constructor as ordinary attributes', () => {
    const before = JSON.parse('{"__proto__": {"S": "x"}, "m": {"M": {}}}') as Item;
    const { item: after, updatedPaths } = run(before, 'SET #p = :v, m.#p = :v ADD #c :n', { ':v': S('y'), ':n': N('1') }, { '#p': '__proto__', '#c': 'constructor' });
    expect(Object.getPrototypeOf(after)).toBe(Object.prototype);
    expect(JSON.stringify(after)).toBe('{"__proto__":{"S":"y"},"m":{"M":{"__proto__":{"S":"y"}}},"constructor":{"N":"1"}}');
    expect(JSON.stringify(project(updatedPaths, after))).toBe(JSON.stringify(after));
  });

  it('changes nothing when an action fails', () => {
    const before: Item = { n: N('1'), s: S('x') };
    expect(updateError(before, 'SET n = :v, t = s + :v', { ':v': N('2') })).toBe(WRONG_TYPE);
    expect(before).toEqual({ n: N('1'), s: S('x') });
  });
});

describe('AttributeUpdates', () => {
  function legacy(item: Item, attributeUpdates: Record<string, unknown>): Item {
    return applyUpdate(compile({ AttributeUpdates: attributeUpdates }).update!, item).item;
  }

  it('puts, deletes, adds numbers and sets, and appends lists', () => {
    const item: Item = { p: S('old'), d: S('x'), n: N('1'), s: { SS: ['a'] }, l: { L: [S('a')] }, r: { NS: ['1', '2'] } };
    expect(
      legacy(item, {
        p: { Value: S('new') },
        d: { Action: 'DELETE' },
        n: { Action: 'ADD', Value: N('3') },
        s: { Action: 'ADD', Value: { SS: ['b'] } },
        l: { Action: 'ADD', Value: { L: [S('b')] } },
        r: { Action: 'DELETE', Value: { NS: ['1'] } },
        created: { Action: 'ADD', Value: { L: [N('1')] } },
        gone: { Action: 'DELETE', Value: { SS: ['z'] } },
      }),
    ).toEqual({ p: S('new'), n: N('4'), s: { SS: ['a', 'b'] }, l: { L: [S('a'), S('b')] }, r: { NS: ['2'] }, created: { L: [N('1')] } });
  });

  it('reports type mismatches with the legacy text', () => {
    const item: Item = { b: { SS: ['1'] }, c: N('1'), d: { NS: ['1'] } };
    for (const updates of [
      { b: { Action: 'DELETE', Value: { NS: ['1'] } } },
      { b: { Action: 'DELETE', Value: { BS: ['YQ=='] } } },
      { c: { Action: 'DELETE', Value: { NS: ['1'] } } },
      { b: { Action: 'ADD', Value: { NS: ['1'] } } },
      { d: { Action: 'ADD', Value: N('1') } },
    ]) {
      expect(validationMessage(() => legacy(item, updates))).toBe('Type mismatch for attribute to update');
    }
  });
});
