import type { ListVersionsByFunctionResponse } from '@aws-sdk/client-lambda';
import type { RequestContext } from '../../edge/request-context.js';
import type { LambdaDeps } from '../deps.js';
import { functionArn } from '../function-name.js';
import { functionConfiguration, refuseQualifier, requireFunction } from '../functions.js';

export interface ListVersionsByFunctionInput {
  FunctionName: string;
  Marker?: string;
  MaxItems?: number;
}

/**
 * A function's versions, oldest first: Eddy publishes none, so the list is
 * `$LATEST` alone, with its qualified ARN as Lambda lists it (Terraform's
 * aws_lambda_function reads it after every create and update). A Marker can
 * only follow a page Eddy never cuts short: it finds nothing after.
 */
export function ListVersionsByFunction(input: ListVersionsByFunctionInput, ctx: RequestContext, deps: LambdaDeps): ListVersionsByFunctionResponse {
  const { fn, ref } = requireFunction(deps, input.FunctionName, ctx);
  refuseQualifier(ref);
  if (input.Marker !== undefined) return { Versions: [] };
  return { Versions: [{ ...functionConfiguration(fn, 'list'), FunctionArn: functionArn(fn.account, fn.region, fn.name, '$LATEST') }] };
}
