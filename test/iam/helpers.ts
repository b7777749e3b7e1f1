import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { startEddy, testCredentials, type TestEddy } from '../helpers/eddy.js';

export interface IamTestEddy extends TestEddy {
  iam: IAMClient;
  sts: STSClient;
}

/** A real Eddy (with `overrides` of its configuration) and SDK v3 IAM and STS clients for it, signing for us-east-1 as IAM's clients do. */
export async function startIamEddy(overrides: Parameters<typeof startEddy>[0] = {}): Promise<IamTestEddy> {
  const t = await startEddy(overrides);
  const iam = new IAMClient({ endpoint: t.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
  const sts = new STSClient({ endpoint: t.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
  return {
    ...t,
    iam,
    sts,
    close: async () => {
      iam.destroy();
      sts.destroy();
      await t.close();
    },
  };
}

/** Sends a raw Query-protocol request to IAM, for inputs no SDK would produce. */
export async function rawIam(endpoint: string, params: Record<string, string>): Promise<{ status: number; text: string }> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEDDYTEST/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=00',
    },
    body: new URLSearchParams({ Version: '2010-05-08', ...params }).toString(),
  });
  return { status: res.status, text: await res.text() };
}

export const lambdaTrustPolicy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }],
});

/** The error an SDK call failed with: its name (the model's exception shape for IAM's codes: NoSuchEntity -> NoSuchEntityException), message and HTTP status. */
export async function failure(call: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await call;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('the call succeeded');
}
