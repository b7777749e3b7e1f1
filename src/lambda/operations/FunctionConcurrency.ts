import type { Concurrency, GetFunctionConcurrencyResponse } from '@aws-sdk/client-lambda';
import type { RequestContext } from '../../edge/request-context.js';
import type { LambdaDeps } from '../deps.js';
import { functionNotFound, invalidParameter } from '../errors.js';
import { functionArn, parseFunctionRef, refArn } from '../function-name.js';
import { refuseQualifier } from '../functions.js';

/** An account's concurrency quota, of which Lambda keeps this much unreserved. */
const ACCOUNT_CONCURRENCY = 1000;
const MIN_UNRESERVED = 100;

export interface FunctionConcurrencyInput {
  FunctionName: string;
  ReservedConcurrentExecutions?: number;
}

/**
 * Reserves concurrency for a function: at most that many invocations run at
 * once; beyond it Invoke answers 429 TooManyRequestsException with Reason
 * ReservedFunctionConcurrentInvocationLimitExceeded (0 turns the function off).
 */
export function PutFunctionConcurrency(input: FunctionConcurrencyInput, ctx: RequestContext, deps: LambdaDeps): Concurrency {
  const ref = parseFunctionRef(input.FunctionName, ctx);
  refuseQualifier(ref);
  const fn = deps.store.get(ref.account, ref.region, ref.name);
  if (!fn) throw functionNotFound(functionArn(ref.account, ref.region, ref.name, '$LATEST'));
  const value = input.ReservedConcurrentExecutions!;
  if (ACCOUNT_CONCURRENCY - deps.store.reservedByOthers(fn.account, fn.region, fn.name) - value < MIN_UNRESERVED) {
    throw invalidParameter(
      `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${MIN_UNRESERVED}].`,
    );
  }
  deps.store.setReservedConcurrency(fn.account, fn.region, fn.name, value);
  deps.invoker.concurrencyChanged(fn.account, fn.region, fn.name);
  return { ReservedConcurrentExecutions: value };
}

export function GetFunctionConcurrency(input: FunctionConcurrencyInput, ctx: RequestContext, deps: LambdaDeps): GetFunctionConcurrencyResponse {
  const ref = parseFunctionRef(input.FunctionName, ctx);
  const fn = deps.store.get(ref.account, ref.region, ref.name);
  if (!fn || ref.qualifier !== undefined) throw functionNotFound(refArn(ref));
  return fn.reservedConcurrency === null ? {} : { ReservedConcurrentExecutions: fn.reservedConcurrency };
}

export function DeleteFunctionConcurrency(input: FunctionConcurrencyInput, ctx: RequestContext, deps: LambdaDeps): Record<string, never> {
  const ref = parseFunctionRef(input.FunctionName, ctx);
  refuseQualifier(ref);
  const fn = deps.store.get(ref.account, ref.region, ref.name);
  if (!fn) throw functionNotFound(refArn(ref));
  deps.store.setReservedConcurrency(fn.account, fn.region, fn.name, null);
  deps.invoker.concurrencyChanged(fn.account, fn.region, fn.name);
  return {};
}
