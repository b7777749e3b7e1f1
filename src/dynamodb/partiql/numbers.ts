/**
 * Numbers as DynamoDB's PartiQL reads them: through Java's BigDecimal, whose
 * exponent and scale are 32-bit integers, then DynamoDB's range rules applied
 * to `precision - scale` in 32-bit arithmetic, which wraps (pinned by the
 * conformance suite: the parameter 1e2147483647 is an underflow).
 */
import {
  normalizeNumber,
  OVERFLOW_MESSAGE,
  TOO_MANY_DIGITS_MESSAGE,
  UNDERFLOW_MESSAGE,
} from '../values/number.js';

const SYNTAX = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const INT32_MIN = -(2n ** 31n);
const INT32_MAX = 2n ** 31n - 1n;
const inInt32 = (value: bigint): boolean => value >= INT32_MIN && value <= INT32_MAX;
/** Java's int overflow. */
const wrap32 = (value: bigint): bigint => BigInt.asIntN(32, value);

/** Highest `precision - scale` DynamoDB stores (9.99…E+125), and the lowest (1E-130). */
const MAX_MAGNITUDE = 126n;
const MIN_MAGNITUDE = -129n;

export type NumberReading =
  | { readonly ok: true; readonly value: string }
  /** BigDecimal cannot hold the text. */
  | { readonly ok: false; readonly reason: 'unconvertible' }
  /** A DynamoDB range rule, with its message. */
  | { readonly ok: false; readonly reason: 'range'; readonly message: string };

/** Reads a decimal string as BigDecimal would, then applies DynamoDB's number rules. */
export function readPartiqlNumber(text: string): NumberReading {
  const match = SYNTAX.exec(text);
  if (!match) return { ok: false, reason: 'unconvertible' };
  const [, , whole = '', fraction = '', exponentText = '0'] = match;
  if (whole === '' && fraction === '') return { ok: false, reason: 'unconvertible' };
  const exponent = BigInt(exponentText);
  const scale = BigInt(fraction.length) - exponent;
  if (!inInt32(exponent) || !inInt32(scale)) return { ok: false, reason: 'unconvertible' };

  const unscaled = (whole + fraction).replace(/^0+/, '');
  if (unscaled === '') return { ok: true, value: '0' };
  const magnitude = wrap32(BigInt(unscaled.length) - scale);
  if (magnitude > MAX_MAGNITUDE) return { ok: false, reason: 'range', message: OVERFLOW_MESSAGE };
  if (magnitude < MIN_MAGNITUDE) return { ok: false, reason: 'range', message: UNDERFLOW_MESSAGE };
  if (unscaled.replace(/0+$/, '').length > 38) return { ok: false, reason: 'range', message: TOO_MANY_DIGITS_MESSAGE };
  return { ok: true, value: normalizeNumber(text) };
}
