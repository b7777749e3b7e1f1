import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import type { RequestContext } from '../../edge/request-context.js';
import type { LambdaDeps } from '../deps.js';
import { functionConfiguration, requireFunction } from '../functions.js';
import type { GetFunctionInput } from './GetFunction.js';

export function GetFunctionConfiguration(input: GetFunctionInput, ctx: RequestContext, deps: LambdaDeps): FunctionConfiguration {
  return functionConfiguration(requireFunction(deps, input.FunctionName, ctx, input.Qualifier).fn, 'get');
}
