/**
 * Order-preserving encoding of key values into bytes.
 *
 * Keys are stored in SQLite BLOB columns, which compare with memcmp and then
 * put the shorter of two equal prefixes first (exactly Buffer.compare). The
 * encodings below make that comparison agree with DynamoDB's key order:
 *
 *  - S: UTF-8 bytes, which is how DynamoDB orders strings.
 *  - B: the raw bytes, compared unsigned, as DynamoDB does.
 *  - N: numeric order, using the layout described at {@link encodeNumber}.
 *
 * A value's encoding is only comparable with encodings of the same type.
 */
import { decimalParts, formatDecimalParts, MAX_EXPONENT, MIN_EXPONENT } from './number.js';

export type KeyType = 'S' | 'N' | 'B';

/*
 * Number layout: [class] [exponent] [digits…] [terminator for negatives]
 *
 *   class     0x01 negative, 0x02 zero, 0x03 positive: the sign decides first.
 *   exponent  the power of ten of the first significant digit, biased into
 *             0..255 (it lies in -130..125); inverted for negatives, where a
 *             larger magnitude is a smaller number.
 *   digits    one byte per significant digit, no leading or trailing zeros.
 *             Positives use 0x01+digit. Negatives use 0x0a-digit so that a
 *             larger digit sorts first.
 *   0xff      ends a negative. Without it, -1.5 (digits 1,5) would be a
 *             prefix of -1.55 (1,5,5) and sort first although it is larger;
 *             0xff is greater than every digit byte, so the shorter negative
 *             now sorts last. A positive needs no end mark: with trailing
 *             zeros removed a proper prefix is always the smaller number.
 */
const NEGATIVE = 0x01;
const ZERO = 0x02;
const POSITIVE = 0x03;
const NEGATIVE_END = 0xff;
const EXPONENT_BIAS = -MIN_EXPONENT;

function encodeNumber(text: string): Buffer {
  const { negative, digits, exponent } = decimalParts(text);
  if (digits === '') return Buffer.from([ZERO]);
  if (exponent > MAX_EXPONENT || exponent < MIN_EXPONENT) {
    throw new RangeError(`number out of DynamoDB range cannot be a key: ${text}`);
  }
  const biased = exponent + EXPONENT_BIAS;
  const bytes = Buffer.alloc(digits.length + (negative ? 3 : 2));
  bytes[0] = negative ? NEGATIVE : POSITIVE;
  bytes[1] = negative ? 0xff - biased : biased;
  for (let i = 0; i < digits.length; i++) {
    const digit = digits.charCodeAt(i) - 48;
    bytes[i + 2] = negative ? 0x0a - digit : 0x01 + digit;
  }
  if (negative) bytes[bytes.length - 1] = NEGATIVE_END;
  return bytes;
}

function decodeNumber(bytes: Buffer): string {
  const kind = bytes[0];
  if (kind === ZERO && bytes.length === 1) return '0';
  if ((kind !== NEGATIVE && kind !== POSITIVE) || bytes.length < 3) {
    throw new RangeError('not an encoded number key');
  }
  const negative = kind === NEGATIVE;
  const end = negative ? bytes.length - 1 : bytes.length;
  if (negative && bytes[end] !== NEGATIVE_END) throw new RangeError('not an encoded number key');
  const biased = negative ? 0xff - bytes[1]! : bytes[1]!;
  let digits = '';
  for (let i = 2; i < end; i++) {
    const digit = negative ? 0x0a - bytes[i]! : bytes[i]! - 0x01;
    if (digit < 0 || digit > 9) throw new RangeError('not an encoded number key');
    digits += String.fromCharCode(48 + digit);
  }
  return formatDecimalParts({ negative, digits, exponent: biased - EXPONENT_BIAS });
}

/**
 * Encodes a key value (S text, N decimal string, B base64 as on the wire) so
 * that Buffer.compare / SQLite BLOB order of encodings equals DynamoDB's order.
 * Numerically equal N values ("1", "1.0") encode identically.
 */
export function encodeKey(type: KeyType, value: string): Buffer {
  switch (type) {
    case 'S':
      return Buffer.from(value, 'utf8');
    case 'B':
      return Buffer.from(value, 'base64');
    case 'N':
      return encodeNumber(value);
  }
}

/** The wire value back from {@link encodeKey}; numbers come back normalized. */
export function decodeKey(type: KeyType, bytes: Buffer): string {
  switch (type) {
    case 'S':
      return bytes.toString('utf8');
    case 'B':
      return bytes.toString('base64');
    case 'N':
      return decodeNumber(bytes);
  }
}
