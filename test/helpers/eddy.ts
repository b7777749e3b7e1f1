import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createEddy, type Eddy } from '../../src/eddy.js';
import type { EddyConfig } from '../../src/config.js';

export interface TestEddy {
  eddy: Eddy;
  endpoint: string;
  ddb: DynamoDBClient;
  close(): Promise<void>;
}

export const testCredentials = { accessKeyId: 'AKIDEDDYTEST', secretAccessKey: 'eddy-test-secret' };

/** A real Eddy server on a free port (in memory unless told otherwise), and an SDK client for it. */
export async function startEddy(overrides: Partial<EddyConfig> = {}): Promise<TestEddy> {
  const eddy = createEddy({ port: 0, inMemory: true, ...overrides });
  const endpoint = await eddy.listen();
  const ddb = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
  return {
    eddy,
    endpoint,
    ddb,
    close: async () => {
      ddb.destroy();
      await eddy.close();
    },
  };
}

/** A signed-looking Authorization header: Eddy reads the region from it and does not verify yet. */
export function fakeAuthorization(region = 'us-east-1'): string {
  return `AWS4-HMAC-SHA256 Credential=AKIDEDDYTEST/20260101/${region}/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=00`;
}

/** Sends a raw AWS JSON 1.0 request, for inputs no SDK would produce. */
export async function rawDynamo(
  endpoint: string,
  operation: string,
  body: string | object,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; json: any; text: string }> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': `DynamoDB_20120810.${operation}`,
      Authorization: fakeAuthorization(),
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

/** Runs `fn` and returns the error it throws (fails the test if it does not throw). */
export async function errorOf(fn: () => Promise<unknown>): Promise<{ name: string; message: string; $metadata?: { httpStatusCode?: number } } & Record<string, any>> {
  try {
    await fn();
  } catch (error) {
    return error as any;
  }
  throw new Error('expected an error, got success');
}
