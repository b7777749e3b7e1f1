import type { RequestContext } from '../../edge/request-context.js';
import type { LambdaDeps } from '../deps.js';
import { notSupported } from '../errors.js';
import type { InvocationType } from '../runtime/invoker.js';

export interface InvokeInput {
  FunctionName: string;
  InvocationType?: InvocationType;
  LogType?: 'None' | 'Tail';
  ClientContext?: string;
  Qualifier?: string;
  /** The request body as it came: the event. */
  Payload?: Buffer;
  DurableExecutionName?: string;
  TenantId?: string;
}

export interface InvokeOutput {
  StatusCode: number;
  FunctionError?: string;
  LogResult?: string;
  ExecutedVersion?: string;
  Payload: Buffer;
}

/** The HTTP face of FunctionInvoker.invoke: the awsRequestId is the Invoke request's id. */
export async function Invoke(input: InvokeInput, ctx: RequestContext, deps: LambdaDeps): Promise<InvokeOutput> {
  if (input.DurableExecutionName !== undefined) throw notSupported('X-Amz-Durable-Execution-Name (durable executions)');
  if (input.TenantId !== undefined) throw notSupported('X-Amz-Tenant-Id (tenant isolation)');
  const result = await deps.invoker.invoke({
    functionName: input.FunctionName,
    payload: input.Payload,
    invocationType: input.InvocationType,
    logType: input.LogType,
    clientContext: input.ClientContext,
    qualifier: input.Qualifier,
    account: ctx.accountId,
    region: ctx.region,
    requestId: ctx.requestId,
  });
  return {
    StatusCode: result.statusCode,
    FunctionError: result.functionError,
    LogResult: result.logTail,
    ExecutedVersion: result.executedVersion,
    Payload: result.payload,
  };
}
