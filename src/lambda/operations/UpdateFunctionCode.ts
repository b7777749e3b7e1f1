import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import type { RequestContext } from '../../edge/request-context.js';
import type { LambdaDeps } from '../deps.js';
import { notSupported, preconditionFailed } from '../errors.js';
import type { StoredFunction } from '../function-store.js';
import { functionConfiguration, lambdaTimestamp, newRevisionId, requireFunction } from '../functions.js';
import { applyCode, codeFromInput, type CodeInput } from './CreateFunction.js';

export interface UpdateFunctionCodeInput extends CodeInput {
  FunctionName: string;
  Publish?: boolean;
  DryRun?: boolean;
  RevisionId?: string;
  Architectures?: string[];
  PublishTo?: string;
}

/**
 * Replaces `$LATEST`'s deployment package. Warm workers of the old code
 * retire; the next invocation starts from the new code. DryRun checks the
 * package and answers without changing anything.
 */
export function UpdateFunctionCode(input: UpdateFunctionCodeInput, ctx: RequestContext, deps: LambdaDeps): FunctionConfiguration {
  const { fn } = requireFunction(deps, input.FunctionName, ctx);
  if (input.Publish) throw notSupported('Publish: true (published function versions)');
  if (input.PublishTo !== undefined) throw notSupported('PublishTo');
  if (input.RevisionId !== undefined && input.RevisionId !== fn.configuration.RevisionId) throw preconditionFailed();
  const code = codeFromInput(input);
  const updated: StoredFunction = {
    ...fn,
    codeHash: code.codeHash,
    configuration: {
      ...fn.configuration,
      LastModified: lambdaTimestamp(deps.clock.now()),
      RevisionId: newRevisionId(),
    },
  };
  applyCode(updated.configuration, code);
  if (input.Architectures !== undefined) updated.configuration.Architectures = [...input.Architectures] as typeof updated.configuration.Architectures;
  if (input.DryRun) return functionConfiguration({ ...updated, configuration: { ...updated.configuration, RevisionId: fn.configuration.RevisionId } }, 'get');
  deps.store.update(updated, code.zip);
  deps.invoker.functionChanged(fn.account, fn.region, fn.name);
  return functionConfiguration(updated, 'update');
}
