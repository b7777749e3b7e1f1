/**
 * SNS delivery policies for http(s) subscriptions: checking the JSON a caller
 * sets (on a topic, under a protocol key with `default...` sections; on a
 * subscription, the sections themselves), choosing the policy a subscription
 * runs under, and the retry schedule it implies. Pure functions: the publisher
 * runs the schedule on Eddy's clock.
 *
 * AWS documents the phases, limits and defaults; the exact curves of the four
 * backoff functions and the wording of most validation errors it does not
 * (docs/sns.md lists which texts are confirmed).
 */

export type BackoffFunction = 'linear' | 'arithmetic' | 'geometric' | 'exponential';

/** A retry policy, keys in the order AWS shows them. */
export interface RetryPolicy {
  minDelayTarget: number;
  maxDelayTarget: number;
  numRetries: number;
  numMaxDelayRetries: number;
  numNoDelayRetries: number;
  numMinDelayRetries: number;
  backoffFunction: BackoffFunction;
}

export interface ThrottlePolicy {
  maxReceivesPerSecond: number;
}

export interface RequestPolicy {
  headerContentType: string;
}

/** One protocol's section of a topic policy. */
interface TopicSection {
  defaultHealthyRetryPolicy?: RetryPolicy;
  defaultThrottlePolicy?: ThrottlePolicy;
  defaultRequestPolicy?: RequestPolicy;
  disableSubscriptionOverrides: boolean;
}

type TopicPolicy = Partial<Record<'http' | 'https', TopicSection>>;

interface SubscriptionPolicy {
  healthyRetryPolicy?: RetryPolicy;
  throttlePolicy?: ThrottlePolicy;
  requestPolicy?: RequestPolicy;
}

/** The policy one http(s) subscription is delivered under. */
export interface EffectivePolicy {
  healthyRetryPolicy: RetryPolicy;
  throttlePolicy?: ThrottlePolicy;
  requestPolicy: RequestPolicy;
}

/** AWS's default: 3 retries, 20 seconds apart. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  minDelayTarget: 20,
  maxDelayTarget: 20,
  numRetries: 3,
  numMaxDelayRetries: 0,
  numNoDelayRetries: 0,
  numMinDelayRetries: 0,
  backoffFunction: 'linear',
});

export const DEFAULT_CONTENT_TYPE = 'text/plain; charset=UTF-8';

const BACKOFF_FUNCTIONS = new Set<string>(['linear', 'arithmetic', 'geometric', 'exponential']);
/** The content types AWS documents for `headerContentType`, each also with `; charset=UTF-8`. */
const CONTENT_TYPES = new Set(['text/plain', 'application/json', 'application/xml']);
const MAX_RETRIES = 100;
const MAX_DELAY_SECONDS = 3600;
/** "The total policy retry time for an HTTP/S endpoint cannot be greater than 3,600 seconds." */
const MAX_TOTAL_SECONDS = 3600;

/** Thrown with the text after "DeliveryPolicy: "; the operation words the rest of the message. */
export class DeliveryPolicyError extends Error {}

const fail = (detail: string): never => {
  throw new DeliveryPolicyError(detail);
};

function parseObject(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fail('failed to parse JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return fail('failed to parse JSON.');
  return parsed as Record<string, unknown>;
}

function checkKeys(value: Record<string, unknown>, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(value)) if (!allowed.includes(key)) fail(`${path}${path ? '.' : ''}${key} is not a recognized field`);
}

/** A section that is an object, or absent (missing or null: AWS writes absent sections as null). */
function sectionOf(value: unknown, path: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) return fail(`${path} must be an object`);
  return value as Record<string, unknown>;
}

/** Sections Eddy does not simulate: accepted only when absent or null (as AWS shows them). */
function refuseUnsimulated(value: unknown, path: string, what: string): void {
  if (value !== undefined && value !== null) fail(`${path}: Eddy does not simulate ${what}`);
}

const RETRY_KEYS = ['minDelayTarget', 'maxDelayTarget', 'numRetries', 'numMaxDelayRetries', 'numNoDelayRetries', 'numMinDelayRetries', 'backoffFunction'] as const;

/**
 * Checks a retry policy. On a subscription minDelayTarget, maxDelayTarget and
 * numRetries must be given (AWS: "healthyRetryPolicy.minDelayTarget must be
 * specified"); on a topic missing values take the defaults.
 */
function checkRetryPolicy(value: Record<string, unknown>, path: string, required: boolean): RetryPolicy {
  checkKeys(value, RETRY_KEYS, path);
  if (required) for (const key of ['minDelayTarget', 'maxDelayTarget', 'numRetries'] as const) if (value[key] === undefined || value[key] === null) fail(`${path}.${key} must be specified`);
  const integer = (key: Exclude<(typeof RETRY_KEYS)[number], 'backoffFunction'>): number => {
    const given = value[key];
    if (given === undefined || given === null) return DEFAULT_RETRY_POLICY[key];
    if (typeof given !== 'number' || !Number.isInteger(given)) return fail(`${path}.${key} must be an integer`);
    return given;
  };
  const policy: RetryPolicy = {
    minDelayTarget: integer('minDelayTarget'),
    maxDelayTarget: integer('maxDelayTarget'),
    numRetries: integer('numRetries'),
    numMaxDelayRetries: integer('numMaxDelayRetries'),
    numNoDelayRetries: integer('numNoDelayRetries'),
    numMinDelayRetries: integer('numMinDelayRetries'),
    backoffFunction: DEFAULT_RETRY_POLICY.backoffFunction,
  };
  const backoff = value.backoffFunction;
  if (backoff !== undefined && backoff !== null) {
    if (typeof backoff !== 'string' || !BACKOFF_FUNCTIONS.has(backoff)) fail(`${path}.backoffFunction must be one of linear, arithmetic, geometric, exponential`);
    policy.backoffFunction = backoff as BackoffFunction;
  }
  if (policy.minDelayTarget < 1) fail(`${path}.minDelayTarget must be greater than or equal to 1`);
  if (policy.maxDelayTarget > MAX_DELAY_SECONDS) fail(`${path}.maxDelayTarget must be less than or equal to ${MAX_DELAY_SECONDS}`);
  if (policy.maxDelayTarget < policy.minDelayTarget) fail(`${path}.maxDelayTarget must be greater than or equal to minDelayTarget`);
  for (const key of ['numRetries', 'numMaxDelayRetries', 'numNoDelayRetries', 'numMinDelayRetries'] as const) {
    if (policy[key] < 0) fail(`${path}.${key} must be greater than or equal to 0`);
  }
  if (policy.numRetries > MAX_RETRIES) fail(`${path}.numRetries must be less than or equal to ${MAX_RETRIES}`);
  if (policy.numNoDelayRetries + policy.numMinDelayRetries + policy.numMaxDelayRetries > policy.numRetries) {
    fail(`${path}.numRetries must be greater than or equal to total of numMinDelayRetries, numNoDelayRetries and numMaxDelayRetries`);
  }
  const totalMs = retryDelaysMs(policy).reduce((sum, ms) => sum + ms, 0);
  if (totalMs > MAX_TOTAL_SECONDS * 1000) fail(`${path}: Total policy retry time cannot be greater than ${MAX_TOTAL_SECONDS} seconds`);
  return policy;
}

function checkThrottlePolicy(value: Record<string, unknown>, path: string): ThrottlePolicy {
  checkKeys(value, ['maxReceivesPerSecond'], path);
  const rate = value.maxReceivesPerSecond;
  if (rate === undefined || rate === null) return fail(`${path}.maxReceivesPerSecond must be specified`);
  if (typeof rate !== 'number' || !Number.isInteger(rate)) return fail(`${path}.maxReceivesPerSecond must be an integer`);
  if (rate < 1) fail(`${path}.maxReceivesPerSecond must be greater than or equal to 1`);
  return { maxReceivesPerSecond: rate };
}

function checkRequestPolicy(value: Record<string, unknown>, path: string): RequestPolicy | undefined {
  checkKeys(value, ['headerContentType'], path);
  const type = value.headerContentType;
  if (type === undefined || type === null) return undefined;
  const [media, ...parameters] = typeof type === 'string' ? type.split(';').map((part) => part.trim()) : [];
  const charsetOk = parameters.length === 0 || (parameters.length === 1 && parameters[0]!.toLowerCase() === 'charset=utf-8');
  if (typeof type !== 'string' || !CONTENT_TYPES.has(media!.toLowerCase()) || !charsetOk) {
    fail(`${path}.headerContentType must be one of text/plain, application/json, application/xml (optionally with "; charset=UTF-8")`);
  }
  return { headerContentType: type as string };
}

/** Checks a topic's DeliveryPolicy (`{"http": {"defaultHealthyRetryPolicy": ...}}`); throws DeliveryPolicyError. */
export function parseTopicDeliveryPolicy(text: string): TopicPolicy {
  const document = parseObject(text);
  const policy: TopicPolicy = {};
  for (const [protocol, raw] of Object.entries(document)) {
    if (protocol !== 'http' && protocol !== 'https') return fail(`${protocol}: Eddy applies delivery policies to the http and https protocols only`);
    const section = sectionOf(raw, protocol);
    if (!section) continue;
    checkKeys(section, ['defaultHealthyRetryPolicy', 'defaultSicklyRetryPolicy', 'defaultThrottlePolicy', 'defaultRequestPolicy', 'disableSubscriptionOverrides'], protocol);
    refuseUnsimulated(section.defaultSicklyRetryPolicy, `${protocol}.defaultSicklyRetryPolicy`, 'sickly retry policies');
    const disable = section.disableSubscriptionOverrides ?? false;
    if (typeof disable !== 'boolean') fail(`${protocol}.disableSubscriptionOverrides must be true or false`);
    const retry = sectionOf(section.defaultHealthyRetryPolicy, `${protocol}.defaultHealthyRetryPolicy`);
    const throttle = sectionOf(section.defaultThrottlePolicy, `${protocol}.defaultThrottlePolicy`);
    const request = sectionOf(section.defaultRequestPolicy, `${protocol}.defaultRequestPolicy`);
    policy[protocol] = {
      defaultHealthyRetryPolicy: retry && checkRetryPolicy(retry, `${protocol}.defaultHealthyRetryPolicy`, false),
      defaultThrottlePolicy: throttle && checkThrottlePolicy(throttle, `${protocol}.defaultThrottlePolicy`),
      defaultRequestPolicy: request && checkRequestPolicy(request, `${protocol}.defaultRequestPolicy`),
      disableSubscriptionOverrides: disable as boolean,
    };
  }
  return policy;
}

/** Checks a subscription's DeliveryPolicy (`{"healthyRetryPolicy": ...}`); throws DeliveryPolicyError. */
export function parseSubscriptionDeliveryPolicy(text: string): SubscriptionPolicy {
  const document = parseObject(text);
  checkKeys(document, ['healthyRetryPolicy', 'sicklyRetryPolicy', 'throttlePolicy', 'requestPolicy', 'guaranteed'], '');
  refuseUnsimulated(document.sicklyRetryPolicy, 'sicklyRetryPolicy', 'sickly retry policies');
  if (document.guaranteed !== undefined && document.guaranteed !== null && document.guaranteed !== false) fail('guaranteed: Eddy does not simulate guaranteed delivery');
  const retry = sectionOf(document.healthyRetryPolicy, 'healthyRetryPolicy');
  const throttle = sectionOf(document.throttlePolicy, 'throttlePolicy');
  const request = sectionOf(document.requestPolicy, 'requestPolicy');
  return {
    healthyRetryPolicy: retry && checkRetryPolicy(retry, 'healthyRetryPolicy', true),
    throttlePolicy: throttle && checkThrottlePolicy(throttle, 'throttlePolicy'),
    requestPolicy: request && checkRequestPolicy(request, 'requestPolicy'),
  };
}

/** A stored policy (checked when it was set); one stored before Eddy checked policies counts as none. */
function storedOr<T>(text: string | undefined, parse: (text: string) => T): T | undefined {
  if (!text) return undefined;
  try {
    return parse(text);
  } catch (error) {
    if (error instanceof DeliveryPolicyError) return undefined;
    throw error;
  }
}

/**
 * The policy an http(s) subscription runs under, section by section: its own,
 * unless the topic disables subscription overrides; else the topic's for the
 * protocol (an https subscription reads the topic's `https` section, else its
 * `http` one); else AWS's default.
 */
export function effectivePolicy(protocol: string, topicPolicyText: string | undefined, subscriptionPolicyText: string | undefined): EffectivePolicy {
  const topic = storedOr(topicPolicyText, parseTopicDeliveryPolicy);
  const section = (protocol === 'https' ? topic?.https : undefined) ?? topic?.http;
  const own = section?.disableSubscriptionOverrides ? undefined : storedOr(subscriptionPolicyText, parseSubscriptionDeliveryPolicy);
  const throttle = own?.throttlePolicy ?? section?.defaultThrottlePolicy;
  return {
    healthyRetryPolicy: own?.healthyRetryPolicy ?? section?.defaultHealthyRetryPolicy ?? DEFAULT_RETRY_POLICY,
    ...(throttle ? { throttlePolicy: throttle } : {}),
    requestPolicy: own?.requestPolicy ?? section?.defaultRequestPolicy ?? { headerContentType: DEFAULT_CONTENT_TYPE },
  };
}

/** A subscription's EffectiveDeliveryPolicy as GetSubscriptionAttributes shows it. */
export function subscriptionEffectiveView(policy: EffectivePolicy): string {
  return JSON.stringify({
    healthyRetryPolicy: policy.healthyRetryPolicy,
    sicklyRetryPolicy: null,
    throttlePolicy: policy.throttlePolicy ?? null,
    requestPolicy: policy.requestPolicy,
    guaranteed: false,
  });
}

/** A topic's EffectiveDeliveryPolicy: each protocol section with the defaults filled in. */
export function topicEffectiveView(topicPolicyText: string | undefined): string {
  const topic = storedOr(topicPolicyText, parseTopicDeliveryPolicy) ?? {};
  const view: Record<string, unknown> = {};
  for (const protocol of ['http', 'https'] as const) {
    const section = topic[protocol];
    if (!section && (protocol === 'https' || topic.https)) continue;
    view[protocol] = {
      defaultHealthyRetryPolicy: section?.defaultHealthyRetryPolicy ?? DEFAULT_RETRY_POLICY,
      disableSubscriptionOverrides: section?.disableSubscriptionOverrides ?? false,
      ...(section?.defaultThrottlePolicy ? { defaultThrottlePolicy: section.defaultThrottlePolicy } : {}),
      defaultRequestPolicy: section?.defaultRequestPolicy ?? { headerContentType: DEFAULT_CONTENT_TYPE },
    };
  }
  return JSON.stringify(view);
}

/**
 * The delay before each retry, in milliseconds (one entry per retry): the
 * immediate phase (0), the pre-backoff phase (minDelayTarget), the backoff
 * phase from minDelayTarget (its first retry) to maxDelayTarget (its last)
 * along the backoff function, the post-backoff phase (maxDelayTarget).
 *
 * AWS draws the four functions without formulas; Eddy's: linear steps;
 * arithmetic, steps that grow by the same amount each time; geometric, a
 * constant ratio; exponential, steps that double. No jitter (AWS adds some).
 */
export function retryDelaysMs(policy: RetryPolicy): number[] {
  const { minDelayTarget: min, maxDelayTarget: max, numNoDelayRetries, numMinDelayRetries, numMaxDelayRetries } = policy;
  const backoffRetries = Math.max(0, policy.numRetries - numNoDelayRetries - numMinDelayRetries - numMaxDelayRetries);
  const seconds: number[] = [];
  for (let i = 0; i < numNoDelayRetries; i++) seconds.push(0);
  for (let i = 0; i < numMinDelayRetries; i++) seconds.push(min);
  for (let k = 0; k < backoffRetries; k++) seconds.push(backoffDelay(policy.backoffFunction, min, max, k, backoffRetries));
  for (let i = 0; i < numMaxDelayRetries; i++) seconds.push(max);
  return seconds.map((s) => Math.round(s * 1000));
}

/** The delay of retry `k` (0-based) of `n` in the backoff phase, in seconds. */
function backoffDelay(fn: BackoffFunction, min: number, max: number, k: number, n: number): number {
  if (n === 1) return min;
  const last = n - 1;
  switch (fn) {
    case 'linear':
      return min + ((max - min) * k) / last;
    case 'arithmetic':
      return min + ((max - min) * k * (k + 1)) / (last * n);
    case 'geometric':
      return min * (max / min) ** (k / last);
    case 'exponential':
      return min + ((max - min) * (2 ** k - 1)) / (2 ** last - 1);
  }
}

/**
 * How an http(s) attempt ended, as AWS classifies it: 2xx delivered; 4xx a
 * permanent failure (no retry); anything else (5xx, 1xx, 3xx, a connection
 * error, the 15-second timeout) a failure worth retrying.
 */
export function attemptOutcome(status: number | undefined): 'delivered' | 'permanent' | 'retry' {
  if (status === undefined) return 'retry';
  if (status >= 200 && status < 300) return 'delivered';
  if (status >= 400 && status < 500) return 'permanent';
  return 'retry';
}
