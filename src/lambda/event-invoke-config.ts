import type { FunctionEventInvokeConfig } from '@aws-sdk/client-lambda';
import { AwsError } from '../edge/errors.js';
import type { RequestContext } from '../edge/request-context.js';
import type { LambdaDeps } from './deps.js';
import { invalidParameter, notSupported } from './errors.js';
import { functionArn, parseFunctionRef } from './function-name.js';
import type { StoredFunction } from './function-store.js';

/**
 * A function's asynchronous invocation configuration as Eddy keeps it
 * (lambda_functions.event_invoke_config). Unset members take Lambda's
 * defaults when an event runs: two retries, six hours.
 */
export interface StoredEventInvokeConfig {
  MaximumRetryAttempts?: number;
  MaximumEventAgeInSeconds?: number;
  OnSuccess?: string;
  OnFailure?: string;
  /** Eddy-clock ms of the last Put or Update. */
  lastModified: number;
}

/** What PutFunctionEventInvokeConfig and UpdateFunctionEventInvokeConfig take. */
export interface EventInvokeConfigInput {
  FunctionName: string;
  Qualifier?: string;
  MaximumRetryAttempts?: number;
  MaximumEventAgeInSeconds?: number;
  DestinationConfig?: { OnSuccess?: { Destination?: string }; OnFailure?: { Destination?: string } };
}

export const DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 2;
export const DEFAULT_MAXIMUM_EVENT_AGE_SECONDS = 6 * 60 * 60;

/** The settings an event runs with: the stored ones, else Lambda's defaults. */
export function effectiveSettings(config: StoredEventInvokeConfig | undefined): { maxRetries: number; maxAgeMs: number; onSuccess?: string; onFailure?: string } {
  return {
    maxRetries: config?.MaximumRetryAttempts ?? DEFAULT_MAXIMUM_RETRY_ATTEMPTS,
    maxAgeMs: (config?.MaximumEventAgeInSeconds ?? DEFAULT_MAXIMUM_EVENT_AGE_SECONDS) * 1000,
    onSuccess: config?.OnSuccess,
    onFailure: config?.OnFailure,
  };
}

/** The configuration as Lambda answers it: qualified ARN, LastModified in epoch seconds, both destinations always present. */
export function eventInvokeConfigOutput(fn: StoredFunction, config: StoredEventInvokeConfig): FunctionEventInvokeConfig {
  const out: Record<string, unknown> = {
    LastModified: config.lastModified / 1000,
    FunctionArn: functionArn(fn.account, fn.region, fn.name, '$LATEST'),
  };
  if (config.MaximumRetryAttempts !== undefined) out.MaximumRetryAttempts = config.MaximumRetryAttempts;
  if (config.MaximumEventAgeInSeconds !== undefined) out.MaximumEventAgeInSeconds = config.MaximumEventAgeInSeconds;
  out.DestinationConfig = {
    OnSuccess: config.OnSuccess ? { Destination: config.OnSuccess } : {},
    OnFailure: config.OnFailure ? { Destination: config.OnFailure } : {},
  };
  // The codec writes body members as given: LastModified must be a number, not a Date.
  return out as FunctionEventInvokeConfig;
}

/** "The function arn:...:function:name:$LATEST doesn't have an EventInvokeConfig" (404). */
export const noEventInvokeConfig = (arn: string): AwsError => new AwsError('ResourceNotFoundException', `The function ${arn} doesn't have an EventInvokeConfig`, 404);

/** What Put, Update and List answer for a function (or a version or alias) that does not exist. */
export const functionDoesNotExist = (): AwsError => new AwsError('ResourceNotFoundException', "The function doesn't exist.", 404);

/**
 * The function Put and Update act on. Eddy has `$LATEST` only: a version or
 * alias qualifier names something that does not exist, as for Lambda.
 */
export function eventInvokeTarget(deps: LambdaDeps, input: { FunctionName: string; Qualifier?: string }, ctx: RequestContext): StoredFunction {
  const ref = parseFunctionRef(input.FunctionName, ctx, input.Qualifier);
  const fn = deps.store.get(ref.account, ref.region, ref.name);
  if (!fn || (ref.qualifier !== undefined && ref.qualifier !== '$LATEST')) throw functionDoesNotExist();
  return fn;
}

/** Put and Update need at least one setting. */
export function requireSomeSetting(input: EventInvokeConfigInput): void {
  if (input.MaximumRetryAttempts === undefined && input.MaximumEventAgeInSeconds === undefined && input.DestinationConfig === undefined) {
    throw invalidParameter('You must specify at least one of error handling or destination setting.');
  }
}

/**
 * Checks a DestinationConfig as Lambda does and returns its destinations
 * (an empty Destination is none). SQS queues, SNS topics and other functions
 * are delivered to; EventBridge buses and S3 buckets, which Lambda accepts,
 * are refused since Eddy has neither service.
 */
export function checkDestinations(fn: StoredFunction, deps: LambdaDeps, config: NonNullable<EventInvokeConfigInput['DestinationConfig']>): { OnSuccess?: string; OnFailure?: string } {
  const onSuccess = config.OnSuccess?.Destination || undefined;
  const onFailure = config.OnFailure?.Destination || undefined;
  let valid = true;
  for (const [member, arn] of [['OnSuccess', onSuccess], ['OnFailure', onFailure]] as const) {
    if (arn === undefined) continue;
    const service = arn.split(':')[2];
    if (service === 'sqs' || service === 'sns') continue;
    if (service === 'lambda') {
      checkFunctionDestination(fn, deps, arn);
      continue;
    }
    if (service === 'events' || service === 's3') throw notSupported(`DestinationConfig.${member}.Destination ${JSON.stringify(arn)}`);
    valid = false;
  }
  if (!valid) {
    const part = (name: string, arn: string | undefined): string => (arn ? `${name}(destination=${arn})` : 'null');
    throw invalidParameter(`The provided destination config DestinationConfig(onSuccess=${part('OnSuccess', onSuccess)}, onFailure=${part('OnFailure', onFailure)}) is invalid.`);
  }
  return { ...(onSuccess ? { OnSuccess: onSuccess } : {}), ...(onFailure ? { OnFailure: onFailure } : {}) };
}

const FUNCTION_DESTINATION = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9-_]+)(?::\$LATEST)?$/;

/** A function destination must exist (Eddy's `$LATEST`) and not be the function itself. */
function checkFunctionDestination(fn: StoredFunction, deps: LambdaDeps, arn: string): void {
  const match = FUNCTION_DESTINATION.exec(arn);
  const [, region, account, name] = match ?? [];
  if (!match || !deps.store.get(account!, region!, name!)) throw invalidParameter(`The destination ARN ${arn} is invalid.`);
  if (account === fn.account && region === fn.region && name === fn.name) throw invalidParameter("You can't specify the function as a destination for itself.");
}
