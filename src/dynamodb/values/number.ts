/**
 * DynamoDB numbers, done exactly.
 *
 * A DynamoDB number is a decimal with at most 38 significant digits and a
 * magnitude between 1E-130 and 9.9999999999999999999999999999999999999E+125
 * (or zero). JavaScript doubles cannot hold that, so no floating point is used
 * anywhere here: a number is a string of significant digits plus the decimal
 * exponent of its first digit, and arithmetic uses BigInt.
 *
 * Texts and the order in which the checks run follow dynalite
 * (architect/dynalite validations/index.js `checkNum`, whose messages were
 * captured from DynamoDB) and ScyllaDB Alternator's test_number.py (which
 * is run against DynamoDB) for which spellings DynamoDB accepts.
 */
import { validationError, type AwsError } from '../../edge/errors.js';

/** DynamoDB's limits on a number. */
export const MAX_SIGNIFICANT_DIGITS = 38;
/** Exponent of the first digit of the largest allowed magnitude, 9.99…E+125. */
export const MAX_EXPONENT = 125;
/** Exponent of the smallest allowed non-zero magnitude, 1E-130. */
export const MIN_EXPONENT = -130;

/**
 * The message DynamoDB gives for a string that is not a number. dynalite, the
 * DynamoDB Local error table and Alternator's AWS-run tests all have
 * "The parameter cannot be converted to a numeric value", followed by
 * ": <the text>" when the text is not empty.
 */
export const NOT_A_NUMBER_MESSAGE = 'The parameter cannot be converted to a numeric value';
export const TOO_MANY_DIGITS_MESSAGE = 'Attempting to store more than 38 significant digits in a Number';
export const OVERFLOW_MESSAGE =
  'Number overflow. Attempting to store a number with magnitude larger than supported range';
export const UNDERFLOW_MESSAGE =
  'Number underflow. Attempting to store a number with magnitude smaller than supported range';

/**
 * DynamoDB checks attribute values in one of two layers, and which one an
 * operation runs decides the wording of a bad number or a duplicate set member
 * (Parity Suite tests/tier3/error-messages/valueLayers.test.ts, captured in four
 * regions in October 2026):
 *
 *  - `current`: PutItem, UpdateItem, DeleteItem, GetItem, BatchGetItem, Query.
 *    An exponent is read as a 64-bit integer before the magnitude limits apply,
 *    and an unparsable text is always echoed after a colon, even when empty.
 *  - `older`: BatchWriteItem, TransactWriteItems, TransactGetItems, Scan. The
 *    number is read as Java's BigDecimal reads it (a 32-bit exponent and scale,
 *    so 1e2147483647 wraps round to an underflow), and an empty text has no colon.
 */
export type ValueLayer = 'current' | 'older';

/** The error for a text that does not parse as a number. */
export function notANumberError(text: string, layer: ValueLayer = 'current'): AwsError {
  return validationError(text === '' && layer === 'older' ? NOT_A_NUMBER_MESSAGE : `${NOT_A_NUMBER_MESSAGE}: ${text}`);
}

/**
 * A parsed number. `digits` holds the significant digits with no leading or
 * trailing zeros ('' for zero); `exponent` is the power of ten of the first
 * digit, so 1234.5 is { digits: '12345', exponent: 3 } and 0.05 is
 * { digits: '5', exponent: -2 }. Zero is { negative: false, digits: '', exponent: 0 }.
 */
interface Decimal {
  readonly negative: boolean;
  readonly digits: string;
  readonly exponent: number;
}

const ZERO: Decimal = { negative: false, digits: '', exponent: 0 };

/**
 * A decimal whose exponent is not yet range-checked, kept as a bigint so that
 * "1e99999999999999999999" cannot lose precision before it is rejected.
 */
interface UncheckedDecimal {
  readonly negative: boolean;
  readonly digits: string;
  readonly exponent: bigint;
}

const UNCHECKED_ZERO: UncheckedDecimal = { negative: false, digits: '', exponent: 0n };

/**
 * Java BigDecimal's syntax, which DynamoDB uses: optional sign, digits with an
 * optional point (".5" and "5." are fine), optional exponent. No spaces, no
 * "NaN"/"Infinity", no hexadecimal.
 */
const NUMBER_SYNTAX = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INT32_MIN = -(2n ** 31n);
const INT32_MAX = 2n ** 31n - 1n;

/** Java int arithmetic: `value` wrapped into 32 bits. */
const wrap32 = (value: bigint): bigint => BigInt.asIntN(32, value);

/**
 * Parses the syntax only; ranges are checked by the callers. Undefined when
 * the text is not a number, which includes an exponent the layer cannot hold:
 * past a 64-bit integer (current), or a 32-bit exponent or scale (older, as
 * BigDecimal). Zero keeps the exponent it is written with (BigDecimal's
 * adjusted exponent, the written exponent less the fraction digits), because
 * DynamoDB range-checks zero by it: 0e126 overflows.
 */
function parseDecimal(text: string, layer: ValueLayer): UncheckedDecimal | undefined {
  const match = NUMBER_SYNTAX.exec(text);
  if (!match) return undefined;
  const [, sign, whole = '', fraction = '', exponentText] = match;
  if (whole === '' && fraction === '') return undefined;

  const written = BigInt(exponentText ?? '0');
  if (layer === 'current' && (written < INT64_MIN || written > INT64_MAX)) return undefined;
  if (layer === 'older') {
    const scale = BigInt(fraction.length) - written;
    if (written < INT32_MIN || written > INT32_MAX || scale < INT32_MIN || scale > INT32_MAX) return undefined;
  }

  const allDigits = whole + fraction;
  const firstSignificant = allDigits.search(/[1-9]/);
  if (firstSignificant < 0) return { negative: false, digits: '', exponent: written - BigInt(fraction.length) };

  const digits = allDigits.slice(firstSignificant).replace(/0+$/, '');
  // Position of the first significant digit relative to the decimal point.
  const exponent = BigInt(whole.length - firstSignificant - 1) + written;
  return { negative: sign === '-', digits, exponent };
}

/**
 * Applies DynamoDB's range checks in dynalite's order: overflow, underflow,
 * then precision. The older layer compares BigDecimal's precision less its
 * scale in 32-bit int arithmetic, which is how 1e2147483647 underflows there.
 */
function checkRange(
  { negative, digits, exponent }: UncheckedDecimal,
  tooManyDigitsMessage: string,
  layer: ValueLayer = 'current',
): Decimal {
  const magnitude = layer === 'older' ? wrap32(exponent + 1n) - 1n : exponent;
  if (magnitude > BigInt(MAX_EXPONENT)) throw validationError(OVERFLOW_MESSAGE);
  if (magnitude < BigInt(MIN_EXPONENT)) throw validationError(UNDERFLOW_MESSAGE);
  if (digits === '') return ZERO;
  if (digits.length > MAX_SIGNIFICANT_DIGITS) throw validationError(tooManyDigitsMessage);
  return { negative, digits, exponent: Number(exponent) };
}

/** Writes a decimal the way DynamoDB returns numbers: plain notation, no exponent. */
function formatDecimal({ negative, digits, exponent }: Decimal): string {
  if (digits === '') return '0';
  let body: string;
  if (exponent >= digits.length - 1) {
    body = digits + '0'.repeat(exponent - digits.length + 1);
  } else if (exponent >= 0) {
    body = `${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
  } else {
    body = `0.${'0'.repeat(-exponent - 1)}${digits}`;
  }
  return negative ? `-${body}` : body;
}

/** Parses a number that must be valid (a stored or already validated value). */
function readDecimal(text: string): Decimal {
  const parsed = parseDecimal(text, 'current');
  if (!parsed) throw notANumberError(text);
  return parsed.digits === '' ? ZERO : { ...parsed, exponent: Number(parsed.exponent) };
}

/** Parses and range-checks a number as DynamoDB does on input. */
function readChecked(text: string, layer: ValueLayer = 'current'): Decimal {
  const parsed = parseDecimal(text, layer);
  if (!parsed) throw notANumberError(text, layer);
  return checkRange(parsed, TOO_MANY_DIGITS_MESSAGE, layer);
}

/**
 * Validates a number as DynamoDB does on input and returns the text DynamoDB
 * would store and return: "1.0" -> "1", "-0" -> "0", "+5" -> "5",
 * "1.5E-3" -> "0.0015", "1e2" -> "100".
 */
export function normalizeNumber(text: string, layer: ValueLayer = 'current'): string {
  return formatDecimal(readChecked(text, layer));
}

/** Compares magnitudes of two non-zero decimals. */
function compareMagnitudes(a: Decimal, b: Decimal): -1 | 0 | 1 {
  if (a.exponent !== b.exponent) return a.exponent < b.exponent ? -1 : 1;
  // Same leading exponent: digit strings compare lexicographically; with no
  // trailing zeros, a proper prefix is the smaller number (1.5 < 1.55).
  if (a.digits === b.digits) return 0;
  return a.digits < b.digits ? -1 : 1;
}

/** Numeric comparison of two valid number strings (normalized or not). */
export function compareNumbers(a: string, b: string): -1 | 0 | 1 {
  const x = readDecimal(a);
  const y = readDecimal(b);
  const signX = x.digits === '' ? 0 : x.negative ? -1 : 1;
  const signY = y.digits === '' ? 0 : y.negative ? -1 : 1;
  if (signX !== signY) return signX < signY ? -1 : 1;
  if (signX === 0) return 0;
  const magnitude = compareMagnitudes(x, y);
  return signX > 0 ? magnitude : ((-magnitude) as -1 | 0 | 1);
}

/** A decimal as coefficient × 10^scale, for exact arithmetic. */
function toScaled(d: Decimal): { coefficient: bigint; scale: number } {
  if (d.digits === '') return { coefficient: 0n, scale: 0 };
  const coefficient = BigInt(d.digits);
  return { coefficient: d.negative ? -coefficient : coefficient, scale: d.exponent - d.digits.length + 1 };
}

function fromScaled(coefficient: bigint, scale: number): UncheckedDecimal {
  if (coefficient === 0n) return UNCHECKED_ZERO;
  const negative = coefficient < 0n;
  const raw = (negative ? -coefficient : coefficient).toString();
  return { negative, digits: raw.replace(/0+$/, ''), exponent: BigInt(scale + raw.length - 1) };
}

/**
 * The exact sum, range-checked as UpdateExpression arithmetic is. DynamoDB
 * reports a result that needs more than 38 significant digits (1e50 + 1) as an
 * overflow, not as a precision error: Alternator's test_number.py records
 * this from DynamoDB ("Strangely, DynamoDB says that the error is: Number overflow").
 */
function arithmetic(a: string, b: string, negateB: boolean): string {
  // Operands are range-checked like input so that their scales lie within
  // about 300 of each other and the alignment below stays small, whatever
  // text a caller passes in.
  const x = toScaled(readChecked(a));
  const y = toScaled(readChecked(b));
  const scale = Math.min(x.scale, y.scale);
  const alignedX = x.coefficient * 10n ** BigInt(x.scale - scale);
  const alignedY = y.coefficient * 10n ** BigInt(y.scale - scale);
  const result = fromScaled(negateB ? alignedX - alignedY : alignedX + alignedY, scale);
  return formatDecimal(checkRange(result, OVERFLOW_MESSAGE));
}

/** a + b, normalized, with DynamoDB's overflow/underflow errors. */
export function addNumbers(a: string, b: string): string {
  return arithmetic(a, b, false);
}

/** a - b, normalized, with DynamoDB's overflow/underflow errors. */
export function subtractNumbers(a: string, b: string): string {
  return arithmetic(a, b, true);
}

/**
 * Bytes a number counts for in item size, as dynalite measured it against
 * DynamoDB's consumed capacity (db/index.js `valSize`): DynamoDB stores the
 * digits in base 100, two per byte, aligned on the decimal point, plus one byte
 * of exponent and one terminator byte for negative numbers. Zero is 1 byte.
 */
export function numberSize(normalized: string): number {
  const { negative, digits, exponent } = readDecimal(normalized);
  if (digits === '') return 1;
  // A digit at an even exponent starts a new base-100 pair, so an odd count of
  // digits or an odd leading exponent packs without a half-empty extra byte.
  const pairs = Math.ceil(digits.length / 2) + (digits.length % 2 !== 0 || exponent % 2 !== 0 ? 0 : 1);
  return 1 + pairs + (negative ? 1 : 0);
}

/** Internal access for the key encoding, which needs the parsed parts. */
export function decimalParts(text: string): Decimal {
  return readDecimal(text);
}

/** Inverse of {@link decimalParts}. */
export function formatDecimalParts(parts: Decimal): string {
  return formatDecimal(parts);
}

export type { Decimal as DecimalParts };
