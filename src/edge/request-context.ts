import { randomBytes } from 'node:crypto';

/** What every operation learns about the request that invoked it. */
export interface RequestContext {
  requestId: string;
  /** From the SigV4 credential scope when present, else Eddy's default region. */
  region: string;
  accountId: string;
  /** The Host header the client used, e.g. `127.0.0.1:4566`. */
  host: string;
}

/** AWS request ids for JSON services are 52 characters of upper-case base64-ish text. */
export function newRequestId(): string {
  return randomBytes(39).toString('base64').toUpperCase().replace(/[+/]/g, '0');
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
