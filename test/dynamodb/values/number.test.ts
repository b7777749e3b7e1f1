import { describe, it, expect } from 'vitest';
import {
  addNumbers,
  compareNumbers,
  normalizeNumber,
  numberSize,
  subtractNumbers,
} from '../../../src/dynamodb/values/number.js';
import { AwsError } from '../../../src/edge/errors.js';

const OVERFLOW = 'Number overflow. Attempting to store a number with magnitude larger than supported range';
const UNDERFLOW = 'Number underflow. Attempting to store a number with magnitude smaller than supported range';
const DIGITS = 'Attempting to store more than 38 significant digits in a Number';

/** Runs `fn` and returns the AwsError it throws, failing if it does not throw one. */
function errorOf(fn: () => unknown): AwsError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AwsError);
    return e as AwsError;
  }
  throw new Error('expected an AwsError');
}

function expectValidation(fn: () => unknown, message: string): void {
  const error = errorOf(fn);
  expect(error.code).toBe('ValidationException');
  expect(error.status).toBe(400);
  expect(error.message).toBe(message);
}

describe('normalizeNumber', () => {
  it.each([
    ['1.0', '1'],
    ['-0', '0'],
    ['+0', '0'],
    ['0.000', '0'],
    ['-0.000e5', '0'],
    ['0e125', '0'],
    ['0.0e126', '0'],
    ['0e-130', '0'],
    ['0100', '100'],
    ['1e2', '100'],
    ['1E+5', '100000'],
    ['1e+5', '100000'],
    ['1.5E-3', '0.0015'],
    ['+5', '5'],
    ['+3', '3'],
    ['.5', '0.5'],
    ['-.5', '-0.5'],
    ['5.', '5'],
    ['.123', '0.123'],
    ['0001.23', '1.23'],
    ['-7.1234', '-7.1234'],
    ['-17e5', '-1700000'],
    ['-17.4E37', '-174000000000000000000000000000000000000'],
    ['123.456', '123.456'],
    ['-56.789', '-56.789'],
    ['-0015.789e6', '-15789000'],
    ['12.50', '12.5'],
    ['1200', '1200'],
    ['0.1', '0.1'],
    ['10e-1', '1'],
  ])('normalizes %s to %s', (input, expected) => {
    expect(normalizeNumber(input)).toBe(expected);
  });

  it('keeps 38 significant digits and trims leading and trailing zeros (dynalite "really long numbers")', () => {
    expect(normalizeNumber('0000012345678901234567890123456789012345678')).toBe('12345678901234567890123456789012345678');
    expect(normalizeNumber('-00001.23456789012345678901234567890123456780000')).toBe(
      '-1.2345678901234567890123456789012345678',
    );
    expect(normalizeNumber('0009.99999999999999999999999999999999999990000e125')).toBe(
      '9'.repeat(38) + '0'.repeat(88),
    );
    expect(normalizeNumber('-0009.99999999999999999999999999999999999990000e125')).toBe(
      '-' + '9'.repeat(38) + '0'.repeat(88),
    );
    expect(normalizeNumber('0001.000e-130')).toBe('0.' + '0'.repeat(129) + '1');
    expect(normalizeNumber('-0001.000e-130')).toBe('-0.' + '0'.repeat(129) + '1');
  });

  it('accepts digits beyond 38 when they are trailing zeros', () => {
    expect(normalizeNumber('1'.repeat(38) + '0'.repeat(88))).toBe('1'.repeat(38) + '0'.repeat(88));
  });

  it.each([
    ['abc'],
    ['dog'],
    ['-dog'],
    ['NaN'],
    ['-NaN'],
    ['Infinity'],
    ['-Infinity'],
    [' 1'],
    ['1 '],
    ['.'],
    ['-'],
    ['+'],
    ['e5'],
    ['1e'],
    ['1e+'],
    ['1.2.3'],
    ['0x10'],
    ['1,5'],
    ['1e5.5'],
    ['--1'],
    ['+-1'],
    ['１'],
  ])('rejects %j with the text in the message', (input) => {
    expectValidation(() => normalizeNumber(input), `The parameter cannot be converted to a numeric value: ${input}`);
  });

  it('rejects the empty string with the colon and nothing after it (current layer)', () => {
    expectValidation(() => normalizeNumber(''), 'The parameter cannot be converted to a numeric value: ');
  });

  it('rejects the empty string without the colon in the older layer', () => {
    expectValidation(() => normalizeNumber('', 'older'), 'The parameter cannot be converted to a numeric value');
  });

  it.each([
    ['1e126'],
    ['-1e126'],
    ['10e125'],
    ['11e125'],
    ['1e99999999999'],
    ['-1e99999999999'],
    ['1e2147483648'],
    ['1e2147483647'],
    ['-1e2147483648'],
    ['1e9223372036854775807'],
    ['0e126'],
    ['-0.00e128'],
  ])('rejects %s as overflow', (input) => expectValidation(() => normalizeNumber(input), OVERFLOW));

  it.each([['1e-131'], ['-1e-131'], ['0.9e-130'], ['1e-99999999999'], ['1e-2147483648'], ['1e-9223372036854775808'], ['0e-131'], ['0.0e-130']])(
    'rejects %s as underflow',
    (input) => expectValidation(() => normalizeNumber(input), UNDERFLOW),
  );

  it.each([['1e9223372036854775808'], ['1e-9223372036854775809'], ['1e99999999999999999999']])(
    'cannot convert %s: its exponent does not fit a 64-bit integer',
    (input) => expectValidation(() => normalizeNumber(input), `The parameter cannot be converted to a numeric value: ${input}`),
  );

  it('reads numbers as BigDecimal does in the older layer: 32-bit exponents, wrapping arithmetic', () => {
    expectValidation(() => normalizeNumber('1e2147483647', 'older'), UNDERFLOW);
    expectValidation(() => normalizeNumber('1e126', 'older'), OVERFLOW);
    expectValidation(() => normalizeNumber('1e-131', 'older'), UNDERFLOW);
    expectValidation(() => normalizeNumber('1e2147483648', 'older'), 'The parameter cannot be converted to a numeric value: 1e2147483648');
    expect(normalizeNumber('1.5e3', 'older')).toBe('1500');
  });

  it.each([
    ['123456789012345678901234567890123456789'],
    ['-1.23456789012345678901234567890123456789'],
    ['3.14159265358979323846264338327950288419'],
    ['314159265358979323846264338327950288419e30'],
  ])('rejects %s for precision', (input) => expectValidation(() => normalizeNumber(input), DIGITS));

  it('accepts the extremes of the range', () => {
    expect(normalizeNumber('9.9999999999999999999999999999999999999E+125')).toBe('9'.repeat(38) + '0'.repeat(88));
    expect(normalizeNumber('1e125')).toBe('1' + '0'.repeat(125));
    expect(normalizeNumber('1E-130')).toBe('0.' + '0'.repeat(129) + '1');
    expect(normalizeNumber('3.1415926535897932384626433832795028841')).toBe('3.1415926535897932384626433832795028841');
  });

  it('checks overflow before precision, as DynamoDB does', () => {
    expectValidation(() => normalizeNumber('1.' + '1'.repeat(40) + 'e200'), OVERFLOW);
    expectValidation(() => normalizeNumber('1.' + '1'.repeat(40) + 'e-200'), UNDERFLOW);
  });
});

describe('compareNumbers', () => {
  it.each([
    ['1', '2', -1],
    ['2', '1', 1],
    ['1', '1', 0],
    ['1', '1.0', 0],
    ['-1', '1', -1],
    ['0', '-0.0001', 1],
    ['0', '0', 0],
    ['-0', '0', 0],
    ['-1.5', '-1', -1],
    ['-1', '-1.5', 1],
    ['-1.55', '-1.5', -1],
    ['1.5', '1.55', -1],
    ['10', '9.99', 1],
    ['-10', '-9.99', -1],
    ['0.001', '0.01', -1],
    ['1e125', '9.9e124', 1],
    ['100', '1e2', 0],
  ] as const)('compares %s with %s as %i', (a, b, expected) => {
    expect(compareNumbers(a, b)).toBe(expected);
  });
});

describe('addNumbers and subtractNumbers', () => {
  it('adds and subtracts exactly (no floating point)', () => {
    expect(addNumbers('0.1', '0.2')).toBe('0.3');
    expect(addNumbers('1', '10000000000000000000000')).toBe('10000000000000000000001');
    expect(subtractNumbers('10000000000000000000000', '1')).toBe('9999999999999999999999');
    expect(addNumbers('9007199254740993', '1')).toBe('9007199254740994');
    expect(subtractNumbers('1', '1.5')).toBe('-0.5');
    expect(subtractNumbers('-1', '-1')).toBe('0');
    expect(addNumbers('-2.5', '2.5')).toBe('0');
    expect(addNumbers('1e-130', '1e-130')).toBe('0.' + '0'.repeat(129) + '2');
    expect(addNumbers('12345678901234567890123456789012345678', '0')).toBe('12345678901234567890123456789012345678');
    expect(addNumbers('1.25', '0.75')).toBe('2');
  });

  it('accepts unnormalized operands', () => {
    expect(addNumbers('1.0e1', '+05')).toBe('15');
  });

  it('reports results beyond the range as overflow or underflow', () => {
    expectValidation(() => addNumbers('9e125', '9e125'), OVERFLOW);
    expectValidation(() => subtractNumbers('9e125', '-9e125'), OVERFLOW);
    expectValidation(() => subtractNumbers('-9e125', '9e125'), OVERFLOW);
    expectValidation(() => subtractNumbers('2e-130', '1.5e-130'), UNDERFLOW);
  });

  it('reports a result needing more than 38 digits as overflow, as DynamoDB does', () => {
    expectValidation(() => subtractNumbers('1e50', '1'), OVERFLOW);
    expectValidation(() => addNumbers('1e50', '1'), OVERFLOW);
    expectValidation(() => addNumbers('0.1', '1e-100'), OVERFLOW);
  });

  it('rejects operands that are not numbers', () => {
    expectValidation(() => addNumbers('x', '1'), 'The parameter cannot be converted to a numeric value: x');
    expectValidation(() => subtractNumbers('1', '1e999999999999'), OVERFLOW);
  });
});

describe('numberSize', () => {
  // dynalite db/index.js valSize: 1 + ceil(n/2) + (n even and exponent even ? 1 : 0) + (negative ? 1 : 0)
  it.each([
    ['0', 1],
    ['1', 2],
    ['9', 2],
    ['10', 2],
    ['12', 2],
    ['100', 2],
    ['123', 3],
    ['1.5', 3],
    ['12.5', 3],
    ['1.25', 3],
    ['0.5', 2],
    ['0.05', 2],
    ['0.15', 2],
    ['0.015', 3],
    ['-0.15', 3],
    ['-1', 3],
    ['-1.5', 4],
    ['1' + '0'.repeat(125), 2],
    ['11' + '0'.repeat(124), 2],
    ['11111' + '0'.repeat(121), 4],
    ['111111' + '0'.repeat(120), 4],
    ['1111111' + '0'.repeat(119), 5],
    ['1'.repeat(38) + '0'.repeat(88), 20],
    ['12345678901234567890123456789012345678', 20],
    ['1234567890123456789012345678901234567.8', 21],
  ] as const)('counts %s as %i bytes', (n, size) => {
    expect(numberSize(n)).toBe(size);
  });

  // Costs DynamoDB charged against the 400 KB gate, each bisected to the byte
  // (Parity Suite, eu-west-2, 2026-08-18): 1 + ceil(integer digits / 2) +
  // ceil(fraction digits / 2) + 1 if negative, over the significant digits,
  // so digits straddling the point cost a byte more.
  it.each([
    ['0', 1],
    ['1', 2],
    ['12', 2],
    ['123', 3],
    ['1234', 3],
    ['12345678901234567890123456789012345678', 20],
    ['0042', 2],
    ['100', 2],
    ['1010', 3],
    ['0.0000001', 2],
    ['1E125', 2],
    ['1E-100', 2],
    ['1.5', 3],
    ['15', 2],
    ['1.2', 3],
    ['1.200', 3],
    ['1.234', 4],
    ['3.14159', 5],
    ['123456', 4],
  ] as const)('charges %s at %i bytes, as DynamoDB measured it', (literal, size) => {
    expect(numberSize(normalizeNumber(literal))).toBe(size);
  });
});
