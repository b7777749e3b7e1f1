import { describe, it, expect } from 'vitest';
import { decodeKey, encodeKey } from '../../../src/dynamodb/values/key-encoding.js';
import { compareNumbers, normalizeNumber } from '../../../src/dynamodb/values/number.js';

/** A small deterministic PRNG (mulberry32) so failures reproduce. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random valid DynamoDB numbers across the whole range, in assorted spellings. */
function generateNumbers(count: number, seed: number): string[] {
  const next = random(seed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const length = int(1, next() < 0.7 ? 4 : 38);
    let digits = String(int(1, 9));
    for (let d = 1; d < length; d++) digits += String(int(0, 9));
    const exponent = next() < 0.6 ? int(-6, 8) : int(-130, 125);
    const sign = next() < 0.5 ? '-' : '';
    // d.ddd…e<exponent>, which puts the first digit at 10^exponent.
    out.push(`${sign}${digits[0]}${digits.length > 1 ? '.' + digits.slice(1) : ''}e${exponent}`);
  }
  return out;
}

const EDGE_NUMBERS = [
  '0',
  '-0',
  '1',
  '-1',
  '1.5',
  '-1.5',
  '1.55',
  '-1.55',
  '0.5',
  '-0.5',
  '10',
  '-10',
  '9.99',
  '-9.99',
  '100',
  '1e125',
  '-1e125',
  '9.9999999999999999999999999999999999999e125',
  '-9.9999999999999999999999999999999999999e125',
  '1e-130',
  '-1e-130',
  '1.1e-130',
  '12345678901234567890123456789012345678',
  '-12345678901234567890123456789012345678',
  '2',
  '19',
  '-19',
  '0.09',
  '-0.09',
];

function sign(n: number): -1 | 0 | 1 {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

describe('encodeKey N', () => {
  it('orders the example sequence from -1.5 to 1e125', () => {
    const ascending = ['-1.5', '-1', '-0.5', '0', '0.5', '1', '1.5', '10', '1e125'];
    const encoded = ascending.map((n) => encodeKey('N', n));
    for (let i = 1; i < encoded.length; i++) {
      expect(Buffer.compare(encoded[i - 1]!, encoded[i]!), `${ascending[i - 1]} < ${ascending[i]}`).toBe(-1);
    }
  });

  it('sorts negatives whose digits are prefixes of each other correctly', () => {
    expect(Buffer.compare(encodeKey('N', '-1.55'), encodeKey('N', '-1.5'))).toBe(-1);
    expect(Buffer.compare(encodeKey('N', '-1.5'), encodeKey('N', '-1'))).toBe(-1);
    expect(Buffer.compare(encodeKey('N', '1'), encodeKey('N', '1.5'))).toBe(-1);
    expect(Buffer.compare(encodeKey('N', '1.5'), encodeKey('N', '1.55'))).toBe(-1);
  });

  it('encodes numerically equal spellings identically', () => {
    const one = encodeKey('N', '1');
    for (const spelling of ['1.0', '+1', '01', '1e0', '0.1e1', '10e-1']) {
      expect(encodeKey('N', spelling).equals(one), spelling).toBe(true);
    }
    expect(encodeKey('N', '-0').equals(encodeKey('N', '0'))).toBe(true);
  });

  it('agrees with compareNumbers for every pair of a few hundred generated numbers', () => {
    const numbers = [...EDGE_NUMBERS, ...generateNumbers(400, 20240607)];
    const encoded = numbers.map((n) => encodeKey('N', n));
    let checked = 0;
    for (let i = 0; i < numbers.length; i++) {
      for (let j = 0; j < numbers.length; j++) {
        const byBytes = sign(Buffer.compare(encoded[i]!, encoded[j]!));
        const byValue = compareNumbers(numbers[i]!, numbers[j]!);
        if (byBytes !== byValue) {
          expect.fail(`${numbers[i]} vs ${numbers[j]}: bytes say ${byBytes}, numbers say ${byValue}`);
        }
        checked++;
      }
    }
    expect(checked).toBe(numbers.length ** 2);
  });

  it('sorts generated numbers into the same order as compareNumbers', () => {
    const numbers = [...EDGE_NUMBERS, ...generateNumbers(300, 7)];
    const byBytes = [...numbers]
      .map((n) => ({ n, key: encodeKey('N', n) }))
      .sort((a, b) => Buffer.compare(a.key, b.key))
      .map(({ n }) => normalizeNumber(n));
    const byValue = [...numbers].sort(compareNumbers).map((n) => normalizeNumber(n));
    expect(byBytes).toEqual(byValue);
  });

  it('decodes every generated number to its normalized form', () => {
    for (const n of [...EDGE_NUMBERS, ...generateNumbers(300, 99)]) {
      expect(decodeKey('N', encodeKey('N', n))).toBe(normalizeNumber(n));
    }
  });

  it('refuses numbers outside the DynamoDB range and malformed encodings', () => {
    expect(() => encodeKey('N', '1e126')).toThrow(RangeError);
    expect(() => decodeKey('N', Buffer.from([0x07]))).toThrow(RangeError);
    expect(() => decodeKey('N', Buffer.from([0x01, 0x80, 0x05]))).toThrow(RangeError);
    expect(() => decodeKey('N', Buffer.from([0x03, 0x80, 0x20]))).toThrow(RangeError);
  });
});

describe('encodeKey S', () => {
  it('orders strings by UTF-8 bytes, not by UTF-16 code units', () => {
    // U+FF61 is one UTF-16 unit above the surrogate U+D83D of the emoji, yet in
    // UTF-8 (and so in DynamoDB) the emoji, U+1F600, sorts after it.
    const halfwidth = '\uff61';
    const emoji = '\u{1f600}';
    expect(halfwidth > emoji).toBe(true);
    expect(Buffer.compare(encodeKey('S', halfwidth), encodeKey('S', emoji))).toBe(-1);
  });

  it('orders by bytes with a prefix first', () => {
    const ascending = ['', 'A', 'Z', 'a', 'aa', 'ab', 'b', 'é', '中'];
    const encoded = ascending.map((s) => encodeKey('S', s));
    for (let i = 1; i < encoded.length; i++) expect(Buffer.compare(encoded[i - 1]!, encoded[i]!)).toBe(-1);
  });

  it('round-trips', () => {
    for (const s of ['hello', 'é中\u{1f600}', ' spaced ', '']) expect(decodeKey('S', encodeKey('S', s))).toBe(s);
  });
});

describe('encodeKey B', () => {
  it('orders binaries by unsigned raw bytes', () => {
    const ascending = [Buffer.from([]), Buffer.from([0x00]), Buffer.from([0x00, 0x00]), Buffer.from([0x01]), Buffer.from([0x7f]), Buffer.from([0x80]), Buffer.from([0xff])];
    const encoded = ascending.map((b) => encodeKey('B', b.toString('base64')));
    for (let i = 0; i < ascending.length; i++) expect(encoded[i]!.equals(ascending[i]!)).toBe(true);
    for (let i = 1; i < encoded.length; i++) expect(Buffer.compare(encoded[i - 1]!, encoded[i]!)).toBe(-1);
  });

  it('round-trips base64', () => {
    for (const b of ['AA==', '/w==', 'YWJj', 'AQIDBA==']) expect(decodeKey('B', encodeKey('B', b))).toBe(b);
  });
});
