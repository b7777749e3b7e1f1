import { createRequire, register } from 'node:module';

/** The packages Lambda's Node.js runtimes provide to every function: AWS SDK v3 and its Smithy core. */
export function isProvidedSdk(specifier: string): boolean {
  return specifier.startsWith('@aws-sdk/') || specifier.startsWith('@smithy/');
}

/**
 * Lets a handler import or require the AWS SDK although its code does not
 * have it (a local code directory without node_modules), resolving it from
 * `providerURL` (a module of Eddy's) instead. Installed only when the task
 * root cannot resolve the SDK itself: unpacked zips have it linked.
 */
export function provideSdk(taskRoot: string, providerURL: string): void {
  try {
    createRequire(`${taskRoot}/index.js`).resolve('@aws-sdk/client-dynamodb');
    return;
  } catch {
    // Not resolvable from the function's code: provide Eddy's.
  }
  register(new URL('./sdk-fallback-hooks.js', import.meta.url), { data: { providerURL } });

  // require() does not go through the hooks above: fall back the same way for CommonJS.
  const eddyRequire = createRequire(providerURL);
  const Module = createRequire(import.meta.url)('node:module') as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
    try {
      return resolveFilename.call(this, request, ...rest);
    } catch (error) {
      if (!isProvidedSdk(request) || (error as { code?: string }).code !== 'MODULE_NOT_FOUND') throw error;
      return eddyRequire.resolve(request);
    }
  };
}
