import { SNSClient } from '@aws-sdk/client-sns';
import { startEddy, testCredentials, type TestEddy } from '../helpers/eddy.js';

export interface SnsTestEddy extends TestEddy {
  sns: SNSClient;
}

/** A real Eddy (with `overrides` of its configuration) and an SDK v3 SNS client for it. */
export async function startSnsEddy(overrides: Parameters<typeof startEddy>[0] = {}): Promise<SnsTestEddy> {
  const t = await startEddy(overrides);
  const sns = new SNSClient({ endpoint: t.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
  return {
    ...t,
    sns,
    close: async () => {
      sns.destroy();
      await t.close();
    },
  };
}

/** Sends a raw Query-protocol request to SNS, for inputs no SDK would produce. */
export async function rawSns(endpoint: string, params: Record<string, string>, signed = true): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (signed) headers.Authorization = 'AWS4-HMAC-SHA256 Credential=AKIDEDDYTEST/20260101/us-east-1/sns/aws4_request, SignedHeaders=host, Signature=00';
  const res = await fetch(endpoint, { method: 'POST', headers, body: new URLSearchParams({ Version: '2010-03-31', ...params }).toString() });
  return { status: res.status, text: await res.text() };
}
