import type { FunctionEventInvokeConfig } from '@aws-sdk/client-lambda';
import type { RequestContext } from '../../edge/request-context.js';
import type { LambdaDeps } from '../deps.js';
import { eventInvokeConfigOutput, noEventInvokeConfig } from '../event-invoke-config.js';
import { functionArn, parseFunctionRef } from '../function-name.js';

/**
 * A function's asynchronous invocation configuration. A missing function and
 * a missing configuration answer alike, naming the function qualified
 * (`$LATEST` when no qualifier was given).
 */
export function GetFunctionEventInvokeConfig(input: { FunctionName: string; Qualifier?: string }, ctx: RequestContext, deps: LambdaDeps): FunctionEventInvokeConfig {
  const ref = parseFunctionRef(input.FunctionName, ctx, input.Qualifier);
  const qualifier = ref.qualifier ?? '$LATEST';
  const fn = deps.store.get(ref.account, ref.region, ref.name);
  const config = fn && qualifier === '$LATEST' ? deps.store.eventInvokeConfig(fn.account, fn.region, fn.name) : undefined;
  if (!fn || !config) throw noEventInvokeConfig(functionArn(ref.account, ref.region, ref.name, qualifier));
  return eventInvokeConfigOutput(fn, config);
}
