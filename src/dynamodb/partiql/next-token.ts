/**
 * ExecuteStatement's NextToken: an opaque base64 string holding where the
 * SELECT stopped (which of its key reads, and the last key read), tied to
 * the statement and parameters it was issued for and to the time it was
 * issued. DynamoDB refuses a token given with another statement ("NextToken
 * does not match request") and one older than an hour.
 */
import { createHash } from 'node:crypto';
import { validationError } from '../../edge/errors.js';
import type { Item } from '../values/attribute-value.js';
import { NEXT_TOKEN_EXPIRED, NEXT_TOKEN_INVALID, NEXT_TOKEN_MISMATCH } from './errors.js';

/** How long a token stays valid. */
export const NEXT_TOKEN_LIFETIME_MS = 60 * 60 * 1000;

export interface Resume {
  /** Index of the key read (0 for a table scan) the page stopped in. */
  readonly read: number;
  /** The key of the last item read. */
  readonly key: Item;
}

interface TokenBody {
  readonly v: 1;
  /** Hash of the statement and its parameters. */
  readonly h: string;
  /** Issued at, ms since the epoch (Eddy's clock). */
  readonly t: number;
  readonly r: number;
  readonly k: Item;
}

/** The hash a token carries: the statement text and its parameters as sent. */
export function requestHash(statement: string, parameters: unknown): string {
  return createHash('sha256').update(JSON.stringify([statement, parameters ?? null])).digest('base64url');
}

export function encodeNextToken(hash: string, now: number, resume: Resume): string {
  const body: TokenBody = { v: 1, h: hash, t: now, r: resume.read, k: resume.key };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64');
}

function isItem(value: unknown): value is Item {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a token back, checking it belongs to this request and has not expired. */
export function decodeNextToken(token: string, hash: string, now: number): Resume {
  let body: Partial<TokenBody>;
  try {
    body = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as Partial<TokenBody>;
  } catch {
    throw validationError(NEXT_TOKEN_INVALID);
  }
  if (
    typeof body !== 'object' || body === null || body.v !== 1 || typeof body.h !== 'string' || typeof body.t !== 'number' ||
    typeof body.r !== 'number' || !Number.isInteger(body.r) || body.r < 0 || !isItem(body.k)
  ) {
    throw validationError(NEXT_TOKEN_INVALID);
  }
  if (body.h !== hash) throw validationError(NEXT_TOKEN_MISMATCH);
  if (now - body.t >= NEXT_TOKEN_LIFETIME_MS) throw validationError(NEXT_TOKEN_EXPIRED);
  return { read: body.r, key: body.k };
}
