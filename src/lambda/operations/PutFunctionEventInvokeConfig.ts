import type { FunctionEventInvokeConfig } from '@aws-sdk/client-lambda';
import type { RequestContext } from '../../edge/request-context.js';
import type { LambdaDeps } from '../deps.js';
import {
  checkDestinations,
  eventInvokeConfigOutput,
  eventInvokeTarget,
  requireSomeSetting,
  type EventInvokeConfigInput,
  type StoredEventInvokeConfig,
} from '../event-invoke-config.js';

/**
 * Sets a function's asynchronous invocation configuration, replacing any it
 * had: settings left out go back to Lambda's defaults. Events already queued
 * run under it from their next attempt on.
 */
export function PutFunctionEventInvokeConfig(input: EventInvokeConfigInput, ctx: RequestContext, deps: LambdaDeps): FunctionEventInvokeConfig {
  requireSomeSetting(input);
  const fn = eventInvokeTarget(deps, input, ctx);
  const config: StoredEventInvokeConfig = {
    ...(input.MaximumRetryAttempts !== undefined ? { MaximumRetryAttempts: input.MaximumRetryAttempts } : {}),
    ...(input.MaximumEventAgeInSeconds !== undefined ? { MaximumEventAgeInSeconds: input.MaximumEventAgeInSeconds } : {}),
    ...(input.DestinationConfig ? checkDestinations(fn, deps, input.DestinationConfig) : {}),
    lastModified: deps.clock.now(),
  };
  deps.store.setEventInvokeConfig(fn.account, fn.region, fn.name, config);
  return eventInvokeConfigOutput(fn, config);
}
