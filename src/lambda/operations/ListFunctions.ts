import type { FunctionConfiguration, ListFunctionsResponse } from '@aws-sdk/client-lambda';
import type { RequestContext } from '../../edge/request-context.js';
import type { LambdaDeps } from '../deps.js';
import { invalidParameter } from '../errors.js';
import { functionConfiguration } from '../functions.js';

export interface ListFunctionsInput {
  MasterRegion?: string;
  FunctionVersion?: string;
  Marker?: string;
  MaxItems?: number;
}

/** ListFunctions answers at most 50 functions per call, whatever MaxItems says. */
const PAGE = 50;

const encodeMarker = (name: string): string => Buffer.from(JSON.stringify({ after: name })).toString('base64url');

function decodeMarker(marker: string): string {
  try {
    const { after } = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof after === 'string') return after;
  } catch {
    // fall through
  }
  throw invalidParameter(`Invalid marker: ${marker}`);
}

/**
 * Functions in name order, with the subset of FunctionConfiguration Lambda
 * lists (no State or LastUpdateStatus). With FunctionVersion ALL each
 * `$LATEST` is listed with its qualified ARN (Eddy publishes no versions yet);
 * MasterRegion asks for Lambda@Edge replicas, of which Eddy has none.
 */
export function ListFunctions(input: ListFunctionsInput, ctx: RequestContext, deps: LambdaDeps): ListFunctionsResponse {
  if (input.MasterRegion !== undefined) {
    if (input.FunctionVersion !== 'ALL') throw invalidParameter('Function version ALL is required when MasterRegion is specified.');
    return { Functions: [] };
  }
  const after = input.Marker ? decodeMarker(input.Marker) : '';
  const limit = Math.min(input.MaxItems ?? PAGE, PAGE);
  const found = deps.store.list(ctx.accountId, ctx.region, after, limit + 1);
  const page = found.slice(0, limit);
  const functions = page.map((fn): FunctionConfiguration => {
    const configuration = functionConfiguration(fn, 'list');
    if (input.FunctionVersion === 'ALL') configuration.FunctionArn += ':$LATEST';
    return configuration;
  });
  const out: ListFunctionsResponse = { Functions: functions };
  if (found.length > limit) out.NextMarker = encodeMarker(page[page.length - 1]!.name);
  return out;
}
