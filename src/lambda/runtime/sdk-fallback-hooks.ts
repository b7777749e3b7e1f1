/**
 * ES module resolution hooks (`module.register`) for a handler whose code
 * cannot resolve the AWS SDK itself: a bare `@aws-sdk/...` or `@smithy/...`
 * import that fails from the handler's directory is resolved again from Eddy's
 * own location, as Lambda's Node.js runtimes provide SDK v3 to every function.
 * A copy the function brings wins, because it is tried first.
 */
import { isProvidedSdk } from './provided-sdk.js';

interface ResolveContext {
  parentURL?: string;
  conditions: string[];
  importAttributes?: Record<string, string>;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<{ url: string; format?: string | null; shortCircuit?: boolean }>;

let providerURL: string | undefined;

export function initialize(data: { providerURL: string }): void {
  providerURL = data.providerURL;
}

export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve): ReturnType<NextResolve> {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (!providerURL || !isProvidedSdk(specifier) || (error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    return nextResolve(specifier, { ...context, parentURL: providerURL });
  }
}
