import type { RequestContext } from '../../edge/request-context.js';
import type { LambdaDeps } from '../deps.js';
import { invalidParameter } from '../errors.js';
import { describeMapping, functionFilterArn } from '../esm/control-plane.js';
import type { WireMappingConfiguration } from '../esm/mapping-configuration.js';

export interface ListEventSourceMappingsInput {
  EventSourceArn?: string;
  FunctionName?: string;
  Marker?: string;
  MaxItems?: number;
}

export interface ListEventSourceMappingsOutput {
  EventSourceMappings: WireMappingConfiguration[];
  NextMarker?: string;
}

/** Lambda answers at most 100 mappings per page, whatever MaxItems says. */
const PAGE = 100;

const encodeMarker = (seq: number): string => Buffer.from(JSON.stringify({ after: seq })).toString('base64url');

function decodeMarker(marker: string): number {
  try {
    const { after } = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof after === 'number' && Number.isSafeInteger(after) && after >= 0) return after;
  } catch {
    // fall through
  }
  throw invalidParameter(`Invalid marker: ${marker}`);
}

/**
 * The caller's mappings in creation order, optionally only those of one
 * source and/or one function (by name, partial ARN or ARN), at most
 * MaxItems (the model checks 1..10000) and 100 per page, with an opaque NextMarker.
 */
export function ListEventSourceMappings(input: ListEventSourceMappingsInput, ctx: RequestContext, deps: LambdaDeps): ListEventSourceMappingsOutput {
  const after = input.Marker ? decodeMarker(input.Marker) : 0;
  const filter = {
    account: ctx.accountId,
    region: ctx.region,
    ...(input.EventSourceArn !== undefined ? { eventSourceArn: input.EventSourceArn } : {}),
    ...(input.FunctionName !== undefined ? { functionArn: functionFilterArn(input.FunctionName, ctx) } : {}),
  };
  const page = deps.esm.store.page(filter, after, Math.min(input.MaxItems ?? PAGE, PAGE));
  return {
    EventSourceMappings: page.mappings.map((mapping) => describeMapping(deps, mapping)),
    ...(page.next !== undefined ? { NextMarker: encodeMarker(page.next) } : {}),
  };
}
