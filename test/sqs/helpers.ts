import { SQSClient } from '@aws-sdk/client-sqs';
import { startEddy, testCredentials, fakeAuthorization, type TestEddy } from '../helpers/eddy.js';

export interface SqsTestEddy extends TestEddy {
  sqs: SQSClient;
}

/** A real Eddy and an SDK v3 SQS client for it (MD5 checks on, as by default). */
export async function startSqsEddy(): Promise<SqsTestEddy> {
  const started = await startEddy();
  const sqs = new SQSClient({ endpoint: started.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
  return {
    ...started,
    sqs,
    close: async () => {
      sqs.destroy();
      await started.close();
    },
  };
}

/** Sends a raw AWS JSON 1.0 SQS request, to see the wire form of answers and errors. */
export async function rawSqs(endpoint: string, operation: string, body: object | string, path = '/'): Promise<{ status: number; headers: Headers; json: any }> {
  const response = await fetch(endpoint + path, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': `AmazonSQS.${operation}`,
      Authorization: fakeAuthorization().replace('/dynamodb/', '/sqs/'),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : undefined };
}

/** Sends a raw Query-protocol (form-encoded) SQS request. */
export async function querySqs(endpoint: string, params: Record<string, string>, path = '/'): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(endpoint + path, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
      Authorization: fakeAuthorization().replace('/dynamodb/', '/sqs/'),
    },
    body: new URLSearchParams({ Version: '2012-11-05', ...params }).toString(),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}
