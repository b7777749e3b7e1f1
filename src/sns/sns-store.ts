import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/database.js';

/** A topic as stored: its settable attributes (DisplayName, Policy, FifoTopic, ...) and tags. */
export interface TopicRecord {
  arn: string;
  account: string;
  region: string;
  name: string;
  attributes: Record<string, string>;
  tags: { Key: string; Value: string }[];
}

/** A subscription as stored. `attributes` holds what the subscriber set (FilterPolicy, RawMessageDelivery, ...). */
export interface SubscriptionRecord {
  arn: string;
  topicArn: string;
  account: string;
  region: string;
  protocol: string;
  endpoint: string;
  owner: string;
  attributes: Record<string, string>;
  /** Until ConfirmSubscription (http/https): ListSubscriptions shows `PendingConfirmation`. */
  pending: boolean;
  /** The confirmation token sent to an http/https endpoint. */
  token: string | undefined;
}

interface SubscriptionRow {
  arn: string;
  topic_arn: string;
  account: string;
  region: string;
  protocol: string;
  endpoint: string;
  owner: string;
  attributes: string;
  pending: number;
  token: string | null;
}

const toSubscription = (row: SubscriptionRow): SubscriptionRecord => ({
  arn: row.arn,
  topicArn: row.topic_arn,
  account: row.account,
  region: row.region,
  protocol: row.protocol,
  endpoint: row.endpoint,
  owner: row.owner,
  attributes: JSON.parse(row.attributes) as Record<string, string>,
  pending: row.pending === 1,
  token: row.token ?? undefined,
});

interface TopicRow {
  arn: string;
  account: string;
  region: string;
  name: string;
  attributes: string;
  tags: string;
}

const toTopic = (row: TopicRow): TopicRecord => ({
  arn: row.arn,
  account: row.account,
  region: row.region,
  name: row.name,
  attributes: JSON.parse(row.attributes) as Record<string, string>,
  tags: JSON.parse(row.tags) as TopicRecord['tags'],
});

/**
 * SNS topics and subscriptions in SQLite (tables sns_topics and
 * sns_subscriptions). Listing pages follow insertion order (the row id), so a
 * NextToken is the last row id seen.
 */
export class SnsStore {
  private readonly statements: {
    topic: Statement;
    insertTopic: Statement;
    updateTopic: Statement;
    deleteTopic: Statement;
    topicsPage: Statement;
    topicRowId: Statement;
    subscription: Statement;
    subscriptionByToken: Statement;
    subscriptionsOf: Statement;
    subscriptionsOfEndpoint: Statement;
    insertSubscription: Statement;
    updateSubscription: Statement;
    deleteSubscription: Statement;
    deleteSubscriptionsOf: Statement;
    subscriptionsPage: Statement;
    subscriptionsOfPage: Statement;
    subscriptionRowId: Statement;
    countSubscriptions: Statement;
  };

  /** Bumped on every subscription change: publishers cache a topic's subscriptions against it. */
  private generation = 0;
  /** Topics as Publish reads them, dropped on every topic write: publishing reads no row. */
  private readonly publishedTopics = new Map<string, TopicRecord | undefined>();

  constructor(private readonly db: Db) {
    this.statements = {
      topic: db.prepare('SELECT arn, account, region, name, attributes, tags FROM sns_topics WHERE arn = ?'),
      insertTopic: db.prepare('INSERT INTO sns_topics (arn, account, region, name, attributes, tags) VALUES (?, ?, ?, ?, ?, ?)'),
      updateTopic: db.prepare('UPDATE sns_topics SET attributes = ?, tags = ? WHERE arn = ?'),
      deleteTopic: db.prepare('DELETE FROM sns_topics WHERE arn = ?'),
      topicsPage: db.prepare('SELECT id, arn FROM sns_topics WHERE account = ? AND region = ? AND id > ? ORDER BY id LIMIT ?'),
      topicRowId: db.prepare('SELECT id FROM sns_topics WHERE arn = ?'),
      subscription: db.prepare('SELECT * FROM sns_subscriptions WHERE arn = ?'),
      subscriptionByToken: db.prepare('SELECT * FROM sns_subscriptions WHERE token = ?'),
      subscriptionsOf: db.prepare('SELECT * FROM sns_subscriptions WHERE topic_arn = ? ORDER BY id'),
      subscriptionsOfEndpoint: db.prepare('SELECT * FROM sns_subscriptions WHERE topic_arn = ? AND protocol = ? AND endpoint = ?'),
      insertSubscription: db.prepare(
        'INSERT INTO sns_subscriptions (arn, topic_arn, account, region, protocol, endpoint, owner, attributes, pending, token) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      updateSubscription: db.prepare('UPDATE sns_subscriptions SET attributes = ?, pending = ? WHERE arn = ?'),
      deleteSubscription: db.prepare('DELETE FROM sns_subscriptions WHERE arn = ?'),
      deleteSubscriptionsOf: db.prepare('DELETE FROM sns_subscriptions WHERE topic_arn = ?'),
      subscriptionsPage: db.prepare('SELECT id, * FROM sns_subscriptions WHERE account = ? AND region = ? AND id > ? ORDER BY id LIMIT ?'),
      subscriptionsOfPage: db.prepare('SELECT id, * FROM sns_subscriptions WHERE topic_arn = ? AND id > ? ORDER BY id LIMIT ?'),
      subscriptionRowId: db.prepare('SELECT id FROM sns_subscriptions WHERE arn = ?'),
      countSubscriptions: db.prepare('SELECT SUM(pending = 0) AS confirmed, SUM(pending = 1) AS pending FROM sns_subscriptions WHERE topic_arn = ?'),
    };
  }

  /** Changes whenever any subscription is added, changed or removed. */
  get subscriptionsGeneration(): number {
    return this.generation;
  }

  topic(arn: string): TopicRecord | undefined {
    const row = this.statements.topic.get(arn) as TopicRow | undefined;
    return row && toTopic(row);
  }

  /**
   * The topic for publishing: cached, so callers must not change it. Every
   * other reader uses {@link topic}, which returns a fresh copy.
   */
  topicToPublish(arn: string): TopicRecord | undefined {
    if (this.publishedTopics.has(arn)) return this.publishedTopics.get(arn);
    const topic = this.topic(arn);
    if (this.publishedTopics.size > 10_000) this.publishedTopics.clear();
    this.publishedTopics.set(arn, topic);
    return topic;
  }

  insertTopic(topic: TopicRecord): void {
    this.publishedTopics.delete(topic.arn);
    this.statements.insertTopic.run(topic.arn, topic.account, topic.region, topic.name, JSON.stringify(topic.attributes), JSON.stringify(topic.tags));
  }

  updateTopic(topic: TopicRecord): void {
    this.publishedTopics.delete(topic.arn);
    this.statements.updateTopic.run(JSON.stringify(topic.attributes), JSON.stringify(topic.tags), topic.arn);
  }

  /** Deletes a topic and its subscriptions. */
  deleteTopic(arn: string): void {
    this.publishedTopics.delete(arn);
    this.db.transaction(() => {
      this.statements.deleteSubscriptionsOf.run(arn);
      this.statements.deleteTopic.run(arn);
    })();
    this.generation++;
  }

  /** One page of an account's topics in a region, after the row `after` (0 for the first page), and whether more follow. */
  topicsPage(account: string, region: string, after: number, limit: number): { arns: string[]; last: number; more: boolean } {
    const rows = this.statements.topicsPage.all(account, region, after, limit + 1) as { id: number; arn: string }[];
    const page = rows.slice(0, limit);
    return { arns: page.map((r) => r.arn), last: page.at(-1)?.id ?? after, more: rows.length > limit };
  }

  subscription(arn: string): SubscriptionRecord | undefined {
    const row = this.statements.subscription.get(arn) as SubscriptionRow | undefined;
    return row && toSubscription(row);
  }

  subscriptionByToken(token: string): SubscriptionRecord | undefined {
    const row = this.statements.subscriptionByToken.get(token) as SubscriptionRow | undefined;
    return row && toSubscription(row);
  }

  subscriptionsOf(topicArn: string): SubscriptionRecord[] {
    return (this.statements.subscriptionsOf.all(topicArn) as SubscriptionRow[]).map(toSubscription);
  }

  subscriptionOfEndpoint(topicArn: string, protocol: string, endpoint: string): SubscriptionRecord | undefined {
    const row = this.statements.subscriptionsOfEndpoint.get(topicArn, protocol, endpoint) as SubscriptionRow | undefined;
    return row && toSubscription(row);
  }

  insertSubscription(s: SubscriptionRecord): void {
    this.statements.insertSubscription.run(s.arn, s.topicArn, s.account, s.region, s.protocol, s.endpoint, s.owner, JSON.stringify(s.attributes), s.pending ? 1 : 0, s.token ?? null);
    this.generation++;
  }

  updateSubscription(s: SubscriptionRecord): void {
    this.statements.updateSubscription.run(JSON.stringify(s.attributes), s.pending ? 1 : 0, s.arn);
    this.generation++;
  }

  deleteSubscription(arn: string): void {
    this.statements.deleteSubscription.run(arn);
    this.generation++;
  }

  /** One page of subscriptions (of an account in a region, or of one topic), after row `after`. */
  subscriptionsPage(
    scope: { account: string; region: string } | { topicArn: string },
    after: number,
    limit: number,
  ): { subscriptions: SubscriptionRecord[]; last: number; more: boolean } {
    const rows = (
      'topicArn' in scope ? this.statements.subscriptionsOfPage.all(scope.topicArn, after, limit + 1) : this.statements.subscriptionsPage.all(scope.account, scope.region, after, limit + 1)
    ) as (SubscriptionRow & { id: number })[];
    const page = rows.slice(0, limit);
    return { subscriptions: page.map(toSubscription), last: page.at(-1)?.id ?? after, more: rows.length > limit };
  }

  /** Confirmed and pending subscriptions of a topic. */
  countSubscriptions(topicArn: string): { confirmed: number; pending: number } {
    const row = this.statements.countSubscriptions.get(topicArn) as { confirmed: number | null; pending: number | null };
    return { confirmed: row.confirmed ?? 0, pending: row.pending ?? 0 };
  }
}
