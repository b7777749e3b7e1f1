import type { FunctionEventInvokeConfig } from '@aws-sdk/client-lambda';
import type { RequestContext } from '../../edge/request-context.js';
import type { LambdaDeps } from '../deps.js';
import {
  checkDestinations,
  eventInvokeConfigOutput,
  eventInvokeTarget,
  noEventInvokeConfig,
  requireSomeSetting,
  type EventInvokeConfigInput,
  type StoredEventInvokeConfig,
} from '../event-invoke-config.js';
import { functionArn } from '../function-name.js';

/**
 * Changes the settings given and keeps the others; a DestinationConfig given
 * replaces both destinations. The function must already have a configuration.
 */
export function UpdateFunctionEventInvokeConfig(input: EventInvokeConfigInput, ctx: RequestContext, deps: LambdaDeps): FunctionEventInvokeConfig {
  requireSomeSetting(input);
  const fn = eventInvokeTarget(deps, input, ctx);
  const current = deps.store.eventInvokeConfig(fn.account, fn.region, fn.name);
  if (!current) throw noEventInvokeConfig(functionArn(fn.account, fn.region, fn.name, '$LATEST'));
  const destinations = input.DestinationConfig ? checkDestinations(fn, deps, input.DestinationConfig) : undefined;
  const config: StoredEventInvokeConfig = { ...current, lastModified: deps.clock.now() };
  if (input.MaximumRetryAttempts !== undefined) config.MaximumRetryAttempts = input.MaximumRetryAttempts;
  if (input.MaximumEventAgeInSeconds !== undefined) config.MaximumEventAgeInSeconds = input.MaximumEventAgeInSeconds;
  if (destinations) {
    delete config.OnSuccess;
    delete config.OnFailure;
    Object.assign(config, destinations);
  }
  deps.store.setEventInvokeConfig(fn.account, fn.region, fn.name, config);
  return eventInvokeConfigOutput(fn, config);
}
