import { createHash, randomUUID } from 'node:crypto';
import type { SnsFilterPolicy } from '../event-patterns/index.js';
import type { SqsInternal } from '../sqs/index.js';
import { invalidParameter } from './arns.js';
import { ClockTimers, type TimerClock } from '../clock-timers.js';
import { attemptOutcome, DEFAULT_CONTENT_TYPE, effectivePolicy, retryDelaysMs } from './delivery-policy.js';
import type { MessageAttributes, MessageToPublish } from './message.js';
import type { SnsStore, SubscriptionRecord, TopicRecord } from './sns-store.js';
import type { UrlDeliveryStore } from './url-deliveries.js';
import { compileFilterPolicy, filterPolicyScopeOf } from './subscription-attributes.js';
import { isFifoTopic } from './topic-attributes.js';
import { setOwn } from '../own-property.js';

export type { SqsInternal };

/** What SNS needs of Lambda: an asynchronous invocation. */
export interface LambdaInvoker {
  invoke(request: { functionName: string; payload: string; invocationType: 'Event' }): Promise<unknown>;
}

export interface PublisherDeps {
  store: SnsStore;
  /** http(s) deliveries not yet finished, kept across restarts. */
  urlDeliveries: UrlDeliveryStore;
  /** Eddy's clock: FIFO deduplication windows and http(s) retries run on it. */
  clock: TimerClock;
  sqs: SqsInternal;
  lambda: LambdaInvoker;
  /**
   * Runs `work` in one SQLite transaction: a publish's deliveries to queues
   * commit together (one commit instead of one per queue).
   */
  transaction(work: () => void): void;
  /** Eddy's own URL (`http://127.0.0.1:4566`), for SubscribeURL, UnsubscribeURL and SigningCertURL. */
  endpoint(): string;
  onError(error: unknown, what: string): void;
}

interface ActiveSubscription {
  record: SubscriptionRecord;
  filter?: SnsFilterPolicy;
  raw: boolean;
  deadLetterQueue?: string;
}

/** One notification on its way to an http(s) subscription, across its attempts. */
interface UrlDelivery {
  /** Its row in the durable queue. */
  id: string;
  subscription: ActiveSubscription;
  messageId: string;
  body: string;
  contentType: string;
  /** The delay before each retry (ms), from the delivery policy. */
  delays: readonly number[];
  /** Retries scheduled so far (the next one is `delays[retries]`). */
  retries: number;
  /** The throttle policy's maxReceivesPerSecond, if any. */
  rate?: number;
}

/** How long a FIFO topic remembers a deduplication id. */
const DEDUPLICATION_MS = 5 * 60 * 1000;

/**
 * The FIFO rules of Publish: on a FIFO topic a MessageGroupId, and a
 * MessageDeduplicationId unless the topic deduplicates by content (then the
 * SHA-256 of the message); on a standard topic no MessageDeduplicationId.
 * Returns the deduplication id (undefined on a standard topic).
 */
export function deduplicationIdOf(topic: TopicRecord, message: MessageToPublish): string | undefined {
  if (!isFifoTopic(topic)) {
    if (message.messageDeduplicationId !== undefined) {
      throw invalidParameter('MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type');
    }
    return undefined;
  }
  if (message.messageGroupId === undefined) throw invalidParameter('The MessageGroupId parameter is required for FIFO topics');
  if (message.messageDeduplicationId !== undefined) return message.messageDeduplicationId;
  if (topic.attributes.ContentBasedDeduplication !== 'true') {
    throw invalidParameter('The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
  }
  return createHash('sha256').update(message.message).digest('hex');
}

/** Delivery to http(s) endpoints only reaches this machine: Eddy is local. */
export function isLocalEndpoint(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Fans published messages out to a topic's confirmed subscriptions whose
 * filter policy matches: to SQS synchronously (the same process and database,
 * so a ReceiveMessage right after Publish sees the message), to Lambda as an
 * asynchronous invocation, to local http(s) endpoints as a POST retried as
 * the delivery policy says (on Eddy's clock). Deliveries that fail for good go
 * to the subscription's dead-letter queue when it has one.
 */
export class Publisher {
  private readonly subscriptionCache = new Map<string, { generation: number; subscriptions: ActiveSubscription[] }>();
  private readonly deduplication = new Map<string, { messageId: string; sequenceNumber: string; expiresAt: number }>();
  private readonly inFlight = new Set<Promise<void>>();
  /** Retries and throttled attempts waiting for their time (their deliveries are durable: urlDeliveries). */
  private readonly timers: ClockTimers;
  /** Per subscription with a throttle policy: when (clock ms) its next attempt may start. */
  private readonly throttleSlots = new Map<string, number>();
  /** Delivery policies by (protocol, topic policy, subscription policy): resolved once. */
  private readonly policies = new Map<string, { contentType: string; delays: readonly number[]; rate?: number }>();
  private sequence = 0n;

  constructor(private readonly deps: PublisherDeps) {
    this.timers = new ClockTimers(deps.clock, (error) => deps.onError(error, 'http(s) delivery retry'));
  }

  /** Drops the retries waiting on the clock (Eddy is closing). */
  close(): void {
    this.timers.close();
  }

  /** How many http(s) attempts (retries, throttled sends) wait for their time on the clock. */
  get waitingAttempts(): number {
    return this.timers.size;
  }

  /**
   * Resolves when every Lambda and http(s) delivery attempt started so far has
   * finished (with its immediate retries); retries due later on the clock are
   * not waited for: advance the clock, then wait again.
   */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Publishes one checked message to `topic`: the FIFO rules, then delivery. */
  publish(topic: TopicRecord, message: MessageToPublish): { messageId: string; sequenceNumber?: string } {
    const deduplicationId = deduplicationIdOf(topic, message);
    const now = this.deps.clock.now();
    if (deduplicationId !== undefined) {
      const key = `${topic.arn}\n${deduplicationId}`;
      const seen = this.deduplication.get(key);
      if (seen && seen.expiresAt > now) return { messageId: seen.messageId, sequenceNumber: seen.sequenceNumber };
      const sequenceNumber = this.nextSequenceNumber(now);
      const messageId = randomUUID();
      this.forgetExpired(now);
      this.deduplication.set(key, { messageId, sequenceNumber, expiresAt: now + DEDUPLICATION_MS });
      this.deliver(topic, message, messageId, now, { sequenceNumber, deduplicationId });
      return { messageId, sequenceNumber };
    }
    const messageId = randomUUID();
    this.deliver(topic, message, messageId, now, undefined);
    return { messageId };
  }

  /** Sends an http(s) subscription its SubscriptionConfirmation (with the token ConfirmSubscription takes). */
  sendConfirmation(subscription: SubscriptionRecord): void {
    const endpoint = this.deps.endpoint();
    const messageId = randomUUID();
    const body = {
      Type: 'SubscriptionConfirmation',
      MessageId: messageId,
      Token: subscription.token,
      TopicArn: subscription.topicArn,
      Message: `You have chosen to subscribe to the topic ${subscription.topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
      SubscribeURL: `${endpoint}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(subscription.topicArn)}&Token=${subscription.token}`,
      Timestamp: new Date(this.deps.clock.now()).toISOString(),
      SignatureVersion: '1',
      Signature: signatureOf(messageId, subscription.topicArn),
      SigningCertURL: signingCertUrl(endpoint),
    };
    this.track(this.post(subscription, 'SubscriptionConfirmation', messageId, JSON.stringify(body), false).then(
      () => undefined,
      (error: unknown) => this.deps.onError(error, `subscription confirmation to ${subscription.endpoint}`),
    ));
  }

  private nextSequenceNumber(now: number): string {
    // Grows across restarts (milliseconds first), 20 digits like AWS's.
    const floor = BigInt(now) * 1_000_000n;
    this.sequence = this.sequence < floor ? floor : this.sequence + 1n;
    return this.sequence.toString().padStart(20, '0');
  }

  private forgetExpired(now: number): void {
    if (this.deduplication.size < 1000) return;
    for (const [key, entry] of this.deduplication) if (entry.expiresAt <= now) this.deduplication.delete(key);
  }

  private activeSubscriptions(topicArn: string): ActiveSubscription[] {
    const generation = this.deps.store.subscriptionsGeneration;
    const cached = this.subscriptionCache.get(topicArn);
    if (cached && cached.generation === generation) return cached.subscriptions;
    const subscriptions = this.deps.store
      .subscriptionsOf(topicArn)
      .filter((s) => !s.pending)
      .map(activeSubscription);
    if (this.subscriptionCache.size > 10_000) this.subscriptionCache.clear();
    this.subscriptionCache.set(topicArn, { generation, subscriptions });
    return subscriptions;
  }

  private deliver(topic: TopicRecord, message: MessageToPublish, messageId: string, now: number, fifo: { sequenceNumber: string; deduplicationId: string } | undefined): void {
    const subscriptions = this.activeSubscriptions(topic.arn);
    if (subscriptions.length === 0) return;
    this.deps.transaction(() => this.deliverEach(subscriptions, topic, message, messageId, now, fifo));
  }

  private deliverEach(
    subscriptions: ActiveSubscription[],
    topic: TopicRecord,
    message: MessageToPublish,
    messageId: string,
    now: number,
    fifo: { sequenceNumber: string; deduplicationId: string } | undefined,
  ): void {
    const timestamp = new Date(now).toISOString();
    // Subscriptions of one protocol get the same text: its signature is computed once.
    let lastText: string | undefined;
    let lastSignature = '';
    for (const subscription of subscriptions) {
      const { record } = subscription;
      const text = message.perProtocol ? (message.perProtocol[record.protocol] ?? message.perProtocol.default!) : message.message;
      if (subscription.filter && !subscription.filter.matches({ messageAttributes: message.attributes, body: text })) continue;
      const notification = { topic, message, text, messageId, timestamp, sequenceNumber: fifo?.sequenceNumber, signature: text === lastText ? lastSignature : signatureOf(messageId, text) };
      lastText = text;
      lastSignature = notification.signature;
      try {
        if (record.protocol === 'sqs') this.deliverToQueue(subscription, notification, fifo?.deduplicationId);
        else if (record.protocol === 'lambda') this.deliverToFunction(subscription, notification);
        else this.deliverToUrl(subscription, notification);
      } catch (error) {
        this.deps.onError(error, `delivery to ${record.endpoint}`);
      }
    }
  }

  private deliverToQueue(subscription: ActiveSubscription, n: Notification, deduplicationId: string | undefined): void {
    const { record } = subscription;
    const fifoQueue = record.endpoint.endsWith('.fifo');
    const body = subscription.raw ? n.text : JSON.stringify(envelope(n, record, this.deps.endpoint()));
    const sent = {
      body,
      messageAttributes: subscription.raw && n.message.attributes ? sqsAttributes(n.message.attributes) : undefined,
      messageGroupId: fifoQueue || !isFifoTopic(n.topic) ? n.message.messageGroupId : undefined,
      messageDeduplicationId: fifoQueue ? deduplicationId : undefined,
    };
    const sqs = this.deps.sqs;
    if (sqs.queueExists(record.endpoint)) {
      sqs.sendMessage(record.endpoint, sent);
      return;
    }
    // The queue is gone: AWS moves the message to the subscription's dead-letter queue.
    if (subscription.deadLetterQueue && sqs.queueExists(subscription.deadLetterQueue)) sqs.sendMessage(subscription.deadLetterQueue, sent);
    else this.deps.onError(new Error(`queue ${record.endpoint} does not exist`), `delivery of ${n.messageId}`);
  }

  private deliverToFunction(subscription: ActiveSubscription, n: Notification): void {
    const lambda = this.deps.lambda;
    const { record } = subscription;
    const endpoint = this.deps.endpoint();
    const event = {
      Records: [
        {
          EventSource: 'aws:sns',
          EventVersion: '1.0',
          EventSubscriptionArn: record.arn,
          Sns: {
            Type: 'Notification',
            MessageId: n.messageId,
            ...(n.sequenceNumber === undefined ? {} : { SequenceNumber: n.sequenceNumber }),
            TopicArn: n.topic.arn,
            Subject: n.message.subject ?? null,
            Message: n.text,
            Timestamp: n.timestamp,
            SignatureVersion: '1',
            Signature: n.signature,
            SigningCertUrl: signingCertUrl(endpoint),
            UnsubscribeUrl: unsubscribeUrl(endpoint, record.arn),
            MessageAttributes: envelopeAttributes(n.message.attributes),
          },
        },
      ],
    };
    this.track(
      lambda.invoke({ functionName: record.endpoint, payload: JSON.stringify(event), invocationType: 'Event' }).then(
        () => undefined,
        (error: unknown) => this.deadLetter(subscription, JSON.stringify(envelope(n, record, endpoint)), error),
      ),
    );
  }

  /** Runs inside the publish transaction: the delivery's durable row commits with the publish. */
  private deliverToUrl(subscription: ActiveSubscription, n: Notification): void {
    const { record } = subscription;
    const body = subscription.raw ? n.text : JSON.stringify(envelope(n, record, this.deps.endpoint()));
    const policy = this.policyOf(n.topic, record);
    const id = randomUUID();
    this.deps.urlDeliveries.insert({ id, subscriptionArn: record.arn, messageId: n.messageId, body, retries: 0, dueAt: this.deps.clock.now() });
    this.attempt({ id, subscription, messageId: n.messageId, body, contentType: policy.contentType, delays: policy.delays, retries: 0, rate: policy.rate });
  }

  /**
   * Takes up the http(s) deliveries a previous run had not finished, each when
   * its next attempt is due; those of subscriptions gone or pending are dropped.
   */
  resumeUrlDeliveries(): void {
    for (const row of this.deps.urlDeliveries.all()) {
      const record = this.deps.store.subscription(row.subscriptionArn);
      const topic = record && !record.pending ? this.deps.store.topicToPublish(record.topicArn) : undefined;
      if (!record || !topic) {
        this.deps.urlDeliveries.remove(row.id);
        continue;
      }
      const policy = this.policyOf(topic, record);
      const d: UrlDelivery = { ...row, subscription: activeSubscription(record), contentType: policy.contentType, delays: policy.delays, rate: policy.rate };
      this.timers.schedule(row.dueAt, () => this.attempt(d));
    }
  }

  private policyOf(topic: TopicRecord, record: SubscriptionRecord): { contentType: string; delays: readonly number[]; rate?: number } {
    const topicPolicy = topic.attributes.DeliveryPolicy;
    const ownPolicy = record.attributes.DeliveryPolicy;
    const key = `${record.protocol}\n${topicPolicy ?? ''}\n${ownPolicy ?? ''}`;
    let resolved = this.policies.get(key);
    if (!resolved) {
      const policy = effectivePolicy(record.protocol, topicPolicy, ownPolicy);
      resolved = { contentType: policy.requestPolicy.headerContentType, delays: retryDelaysMs(policy.healthyRetryPolicy), rate: policy.throttlePolicy?.maxReceivesPerSecond };
      if (this.policies.size > 1000) this.policies.clear();
      this.policies.set(key, resolved);
    }
    return resolved;
  }

  /** Starts an attempt now, or when the subscription's throttle policy lets it. */
  private attempt(d: UrlDelivery): void {
    const now = this.deps.clock.now();
    const start = d.rate === undefined ? now : this.throttleSlot(d.subscription.record.arn, d.rate, now);
    if (start > now) this.timers.schedule(start, () => this.send(d));
    else this.send(d);
  }

  /** Reserves the subscription's next slot at `rate` attempts a second and returns when it starts. */
  private throttleSlot(subscriptionArn: string, rate: number, now: number): number {
    const start = Math.max(now, this.throttleSlots.get(subscriptionArn) ?? now);
    if (this.throttleSlots.size > 10_000) for (const [arn, free] of this.throttleSlots) if (free <= now) this.throttleSlots.delete(arn);
    this.throttleSlots.set(subscriptionArn, start + 1000 / rate);
    return start;
  }

  private send(d: UrlDelivery): void {
    const { record } = d.subscription;
    // A retry stops when the subscription was removed meanwhile.
    if (d.retries > 0 && !this.deps.store.subscription(record.arn)) {
      this.finish(d);
      return;
    }
    this.track(
      this.post(record, 'Notification', d.messageId, d.body, d.subscription.raw, d.contentType).then(
        (status) => this.afterAttempt(d, status, new Error(`${record.endpoint} answered ${status}`)),
        (error: unknown) => this.afterAttempt(d, undefined, error),
      ),
    );
  }

  /** Retries a failed attempt as the policy says; a permanent failure, or the last retry's, goes to the dead-letter queue. */
  private afterAttempt(d: UrlDelivery, status: number | undefined, cause: unknown): void {
    try {
      const outcome = attemptOutcome(status);
      if (outcome === 'retry' && d.retries < d.delays.length) {
        const delay = d.delays[d.retries]!;
        const dueAt = this.deps.clock.now() + delay;
        this.deps.urlDeliveries.reschedule(d.id, ++d.retries, dueAt);
        if (delay === 0) this.attempt(d);
        else this.timers.schedule(dueAt, () => this.attempt(d));
        return;
      }
      // The dead letter and the end of the delivery commit together.
      if (outcome === 'delivered') this.finish(d);
      else this.deps.transaction(() => this.finish(d, { cause }));
    } catch (error) {
      this.deps.onError(error, `delivery to ${d.subscription.record.endpoint}`);
    }
  }

  /** Ends a delivery: its row goes; a failed one's message goes to the dead-letter queue. */
  private finish(d: UrlDelivery, failed?: { cause: unknown }): void {
    if (failed) this.deadLetter(d.subscription, d.body, failed.cause);
    this.deps.urlDeliveries.remove(d.id);
  }

  /** Runs after a failed asynchronous delivery: never throws (it ends a promise chain nobody awaits). */
  private deadLetter(subscription: ActiveSubscription, body: string, cause: unknown): void {
    const sqs = this.deps.sqs;
    try {
      if (subscription.deadLetterQueue && sqs.queueExists(subscription.deadLetterQueue)) {
        sqs.sendMessage(subscription.deadLetterQueue, { body });
        return;
      }
    } catch (error) {
      this.deps.onError(error, `dead-letter queue ${subscription.deadLetterQueue}`);
    }
    this.deps.onError(cause, `delivery to ${subscription.record.endpoint}`);
  }

  /** POSTs to an http(s) subscription with the headers SNS sends; resolves with the status. */
  private async post(record: SubscriptionRecord, type: string, messageId: string, body: string, raw: boolean, contentType = DEFAULT_CONTENT_TYPE): Promise<number> {
    const headers: Record<string, string> = {
      'Content-Type': contentType,
      'User-Agent': 'Amazon Simple Notification Service Agent',
      'x-amz-sns-message-type': type,
      'x-amz-sns-message-id': messageId,
      'x-amz-sns-topic-arn': record.topicArn,
    };
    if (type === 'Notification') headers['x-amz-sns-subscription-arn'] = record.arn;
    if (raw) headers['x-amz-sns-rawdelivery'] = 'true';
    const response = await fetch(record.endpoint, { method: 'POST', headers, body, signal: AbortSignal.timeout(15_000) });
    await response.arrayBuffer();
    return response.status;
  }

  private track(work: Promise<void>): void {
    const tracked = work.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }
}

/** A confirmed subscription as delivery reads it: its compiled filter, raw flag and dead-letter queue. */
function activeSubscription(record: SubscriptionRecord): ActiveSubscription {
  const policy = record.attributes.FilterPolicy;
  let deadLetterQueue: string | undefined;
  if (record.attributes.RedrivePolicy) deadLetterQueue = (JSON.parse(record.attributes.RedrivePolicy) as { deadLetterTargetArn: string }).deadLetterTargetArn;
  return {
    record,
    filter: policy ? compileFilterPolicy(policy, filterPolicyScopeOf(record.attributes), 'SetSubscriptionAttributes') : undefined,
    raw: record.attributes.RawMessageDelivery === 'true',
    deadLetterQueue,
  };
}

interface Notification {
  topic: TopicRecord;
  message: MessageToPublish;
  /** The message for this subscription's protocol. */
  text: string;
  messageId: string;
  timestamp: string;
  sequenceNumber?: string;
  signature: string;
}

const signingCertUrl = (endpoint: string): string => `${endpoint}/_eddy/sns/SimpleNotificationService.pem`;
const unsubscribeUrl = (endpoint: string, subscriptionArn: string): string => `${endpoint}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscriptionArn)}`;

/** A stable stand-in for SNS's signature: Eddy does not sign with a certificate. */
function signatureOf(messageId: string, text: string): string {
  return createHash('sha1').update(messageId).update('\n').update(text).digest('base64');
}

/** The JSON document SNS delivers to SQS and http(s) subscriptions that are not raw. */
function envelope(n: Notification, record: SubscriptionRecord, endpoint: string): Record<string, unknown> {
  const document: Record<string, unknown> = { Type: 'Notification', MessageId: n.messageId };
  if (n.sequenceNumber !== undefined) document.SequenceNumber = n.sequenceNumber;
  document.TopicArn = n.topic.arn;
  if (n.message.subject !== undefined) document.Subject = n.message.subject;
  document.Message = n.text;
  document.Timestamp = n.timestamp;
  document.SignatureVersion = '1';
  document.Signature = n.signature;
  document.SigningCertURL = signingCertUrl(endpoint);
  document.UnsubscribeURL = unsubscribeUrl(endpoint, record.arn);
  if (n.message.attributes) document.MessageAttributes = envelopeAttributes(n.message.attributes);
  return document;
}

/** Message attributes as the envelope and the Lambda event write them: `{Name: {Type, Value}}`, binaries in base64. */
function envelopeAttributes(attributes: MessageAttributes | undefined): Record<string, { Type: string; Value: string }> {
  const out: Record<string, { Type: string; Value: string }> = {};
  for (const [name, attribute] of Object.entries(attributes ?? {})) {
    setOwn(out, name, { Type: attribute.DataType, Value: (attribute.DataType.startsWith('Binary') ? attribute.BinaryValue : attribute.StringValue) ?? '' });
  }
  return out;
}

/** Message attributes carried to SQS by raw delivery. */
function sqsAttributes(attributes: MessageAttributes): NonNullable<Parameters<SqsInternal['sendMessage']>[1]['messageAttributes']> {
  const out: NonNullable<Parameters<SqsInternal['sendMessage']>[1]['messageAttributes']> = {};
  for (const [name, attribute] of Object.entries(attributes)) {
    setOwn(
      out,
      name,
      attribute.DataType.startsWith('Binary')
        ? { DataType: attribute.DataType, BinaryValue: Buffer.from(attribute.BinaryValue ?? '', 'base64') }
        : { DataType: attribute.DataType, StringValue: attribute.StringValue },
    );
  }
  return out;
}
