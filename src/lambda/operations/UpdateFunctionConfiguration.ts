import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import type { RequestContext } from '../../edge/request-context.js';
import type { LambdaDeps } from '../deps.js';
import { invalidParameter, preconditionFailed } from '../errors.js';
import type { StoredFunction } from '../function-store.js';
import {
  applySettings,
  checkDeadLetterConfig,
  checkEnvironment,
  checkRuntime,
  functionConfiguration,
  lambdaTimestamp,
  newRevisionId,
  refreshRuntimeVersion,
  refuseUnsupportedSettings,
  requireFunction,
  type SettingsInput,
} from '../functions.js';

export interface UpdateFunctionConfigurationInput extends SettingsInput {
  FunctionName: string;
  RevisionId?: string;
}

/** Changes `$LATEST`'s settings; warm workers of the old settings retire. */
export function UpdateFunctionConfiguration(input: UpdateFunctionConfigurationInput, ctx: RequestContext, deps: LambdaDeps): FunctionConfiguration {
  const { fn } = requireFunction(deps, input.FunctionName, ctx);
  if (input.RevisionId !== undefined && input.RevisionId !== fn.configuration.RevisionId) throw preconditionFailed();
  refuseUnsupportedSettings(input);
  checkDeadLetterConfig(input.DeadLetterConfig);
  if (input.Runtime !== undefined) checkRuntime(input.Runtime);
  if (input.Environment?.Variables) checkEnvironment(input.Environment.Variables);
  const configuration = structuredClone(fn.configuration);
  applySettings(configuration, input);
  if (!configuration.Handler && !configuration.Runtime.startsWith('provided')) {
    throw invalidParameter('Runtime and Handler are mandatory parameters for functions created with deployment packages.');
  }
  refreshRuntimeVersion(configuration, fn.region);
  configuration.LastModified = lambdaTimestamp(deps.clock.now());
  configuration.RevisionId = newRevisionId();
  const updated: StoredFunction = { ...fn, configuration };
  deps.store.update(updated);
  deps.invoker.functionChanged(fn.account, fn.region, fn.name);
  return functionConfiguration(updated, 'update');
}
