import type { RequestContext } from '../../edge/request-context.js';
import type { LambdaDeps } from '../deps.js';
import { functionNotFound, invalidParameter } from '../errors.js';
import { parseFunctionRef, refArn } from '../function-name.js';

export interface DeleteFunctionInput {
  FunctionName: string;
  Qualifier?: string;
}

/** Deletes the function and its package (when no other function shares it); Lambda answers 204. */
export function DeleteFunction(input: DeleteFunctionInput, ctx: RequestContext, deps: LambdaDeps): { StatusCode: number } {
  const ref = parseFunctionRef(input.FunctionName, ctx, input.Qualifier);
  if (ref.qualifier === '$LATEST') throw invalidParameter('$LATEST version cannot be deleted without deleting the function.');
  const fn = deps.store.get(ref.account, ref.region, ref.name);
  if (!fn || ref.qualifier !== undefined) throw functionNotFound(refArn(ref));
  deps.store.delete(fn.account, fn.region, fn.name);
  deps.invoker.functionChanged(fn.account, fn.region, fn.name);
  return { StatusCode: 204 };
}
