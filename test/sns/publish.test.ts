import { ConfirmSubscriptionCommand, CreateTopicCommand, PublishBatchCommand, PublishCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsError } from '../../src/edge/errors.js';
import { errorOf, testCredentials } from '../helpers/eddy.js';
import { startHttpEndpoint } from './http-endpoint.js';
import { rawSns, startSnsEddy, type SnsTestEddy } from './helpers.js';

let t: SnsTestEddy;
let endpoint: Awaited<ReturnType<typeof startHttpEndpoint>>;
let sqs: SQSClient;
beforeAll(async () => {
  t = await startSnsEddy();
  endpoint = await startHttpEndpoint();
  sqs = new SQSClient({ endpoint: t.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
});
afterAll(async () => {
  sqs.destroy();
  await t.close();
  await endpoint.close();
});

/** A topic with the test's http endpoint subscribed and confirmed. */
async function topicWithEndpoint(name: string, attributes: Record<string, string> = {}, subscription: Record<string, string> = {}): Promise<string> {
  const { TopicArn } = await t.sns.send(new CreateTopicCommand({ Name: name, Attributes: attributes }));
  await t.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: endpoint.url, Attributes: subscription }));
  const { Token } = JSON.parse((await endpoint.next()).body);
  await t.sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token }));
  return TopicArn!;
}

describe('Publish', () => {
  it('refuses bad messages with SNS codes and texts, and publishes nothing', async () => {
    const TopicArn = await topicWithEndpoint('checks');
    const cases: [Record<string, unknown>, string, string][] = [
      [{ Message: '' }, 'InvalidParameterException', 'Invalid parameter: Empty message'],
      [{ Message: 'x', Subject: '' }, 'InvalidParameterException', 'Invalid parameter: Subject'],
      [{ Message: 'x', Subject: 'line\nbreak' }, 'InvalidParameterException', 'Invalid parameter: Subject'],
      [{ Message: 'x', Subject: 'Grüße' }, 'InvalidParameterException', 'Invalid parameter: Subject'],
      [{ Message: 'x', Subject: 's'.repeat(100) }, 'InvalidParameterException', 'Invalid parameter: Subject'],
      [{ Message: 'x'.repeat(262_145) }, 'InvalidParameterException', 'Invalid parameter: Message too long'],
      [{ Message: 'x', MessageStructure: 'json' }, 'InvalidParameterException', 'Invalid parameter: Message Structure - JSON message body failed to parse'],
      [{ Message: '{"sqs": "only"}', MessageStructure: 'json' }, 'InvalidParameterException', 'Invalid parameter: Message Structure - No default entry in JSON message body'],
      [{ Message: 'x', MessageStructure: 'xml' }, 'InvalidParameterException', 'Invalid parameter: MessageStructure'],
      [{ Message: 'x', MessageDeduplicationId: 'd' }, 'InvalidParameterException', 'Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type'],
      [{ Message: 'x', MessageAttributes: { 'bad name': { DataType: 'String', StringValue: 'v' } } }, 'InvalidParameterValueException', "Invalid non-alphanumeric character '#x20' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots."],
      [{ Message: 'x', MessageAttributes: { '': { DataType: 'String', StringValue: 'v' } } }, 'InvalidParameterValueException', 'Message attribute name can not be null or empty'],
      [{ Message: 'x', MessageAttributes: { '.a': { DataType: 'String', StringValue: 'v' } } }, 'InvalidParameterValueException', "Invalid message attribute name starting with character '.' was found."],
      [{ Message: 'x', MessageAttributes: { 'a..b': { DataType: 'String', StringValue: 'v' } } }, 'InvalidParameterValueException', "Message attribute name can not have successive '.' character."],
      [{ Message: 'x', MessageAttributes: { a: { DataType: 'Text', StringValue: 'v' } } }, 'InvalidParameterValueException', "The message attribute 'a' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String."],
      [{ Message: 'x', MessageAttributes: { a: { DataType: 'String', StringValue: '' } } }, 'InvalidParameterValueException', "The message attribute 'a' must contain non-empty message attribute value for message attribute type 'String'."],
      [{ Message: 'x', MessageAttributes: { a: { DataType: 'Binary', StringValue: 'v' } } }, 'InvalidParameterValueException', "The message attribute 'a' with type 'Binary' must use field 'Binary'."],
      [{ Message: 'x', MessageAttributes: { a: { DataType: 'Number', StringValue: 'ten' } } }, 'InvalidParameterValueException', "Could not cast message attribute 'a' value to number."],
      [{ Message: 'x', PhoneNumber: '+15555550100', TopicArn: undefined }, 'InvalidParameterException', 'Invalid parameter: PhoneNumber Reason: Eddy does not send SMS messages; publish to a topic'],
      [{ Message: 'x', TopicArn: undefined }, 'InvalidParameterException', 'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter'],
      [{ Message: 'x', TopicArn: 'arn:aws:sns:us-east-1:000000000000:missing' }, 'NotFoundException', 'Topic does not exist'],
    ];
    for (const [input, name, message] of cases) {
      const error = await errorOf(() => t.sns.send(new PublishCommand({ TopicArn, ...input } as never)));
      expect(error.name, message).toBe(name);
      expect(error.message).toBe(message);
    }
    // A missing Message is the model's ValidationError; a missing DataType too.
    const noMessage = await rawSns(t.endpoint, { Action: 'Publish', TopicArn });
    expect(noMessage.text).toContain('<Code>ValidationError</Code><Message>1 validation error detected: Value null at &apos;message&apos; failed to satisfy constraint: Member must not be null</Message>');
    const noType = await rawSns(t.endpoint, { Action: 'Publish', TopicArn, Message: 'x', 'MessageAttributes.entry.1.Name': 'a', 'MessageAttributes.entry.1.Value.StringValue': 'v' });
    expect(noType.text).toContain('Value null at &apos;messageAttributes.a.member.dataType&apos; failed to satisfy constraint: Member must not be null');
    await t.eddy.sns.idle();
    expect(endpoint.received.filter((r) => r.headers['x-amz-sns-topic-arn'] === TopicArn && r.headers['x-amz-sns-message-type'] === 'Notification')).toEqual([]);
  });

  it('delivers the per-protocol message of a MessageStructure json publish, and accepts TargetArn for a topic', async () => {
    const TopicArn = await topicWithEndpoint('structured');
    await t.sns.send(new PublishCommand({ TopicArn, MessageStructure: 'json', Message: JSON.stringify({ default: 'for everyone', http: 'for http', sqs: 'for sqs' }) }));
    expect(JSON.parse((await endpoint.next()).body).Message).toBe('for http');
    await t.sns.send(new PublishCommand({ TargetArn: TopicArn, MessageStructure: 'json', Message: JSON.stringify({ default: 'fallback', https: 12 }) }));
    expect(JSON.parse((await endpoint.next()).body).Message).toBe('fallback');
  });

  it('delivers raw to http with the raw header, without the envelope', async () => {
    const TopicArn = await topicWithEndpoint('raw-web', {}, { RawMessageDelivery: 'true' });
    await t.sns.send(new PublishCommand({ TopicArn, Message: 'just this' }));
    const received = await endpoint.next();
    expect(received.body).toBe('just this');
    expect(received.headers['x-amz-sns-rawdelivery']).toBe('true');
  });

  it('publishes binary and number attributes in the envelope as Type/Value', async () => {
    const TopicArn = await topicWithEndpoint('typed');
    await t.sns.send(
      new PublishCommand({
        TopicArn,
        Message: 'typed',
        MessageAttributes: {
          n: { DataType: 'Number', StringValue: '1.5e3' },
          b: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) },
          l: { DataType: 'String.Array', StringValue: '["a", 1]' },
        },
      }),
    );
    expect(JSON.parse((await endpoint.next()).body).MessageAttributes).toEqual({
      n: { Type: 'Number', Value: '1.5e3' },
      b: { Type: 'Binary', Value: 'AQID' },
      l: { Type: 'String.Array', Value: '["a", 1]' },
    });
  });
});

/** A FIFO topic with a standard queue subscribed; `read()` receives (and deletes) the envelopes delivered so far. */
async function fifoTopicWithQueue(name: string, attributes: Record<string, string> = {}): Promise<{ TopicArn: string; read(): Promise<Record<string, string>[]> }> {
  const { TopicArn } = await t.sns.send(new CreateTopicCommand({ Name: name, Attributes: { FifoTopic: 'true', ...attributes } }));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name.replace('.fifo', '-queue') }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  await t.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn }));
  const read = async () => {
    const out = [];
    for (;;) {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
      if (!Messages?.length) return out;
      for (const m of Messages) {
        out.push(JSON.parse(m.Body!));
        await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
      }
    }
  };
  return { TopicArn: TopicArn!, read };
}

describe('FIFO topics', () => {
  it('requires a group, deduplicates by id or content for five minutes, and numbers messages', async () => {
    const { TopicArn, read } = await fifoTopicWithQueue('orders.fifo');
    const noGroup = await errorOf(() => t.sns.send(new PublishCommand({ TopicArn, Message: 'x', MessageDeduplicationId: 'd' })));
    expect(noGroup.message).toBe('Invalid parameter: The MessageGroupId parameter is required for FIFO topics');
    const noDedup = await errorOf(() => t.sns.send(new PublishCommand({ TopicArn, Message: 'x', MessageGroupId: 'g' })));
    expect(noDedup.message).toBe('Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');

    const first = await t.sns.send(new PublishCommand({ TopicArn, Message: 'one', MessageGroupId: 'g', MessageDeduplicationId: 'd1' }));
    expect(first.SequenceNumber).toMatch(/^\d{20}$/);
    const duplicate = await t.sns.send(new PublishCommand({ TopicArn, Message: 'one again', MessageGroupId: 'g', MessageDeduplicationId: 'd1' }));
    expect(duplicate.MessageId).toBe(first.MessageId);
    const second = await t.sns.send(new PublishCommand({ TopicArn, Message: 'two', MessageGroupId: 'g', MessageDeduplicationId: 'd2' }));
    expect(BigInt(second.SequenceNumber!)).toBeGreaterThan(BigInt(first.SequenceNumber!));
    const delivered = (await read()).map((d) => [d.Message, d.SequenceNumber]).sort();
    expect(delivered).toEqual([
      ['one', first.SequenceNumber],
      ['two', second.SequenceNumber],
    ]);
    t.eddy.clock.advance(5 * 60 * 1000 + 1);
    const later = await t.sns.send(new PublishCommand({ TopicArn, Message: 'one later', MessageGroupId: 'g', MessageDeduplicationId: 'd1' }));
    expect(later.MessageId).not.toBe(first.MessageId);
    expect((await read()).map((d) => d.Message)).toEqual(['one later']);
  });

  it('deduplicates by content when the topic says so', async () => {
    const { TopicArn, read } = await fifoTopicWithQueue('content.fifo', { ContentBasedDeduplication: 'true' });
    const a = await t.sns.send(new PublishCommand({ TopicArn, Message: 'same', MessageGroupId: 'g' }));
    const b = await t.sns.send(new PublishCommand({ TopicArn, Message: 'same', MessageGroupId: 'other' }));
    expect(b.MessageId).toBe(a.MessageId);
    expect((await read()).map((d) => d.Message)).toEqual(['same']);
  });
});

describe('PublishBatch', () => {
  it('publishes up to ten entries and reports each', async () => {
    const TopicArn = await topicWithEndpoint('batch');
    const entries = Array.from({ length: 10 }, (_, i) => ({ Id: `e-${i}`, Message: `m${i}` }));
    const { Successful, Failed } = await t.sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: entries }));
    expect(Successful!.map((s) => s.Id)).toEqual(entries.map((e) => e.Id));
    expect(Failed).toEqual([]);
    const messages = [];
    for (let i = 0; i < 10; i++) messages.push(JSON.parse((await endpoint.next()).body));
    expect(messages.map((m) => m.Message)).toEqual(entries.map((e) => e.Message));
    expect(messages.map((m) => m.MessageId)).toEqual(Successful!.map((s) => s.MessageId));
  });

  it('refuses bad batches whole, with the batch error codes', async () => {
    const TopicArn = await topicWithEndpoint('bad-batch');
    const cases: [unknown[], string, string][] = [
      [[], 'EmptyBatchRequestException', "The batch request doesn't contain any entries."],
      [Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, Message: 'm' })), 'TooManyEntriesInBatchRequestException', 'The batch request contains more entries than permissible.'],
      [[{ Id: 'a', Message: 'm' }, { Id: 'a', Message: 'n' }], 'BatchEntryIdsNotDistinctException', 'Two or more batch entries in the request have the same Id.'],
      [[{ Id: 'a b', Message: 'm' }], 'InvalidBatchEntryIdException', 'The Id of a batch entry in the batch request contains an impermissible character: a b'],
      [[{ Id: 'x'.repeat(81), Message: 'm' }], 'InvalidBatchEntryIdException', `The Id of a batch entry in the batch request is too long: ${'x'.repeat(81)}`],
      [[{ Id: 'a', Message: 'x'.repeat(200_000) }, { Id: 'b', Message: 'x'.repeat(200_000) }], 'BatchRequestTooLongException', 'The length of all the messages put together is more than the limit.'],
      [[{ Id: 'a', Message: 'fine' }, { Id: 'b', Message: '' }], 'InvalidParameterException', 'Invalid parameter: Empty message'],
    ];
    for (const [entries, name, message] of cases) {
      const error = await errorOf(() => t.sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: entries as never })));
      expect(error.name, message).toBe(name);
      expect(error.message).toBe(message);
    }
    await t.eddy.sns.idle();
    expect(endpoint.received.filter((r) => r.headers['x-amz-sns-topic-arn'] === TopicArn && r.headers['x-amz-sns-message-type'] === 'Notification')).toEqual([]);
  });

  it('checks the FIFO rules of every entry before publishing any', async () => {
    const { TopicArn, read } = await fifoTopicWithQueue('batch.fifo');
    const error = await errorOf(() =>
      t.sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [{ Id: 'a', Message: 'm', MessageGroupId: 'g', MessageDeduplicationId: 'd' }, { Id: 'b', Message: 'n' }] })),
    );
    expect(error.message).toBe('Invalid parameter: The MessageGroupId parameter is required for FIFO topics');
    expect(await read()).toEqual([]);
    const { Successful } = await t.sns.send(
      new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [{ Id: 'a', Message: 'm', MessageGroupId: 'g', MessageDeduplicationId: 'd' }, { Id: 'b', Message: 'n', MessageGroupId: 'g', MessageDeduplicationId: 'e' }] }),
    );
    expect(Successful!.every((s) => /^\d{20}$/.test(s.SequenceNumber!))).toBe(true);
    expect((await read()).map((d) => d.Message).sort()).toEqual(['m', 'n']);
  });
});

describe('eddy.sns.publish (in-process, for Lambda destinations)', () => {
  it('publishes to a topic and throws NotFound for a missing one', async () => {
    const TopicArn = await topicWithEndpoint('internal');
    const { messageId } = t.eddy.sns.publish(TopicArn, '{"failed": true}');
    const received = JSON.parse((await endpoint.next()).body);
    expect(received).toMatchObject({ MessageId: messageId, Message: '{"failed": true}' });
    expect(received.Subject).toBeUndefined();
    let thrown: unknown;
    try {
      t.eddy.sns.publish(`${TopicArn}-missing`, 'x');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AwsError);
    expect((thrown as AwsError).code).toBe('NotFound');
  });
});
