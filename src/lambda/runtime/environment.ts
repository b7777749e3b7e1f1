import type { StoredFunction } from '../function-store.js';

/**
 * Credentials every function gets: Eddy does not check signatures, and the
 * handler's own AWS SDK calls must not pick up the developer's real keys.
 */
const FUNCTION_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'ASIAEDDYLAMBDAFUNCTION',
  AWS_SECRET_ACCESS_KEY: 'eddy-lambda-secret-access-key',
  AWS_SESSION_TOKEN: 'eddy-lambda-session-token',
};

/**
 * A function's environment as Lambda sets it (the runtime's reserved
 * variables, then the function's own Environment), plus AWS_ENDPOINT_URL
 * pointing at Eddy so the handler's SDK clients reach Eddy without any
 * configuration. Only PATH comes from Eddy's own environment. The log stream
 * name is added per execution environment by the runtime.
 */
export function functionEnvironment(fn: StoredFunction, taskRoot: string, runtimeDir: string, endpoint: string | undefined): Record<string, string> {
  const c = fn.configuration;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    _HANDLER: c.Handler ?? '',
    AWS_REGION: fn.region,
    AWS_DEFAULT_REGION: fn.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${c.Runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(c.MemorySize),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: c.LoggingConfig?.LogGroup ?? `/aws/lambda/${fn.name}`,
    LAMBDA_TASK_ROOT: taskRoot,
    LAMBDA_RUNTIME_DIR: runtimeDir,
    ...FUNCTION_CREDENTIALS,
  };
  if (endpoint) env.AWS_ENDPOINT_URL = endpoint;
  // Lambda's task root is read-only, so Python writes no bytecode there; run
  // from the user's own source directory, it would litter it with __pycache__.
  if (c.LocalDirectory !== undefined && c.Runtime.startsWith('python')) env.PYTHONDONTWRITEBYTECODE = '1';
  return { ...env, ...(c.Environment?.Variables ?? {}) };
}
