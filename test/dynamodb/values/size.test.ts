import { describe, it, expect } from 'vitest';
import {
  attributeValueSize,
  checkItemSize,
  itemSize,
  MAX_ITEM_SIZE,
} from '../../../src/dynamodb/values/size.js';
import type { Item } from '../../../src/dynamodb/values/attribute-value.js';
import { AwsError } from '../../../src/edge/errors.js';

function errorOf(fn: () => unknown): AwsError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AwsError);
    return e as AwsError;
  }
  throw new Error('expected an AwsError');
}

describe('attributeValueSize', () => {
  it('counts strings in UTF-8 bytes', () => {
    expect(attributeValueSize({ S: '' })).toBe(0);
    expect(attributeValueSize({ S: 'abc' })).toBe(3);
    expect(attributeValueSize({ S: 'é' })).toBe(2);
    expect(attributeValueSize({ S: '中' })).toBe(3);
    expect(attributeValueSize({ S: '\u{1f600}' })).toBe(4);
  });

  it('counts binaries by their decoded bytes', () => {
    expect(attributeValueSize({ B: '' })).toBe(0);
    expect(attributeValueSize({ B: 'Yg==' })).toBe(1);
    expect(attributeValueSize({ B: 'YWI=' })).toBe(2);
    expect(attributeValueSize({ B: 'YWJj' })).toBe(3);
    expect(attributeValueSize({ B: Buffer.alloc(1000).toString('base64') })).toBe(1000);
  });

  it('counts numbers by base-100 digits, exponent and sign', () => {
    expect(attributeValueSize({ N: '0' })).toBe(1);
    expect(attributeValueSize({ N: '1' })).toBe(2);
    expect(attributeValueSize({ N: '-1' })).toBe(3);
    expect(attributeValueSize({ N: '1.5' })).toBe(3);
    expect(attributeValueSize({ N: '12345678901234567890123456789012345678' })).toBe(20);
  });

  it('counts BOOL and NULL as one byte', () => {
    expect(attributeValueSize({ BOOL: false })).toBe(1);
    expect(attributeValueSize({ BOOL: true })).toBe(1);
    expect(attributeValueSize({ NULL: true })).toBe(1);
  });

  it('counts sets as the sum of their members', () => {
    expect(attributeValueSize({ SS: ['a', 'bc', '中'] })).toBe(6);
    expect(attributeValueSize({ SS: [''] })).toBe(0);
    expect(attributeValueSize({ NS: ['1', '-1.5', '0'] })).toBe(2 + 4 + 1);
    expect(attributeValueSize({ BS: ['Yg==', 'YWJj'] })).toBe(4);
  });

  it('counts lists as 3 bytes plus 1 byte and the size of each element', () => {
    expect(attributeValueSize({ L: [] })).toBe(3);
    expect(attributeValueSize({ L: [{ S: 'ab' }, { N: '1' }, { NULL: true }] })).toBe(3 + (1 + 2) + (1 + 2) + (1 + 1));
    expect(attributeValueSize({ L: [{ L: [] }] })).toBe(3 + 1 + 3);
  });

  it('counts maps as 3 bytes plus 1 byte, the key and the value of each entry', () => {
    expect(attributeValueSize({ M: {} })).toBe(3);
    expect(attributeValueSize({ M: { ab: { S: 'xyz' }, 中: { BOOL: true } } })).toBe(3 + (1 + 2 + 3) + (1 + 3 + 1));
    expect(attributeValueSize({ M: { a: { M: { b: { L: [] } } } } })).toBe(3 + 1 + 1 + (3 + 1 + 1 + 3));
  });
});

describe('itemSize', () => {
  it('adds attribute names in UTF-8 bytes to the values', () => {
    expect(itemSize({})).toBe(0);
    expect(itemSize({ a: { S: 'abc' } })).toBe(4);
    expect(itemSize({ id: { S: 'x' }, 'é': { N: '12' }, list: { L: [{ S: 'a' }] } })).toBe(3 + (2 + 2) + (4 + 3 + 1 + 1));
  });

  // The boundaries dynalite's putItem tests found against DynamoDB: an item
  // of exactly 409600 bytes is accepted and one byte more is refused.
  const keyString = 'AAAAA12345';
  const fill = (n: number) => 'a'.repeat(n);

  it('matches dynalite\'s item size boundaries for strings', () => {
    const justFits: Item = { a: { S: keyString }, b: { S: fill(MAX_ITEM_SIZE - keyString.length - 2) } };
    expect(itemSize(justFits)).toBe(MAX_ITEM_SIZE);
    const tooBig: Item = { a: { S: keyString }, b: { S: fill(MAX_ITEM_SIZE - keyString.length - 1) } };
    expect(itemSize(tooBig)).toBe(MAX_ITEM_SIZE + 1);
    const multi: Item = { a: { S: keyString }, bb: { S: fill(MAX_ITEM_SIZE - keyString.length - 7) }, ccc: { S: 'cc' } };
    expect(itemSize(multi)).toBe(MAX_ITEM_SIZE + 1);
  });

  it('matches dynalite\'s item size boundaries for numbers', () => {
    const cases: [string, number][] = [
      ['1'.repeat(38) + '0'.repeat(88), 20],
      ['1' + '0'.repeat(125), 2],
      ['11' + '0'.repeat(124), 2],
      ['11111' + '0'.repeat(121), 4],
      ['111111' + '0'.repeat(120), 4],
      ['1111111' + '0'.repeat(119), 5],
    ];
    for (const [n, numberBytes] of cases) {
      const item: Item = { a: { S: keyString }, b: { S: fill(MAX_ITEM_SIZE - keyString.length - 1 - 1 - numberBytes) }, c: { N: n } };
      expect(itemSize(item), n).toBe(MAX_ITEM_SIZE + 1);
    }
  });
});

describe('checkItemSize', () => {
  const item = (bytes: number): Item => ({ a: { S: 'a'.repeat(bytes - 1) } });

  it('accepts items up to 400 KB', () => {
    expect(() => checkItemSize(item(MAX_ITEM_SIZE))).not.toThrow();
    expect(MAX_ITEM_SIZE).toBe(409600);
  });

  it('rejects bigger items with the PutItem text', () => {
    const error = errorOf(() => checkItemSize(item(MAX_ITEM_SIZE + 1)));
    expect([error.code, error.message]).toEqual(['ValidationException', 'Item size has exceeded the maximum allowed size']);
  });

  it('uses the UpdateItem text for an updated item', () => {
    const error = errorOf(() => checkItemSize(item(MAX_ITEM_SIZE + 1), true));
    expect([error.code, error.message]).toEqual([
      'ValidationException',
      'Item size to update has exceeded the maximum allowed size',
    ]);
  });
});
