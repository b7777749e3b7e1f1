import { describe, it, expect } from 'vitest';
import { compareBinaries, compareStrings, itemsEqual, valuesEqual } from '../../../src/dynamodb/values/equality.js';
import type { AttributeValue } from '../../../src/dynamodb/values/attribute-value.js';

describe('valuesEqual', () => {
  const equalPairs: [string, AttributeValue, AttributeValue][] = [
    ['strings', { S: 'a' }, { S: 'a' }],
    ['empty strings', { S: '' }, { S: '' }],
    ['numbers numerically', { N: '1' }, { N: '1.0' }],
    ['numbers in other spellings', { N: '100' }, { N: '1e2' }],
    ['zero and minus zero', { N: '0' }, { N: '-0' }],
    ['binaries', { B: 'YWJj' }, { B: 'YWJj' }],
    ['booleans', { BOOL: false }, { BOOL: false }],
    ['nulls', { NULL: true }, { NULL: true }],
    ['string sets in any order', { SS: ['a', 'b', 'c'] }, { SS: ['c', 'a', 'b'] }],
    ['number sets numerically and in any order', { NS: ['1', '2.50'] }, { NS: ['2.5', '1.0'] }],
    ['binary sets in any order', { BS: ['Yg==', 'YWJj'] }, { BS: ['YWJj', 'Yg=='] }],
    ['lists element by element', { L: [{ N: '1' }, { S: 'x' }] }, { L: [{ N: '1.00' }, { S: 'x' }] }],
    ['empty lists', { L: [] }, { L: [] }],
    ['maps by key whatever the order', { M: { a: { S: 'x' }, b: { N: '2' } } }, { M: { b: { N: '2.0' }, a: { S: 'x' } } }],
    ['nested documents', { M: { l: { L: [{ M: { s: { SS: ['p', 'q'] } } }] } } }, { M: { l: { L: [{ M: { s: { SS: ['q', 'p'] } } }] } } }],
  ];
  it.each(equalPairs)('treats %s as equal', (_, a, b) => {
    expect(valuesEqual(a, b)).toBe(true);
    expect(valuesEqual(b, a)).toBe(true);
  });

  const unequalPairs: [string, AttributeValue, AttributeValue][] = [
    ['different types', { S: '1' }, { N: '1' }],
    ['string and string set', { S: 'a' }, { SS: ['a'] }],
    ['strings differing in case', { S: 'a' }, { S: 'A' }],
    ['different numbers', { N: '1' }, { N: '1.0000001' }],
    ['numbers of different sign', { N: '1' }, { N: '-1' }],
    ['different binaries', { B: 'YWJj' }, { B: 'YWJk' }],
    ['booleans', { BOOL: true }, { BOOL: false }],
    ['sets of different size', { SS: ['a'] }, { SS: ['a', 'b'] }],
    ['sets with different members', { SS: ['a', 'b'] }, { SS: ['a', 'c'] }],
    ['number sets with different members', { NS: ['1', '2'] }, { NS: ['1', '3'] }],
    ['binary sets with different members', { BS: ['Yg=='] }, { BS: ['Yw=='] }],
    ['lists in another order', { L: [{ S: 'a' }, { S: 'b' }] }, { L: [{ S: 'b' }, { S: 'a' }] }],
    ['lists of different length', { L: [{ S: 'a' }] }, { L: [{ S: 'a' }, { S: 'a' }] }],
    ['maps with different keys', { M: { a: { S: 'x' } } }, { M: { b: { S: 'x' } } }],
    ['maps with an extra key', { M: { a: { S: 'x' } } }, { M: { a: { S: 'x' }, b: { S: 'x' } } }],
    ['maps with different values', { M: { a: { N: '1' } } }, { M: { a: { N: '2' } } }],
    ['list and map', { L: [] }, { M: {} }],
  ];
  it.each(unequalPairs)('treats %s as different', (_, a, b) => {
    expect(valuesEqual(a, b)).toBe(false);
    expect(valuesEqual(b, a)).toBe(false);
  });
});

describe('itemsEqual', () => {
  it('compares items attribute by attribute, ignoring attribute order', () => {
    expect(itemsEqual({ a: { N: '1' }, b: { S: 'x' } }, { b: { S: 'x' }, a: { N: '1.0' } })).toBe(true);
    expect(itemsEqual({}, {})).toBe(true);
  });

  it('detects missing, extra and different attributes', () => {
    expect(itemsEqual({ a: { S: 'x' } }, { a: { S: 'x' }, b: { S: 'y' } })).toBe(false);
    expect(itemsEqual({ a: { S: 'x' }, b: { S: 'y' } }, { a: { S: 'x' } })).toBe(false);
    expect(itemsEqual({ a: { S: 'x' } }, { b: { S: 'x' } })).toBe(false);
    expect(itemsEqual({ a: { S: 'x' } }, { a: { S: 'y' } })).toBe(false);
  });

  it('does not mistake inherited properties for attributes', () => {
    expect(itemsEqual({ toString: { S: 'x' } }, { valueOf: { S: 'x' } })).toBe(false);
  });
});

describe('compareStrings', () => {
  it('orders by UTF-8 bytes, unlike JavaScript < for characters beyond U+FFFF', () => {
    expect('\uff61' < '\u{1f600}').toBe(false);
    expect(compareStrings('\uff61', '\u{1f600}')).toBe(-1);
    expect(compareStrings('\u{1f600}', '\uff61')).toBe(1);
  });

  it('puts a prefix first and equal strings level', () => {
    expect(compareStrings('a', 'ab')).toBe(-1);
    expect(compareStrings('B', 'a')).toBe(-1);
    expect(compareStrings('same', 'same')).toBe(0);
  });
});

describe('compareBinaries', () => {
  it('orders by unsigned bytes', () => {
    expect(compareBinaries('fw==', 'gA==')).toBe(-1); // 0x7f < 0x80
    expect(compareBinaries('/w==', 'AAA=')).toBe(1); // 0xff > 0x00 0x00
    expect(compareBinaries('AA==', 'AAA=')).toBe(-1); // prefix first
    expect(compareBinaries('YWJj', 'YWJj')).toBe(0);
  });
});
