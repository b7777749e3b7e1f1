import { sqsError } from './errors.js';

/** A queue as its URL or ARN names it. */
export interface QueueAddress {
  account: string;
  region: string;
  name: string;
}

/** `arn:aws:sqs:<region>:<account>:<name>`. */
export const queueArn = (q: QueueAddress): string => `arn:aws:sqs:${q.region}:${q.account}:${q.name}`;

/** Queue URLs route back to Eddy through the Host the client used: `http://<host>/<account>/<name>`. */
export const queueUrl = (host: string, q: { account: string; name: string }): string => `http://${host}/${q.account}/${q.name}`;

export function parseQueueArn(arn: string): QueueAddress | undefined {
  const match = /^arn:aws[\w-]*:sqs:([a-z0-9-]+):(\d{12}):([\w.-]{1,80})$/.exec(arn);
  return match ? { region: match[1]!, account: match[2]!, name: match[3]! } : undefined;
}

/**
 * The account and name a QueueUrl names: its last two path segments
 * (`http://host/<account>/<name>`, whatever the host, as SDKs send it back).
 * The region is the request's (AWS's URLs carry it in the host name).
 */
export function parseQueueUrl(url: string): { account: string; name: string } | undefined {
  let parsed = parsedUrls.get(url);
  if (parsed === undefined) {
    // Clients send the same few URLs on every request: remember them (bounded).
    if (parsedUrls.size >= 10_000) parsedUrls.clear();
    parsedUrls.set(url, (parsed = readQueueUrl(url) ?? null));
  }
  return parsed ?? undefined;
}

const parsedUrls = new Map<string, { account: string; name: string } | null>();

function readQueueUrl(url: string): { account: string; name: string } | undefined {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url;
  }
  const parts = path.split('/').filter((p) => p !== '');
  if (parts.length !== 2 || !/^\d{12}$/.test(parts[0]!)) return undefined;
  return { account: parts[0]!, name: parts[1]! };
}

/** Standard names: 1 to 80 alphanumerics, hyphens, underscores; FIFO names end in `.fifo` within those 80. */
export function checkQueueName(name: string, fifo: boolean): void {
  if (fifo) {
    if (!/^[\w-]{1,75}\.fifo$/.test(name)) {
      throw sqsError(
        'InvalidParameterValue',
        'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.',
      );
    }
    return;
  }
  if (!/^[\w-]{1,80}$/.test(name)) {
    throw sqsError('InvalidParameterValue', 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
  }
}
