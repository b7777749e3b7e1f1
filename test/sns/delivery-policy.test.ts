import {
  ConfirmSubscriptionCommand,
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SetTopicAttributesCommand,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retryDelaysMs, type RetryPolicy } from '../../src/sns/delivery-policy.js';
import { errorOf, testCredentials } from '../helpers/eddy.js';
import { startSnsEddy, type SnsTestEddy } from './helpers.js';
import { startHttpEndpoint } from './http-endpoint.js';

/** An Eddy under test and an SQS client for its dead-letter queues. */
interface Target {
  t: SnsTestEddy;
  sqs: SQSClient;
}

async function startTarget(overrides: Parameters<typeof startSnsEddy>[0] = {}): Promise<Target & { close(): Promise<void> }> {
  const t = await startSnsEddy({ allowClockControl: true, ...overrides });
  const sqs = new SQSClient({ endpoint: t.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
  return {
    t,
    sqs,
    close: async () => {
      sqs.destroy();
      await t.close();
    },
  };
}

let main: Awaited<ReturnType<typeof startTarget>>;
let t: SnsTestEddy;
beforeAll(async () => {
  main = await startTarget();
  t = main.t;
});
afterAll(() => main.close());

type Endpoint = Awaited<ReturnType<typeof startHttpEndpoint>>;
let counter = 0;

async function deadLetterQueue(on: Target = main): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await on.sqs.send(new CreateQueueCommand({ QueueName: `dlq-${++counter}` }));
  const { Attributes } = await on.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

async function drain(url: string, on: Target = main): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const { Messages } = await on.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    if (!Messages?.length) return bodies;
    bodies.push(...Messages.map((m) => m.Body!));
  }
}

/** A topic (with `topicPolicy`) and `endpoint` subscribed and confirmed, dead-lettering to a new queue. */
async function subscribed(
  endpoint: Endpoint,
  topicPolicy?: object,
  subscriptionPolicy?: object,
  on: Target = main,
): Promise<{ TopicArn: string; SubscriptionArn: string; dlq: { url: string; arn: string } }> {
  const { TopicArn } = await on.t.sns.send(new CreateTopicCommand({ Name: `retries-${++counter}`, Attributes: topicPolicy ? { DeliveryPolicy: JSON.stringify(topicPolicy) } : {} }));
  const dlq = await deadLetterQueue(on);
  const Attributes: Record<string, string> = { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) };
  if (subscriptionPolicy) Attributes.DeliveryPolicy = JSON.stringify(subscriptionPolicy);
  const { SubscriptionArn } = await on.t.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: endpoint.url, Attributes, ReturnSubscriptionArn: true }));
  const { Token } = JSON.parse((await endpoint.next()).body);
  await on.t.sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token }));
  return { TopicArn: TopicArn!, SubscriptionArn: SubscriptionArn!, dlq };
}

/** The notifications (not confirmations) the endpoint has received. */
const notifications = (endpoint: Endpoint) => endpoint.received.filter((r) => r.headers['x-amz-sns-message-type'] === 'Notification');

/** Waits, through Eddy's idle barrier, until every delivery attempt started so far has finished. */
async function settle(on: Target = main): Promise<void> {
  const res = await fetch(`${on.t.endpoint}/_eddy/drain`, { method: 'POST', body: '{"timeoutSeconds": 10}' });
  expect(await res.json()).toEqual({ drained: true });
}

/** After moving Eddy's clock on by `seconds`, the endpoint has had `attempts` notifications in all. */
async function expectAttempts(endpoint: Endpoint, attempts: number, seconds: number, on: Target = main): Promise<void> {
  await advance(seconds, on);
  expect(notifications(endpoint)).toHaveLength(attempts);
}

/** Moves Eddy's clock on (POST /_eddy/clock) and waits for the attempts that became due. */
async function advance(seconds: number, on: Target = main): Promise<void> {
  const res = await fetch(`${on.t.endpoint}/_eddy/clock`, { method: 'POST', body: JSON.stringify({ advanceMs: seconds * 1000 }) });
  expect(res.status).toBe(200);
  await settle(on);
}

/** Runs `test` with a local endpoint that answers 200 until told otherwise. */
async function withEndpoint(test: (endpoint: Endpoint) => Promise<void>): Promise<void> {
  const endpoint = await startHttpEndpoint();
  try {
    await test(endpoint);
  } finally {
    await endpoint.close();
  }
}

describe('http(s) delivery retries', () => {
  it('follows the default policy: one try and 3 retries 20 s apart on the clock, then the dead-letter queue', async () => {
    await withEndpoint(async (endpoint) => {
      const { TopicArn, dlq } = await subscribed(endpoint);
      endpoint.setStatus(500);
      const { MessageId } = await t.sns.send(new PublishCommand({ TopicArn, Message: 'failing' }));
      await settle();
      expect(notifications(endpoint)).toHaveLength(1);
      expect(t.eddy.sns.waitingAttempts()).toBe(1);
      await expectAttempts(endpoint, 1, 15);
      await expectAttempts(endpoint, 2, 5);
      await expectAttempts(endpoint, 3, 20);
      expect(await drain(dlq.url)).toEqual([]);
      await advance(20);
      const attempts = notifications(endpoint);
      expect(attempts).toHaveLength(4);
      // Every retry is the same notification: same message id, same body.
      expect(new Set(attempts.map((a) => a.headers['x-amz-sns-message-id']))).toEqual(new Set([MessageId]));
      expect(new Set(attempts.map((a) => a.body)).size).toBe(1);
      const dead = await drain(dlq.url);
      expect(dead.map((b) => JSON.parse(b))).toMatchObject([{ Type: 'Notification', MessageId, Message: 'failing' }]);
      expect(t.eddy.sns.waitingAttempts()).toBe(0);
      await expectAttempts(endpoint, 4, 3600);
    });
  });

  it('stops retrying once an attempt succeeds', async () => {
    await withEndpoint(async (endpoint) => {
      const { TopicArn, dlq } = await subscribed(endpoint);
      endpoint.setStatus(503);
      await t.sns.send(new PublishCommand({ TopicArn, Message: 'second time lucky' }));
      await settle();
      endpoint.setStatus(200);
      await expectAttempts(endpoint, 2, 20);
      expect(t.eddy.sns.waitingAttempts()).toBe(0);
      await expectAttempts(endpoint, 2, 60);
      expect(await drain(dlq.url)).toEqual([]);
    });
  });

  it('runs the four phases of a custom topic policy: immediate, pre-backoff, backoff, post-backoff', async () => {
    await withEndpoint(async (endpoint) => {
      const policy = {
        http: {
          defaultHealthyRetryPolicy: { minDelayTarget: 5, maxDelayTarget: 20, numRetries: 9, numNoDelayRetries: 2, numMinDelayRetries: 2, numMaxDelayRetries: 2, backoffFunction: 'linear' },
        },
      };
      const { TopicArn, dlq } = await subscribed(endpoint, policy);
      endpoint.setStatus(500);
      await t.sns.send(new PublishCommand({ TopicArn, Message: 'phases' }));
      await settle();
      // The first try and the 2 immediate retries, without the clock moving.
      expect(notifications(endpoint)).toHaveLength(3);
      // Pre-backoff: 2 retries at minDelayTarget.
      await expectAttempts(endpoint, 4, 5);
      await expectAttempts(endpoint, 5, 5);
      // Backoff: 3 retries from minDelayTarget to maxDelayTarget, linearly (5, 12.5, 20 s).
      await expectAttempts(endpoint, 6, 5);
      await expectAttempts(endpoint, 6, 10);
      await expectAttempts(endpoint, 7, 2.5);
      await expectAttempts(endpoint, 8, 20);
      // Post-backoff: 2 retries at maxDelayTarget.
      await expectAttempts(endpoint, 8, 17);
      await expectAttempts(endpoint, 9, 3);
      expect(await drain(dlq.url)).toEqual([]);
      await expectAttempts(endpoint, 10, 20);
      expect(await drain(dlq.url)).toHaveLength(1);
      expect(t.eddy.sns.waitingAttempts()).toBe(0);
    });
  });

  it('sends a 4xx answer to the dead-letter queue at once: AWS counts it a permanent failure', async () => {
    await withEndpoint(async (endpoint) => {
      const { TopicArn, dlq } = await subscribed(endpoint);
      endpoint.setStatus(404);
      await t.sns.send(new PublishCommand({ TopicArn, Message: 'gone' }));
      await settle();
      expect(notifications(endpoint)).toHaveLength(1);
      expect(t.eddy.sns.waitingAttempts()).toBe(0);
      expect((await drain(dlq.url)).map((b) => JSON.parse(b).Message)).toEqual(['gone']);
    });
  });

  it("lets a subscription's policy override the topic's, unless the topic disables overrides", async () => {
    await withEndpoint(async (endpoint) => {
      const topicPolicy = { http: { defaultHealthyRetryPolicy: { minDelayTarget: 20, maxDelayTarget: 20, numRetries: 0 } } };
      const own = { healthyRetryPolicy: { minDelayTarget: 1, maxDelayTarget: 1, numRetries: 1 } };
      const { TopicArn, SubscriptionArn, dlq } = await subscribed(endpoint, topicPolicy, own);
      const effective = async () => JSON.parse((await t.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes!.EffectiveDeliveryPolicy!);
      expect(await effective()).toEqual({
        healthyRetryPolicy: { minDelayTarget: 1, maxDelayTarget: 1, numRetries: 1, numMaxDelayRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0, backoffFunction: 'linear' },
        sicklyRetryPolicy: null,
        throttlePolicy: null,
        requestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
        guaranteed: false,
      });
      endpoint.setStatus(500);
      await t.sns.send(new PublishCommand({ TopicArn, Message: 'own policy' }));
      await settle();
      expect(notifications(endpoint)).toHaveLength(1);
      await expectAttempts(endpoint, 2, 1);
      expect(await drain(dlq.url)).toHaveLength(1);

      // With overrides disabled the topic's policy (no retries) applies.
      await t.sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'DeliveryPolicy', AttributeValue: JSON.stringify({ http: { ...topicPolicy.http, disableSubscriptionOverrides: true } }) }));
      expect((await effective()).healthyRetryPolicy.numRetries).toBe(0);
      await t.sns.send(new PublishCommand({ TopicArn, Message: 'topic policy' }));
      await settle();
      expect(notifications(endpoint)).toHaveLength(3);
      expect(t.eddy.sns.waitingAttempts()).toBe(0);
      expect(await drain(dlq.url)).toHaveLength(1);

      // Without its own policy the subscription takes the topic's.
      await t.sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'DeliveryPolicy', AttributeValue: JSON.stringify(topicPolicy) }));
      await t.sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'DeliveryPolicy', AttributeValue: '' }));
      const attributes = (await t.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes!;
      expect(attributes.DeliveryPolicy).toBeUndefined();
      expect(JSON.parse(attributes.EffectiveDeliveryPolicy!).healthyRetryPolicy).toMatchObject({ minDelayTarget: 20, numRetries: 0 });
    });
  });

  it('posts with the Content-Type of the request policy (the confirmation keeps text/plain)', async () => {
    await withEndpoint(async (endpoint) => {
      const { TopicArn, SubscriptionArn } = await subscribed(endpoint, { http: { defaultRequestPolicy: { headerContentType: 'application/xml' } } });
      expect(endpoint.received[0]!.headers['content-type']).toBe('text/plain; charset=UTF-8');
      await t.sns.send(new PublishCommand({ TopicArn, Message: '<from-topic/>' }));
      await settle();
      expect(notifications(endpoint).at(-1)!.headers['content-type']).toBe('application/xml');
      await t.sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'DeliveryPolicy', AttributeValue: JSON.stringify({ requestPolicy: { headerContentType: 'application/json' } }) }));
      await t.sns.send(new PublishCommand({ TopicArn, Message: '{"from": "subscription"}' }));
      await settle();
      expect(notifications(endpoint).at(-1)!.headers['content-type']).toBe('application/json');
    });
  });

  it('throttles deliveries to maxReceivesPerSecond on the clock', async () => {
    await withEndpoint(async (endpoint) => {
      const { TopicArn } = await subscribed(endpoint, undefined, { throttlePolicy: { maxReceivesPerSecond: 1 } });
      for (const Message of ['one', 'two', 'three']) await t.sns.send(new PublishCommand({ TopicArn, Message }));
      await settle();
      expect(notifications(endpoint).map((n) => JSON.parse(n.body).Message)).toEqual(['one']);
      expect(t.eddy.sns.waitingAttempts()).toBe(2);
      await advance(1);
      expect(notifications(endpoint).map((n) => JSON.parse(n.body).Message)).toEqual(['one', 'two']);
      await advance(1);
      expect(notifications(endpoint).map((n) => JSON.parse(n.body).Message)).toEqual(['one', 'two', 'three']);
    });
  });
});

describe('http(s) deliveries across a restart', () => {
  it('resumes a delivery waiting out its retries, and finishes it to the dead-letter queue', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'eddy-sns-retries-'));
    const endpoint = await startHttpEndpoint();
    try {
      const first = await startTarget({ inMemory: false, dataDir });
      const { TopicArn, dlq } = await subscribed(endpoint, undefined, undefined, first);
      endpoint.setStatus(500);
      const { MessageId } = await first.t.sns.send(new PublishCommand({ TopicArn, Message: 'survives' }));
      await settle(first);
      await expectAttempts(endpoint, 2, 20, first);
      await first.close();

      // The second retry was due 20 s after the first one on the old clock, which ran 20 s ahead.
      const second = await startTarget({ inMemory: false, dataDir });
      try {
        expect(second.t.eddy.sns.waitingAttempts()).toBe(1);
        await expectAttempts(endpoint, 2, 20, second);
        await expectAttempts(endpoint, 3, 20, second);
        expect(await drain(dlq.url, second)).toEqual([]);
        await expectAttempts(endpoint, 4, 20, second);
        expect(new Set(notifications(endpoint).map((n) => n.headers['x-amz-sns-message-id']))).toEqual(new Set([MessageId]));
        expect((await drain(dlq.url, second)).map((b) => JSON.parse(b).Message)).toEqual(['survives']);
      } finally {
        await second.close();
      }
      // Finished deliveries are not taken up again.
      const third = await startTarget({ inMemory: false, dataDir });
      expect(third.t.eddy.sns.waitingAttempts()).toBe(0);
      await third.close();
    } finally {
      await endpoint.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('delivery policy checks', () => {
  const retry = (overrides: object) => ({ minDelayTarget: 5, maxDelayTarget: 20, numRetries: 3, ...overrides });

  it('refuses invalid topic policies with InvalidParameter on CreateTopic and SetTopicAttributes, changing nothing', async () => {
    const original = JSON.stringify({ http: { defaultHealthyRetryPolicy: retry({}) } });
    const { TopicArn } = await t.sns.send(new CreateTopicCommand({ Name: 'checked-policy', Attributes: { DeliveryPolicy: original } }));
    const cases: [object | string, string][] = [
      ['{"http": ', 'failed to parse JSON.'],
      [{ http: { defaultHealthyRetryPolicy: retry({ numRetries: 101 }) } }, 'http.defaultHealthyRetryPolicy.numRetries must be less than or equal to 100'],
      [{ http: { defaultHealthyRetryPolicy: retry({ minDelayTarget: 0 }) } }, 'http.defaultHealthyRetryPolicy.minDelayTarget must be greater than or equal to 1'],
      [{ http: { defaultHealthyRetryPolicy: retry({ minDelayTarget: 3599, maxDelayTarget: 3600, numRetries: 10 }) } }, 'http.defaultHealthyRetryPolicy: Total policy retry time cannot be greater than 3600 seconds'],
      [{ http: { defaultHealthyRetryPolicy: retry({ maxDelayTarget: 3601 }) } }, 'http.defaultHealthyRetryPolicy.maxDelayTarget must be less than or equal to 3600'],
      [{ http: { defaultHealthyRetryPolicy: retry({ minDelayTarget: 30 }) } }, 'http.defaultHealthyRetryPolicy.maxDelayTarget must be greater than or equal to minDelayTarget'],
      [{ http: { defaultHealthyRetryPolicy: retry({ numNoDelayRetries: 2, numMaxDelayRetries: 2 }) } }, 'http.defaultHealthyRetryPolicy.numRetries must be greater than or equal to total of numMinDelayRetries, numNoDelayRetries and numMaxDelayRetries'],
      [{ http: { defaultHealthyRetryPolicy: retry({ numNoDelayRetries: -1 }) } }, 'http.defaultHealthyRetryPolicy.numNoDelayRetries must be greater than or equal to 0'],
      [{ http: { defaultHealthyRetryPolicy: retry({ backoffFunction: 'cubic' }) } }, 'http.defaultHealthyRetryPolicy.backoffFunction must be one of linear, arithmetic, geometric, exponential'],
      [{ http: { defaultThrottlePolicy: { maxReceivesPerSecond: 0 } } }, 'http.defaultThrottlePolicy.maxReceivesPerSecond must be greater than or equal to 1'],
      [{ http: { defaultRequestPolicy: { headerContentType: 'text/csv' } } }, 'http.defaultRequestPolicy.headerContentType must be one of text/plain, application/json, application/xml (optionally with "; charset=UTF-8")'],
      [{ http: { disableSubscriptionOverrides: 'yes' } }, 'http.disableSubscriptionOverrides must be true or false'],
      [{ http: { defaultSicklyRetryPolicy: retry({}) } }, 'http.defaultSicklyRetryPolicy: Eddy does not simulate sickly retry policies'],
      [{ sqs: { defaultHealthyRetryPolicy: retry({}) } }, 'sqs: Eddy applies delivery policies to the http and https protocols only'],
    ];
    for (const [policy, detail] of cases) {
      const AttributeValue = typeof policy === 'string' ? policy : JSON.stringify(policy);
      const set = await errorOf(() => t.sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'DeliveryPolicy', AttributeValue })));
      expect(set.name).toBe('InvalidParameterException');
      expect(set.$metadata?.httpStatusCode).toBe(400);
      expect(set.message).toBe(`Invalid parameter: DeliveryPolicy: ${detail}`);
      const created = await errorOf(() => t.sns.send(new CreateTopicCommand({ Name: `refused-${++counter}`, Attributes: { DeliveryPolicy: AttributeValue } })));
      expect(created.message).toBe(`Invalid parameter: Attributes Reason: DeliveryPolicy: ${detail}`);
    }
    const { Attributes } = await t.sns.send(new GetTopicAttributesCommand({ TopicArn }));
    expect(Attributes!.DeliveryPolicy).toBe(original);
    expect(JSON.parse(Attributes!.EffectiveDeliveryPolicy!).http.defaultHealthyRetryPolicy).toMatchObject({ minDelayTarget: 5, maxDelayTarget: 20, numRetries: 3 });
  });

  it('refuses invalid subscription policies on Subscribe and SetSubscriptionAttributes, changing nothing', async () => {
    await withEndpoint(async (endpoint) => {
      const original = { healthyRetryPolicy: retry({}) };
      const { TopicArn, SubscriptionArn } = await subscribed(endpoint, undefined, original);
      const cases: [object, string][] = [
        [{ healthyRetryPolicy: { maxDelayTarget: 20, numRetries: 3 } }, 'healthyRetryPolicy.minDelayTarget must be specified'],
        [{ healthyRetryPolicy: { minDelayTarget: 20, numRetries: 3 } }, 'healthyRetryPolicy.maxDelayTarget must be specified'],
        [{ healthyRetryPolicy: retry({ minDelayTarget: 0 }) }, 'healthyRetryPolicy.minDelayTarget must be greater than or equal to 1'],
        [{ healthyRetryPolicy: retry({ numRetries: 2.5 }) }, 'healthyRetryPolicy.numRetries must be an integer'],
        [{ healthyRetryPolicy: retry({ numRetries: 100, minDelayTarget: 30, maxDelayTarget: 60 }) }, 'healthyRetryPolicy: Total policy retry time cannot be greater than 3600 seconds'],
        [{ throttlePolicy: {} }, 'throttlePolicy.maxReceivesPerSecond must be specified'],
        [{ healthyRetryPolicy: retry({}), bogus: 1 }, 'bogus is not a recognized field'],
        [{ guaranteed: true }, 'guaranteed: Eddy does not simulate guaranteed delivery'],
      ];
      for (const [policy, detail] of cases) {
        const AttributeValue = JSON.stringify(policy);
        const set = await errorOf(() => t.sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'DeliveryPolicy', AttributeValue })));
        expect(set.name).toBe('InvalidParameterException');
        expect(set.message).toBe(`Invalid parameter: DeliveryPolicy: ${detail}`);
        const subscribe = await errorOf(() => t.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `${endpoint.url}/other`, Attributes: { DeliveryPolicy: AttributeValue } })));
        expect(subscribe.message).toBe(`Invalid parameter: Attributes Reason: DeliveryPolicy: ${detail}`);
      }
      const { Attributes } = await t.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
      expect(JSON.parse(Attributes!.DeliveryPolicy!)).toEqual(original);
      // Nothing was subscribed by the refused Subscribe calls: only the confirmation of the first.
      expect(endpoint.received).toHaveLength(1);

      const queue = await deadLetterQueue();
      const sqsPolicy = await errorOf(() => t.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queue.arn, Attributes: { DeliveryPolicy: JSON.stringify(original) } })));
      expect(sqsPolicy.message).toBe('Invalid parameter: Attributes Reason: DeliveryPolicy: Eddy applies delivery policies to http and https subscriptions only, not sqs');
    });
  });
});

describe('retry schedule', () => {
  const policy = (backoffFunction: RetryPolicy['backoffFunction']): RetryPolicy => ({
    minDelayTarget: 5,
    maxDelayTarget: 260,
    numRetries: 10,
    numMaxDelayRetries: 0,
    numNoDelayRetries: 0,
    numMinDelayRetries: 0,
    backoffFunction,
  });

  it('goes from minDelayTarget to maxDelayTarget along each backoff function', () => {
    for (const fn of ['linear', 'arithmetic', 'geometric', 'exponential'] as const) {
      const delays = retryDelaysMs(policy(fn));
      expect(delays).toHaveLength(10);
      expect(delays[0]).toBe(5000);
      expect(delays[9]).toBe(260_000);
      for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThan(delays[i - 1]!);
    }
    // AWS's example: 3 retries from 20 to 40 seconds, linear, are 20, 30 and 40 seconds apart.
    expect(retryDelaysMs({ ...policy('linear'), minDelayTarget: 20, maxDelayTarget: 40, numRetries: 3 })).toEqual([20_000, 30_000, 40_000]);
    // The curves differ as AWS draws them: exponential stays lowest longest, arithmetic rises sooner than geometric.
    const middle = (fn: RetryPolicy['backoffFunction']) => retryDelaysMs(policy(fn))[5]!;
    expect(middle('exponential')).toBeLessThan(middle('geometric'));
    expect(middle('geometric')).toBeLessThan(middle('arithmetic'));
    expect(middle('arithmetic')).toBeLessThan(middle('linear'));
  });
});
