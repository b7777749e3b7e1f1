import type { RequestContext } from '../../edge/request-context.js';
import type { LambdaDeps } from '../deps.js';
import { noEventInvokeConfig } from '../event-invoke-config.js';
import { parseFunctionRef, refArn } from '../function-name.js';

/**
 * Removes a function's asynchronous invocation configuration: its events go
 * back to Lambda's defaults and no destinations. The error names the function
 * as the request did (unqualified when no qualifier was given), as Lambda's
 * does; Eddy has no versions or aliases, so only `$LATEST` has a configuration.
 */
export function DeleteFunctionEventInvokeConfig(input: { FunctionName: string; Qualifier?: string }, ctx: RequestContext, deps: LambdaDeps): Record<string, never> {
  const ref = parseFunctionRef(input.FunctionName, ctx, input.Qualifier);
  const latest = ref.qualifier === undefined || ref.qualifier === '$LATEST';
  if (!latest || !deps.store.eventInvokeConfig(ref.account, ref.region, ref.name)) throw noEventInvokeConfig(refArn(ref));
  deps.store.setEventInvokeConfig(ref.account, ref.region, ref.name, null);
  return {};
}
