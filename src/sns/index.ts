import type { TimerClock } from '../clock-timers.js';
import type { ApiModel } from '../edge/api-model.js';
import { AwsError } from '../edge/errors.js';
import type { QueryService } from '../edge/query-protocol.js';
import snsModel from '../models/sns.json' with { type: 'json' };
import type { Db } from '../store/database.js';
import type { SnsContext } from './context.js';
import type { MessageAttributes } from './message.js';
import { ConfirmSubscription } from './operations/ConfirmSubscription.js';
import { CreateTopic } from './operations/CreateTopic.js';
import { DeleteTopic } from './operations/DeleteTopic.js';
import { GetSubscriptionAttributes } from './operations/GetSubscriptionAttributes.js';
import { GetTopicAttributes } from './operations/GetTopicAttributes.js';
import { ListSubscriptions } from './operations/ListSubscriptions.js';
import { ListSubscriptionsByTopic } from './operations/ListSubscriptionsByTopic.js';
import { ListTagsForResource } from './operations/ListTagsForResource.js';
import { ListTopics } from './operations/ListTopics.js';
import { Publish } from './operations/Publish.js';
import { PublishBatch } from './operations/PublishBatch.js';
import { SetSubscriptionAttributes } from './operations/SetSubscriptionAttributes.js';
import { SetTopicAttributes } from './operations/SetTopicAttributes.js';
import { Subscribe } from './operations/Subscribe.js';
import { Unsubscribe } from './operations/Unsubscribe.js';
import { TagResource } from './operations/TagResource.js';
import { UntagResource } from './operations/UntagResource.js';
import { Publisher, type LambdaInvoker, type SqsInternal } from './publisher.js';
import { SnsStore } from './sns-store.js';
import { UrlDeliveryStore } from './url-deliveries.js';

export type { LambdaInvoker, SqsInternal } from './publisher.js';

/** SNS as the rest of Eddy uses it (Lambda's on-failure destinations). */
export interface SnsInternal {
  /** Publishes `message` to a topic; AwsError NotFound when there is no such topic. */
  /** Publishes as the Publish operation does, minus its checks (the caller is Eddy itself). */
  publish(topicArn: string, message: string, attributes?: MessageAttributes): { messageId: string };
  /**
   * Resolves when every Lambda and http(s) delivery attempt started so far has
   * finished; http(s) retries due later on Eddy's clock start when it reaches them.
   */
  idle(): Promise<void>;
  /** As `idle`, giving up after `timeoutMs` of wall time: true when idle (what `/_eddy/drain` waits on). */
  idleWithin(timeoutMs: number): Promise<boolean>;
  /** How many http(s) delivery attempts (retries, throttled sends) wait for their time on Eddy's clock. */
  waitingAttempts(): number;
  /** Stops the timers of the attempts waiting on the clock; their rows stay in sns_url_deliveries for the next start. */
  close(): void;
}

export interface SnsDeps {
  db: Db;
  clock: TimerClock;
  /** Where messages to `sqs` subscriptions (and dead-letter queues) go. */
  sqs: SqsInternal;
  lambda: LambdaInvoker;
  onError(error: unknown, what: string): void;
}

export const SNS_NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';

/**
 * SNS: topics and subscriptions in SQLite, the Query-protocol service for the
 * edge, and the in-process publish for the rest of Eddy. `setEndpoint` tells
 * it Eddy's URL once listening (for the URLs in the messages it delivers).
 */
export function createSns(deps: SnsDeps): { service: QueryService; internal: SnsInternal; setEndpoint(url: string): void } {
  const store = new SnsStore(deps.db);
  let endpoint = 'http://127.0.0.1:4566';
  const inTransaction = deps.db.transaction((work: () => void) => work());
  const publisher = new Publisher({
    store,
    urlDeliveries: new UrlDeliveryStore(deps.db),
    clock: deps.clock,
    sqs: deps.sqs,
    lambda: deps.lambda,
    transaction: (work) => inTransaction(work),
    endpoint: () => endpoint,
    onError: deps.onError,
  });
  // http(s) deliveries a previous run had not finished (their retries are due on the clock).
  publisher.resumeUrlDeliveries();
  const contextPrototype: Pick<SnsContext, 'store' | 'publisher'> = { store, publisher };
  const service: QueryService = {
    model: snsModel as unknown as ApiModel,
    xmlNamespace: SNS_NAMESPACE,
    signingName: 'sns',
    contextPrototype,
    unsignedOperations: new Set(['ConfirmSubscription', 'Unsubscribe']),
    // Operations receive the request context; it inherits the store and publisher (contextPrototype).
    operations: {
      CreateTopic,
      ListTopics,
      GetTopicAttributes,
      SetTopicAttributes,
      DeleteTopic,
      Subscribe,
      ConfirmSubscription,
      Unsubscribe,
      ListSubscriptions,
      ListSubscriptionsByTopic,
      GetSubscriptionAttributes,
      SetSubscriptionAttributes,
      TagResource,
      UntagResource,
      ListTagsForResource,
      Publish,
      PublishBatch,
    } as unknown as QueryService['operations'],
  };
  const internal: SnsInternal = {
    publish: (topicArn, message, attributes) => {
      const topic = store.topicToPublish(topicArn);
      if (!topic) throw new AwsError('NotFound', 'Topic does not exist', 404);
      return { messageId: publisher.publish(topic, { message, ...(attributes ? { attributes } : {}) }).messageId };
    },
    idle: () => publisher.idle(),
    idleWithin: (timeoutMs) => {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
      return Promise.race([publisher.idle().then(() => true), timedOut]).finally(() => clearTimeout(timer));
    },
    waitingAttempts: () => publisher.waitingAttempts,
    close: () => publisher.close(),
  };
  return { service, internal, setEndpoint: (url) => (endpoint = url) };
}
