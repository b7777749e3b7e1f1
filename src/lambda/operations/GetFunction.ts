import { pathToFileURL } from 'node:url';
import type { GetFunctionResponse } from '@aws-sdk/client-lambda';
import type { RequestContext } from '../../edge/request-context.js';
import type { LambdaDeps } from '../deps.js';
import { functionConfiguration, requireFunction } from '../functions.js';

export interface GetFunctionInput {
  FunctionName: string;
  Qualifier?: string;
}

/**
 * Configuration, code location, tags and reserved concurrency. Code.Location
 * is a URL on Eddy itself that serves the deployment package (Lambda's is a
 * presigned S3 URL valid for ten minutes; Eddy's does not expire). A function
 * run from a local directory (Eddy's extension) answers RepositoryType
 * `Local` and the directory's `file://` URL.
 */
export function GetFunction(input: GetFunctionInput, ctx: RequestContext, deps: LambdaDeps): GetFunctionResponse {
  const { fn } = requireFunction(deps, input.FunctionName, ctx, input.Qualifier);
  const host = ctx.host || 'localhost';
  const local = fn.configuration.LocalDirectory;
  const out: GetFunctionResponse = {
    Configuration: functionConfiguration(fn, 'get'),
    Code: local
      ? { RepositoryType: 'Local', Location: pathToFileURL(local).href }
      : {
          RepositoryType: 'S3',
          Location: `http://${host}/_eddy/lambda/code/${fn.account}/${fn.region}/${encodeURIComponent(fn.name)}.zip?sha256=${fn.codeHash}`,
        },
  };
  if (Object.keys(fn.tags).length > 0) out.Tags = fn.tags;
  if (fn.reservedConcurrency !== null) out.Concurrency = { ReservedConcurrentExecutions: fn.reservedConcurrency };
  return out;
}
