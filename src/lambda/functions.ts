import { createHash, randomUUID } from 'node:crypto';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import type { RequestContext } from '../edge/request-context.js';
import type { LambdaDeps } from './deps.js';
import { functionNotFound, invalidParameter, notSupported } from './errors.js';
import { functionArn, parseFunctionRef, refArn, type FunctionRef } from './function-name.js';
import type { StoredConfiguration, StoredFunction } from './function-store.js';

/** Runtimes Eddy creates functions with; Node ones run in worker threads, the others through the Runtime API (next part). */
export const SUPPORTED_RUNTIMES: ReadonlySet<string> = new Set([
  'nodejs18.x',
  'nodejs20.x',
  'nodejs22.x',
  'nodejs24.x',
  'python3.9',
  'python3.10',
  'python3.11',
  'python3.12',
  'python3.13',
  'python3.14',
  'provided.al2',
  'provided.al2023',
]);

/** Runtimes Lambda no longer creates or updates functions with. */
const DEPRECATED_RUNTIMES: ReadonlySet<string> = new Set([
  'nodejs',
  'nodejs4.3',
  'nodejs4.3-edge',
  'nodejs6.10',
  'nodejs8.10',
  'nodejs10.x',
  'nodejs12.x',
  'nodejs14.x',
  'nodejs16.x',
  'python2.7',
  'python3.6',
  'python3.7',
  'python3.8',
  'java8',
  'dotnetcore1.0',
  'dotnetcore2.0',
  'dotnetcore2.1',
  'dotnetcore3.1',
  'dotnet6',
  'go1.x',
  'ruby2.5',
  'ruby2.7',
  'provided',
]);

/** Variables the Lambda runtime sets itself, which a function's Environment may not. */
const RESERVED_VARIABLES: readonly string[] = [
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
];

export const MAX_TAGS = 50;
export const DEFAULT_TIMEOUT = 3;
export const DEFAULT_MEMORY_SIZE = 128;

/** `2026-11-27T10:00:00.000+0000`, the form LastModified takes. */
export function lambdaTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export const newRevisionId = (): string => randomUUID();

/** A stable stand-in for the runtime version ARN Lambda reports (it names the runtime's build). */
function runtimeVersionArn(region: string, runtime: string): string {
  return `arn:aws:lambda:${region}::runtime:${createHash('sha256').update(runtime).digest('hex')}`;
}

/**
 * The settings CreateFunction and UpdateFunctionConfiguration share, checked
 * as Lambda checks them. Settings Eddy does not simulate are refused unless
 * they ask for Lambda's default (an empty VpcConfig, PassThrough tracing, ...),
 * which tools send routinely.
 */
export interface SettingsInput {
  Runtime?: string;
  Role?: string;
  Handler?: string;
  Description?: string;
  Timeout?: number;
  MemorySize?: number;
  Environment?: { Variables?: Record<string, string> };
  VpcConfig?: { SubnetIds?: string[]; SecurityGroupIds?: string[]; Ipv6AllowedForDualStack?: boolean };
  DeadLetterConfig?: { TargetArn?: string };
  KMSKeyArn?: string;
  TracingConfig?: { Mode?: string };
  Layers?: string[];
  FileSystemConfigs?: unknown[];
  ImageConfig?: unknown;
  EphemeralStorage?: { Size: number };
  SnapStart?: { ApplyOn?: string };
  LoggingConfig?: { LogFormat?: string; ApplicationLogLevel?: string; SystemLogLevel?: string; LogGroup?: string };
  CapacityProviderConfig?: unknown;
  DurableConfig?: unknown;
  Architectures?: string[];
}

export function checkRuntime(runtime: string): void {
  if (DEPRECATED_RUNTIMES.has(runtime)) {
    throw invalidParameter(
      `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.`,
    );
  }
  if (!SUPPORTED_RUNTIMES.has(runtime)) notSupportedValue('Runtime', runtime);
}

function notSupportedValue(member: string, value: unknown): never {
  throw notSupported(`${member} ${JSON.stringify(value)}`);
}

/** Refuses the settings Eddy does not simulate. */
export function refuseUnsupportedSettings(input: SettingsInput): void {
  const vpc = input.VpcConfig;
  if (vpc && ((vpc.SubnetIds?.length ?? 0) > 0 || (vpc.SecurityGroupIds?.length ?? 0) > 0)) notSupportedValue('VpcConfig', vpc);
  if (input.KMSKeyArn) notSupportedValue('KMSKeyArn', input.KMSKeyArn);
  if (input.TracingConfig?.Mode && input.TracingConfig.Mode !== 'PassThrough') notSupportedValue('TracingConfig', input.TracingConfig);
  if (input.Layers && input.Layers.length > 0) notSupportedValue('Layers', input.Layers);
  if (input.FileSystemConfigs && input.FileSystemConfigs.length > 0) notSupportedValue('FileSystemConfigs', input.FileSystemConfigs);
  if (input.ImageConfig !== undefined) notSupportedValue('ImageConfig', input.ImageConfig);
  if (input.SnapStart?.ApplyOn && input.SnapStart.ApplyOn !== 'None') notSupportedValue('SnapStart', input.SnapStart);
  const logging = input.LoggingConfig;
  if (logging?.LogFormat && logging.LogFormat !== 'Text') notSupportedValue('LoggingConfig.LogFormat', logging.LogFormat);
  if (logging?.ApplicationLogLevel !== undefined) notSupportedValue('LoggingConfig.ApplicationLogLevel', logging.ApplicationLogLevel);
  if (logging?.SystemLogLevel !== undefined) notSupportedValue('LoggingConfig.SystemLogLevel', logging.SystemLogLevel);
  if (input.CapacityProviderConfig !== undefined) notSupportedValue('CapacityProviderConfig', input.CapacityProviderConfig);
  if (input.DurableConfig !== undefined) notSupportedValue('DurableConfig', input.DurableConfig);
}

/**
 * A dead-letter queue is an SQS queue or an SNS topic; an empty TargetArn
 * removes it. (Lambda also checks the execution role may send to it; Eddy has
 * no IAM. A missing queue or topic shows when a message is sent to it.)
 */
export function checkDeadLetterConfig(config: SettingsInput['DeadLetterConfig']): void {
  const target = config?.TargetArn;
  if (!target) return;
  const service = target.split(':')[2];
  if (service !== 'sqs' && service !== 'sns') {
    throw invalidParameter('Invalid dead letter queue ARN: The service specified by the TargetArn is not supported for dead letter configuration.');
  }
}

/** Reserved keys and the 4 KB limit, in Lambda's words. */
export function checkEnvironment(variables: Record<string, string>): void {
  const reserved = Object.keys(variables).filter((key) => RESERVED_VARIABLES.includes(key));
  if (reserved.length > 0) {
    throw invalidParameter(
      'Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. ' +
        `Reserved keys used in this request: ${reserved.join(', ')}`,
    );
  }
  const measured = JSON.stringify(variables);
  if (Buffer.byteLength(measured) > 4096) {
    throw invalidParameter(
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${measured}`,
    );
  }
}

export function checkTags(tags: Record<string, string> | undefined): void {
  if (tags && Object.keys(tags).length > MAX_TAGS) throw invalidParameter('Number of tags exceeds resource tag limit.');
}

/** Applies checked settings onto a stored configuration (CreateFunction's defaults or the current one). */
export function applySettings(config: StoredConfiguration, input: SettingsInput): void {
  if (input.Runtime !== undefined) config.Runtime = input.Runtime;
  if (input.Role !== undefined) config.Role = input.Role;
  if (input.Handler !== undefined) config.Handler = input.Handler;
  if (input.Description !== undefined) config.Description = input.Description;
  if (input.Timeout !== undefined) config.Timeout = input.Timeout;
  if (input.MemorySize !== undefined) config.MemorySize = input.MemorySize;
  if (input.Environment !== undefined) {
    const variables = input.Environment.Variables ?? {};
    if (Object.keys(variables).length > 0) config.Environment = { Variables: { ...variables } };
    else delete config.Environment;
  }
  if (input.DeadLetterConfig !== undefined) {
    if (input.DeadLetterConfig.TargetArn) config.DeadLetterConfig = { TargetArn: input.DeadLetterConfig.TargetArn };
    else delete config.DeadLetterConfig;
  }
  if (input.EphemeralStorage !== undefined) config.EphemeralStorage = { Size: input.EphemeralStorage.Size };
  if (input.Architectures !== undefined) config.Architectures = [...input.Architectures] as StoredConfiguration['Architectures'];
  if (input.LoggingConfig?.LogGroup !== undefined) config.LoggingConfig = { LogFormat: 'Text', LogGroup: input.LoggingConfig.LogGroup };
}

/** A new function's configuration before its settings are applied. */
export function defaultConfiguration(name: string, region: string, runtime: string, role: string): StoredConfiguration {
  return {
    FunctionName: name,
    Runtime: runtime,
    Role: role,
    CodeSize: 0,
    Description: '',
    Timeout: DEFAULT_TIMEOUT,
    MemorySize: DEFAULT_MEMORY_SIZE,
    LastModified: '',
    CodeSha256: '',
    RevisionId: '',
    TracingConfig: { Mode: 'PassThrough' },
    PackageType: 'Zip',
    Architectures: ['x86_64'],
    EphemeralStorage: { Size: 512 },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    RuntimeVersionConfig: { RuntimeVersionArn: runtimeVersionArn(region, runtime) },
    LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${name}` },
  };
}

/** Keeps the runtime version ARN in step with the runtime after an update. */
export function refreshRuntimeVersion(config: StoredConfiguration, region: string): void {
  config.RuntimeVersionConfig = { RuntimeVersionArn: runtimeVersionArn(region, config.Runtime) };
}

/**
 * The FunctionConfiguration an operation answers with, in the order AWS
 * writes the members. Eddy's state changes complete before it answers, so
 * GetFunction already shows Active/Successful; CreateFunction and the updates
 * answer as Lambda does, with the transition just begun (Pending, InProgress).
 */
export function functionConfiguration(fn: StoredFunction, view: 'create' | 'update' | 'get' | 'list'): FunctionConfiguration {
  const c = fn.configuration;
  const out: FunctionConfiguration = {
    FunctionName: c.FunctionName,
    FunctionArn: functionArn(fn.account, fn.region, fn.name),
    Runtime: c.Runtime as FunctionConfiguration['Runtime'],
    Role: c.Role,
    Handler: c.Handler,
    CodeSize: c.CodeSize,
    Description: c.Description,
    Timeout: c.Timeout,
    MemorySize: c.MemorySize,
    LastModified: c.LastModified,
    CodeSha256: c.CodeSha256,
    Version: '$LATEST',
    DeadLetterConfig: c.DeadLetterConfig,
    Environment: c.Environment,
    TracingConfig: c.TracingConfig,
    RevisionId: c.RevisionId,
  };
  if (view === 'create') {
    Object.assign(out, { State: 'Pending', StateReason: 'The function is being created.', StateReasonCode: 'Creating' });
  } else if (view === 'update') {
    Object.assign(out, {
      State: 'Active',
      LastUpdateStatus: 'InProgress',
      LastUpdateStatusReason: 'The function is being created.',
      LastUpdateStatusReasonCode: 'Creating',
    });
  } else if (view === 'get') {
    Object.assign(out, { State: 'Active', LastUpdateStatus: 'Successful' });
  }
  Object.assign(out, {
    PackageType: c.PackageType,
    Architectures: c.Architectures,
    EphemeralStorage: c.EphemeralStorage,
    SnapStart: c.SnapStart,
  });
  if (view !== 'list') out.RuntimeVersionConfig = c.RuntimeVersionConfig;
  out.LoggingConfig = c.LoggingConfig;
  return out;
}

/**
 * The function a FunctionName (and Qualifier) names. Eddy has no published
 * versions or aliases yet, so only `$LATEST` (or no qualifier) finds one.
 */
export function requireFunction(deps: LambdaDeps, name: string, ctx: RequestContext, qualifier?: string): { fn: StoredFunction; ref: FunctionRef } {
  const ref = parseFunctionRef(name, ctx, qualifier);
  const fn = deps.store.get(ref.account, ref.region, ref.name);
  if (!fn || (ref.qualifier !== undefined && ref.qualifier !== '$LATEST')) throw functionNotFound(refArn(ref));
  return { fn, ref };
}

/** Refuses a qualifier on operations that act on the function as a whole. */
export function refuseQualifier(ref: FunctionRef): void {
  if (ref.qualifier !== undefined) {
    throw invalidParameter(
      'This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.',
    );
  }
}
