import { invalidAttributeValue, invalidParameter, sqsError, unknownAttribute } from './errors.js';
import { parseQueueArn } from './queue-names.js';

/** What a queue is created with when an attribute is not given (AWS's defaults, 2025: 1 MiB messages). */
export const DEFAULT_ATTRIBUTES: Readonly<Record<string, string>> = {
  VisibilityTimeout: '30',
  MaximumMessageSize: '1048576',
  MessageRetentionPeriod: '345600',
  DelaySeconds: '0',
  ReceiveMessageWaitTimeSeconds: '0',
  SqsManagedSseEnabled: 'true',
};

const FIFO_DEFAULTS: Readonly<Record<string, string>> = {
  FifoQueue: 'true',
  ContentBasedDeduplication: 'false',
  DeduplicationScope: 'queue',
  FifoThroughputLimit: 'perQueue',
};

const INTEGER_RANGES: Record<string, [number, number]> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, 1048576],
  MessageRetentionPeriod: [60, 1209600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, 43200],
  KmsDataKeyReusePeriodSeconds: [60, 86400],
};

const FIFO_ONLY = new Set(['ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit']);

/** Attributes a caller may set (FifoQueue only at creation). */
const SETTABLE = new Set([
  ...Object.keys(INTEGER_RANGES),
  'Policy',
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'KmsMasterKeyId',
  'SqsManagedSseEnabled',
  'FifoQueue',
  ...FIFO_ONLY,
]);

/** Attributes only GetQueueAttributes reports. */
export const READ_ONLY_ATTRIBUTES = [
  'QueueArn',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
] as const;

export const ALL_ATTRIBUTE_NAMES = new Set<string>([...SETTABLE, ...READ_ONLY_ATTRIBUTES]);

/** The parsed RedrivePolicy. */
export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

/** Looks up a queue by ARN for redrive checks (exists, and whether it is FIFO). */
export type QueueLookup = (arn: string) => { fifo: boolean; attributes: Record<string, string> } | undefined;

/**
 * Checks attributes given to CreateQueue or SetQueueAttributes and returns them
 * normalised as GetQueueAttributes shows them (RedrivePolicy re-serialised,
 * maxReceiveCount a number). `creating` allows FifoQueue.
 */
export function checkAttributes(given: Record<string, string>, queue: { arn: string; fifo: boolean }, creating: boolean, lookup: QueueLookup): Record<string, string> {
  const fifo = queue.fifo;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) {
    if (!SETTABLE.has(name)) throw unknownAttribute(name);
    if (typeof value !== 'string') throw invalidAttributeValue(name);
    const range = INTEGER_RANGES[name];
    if (range) {
      if (!/^-?\d+$/.test(value.trim()) || Number(value) < range[0] || Number(value) > range[1]) throw invalidAttributeValue(name);
      out[name] = String(Number(value));
      continue;
    }
    switch (name) {
      case 'FifoQueue':
        if (!creating) throw sqsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
        if (value !== 'true' && value !== 'false') throw invalidAttributeValue(name);
        if (value === 'true' && !fifo) throw invalidAttributeValue(name);
        if (value === 'false' && fifo) throw invalidAttributeValue(name);
        break;
      case 'ContentBasedDeduplication':
      case 'SqsManagedSseEnabled':
        if (value !== 'true' && value !== 'false') throw invalidAttributeValue(name);
        break;
      case 'DeduplicationScope':
        if (value !== 'messageGroup' && value !== 'queue') throw invalidAttributeValue(name);
        break;
      case 'FifoThroughputLimit':
        if (value !== 'perQueue' && value !== 'perMessageGroupId') throw invalidAttributeValue(name);
        break;
      case 'Policy':
      case 'RedriveAllowPolicy':
        if (value !== '' && !isJsonObject(value)) throw invalidAttributeValue(name);
        if (name === 'RedriveAllowPolicy' && value !== '') checkRedriveAllowPolicy(value);
        break;
      case 'RedrivePolicy':
        if (value !== '') {
          out[name] = JSON.stringify(parseRedrivePolicy(value, queue, lookup));
          continue;
        }
        break;
    }
    if (FIFO_ONLY.has(name) && !fifo) throw sqsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
    out[name] = value;
  }
  return out;
}

/** The attributes a new queue stores: the defaults, the FIFO defaults, then what was given. */
export function initialAttributes(given: Record<string, string>, fifo: boolean): Record<string, string> {
  const attributes = { ...DEFAULT_ATTRIBUTES, ...(fifo ? FIFO_DEFAULTS : {}), ...given };
  for (const [name, value] of Object.entries(attributes)) if (value === '') delete attributes[name];
  if (!fifo) delete attributes.FifoQueue;
  return attributes;
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

const redriveInvalid = (value: string, reason: string) => invalidParameter('RedrivePolicy', value, reason);

function parseRedrivePolicy(value: string, queue: { arn: string; fifo: boolean }, lookup: QueueLookup): RedrivePolicy {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(value) as Record<string, unknown>;
  } catch {
    throw redriveInvalid(value, 'Redrive policy is not a valid JSON map.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw redriveInvalid(value, 'Redrive policy is not a valid JSON map.');
  const target = parsed.deadLetterTargetArn;
  const count = parsed.maxReceiveCount;
  if (target === undefined) throw redriveInvalid(value, 'Redrive policy does not contain mandatory attribute: deadLetterTargetArn.');
  if (count === undefined) throw redriveInvalid(value, 'Redrive policy does not contain mandatory attribute: maxReceiveCount.');
  for (const key of Object.keys(parsed)) {
    if (key !== 'deadLetterTargetArn' && key !== 'maxReceiveCount') throw redriveInvalid(value, `Only following attributes are supported: [deadLetterTargetArn, maxReceiveCount].`);
  }
  const receives = typeof count === 'number' ? count : typeof count === 'string' && /^\d+$/.test(count) ? Number(count) : NaN;
  if (!Number.isInteger(receives) || receives < 1 || receives > 1000) {
    throw redriveInvalid(value, `Invalid value for maxReceiveCount: ${String(count)}, valid values are from 1 to 1000 both inclusive.`);
  }
  if (typeof target !== 'string' || !parseQueueArn(target)) throw redriveInvalid(value, 'Invalid value for deadLetterTargetArn.');
  const dlq = lookup(target);
  if (!dlq) throw redriveInvalid(value, 'Dead letter target does not exist.');
  if (dlq.fifo !== queue.fifo) throw redriveInvalid(value, 'Dead-letter queue must be same type of queue as the source.');
  // Wording unverified: AWS refuses a source its dead-letter queue's RedriveAllowPolicy does not allow.
  if (!redriveAllows(dlq.attributes, queue.arn)) throw redriveInvalid(value, `Queue ${target} does not allow ${queue.arn} as a source queue.`);
  return { deadLetterTargetArn: target, maxReceiveCount: receives };
}

function checkRedriveAllowPolicy(value: string): void {
  const parsed = JSON.parse(value) as Record<string, unknown>;
  const permission = parsed.redrivePermission;
  const invalid = () => invalidParameter('RedriveAllowPolicy', value, 'Amazon SQS can\'t create the redrive allow policy, as it’s in an unsupported format.');
  if (permission !== 'allowAll' && permission !== 'denyAll' && permission !== 'byQueue') throw invalid();
  const sources = parsed.sourceQueueArns;
  if (permission === 'byQueue') {
    if (!Array.isArray(sources) || sources.length < 1 || sources.length > 10 || !sources.every((s) => typeof s === 'string')) throw invalid();
  } else if (sources !== undefined) {
    throw invalid();
  }
}

/** The RedrivePolicy of stored attributes, if any. */
export function redrivePolicyOf(attributes: Record<string, string>): RedrivePolicy | undefined {
  const text = attributes.RedrivePolicy;
  return text ? (JSON.parse(text) as RedrivePolicy) : undefined;
}

/** Whether a RedriveAllowPolicy lets `sourceArn` use the queue as its dead-letter queue. */
export function redriveAllows(attributes: Record<string, string>, sourceArn: string): boolean {
  const text = attributes.RedriveAllowPolicy;
  if (!text) return true;
  const policy = JSON.parse(text) as { redrivePermission: string; sourceQueueArns?: string[] };
  if (policy.redrivePermission === 'denyAll') return false;
  if (policy.redrivePermission === 'byQueue') return policy.sourceQueueArns?.includes(sourceArn) ?? false;
  return true;
}
