import {
  ConfirmSubscriptionCommand,
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListSubscriptionsCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf } from '../helpers/eddy.js';
import { startHttpEndpoint } from './http-endpoint.js';
import { rawSns, startSnsEddy, type SnsTestEddy } from './helpers.js';

let t: SnsTestEddy;
let topicArn: string;
beforeAll(async () => {
  t = await startSnsEddy();
  topicArn = (await t.sns.send(new CreateTopicCommand({ Name: 'events' }))).TopicArn!;
});
afterAll(async () => t.close());

const queueArn = (name: string): string => `arn:aws:sqs:us-east-1:000000000000:${name}`;
const functionArn = (name: string): string => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

describe('Subscribe', () => {
  it('confirms sqs and lambda subscriptions at once and shows their attributes', async () => {
    const { SubscriptionArn } = await t.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn('q1'), Attributes: { RawMessageDelivery: 'TRUE' } }));
    expect(SubscriptionArn).toMatch(new RegExp(`^${topicArn}:[0-9a-f-]{36}$`));
    const { Attributes } = await t.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
    expect(Attributes).toEqual({
      Owner: '000000000000',
      RawMessageDelivery: 'true',
      TopicArn: topicArn,
      Endpoint: queueArn('q1'),
      Protocol: 'sqs',
      PendingConfirmation: 'false',
      ConfirmationWasAuthenticated: 'true',
      SubscriptionArn,
      SubscriptionPrincipal: 'arn:aws:iam::000000000000:root',
    });
    const lambda = await t.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'lambda', Endpoint: functionArn('f') }));
    expect(lambda.SubscriptionArn).toMatch(/^arn:aws:sns:/);
  });

  it('returns the existing subscription for the same endpoint, and refuses different attributes', async () => {
    const first = await t.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn('same') }));
    const again = await t.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn('same'), Attributes: { RawMessageDelivery: 'false' } }));
    expect(again.SubscriptionArn).toBe(first.SubscriptionArn);
    const different = await errorOf(() => t.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn('same'), Attributes: { RawMessageDelivery: 'true' } })));
    expect(different.message).toBe('Invalid parameter: Attributes Reason: Subscription already exists with different attributes');
  });

  it('refuses bad protocols, endpoints and attributes with SNS texts', async () => {
    const cases: [Record<string, unknown>, string, string?][] = [
      [{ Protocol: 'carrier-pigeon', Endpoint: 'x' }, 'Invalid parameter: Amazon SNS does not support this protocol string: carrier-pigeon'],
      [{ Protocol: 'email', Endpoint: 'a@b.c' }, 'Invalid parameter: Protocol Reason: Eddy does not deliver to the email protocol'],
      [{ Protocol: 'sms', Endpoint: '+15555550100' }, 'Invalid parameter: Protocol Reason: Eddy does not deliver to the sms protocol'],
      [{ Protocol: 'http', Endpoint: 'https://localhost/x' }, 'Invalid parameter: Endpoint must match the specified protocol'],
      [{ Protocol: 'https', Endpoint: 'https://example.com/hook' }, 'Invalid parameter: Endpoint Reason: Eddy delivers only to endpoints on this machine (localhost, 127.0.0.1, ::1): https://example.com/hook'],
      [{ Protocol: 'sqs', Endpoint: 'my-queue' }, 'Invalid parameter: SQS endpoint ARN'],
      [{ Protocol: 'sqs', Endpoint: queueArn('q.fifo') }, 'Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics'],
      [{ Protocol: 'lambda', Endpoint: 'my-function' }, 'Invalid parameter: Lambda endpoint ARN'],
      [{ Protocol: 'sqs' }, 'Invalid parameter: Endpoint'],
      [{ Protocol: 'sqs', Endpoint: queueArn('a'), Attributes: { Colour: 'x' } }, 'Invalid parameter: Attributes Reason: AttributeName'],
      [{ Protocol: 'lambda', Endpoint: functionArn('f'), Attributes: { RawMessageDelivery: 'true' } }, 'Invalid parameter: Attributes Reason: Delivery protocol [lambda] does not support raw message delivery.'],
      [{ Protocol: 'sqs', Endpoint: queueArn('a'), Attributes: { RawMessageDelivery: 'yes' } }, 'Invalid parameter: Attributes Reason: RawMessageDelivery: Invalid value [yes]. Must be true or false.'],
      [{ Protocol: 'sqs', Endpoint: queueArn('a'), Attributes: { FilterPolicyScope: 'Everything' } }, 'Invalid parameter: Attributes Reason: FilterPolicyScope: Invalid value [Everything]. Please use either MessageBody or MessageAttributes'],
      [{ Protocol: 'sqs', Endpoint: queueArn('a'), Attributes: { FilterPolicy: '{"a": [' } }, 'Invalid parameter: Attributes Reason: FilterPolicy: failed to parse JSON.'],
      [{ Protocol: 'sqs', Endpoint: queueArn('a'), Attributes: { FilterPolicy: '{"a": {"b": ["c"]}}' } }, 'Invalid parameter: Attributes Reason: Filter policy scope MessageAttributes does not support nested filter policy'],
      [{ Protocol: 'sqs', Endpoint: queueArn('a'), Attributes: { RedrivePolicy: '{"deadLetterTargetArn": "dlq"}' } }, 'Invalid parameter: Attributes Reason: RedrivePolicy: deadLetterTargetArn is an invalid arn'],
    ];
    for (const [input, message] of cases) {
      const error = await errorOf(() => t.sns.send(new SubscribeCommand({ TopicArn: topicArn, ...input } as never)));
      expect(error.name, message).toBe('InvalidParameterException');
      expect(error.message).toBe(message);
    }
    const { TopicArn: fifoTopic } = await t.sns.send(new CreateTopicCommand({ Name: 'only-queues.fifo', Attributes: { FifoTopic: 'true' } }));
    for (const [Protocol, Endpoint] of [['lambda', functionArn('f')], ['email', 'a@b.c'], ['https', 'https://localhost/x']]) {
      const error = await errorOf(() => t.sns.send(new SubscribeCommand({ TopicArn: fifoTopic, Protocol, Endpoint })));
      expect(error.message).toBe(`Invalid parameter: Invalid protocol type: ${Protocol}`);
    }
    expect((await t.sns.send(new SubscribeCommand({ TopicArn: fifoTopic, Protocol: 'sqs', Endpoint: queueArn('standard-from-fifo') }))).SubscriptionArn).toMatch(/^arn:aws:sns:/);
    const missing = await errorOf(() => t.sns.send(new SubscribeCommand({ TopicArn: `${topicArn}-gone`, Protocol: 'sqs', Endpoint: queueArn('a') })));
    expect(missing.name).toBe('NotFoundException');
    // A nested policy is fine in the MessageBody scope, whichever order the attributes come in.
    const body = await t.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn('body'), Attributes: { FilterPolicy: '{"a": {"b": ["c"]}}', FilterPolicyScope: 'MessageBody' } }));
    const { Attributes } = await t.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: body.SubscriptionArn }));
    expect(Attributes).toMatchObject({ FilterPolicy: '{"a": {"b": ["c"]}}', FilterPolicyScope: 'MessageBody' });
  });
});

describe('http(s) subscriptions', () => {
  it('sends a SubscriptionConfirmation, stays pending until ConfirmSubscription, then delivers', async () => {
    const endpoint = await startHttpEndpoint();
    try {
      const { TopicArn } = await t.sns.send(new CreateTopicCommand({ Name: 'web' }));
      const subscribed = await t.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: endpoint.url }));
      expect(subscribed.SubscriptionArn).toBe('pending confirmation');
      const confirmation = await endpoint.next();
      expect(confirmation.headers['x-amz-sns-message-type']).toBe('SubscriptionConfirmation');
      expect(confirmation.headers['x-amz-sns-topic-arn']).toBe(TopicArn);
      expect(confirmation.headers['content-type']).toBe('text/plain; charset=UTF-8');
      const body = JSON.parse(confirmation.body);
      expect(body).toMatchObject({
        Type: 'SubscriptionConfirmation',
        TopicArn,
        Message: `You have chosen to subscribe to the topic ${TopicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
        SignatureVersion: '1',
      });
      expect(body.Token).toMatch(/^[0-9a-f]{288}$/);
      expect(body.Timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(body.SubscribeURL).toBe(`${t.endpoint}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(TopicArn!)}&Token=${body.Token}`);

      const listed = await t.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
      expect(listed.Subscriptions).toEqual([{ SubscriptionArn: 'PendingConfirmation', Owner: '000000000000', Protocol: 'http', Endpoint: endpoint.url, TopicArn }]);
      expect((await t.sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes).toMatchObject({ SubscriptionsPending: '1', SubscriptionsConfirmed: '0' });
      // Nothing is delivered while pending.
      await t.sns.send(new PublishCommand({ TopicArn, Message: 'too early' }));
      await t.eddy.sns.idle();
      expect(endpoint.received).toHaveLength(1);

      const badToken = await errorOf(() => t.sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: 'nope' })));
      expect(badToken.message).toBe('Invalid parameter: Token');
      // The SubscribeURL works unsigned, as a plain GET.
      const visited = await fetch(body.SubscribeURL);
      expect(visited.status).toBe(200);
      const confirmedArn = /<SubscriptionArn>(.*)<\/SubscriptionArn>/.exec(await visited.text())![1];
      expect(confirmedArn).toMatch(new RegExp(`^${TopicArn}:`));
      // Confirming again is fine.
      expect((await t.sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: body.Token }))).SubscriptionArn).toBe(confirmedArn);
      expect((await t.sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes).toMatchObject({ SubscriptionsPending: '0', SubscriptionsConfirmed: '1' });
      // Confirmed by an unsigned GET.
      expect((await t.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: confirmedArn }))).Attributes).toMatchObject({ PendingConfirmation: 'false', ConfirmationWasAuthenticated: 'false' });

      const { MessageId } = await t.sns.send(
        new PublishCommand({ TopicArn, Message: 'hello web', Subject: 'Greeting', MessageAttributes: { kind: { DataType: 'String', StringValue: 'greeting' } } }),
      );
      const delivered = await endpoint.next();
      expect(delivered.headers).toMatchObject({
        'x-amz-sns-message-type': 'Notification',
        'x-amz-sns-message-id': MessageId,
        'x-amz-sns-topic-arn': TopicArn,
        'x-amz-sns-subscription-arn': confirmedArn,
        'user-agent': 'Amazon Simple Notification Service Agent',
      });
      const notification = JSON.parse(delivered.body);
      expect(Object.keys(notification)).toEqual(['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL', 'MessageAttributes']);
      expect(notification).toMatchObject({ Type: 'Notification', MessageId, TopicArn, Subject: 'Greeting', Message: 'hello web', MessageAttributes: { kind: { Type: 'String', Value: 'greeting' } } });
      expect(notification.UnsubscribeURL).toBe(`${t.endpoint}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(confirmedArn!)}`);

      // The UnsubscribeURL works unsigned too.
      expect((await fetch(notification.UnsubscribeURL)).status).toBe(200);
      expect((await t.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions).toEqual([]);
    } finally {
      await endpoint.close();
    }
  });

  it('returns the real ARN at once with ReturnSubscriptionArn', async () => {
    const endpoint = await startHttpEndpoint();
    try {
      const { TopicArn } = await t.sns.send(new CreateTopicCommand({ Name: 'web2' }));
      const { SubscriptionArn } = await t.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: endpoint.url, ReturnSubscriptionArn: true }));
      expect(SubscriptionArn).toMatch(new RegExp(`^${TopicArn}:[0-9a-f-]{36}$`));
      expect((await t.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes).toMatchObject({ PendingConfirmation: 'true', ConfirmationWasAuthenticated: 'false' });
      await endpoint.next();
    } finally {
      await endpoint.close();
    }
  });
});

describe('AuthenticateOnUnsubscribe', () => {
  it('after a signed confirmation with it, refuses unsigned unsubscribes and takes signed ones', async () => {
    const endpoint = await startHttpEndpoint();
    try {
      const { TopicArn } = await t.sns.send(new CreateTopicCommand({ Name: 'guarded' }));
      await t.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: endpoint.url }));
      const { Token } = JSON.parse((await endpoint.next()).body);
      const { SubscriptionArn } = await t.sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token, AuthenticateOnUnsubscribe: 'true' }));
      const { Attributes } = await t.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
      expect(Attributes).toMatchObject({ PendingConfirmation: 'false', ConfirmationWasAuthenticated: 'true' });
      expect(Attributes!.AuthenticateOnUnsubscribe).toBeUndefined();
      const unsigned = await fetch(`${t.endpoint}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(SubscriptionArn!)}`);
      expect(unsigned.status).toBe(403);
      expect(await unsigned.text()).toContain(`<Code>AuthorizationError</Code><Message>User: anonymous is not authorized to perform: SNS:Unsubscribe on resource: ${SubscriptionArn}</Message>`);
      await t.sns.send(new UnsubscribeCommand({ SubscriptionArn }));
      expect((await t.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions).toEqual([]);
    } finally {
      await endpoint.close();
    }
  });
});

describe('subscription attributes, listing and Unsubscribe', () => {
  it('sets attributes; an empty FilterPolicy removes the policy; a scope change must suit the policy', async () => {
    const { TopicArn } = await t.sns.send(new CreateTopicCommand({ Name: 'attrs' }));
    const { SubscriptionArn } = await t.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn('attrs') }));
    await t.sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'FilterPolicy', AttributeValue: '{"kind": ["a"]}' }));
    expect((await t.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes).toMatchObject({ FilterPolicy: '{"kind": ["a"]}', FilterPolicyScope: 'MessageAttributes' });
    await t.sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'FilterPolicyScope', AttributeValue: 'MessageBody' }));
    await t.sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'FilterPolicy', AttributeValue: '{"order": {"kind": ["a"]}}' }));
    const back = await errorOf(() => t.sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'FilterPolicyScope', AttributeValue: 'MessageAttributes' })));
    expect(back.message).toBe('Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy');
    const bad = await errorOf(() => t.sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'FilterPolicy', AttributeValue: '{"kind": "a"}' })));
    expect(bad.message).toBe('Invalid parameter: FilterPolicy: "kind" must be an object or an array');
    const unknownName = await errorOf(() => t.sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'Colour', AttributeValue: 'x' })));
    expect(unknownName.message).toBe('Invalid parameter: AttributeName');
    await t.sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'FilterPolicy', AttributeValue: '' }));
    const { Attributes } = await t.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
    expect(Attributes!.FilterPolicy).toBeUndefined();
    expect(Attributes!.FilterPolicyScope).toBeUndefined();
    const gone = await errorOf(() => t.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: `${TopicArn}:00000000-0000-0000-0000-000000000000` })));
    expect(gone.name).toBe('NotFoundException');
    expect(gone.message).toBe('Subscription does not exist');
  });

  it('lists subscriptions of the account and of a topic, 100 a page', async () => {
    const { TopicArn } = await t.sns.send(new CreateTopicCommand({ Name: 'many' }));
    for (let i = 0; i < 120; i++) await t.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn(`many-${i}`) }));
    const first = await t.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    expect(first.Subscriptions).toHaveLength(100);
    const second = await t.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn, NextToken: first.NextToken }));
    expect(second.Subscriptions).toHaveLength(20);
    expect(second.NextToken).toBeUndefined();
    expect([...first.Subscriptions!, ...second.Subscriptions!].map((s) => s.Endpoint)).toEqual(Array.from({ length: 120 }, (_, i) => queueArn(`many-${i}`)));
    let all = 0;
    let NextToken: string | undefined;
    do {
      const page = await t.sns.send(new ListSubscriptionsCommand({ NextToken }));
      all += page.Subscriptions!.length;
      NextToken = page.NextToken;
    } while (NextToken);
    expect(all).toBeGreaterThanOrEqual(120);
    const missing = await errorOf(() => t.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: `${TopicArn}-gone` })));
    expect(missing.name).toBe('NotFoundException');
  });

  it('unsubscribes (idempotently) and refuses ARNs that are not subscriptions', async () => {
    const { TopicArn } = await t.sns.send(new CreateTopicCommand({ Name: 'unsub' }));
    const { SubscriptionArn } = await t.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn('unsub') }));
    await t.sns.send(new UnsubscribeCommand({ SubscriptionArn }));
    await t.sns.send(new UnsubscribeCommand({ SubscriptionArn }));
    expect((await t.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions).toEqual([]);
    const topic = await errorOf(() => t.sns.send(new UnsubscribeCommand({ SubscriptionArn: TopicArn })));
    expect(topic.message).toBe('Invalid parameter: SubscriptionId');
    const short = await errorOf(() => t.sns.send(new UnsubscribeCommand({ SubscriptionArn: 'abc' })));
    expect(short.message).toBe('Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 1');
    // Only Unsubscribe and ConfirmSubscription are served unsigned.
    const unsigned = await rawSns(t.endpoint, { Action: 'ListTopics' }, false);
    expect(unsigned.status).toBe(403);
    expect(unsigned.text).toContain('<Code>MissingAuthenticationToken</Code>');
  });

  it('deleting a topic deletes its subscriptions', async () => {
    const { TopicArn } = await t.sns.send(new CreateTopicCommand({ Name: 'cascade' }));
    const { SubscriptionArn } = await t.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn('cascade') }));
    await rawSns(t.endpoint, { Action: 'DeleteTopic', TopicArn: TopicArn! });
    expect((await errorOf(() => t.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn })))).name).toBe('NotFoundException');
  });
});
