import { CreateFunctionCommand, LambdaClient, type CreateFunctionCommandInput } from '@aws-sdk/client-lambda';
import { strToU8, zipSync } from 'fflate';
import { testCredentials } from '../helpers/eddy.js';

export const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';

/** A deployment package holding `files` (path -> source). */
export function zip(files: Record<string, string>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(files).map(([path, text]) => [path, strToU8(text)])));
}

export function lambdaClient(endpoint: string): LambdaClient {
  return new LambdaClient({ endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
}

/** Creates a nodejs20.x function from source files. */
export async function createFunction(
  client: LambdaClient,
  name: string,
  files: Record<string, string>,
  extra: Partial<CreateFunctionCommandInput> = {},
): Promise<void> {
  await client.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: { ZipFile: zip(files) },
      ...extra,
    }),
  );
}

const decoder = new TextDecoder();

/** An Invoke response's payload as JSON. */
export function payloadOf(output: { Payload?: Uint8Array }): any {
  const text = decoder.decode(output.Payload ?? new Uint8Array());
  return text === '' ? undefined : JSON.parse(text);
}

/** A base64 X-Amz-Log-Result decoded. */
export function logOf(output: { LogResult?: string }): string {
  return Buffer.from(output.LogResult ?? '', 'base64').toString('utf8');
}
