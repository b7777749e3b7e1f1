import type { GetFunctionCodeSigningConfigResponse } from '@aws-sdk/client-lambda';
import type { RequestContext } from '../../edge/request-context.js';
import type { LambdaDeps } from '../deps.js';
import { refuseQualifier, requireFunction } from '../functions.js';

export interface GetFunctionCodeSigningConfigInput {
  FunctionName: string;
}

/**
 * The code signing configuration of a function: Eddy has none (it verifies no
 * code signatures), so it answers as Lambda does for a function without one,
 * an empty CodeSigningConfigArn. Terraform's aws_lambda_function reads it.
 */
export function GetFunctionCodeSigningConfig(input: GetFunctionCodeSigningConfigInput, ctx: RequestContext, deps: LambdaDeps): GetFunctionCodeSigningConfigResponse {
  const { fn, ref } = requireFunction(deps, input.FunctionName, ctx);
  refuseQualifier(ref);
  return { CodeSigningConfigArn: '', FunctionName: fn.name };
}
