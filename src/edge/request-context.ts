import { randomBytes } from 'node:crypto';

/** What every operation learns about the request that invoked it. */
export interface RequestContext {
  requestId: string;
  /** From the SigV4 credential scope when present, else Eddy's default region. */
  region: string;
  accountId: string;
  /** The Host header the client used, e.g. `127.0.0.1:4566`. */
  host: string;
  /**
   * The request's JSON body holds no backslash, so none of its strings has an
   * escape and each is written back as JSON by quoting it
   * (src/dynamodb/values/item-json.ts). Set by the JSON protocol only.
   */
  plainJsonBody?: boolean;
}

/** Random bytes per id: 39 make 52 base64 characters, with no padding. */
const ID_BYTES = 39;
const ID_CHARS = 52;
const POOL_IDS = 256;
let pool = '';
let poolOffset = 0;

/**
 * AWS request ids for JSON services are 52 characters of upper-case
 * base64-ish text. They are made in blocks of 256: random bytes drawn once
 * and turned into text once, each id then a slice of it. One randomBytes call
 * per request cost more CPU than the rest of a GetItem's bookkeeping, and
 * turning each id's bytes into text on its own cost 4% of a GetItem (counted:
 * 5,100 instructions per request, against about 300 now). Since 39 bytes are
 * a whole number of base64 groups, the text of the block is the ids' texts
 * one after another.
 */
export function newRequestId(): string {
  if (poolOffset === pool.length) {
    pool = randomBytes(ID_BYTES * POOL_IDS).toString('base64').toUpperCase().replace(/[+/]/g, '0');
    poolOffset = 0;
  }
  const id = pool.slice(poolOffset, poolOffset + ID_CHARS);
  poolOffset += ID_CHARS;
  return id;
}

/**
 * Reads the region out of a SigV4 Authorization header:
 * `AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/dynamodb/aws4_request, ...`.
 * Signatures are not verified (yet); any well-formed signed request is accepted.
 */
export function regionFromAuthorization(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const match = /Credential=[^/,\s]+\/\d{8}\/([^/,\s]+)\//.exec(authorization);
  return match?.[1];
}
