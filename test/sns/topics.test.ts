import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetTopicAttributesCommand,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  SetTopicAttributesCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-sns';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEddy } from '../../src/eddy.js';
import { errorOf } from '../helpers/eddy.js';
import { rawSns, startSnsEddy, type SnsTestEddy } from './helpers.js';

let t: SnsTestEddy;
beforeAll(async () => {
  t = await startSnsEddy();
});
afterAll(async () => t.close());

const ARN = 'arn:aws:sns:us-east-1:000000000000';

describe('CreateTopic', () => {
  it('creates a topic with attributes and tags, and returns the same ARN for the same request', async () => {
    const request = { Name: 'orders', Attributes: { DisplayName: 'Orders' }, Tags: [{ Key: 'team', Value: 'shop' }] };
    const first = await t.sns.send(new CreateTopicCommand(request));
    expect(first.TopicArn).toBe(`${ARN}:orders`);
    const again = await t.sns.send(new CreateTopicCommand(request));
    expect(again.TopicArn).toBe(first.TopicArn);
    const { Attributes } = await t.sns.send(new GetTopicAttributesCommand({ TopicArn: first.TopicArn }));
    expect(Attributes).toMatchObject({
      TopicArn: `${ARN}:orders`,
      Owner: '000000000000',
      DisplayName: 'Orders',
      SubscriptionsConfirmed: '0',
      SubscriptionsPending: '0',
      SubscriptionsDeleted: '0',
    });
    expect(JSON.parse(Attributes!.Policy!).Statement[0].Resource).toBe(`${ARN}:orders`);
    expect(JSON.parse(Attributes!.EffectiveDeliveryPolicy!).http.defaultHealthyRetryPolicy.numRetries).toBe(3);
    expect(Attributes!.FifoTopic).toBeUndefined();
    expect((await t.sns.send(new ListTagsForResourceCommand({ ResourceArn: first.TopicArn }))).Tags).toEqual([{ Key: 'team', Value: 'shop' }]);
  });

  it('refuses the same name with different attributes or tags', async () => {
    await t.sns.send(new CreateTopicCommand({ Name: 'dup', Attributes: { DisplayName: 'A' }, Tags: [{ Key: 'k', Value: 'v' }] }));
    const attributes = await errorOf(() => t.sns.send(new CreateTopicCommand({ Name: 'dup', Attributes: { DisplayName: 'B' } })));
    expect(attributes.name).toBe('InvalidParameterException');
    expect(attributes.message).toBe('Invalid parameter: Attributes Reason: Topic already exists with different attributes');
    const tags = await errorOf(() => t.sns.send(new CreateTopicCommand({ Name: 'dup', Tags: [{ Key: 'k', Value: 'other' }] })));
    expect(tags.message).toBe('Invalid parameter: Tags Reason: Topic already exists with different tags');
    // Fewer attributes than the topic has is the same topic.
    expect((await t.sns.send(new CreateTopicCommand({ Name: 'dup' }))).TopicArn).toBe(`${ARN}:dup`);
  });

  it('creates FIFO topics only with a .fifo name, and standard ones only without', async () => {
    const { TopicArn } = await t.sns.send(new CreateTopicCommand({ Name: 'jobs.fifo', Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' } }));
    const { Attributes } = await t.sns.send(new GetTopicAttributesCommand({ TopicArn }));
    expect(Attributes).toMatchObject({ FifoTopic: 'true', ContentBasedDeduplication: 'true' });
    const noSuffix = await errorOf(() => t.sns.send(new CreateTopicCommand({ Name: 'jobs', Attributes: { FifoTopic: 'true' } })));
    expect(noSuffix.name).toBe('InvalidParameterException');
    expect(noSuffix.message).toMatch(/^Fifo Topic names must end with .fifo and must be made up of only uppercase/);
    const standardSuffix = await errorOf(() => t.sns.send(new CreateTopicCommand({ Name: 'plain.fifo' })));
    expect(standardSuffix.message).toBe('Invalid parameter: Topic Name');
    const dedupOnStandard = await errorOf(() => t.sns.send(new CreateTopicCommand({ Name: 'std', Attributes: { ContentBasedDeduplication: 'true' } })));
    expect(dedupOnStandard.message).toBe('Invalid parameter: ContentBasedDeduplication Reason: Content based deduplication can only be set for FIFO topics');
  });

  it('refuses bad names and unknown or unsimulated attributes, naming them', async () => {
    for (const name of ['has space', 'a'.repeat(257), 'dots.are.bad', '']) {
      const error = await errorOf(() => t.sns.send(new CreateTopicCommand({ Name: name })));
      expect(error.name).toBe('InvalidParameterException');
      expect(error.message).toBe('Invalid parameter: Topic Name');
    }
    const unknown = await errorOf(() => t.sns.send(new CreateTopicCommand({ Name: 'x', Attributes: { Colour: 'blue' } })));
    expect(unknown.message).toBe('Invalid parameter: AttributeName');
    const archive = await errorOf(() => t.sns.send(new CreateTopicCommand({ Name: 'x', Attributes: { ArchivePolicy: '{"MessageRetentionPeriod":"30"}' } })));
    expect(archive.message).toBe('Invalid parameter: AttributeName Reason: Eddy does not simulate message archiving and replay (ArchivePolicy)');
    const policy = await errorOf(() => t.sns.send(new CreateTopicCommand({ Name: 'x', Attributes: { Policy: '{nope' } })));
    expect(policy.message).toBe('Invalid parameter: Policy: failed to parse JSON.');
    const noName = await rawSns(t.endpoint, { Action: 'CreateTopic' });
    expect(noName.status).toBe(400);
    expect(noName.text).toContain("<Code>ValidationError</Code><Message>1 validation error detected: Value null at &apos;name&apos; failed to satisfy constraint: Member must not be null</Message>");
  });
});

describe('ListTopics', () => {
  it('pages by 100 with a NextToken, in creation order', async () => {
    const t2 = await startSnsEddy();
    try {
      const names = Array.from({ length: 150 }, (_, i) => `topic-${String(i).padStart(3, '0')}`);
      for (const Name of names) await t2.sns.send(new CreateTopicCommand({ Name }));
      const first = await t2.sns.send(new ListTopicsCommand({}));
      expect(first.Topics).toHaveLength(100);
      expect(first.NextToken).toBeDefined();
      const second = await t2.sns.send(new ListTopicsCommand({ NextToken: first.NextToken }));
      expect(second.Topics).toHaveLength(50);
      expect(second.NextToken).toBeUndefined();
      expect([...first.Topics!, ...second.Topics!].map((x) => x.TopicArn)).toEqual(names.map((n) => `${ARN}:${n}`));
      const bad = await errorOf(() => t2.sns.send(new ListTopicsCommand({ NextToken: 'garbage' })));
      expect(bad.message).toBe('Invalid parameter: NextToken');
    } finally {
      await t2.close();
    }
  });
});

describe('topic attributes, deletion and tags', () => {
  it('sets and reads attributes; FifoTopic cannot change', async () => {
    const { TopicArn } = await t.sns.send(new CreateTopicCommand({ Name: 'settable' }));
    await t.sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'DisplayName', AttributeValue: 'Shown' }));
    const delivery = JSON.stringify({ http: { defaultHealthyRetryPolicy: { numRetries: 5 } } });
    await t.sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'DeliveryPolicy', AttributeValue: delivery }));
    const { Attributes } = await t.sns.send(new GetTopicAttributesCommand({ TopicArn }));
    expect(Attributes).toMatchObject({ DisplayName: 'Shown', DeliveryPolicy: delivery });
    // The effective policy fills in what the policy leaves out with AWS's defaults.
    expect(JSON.parse(Attributes!.EffectiveDeliveryPolicy!)).toEqual({
      http: {
        defaultHealthyRetryPolicy: { minDelayTarget: 20, maxDelayTarget: 20, numRetries: 5, numMaxDelayRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0, backoffFunction: 'linear' },
        disableSubscriptionOverrides: false,
        defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
      },
    });
    const fifo = await errorOf(() => t.sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'FifoTopic', AttributeValue: 'true' })));
    expect(fifo.message).toBe('Invalid parameter: AttributeName');
    const unknown = await errorOf(() => t.sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Nope', AttributeValue: 'x' })));
    expect(unknown.message).toBe('Invalid parameter: AttributeName');
  });

  it('answers NotFound for a missing topic and InvalidParameter for a bad ARN', async () => {
    const missing = await errorOf(() => t.sns.send(new GetTopicAttributesCommand({ TopicArn: `${ARN}:missing` })));
    expect(missing.name).toBe('NotFoundException');
    expect(missing.message).toBe('Topic does not exist');
    expect(missing.$metadata?.httpStatusCode).toBe(404);
    const short = await errorOf(() => t.sns.send(new GetTopicAttributesCommand({ TopicArn: 'orders' })));
    expect(short.name).toBe('InvalidParameterException');
    expect(short.message).toBe('Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1');
    const otherRegion = await errorOf(() => t.sns.send(new GetTopicAttributesCommand({ TopicArn: 'arn:aws:sns:eu-west-1:000000000000:orders' })));
    expect(otherRegion.message).toBe('Invalid parameter: TopicArn');
    const raw = await rawSns(t.endpoint, { Action: 'GetTopicAttributes', TopicArn: `${ARN}:missing` });
    expect(raw.text).toContain('<Error><Type>Sender</Type><Code>NotFound</Code><Message>Topic does not exist</Message></Error>');
  });

  it('deletes a topic (idempotently)', async () => {
    const { TopicArn } = await t.sns.send(new CreateTopicCommand({ Name: 'doomed' }));
    await t.sns.send(new DeleteTopicCommand({ TopicArn }));
    await t.sns.send(new DeleteTopicCommand({ TopicArn }));
    expect((await errorOf(() => t.sns.send(new GetTopicAttributesCommand({ TopicArn })))).name).toBe('NotFoundException');
    const { Topics } = await t.sns.send(new ListTopicsCommand({}));
    expect(Topics!.map((x) => x.TopicArn)).not.toContain(TopicArn);
  });

  it('tags, untags and lists tags; refuses duplicates, too many and missing topics', async () => {
    const { TopicArn: ResourceArn } = await t.sns.send(new CreateTopicCommand({ Name: 'tagged', Tags: [{ Key: 'a', Value: '1' }] }));
    await t.sns.send(new TagResourceCommand({ ResourceArn, Tags: [{ Key: 'a', Value: '2' }, { Key: 'b', Value: '3' }] }));
    expect((await t.sns.send(new ListTagsForResourceCommand({ ResourceArn }))).Tags).toEqual([
      { Key: 'a', Value: '2' },
      { Key: 'b', Value: '3' },
    ]);
    await t.sns.send(new UntagResourceCommand({ ResourceArn, TagKeys: ['a', 'zzz'] }));
    expect((await t.sns.send(new ListTagsForResourceCommand({ ResourceArn }))).Tags).toEqual([{ Key: 'b', Value: '3' }]);
    const duplicated = await errorOf(() => t.sns.send(new TagResourceCommand({ ResourceArn, Tags: [{ Key: 'x', Value: '1' }, { Key: 'x', Value: '2' }] })));
    expect(duplicated.message).toBe('Invalid parameter: Duplicated keys are not allowed.');
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    const tooMany = await errorOf(() => t.sns.send(new TagResourceCommand({ ResourceArn, Tags: many })));
    expect(tooMany.name).toBe('TagLimitExceededException');
    expect(tooMany.message).toBe('Could not complete request: tag quota of per resource exceeded');
    const missing = await errorOf(() => t.sns.send(new ListTagsForResourceCommand({ ResourceArn: `${ARN}:nothing` })));
    expect(missing.name).toBe('ResourceNotFoundException');
    expect(missing.message).toBe('Resource does not exist');
  });
});

describe('durability', () => {
  it('keeps topics, attributes, tags and subscriptions across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'eddy-sns-'));
    try {
      const first = createEddy({ port: 0, inMemory: false, dataDir });
      const endpoint = await first.listen();
      const created = await rawSns(endpoint, { Action: 'CreateTopic', Name: 'kept', 'Attributes.entry.1.key': 'DisplayName', 'Attributes.entry.1.value': 'Kept', 'Tags.member.1.Key': 'k', 'Tags.member.1.Value': 'v' });
      expect(created.status).toBe(200);
      const subscribed = await rawSns(endpoint, { Action: 'Subscribe', TopicArn: `${ARN}:kept`, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:q' });
      const subscriptionArn = /<SubscriptionArn>(.*)<\/SubscriptionArn>/.exec(subscribed.text)![1];
      await first.close();

      const second = createEddy({ port: 0, inMemory: false, dataDir });
      const again = await second.listen();
      const attributes = await rawSns(again, { Action: 'GetTopicAttributes', TopicArn: `${ARN}:kept` });
      expect(attributes.text).toContain('<entry><key>DisplayName</key><value>Kept</value></entry>');
      expect(attributes.text).toContain('<entry><key>SubscriptionsConfirmed</key><value>1</value></entry>');
      const tags = await rawSns(again, { Action: 'ListTagsForResource', ResourceArn: `${ARN}:kept` });
      expect(tags.text).toContain('<Tags><member><Key>k</Key><Value>v</Value></member></Tags>');
      const subscriptions = await rawSns(again, { Action: 'ListSubscriptions' });
      expect(subscriptions.text).toContain(`<SubscriptionArn>${subscriptionArn}</SubscriptionArn>`);
      await second.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
