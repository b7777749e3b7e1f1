import type { ListFunctionEventInvokeConfigsResponse } from '@aws-sdk/client-lambda';
import type { RequestContext } from '../../edge/request-context.js';
import type { LambdaDeps } from '../deps.js';
import { eventInvokeConfigOutput, functionDoesNotExist } from '../event-invoke-config.js';
import { parseFunctionRef } from '../function-name.js';

const DEFAULT_MAX_ITEMS = 50;

/**
 * The configurations of a function and its versions and aliases; on Eddy
 * (`$LATEST` only) none or one. The list is in FunctionArn order and a Marker
 * is the FunctionArn the previous page ended with.
 */
export function ListFunctionEventInvokeConfigs(
  input: { FunctionName: string; Marker?: string; MaxItems?: number },
  ctx: RequestContext,
  deps: LambdaDeps,
): ListFunctionEventInvokeConfigsResponse {
  const ref = parseFunctionRef(input.FunctionName, ctx);
  const fn = deps.store.get(ref.account, ref.region, ref.name);
  if (!fn || ref.qualifier !== undefined) throw functionDoesNotExist();
  const config = deps.store.eventInvokeConfig(fn.account, fn.region, fn.name);
  const all = config ? [eventInvokeConfigOutput(fn, config)] : [];
  const after = all.filter((item) => input.Marker === undefined || item.FunctionArn! > input.Marker);
  const limit = input.MaxItems ?? DEFAULT_MAX_ITEMS;
  const page = after.slice(0, limit);
  return { FunctionEventInvokeConfigs: page, ...(after.length > limit ? { NextMarker: page[page.length - 1]!.FunctionArn } : {}) };
}
