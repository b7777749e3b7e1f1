import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  TagQueueCommand,
  UntagQueueCommand,
  QueueDoesNotExist,
  AddPermissionCommand,
  RemovePermissionCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf } from '../helpers/eddy.js';
import { rawSqs, startSqsEddy, type SqsTestEddy } from './helpers.js';

let t: SqsTestEddy;
beforeAll(async () => {
  t = await startSqsEddy();
});
afterAll(() => t.close());

const create = async (QueueName: string, Attributes?: Record<string, string>) => (await t.sqs.send(new CreateQueueCommand({ QueueName, Attributes }))).QueueUrl!;
const attributes = async (QueueUrl: string) => (await t.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }))).Attributes!;

describe('CreateQueue and GetQueueUrl', () => {
  it('answers a URL that routes back to Eddy and shows the defaults', async () => {
    const url = await create('orders');
    expect(url).toBe(`${t.endpoint}/000000000000/orders`);
    const all = await attributes(url);
    expect(all).toMatchObject({
      QueueArn: 'arn:aws:sqs:us-east-1:000000000000:orders',
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
      ApproximateNumberOfMessagesDelayed: '0',
      VisibilityTimeout: '30',
      MaximumMessageSize: '1048576',
      MessageRetentionPeriod: '345600',
      DelaySeconds: '0',
      ReceiveMessageWaitTimeSeconds: '0',
      SqsManagedSseEnabled: 'true',
    });
    expect(Number(all.CreatedTimestamp)).toBeCloseTo(t.eddy.clock.now() / 1000, -1);
    expect(all.FifoQueue).toBeUndefined();
    expect((await t.sqs.send(new GetQueueUrlCommand({ QueueName: 'orders' }))).QueueUrl).toBe(url);
  });

  it('takes every settable attribute and tags', async () => {
    const dlq = await create('create-dlq');
    const url = (
      await t.sqs.send(
        new CreateQueueCommand({
          QueueName: 'configured',
          Attributes: {
            VisibilityTimeout: '45',
            MessageRetentionPeriod: '600',
            DelaySeconds: '5',
            ReceiveMessageWaitTimeSeconds: '3',
            MaximumMessageSize: '2048',
            RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:create-dlq', maxReceiveCount: '4' }),
          },
          tags: { team: 'orders' },
        }),
      )
    ).QueueUrl!;
    const all = await attributes(url);
    expect(all).toMatchObject({ VisibilityTimeout: '45', MessageRetentionPeriod: '600', DelaySeconds: '5', ReceiveMessageWaitTimeSeconds: '3', MaximumMessageSize: '2048' });
    expect(JSON.parse(all.RedrivePolicy!)).toEqual({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:create-dlq', maxReceiveCount: 4 });
    expect((await t.sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags).toEqual({ team: 'orders' });
    expect((await t.sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }))).queueUrls).toEqual([url]);
  });

  it('same name and same attributes answers the same URL; different attributes is QueueNameExists', async () => {
    const url = await create('twice', { VisibilityTimeout: '10' });
    expect(await create('twice', { VisibilityTimeout: '10' })).toBe(url);
    expect(await create('twice')).toBe(url);
    const error = await errorOf(() => create('twice', { VisibilityTimeout: '11' }));
    expect(error.name).toBe('QueueNameExists');
    expect(error.message).toBe('A queue already exists with the same name and a different value for attribute VisibilityTimeout');
  });

  it('refuses bad names and attribute values with AWS errors', async () => {
    const badName = await errorOf(() => create('has space'));
    expect(badName.name).toBe('InvalidParameterValue');
    expect(badName.message).toBe('Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
    const fifoName = await errorOf(() => create('no-suffix', { FifoQueue: 'true' }));
    expect(fifoName.message).toContain('must end with .fifo suffix');
    const standardDotFifo = await errorOf(() => create('x.fifo'));
    expect(standardDotFifo.name).toBe('InvalidParameterValue');
    const range = await errorOf(() => create('bad-vt', { VisibilityTimeout: '43201' }));
    expect(range.name).toBe('InvalidAttributeValue');
    expect(range.message).toBe('Invalid value for the parameter VisibilityTimeout.');
    const unknown = await errorOf(() => create('bad-attr', { Colour: 'blue' } as never));
    expect(unknown.name).toBe('InvalidAttributeName');
    expect(unknown.message).toBe('Unknown Attribute Colour.');
    const noDlq = await errorOf(() => create('bad-redrive', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:nope', maxReceiveCount: 3 }) }));
    expect(noDlq.name).toBe('InvalidParameterValue');
    expect(noDlq.message).toContain('Reason: Dead letter target does not exist.');
    expect((await t.sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'bad' }))).QueueUrls).toBeUndefined();
  });

  it('a missing queue is QueueDoesNotExist, typed by the SDK through x-amzn-query-error', async () => {
    const error = await errorOf(() => t.sqs.send(new GetQueueUrlCommand({ QueueName: 'ghost' })));
    expect(error).toBeInstanceOf(QueueDoesNotExist);
    expect(error.message).toBe('The specified queue does not exist.');
    expect(error.$metadata?.httpStatusCode).toBe(400);
    const raw = await rawSqs(t.endpoint, 'GetQueueUrl', { QueueName: 'ghost' });
    expect(raw.status).toBe(400);
    expect(raw.headers.get('x-amzn-query-error')).toBe('AWS.SimpleQueueService.NonExistentQueue;Sender');
    expect(raw.json).toEqual({ __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' });
    const missing = await rawSqs(t.endpoint, 'GetQueueUrl', {});
    expect(missing.headers.get('x-amzn-query-error')).toBe('MissingParameter;Sender');
    expect(missing.json).toEqual({ __type: 'com.amazon.coral.service#MissingParameterException', message: 'The request must contain the parameter QueueName.' });
  });
});

describe('ListQueues', () => {
  it('filters by prefix and pages with MaxResults and NextToken', async () => {
    for (const name of ['page-a', 'page-b', 'page-c']) await create(name);
    const first = await t.sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'page-', MaxResults: 2 }));
    expect(first.QueueUrls).toEqual([`${t.endpoint}/000000000000/page-a`, `${t.endpoint}/000000000000/page-b`]);
    expect(first.NextToken).toBeTruthy();
    const second = await t.sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'page-', MaxResults: 2, NextToken: first.NextToken }));
    expect(second.QueueUrls).toEqual([`${t.endpoint}/000000000000/page-c`]);
    expect(second.NextToken).toBeUndefined();
    const all = await t.sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'page-' }));
    expect(all.QueueUrls).toHaveLength(3);
    expect(all.NextToken).toBeUndefined();
  });
});

describe('SetQueueAttributes, tags, DeleteQueue, PurgeQueue', () => {
  it('changes attributes and LastModifiedTimestamp; an empty RedrivePolicy removes it', async () => {
    const dlq = await create('set-dlq');
    const url = await create('set-me');
    t.eddy.clock.advance(5000);
    const policy = JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:set-dlq', maxReceiveCount: 2 });
    await t.sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { VisibilityTimeout: '60', RedrivePolicy: policy } }));
    let all = await attributes(url);
    expect(all.VisibilityTimeout).toBe('60');
    expect(all.RedrivePolicy).toBe(policy);
    expect(Number(all.LastModifiedTimestamp)).toBeGreaterThanOrEqual(Number(all.CreatedTimestamp) + 5);
    expect((await t.sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }))).queueUrls).toEqual([url]);
    await t.sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { RedrivePolicy: '' } }));
    all = await attributes(url);
    expect(all.RedrivePolicy).toBeUndefined();
    const fifoOnly = await errorOf(() => t.sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { FifoQueue: 'true' } })));
    expect(fifoOnly.name).toBe('InvalidAttributeName');
    const some = await t.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['VisibilityTimeout', 'QueueArn'] }));
    expect(some.Attributes).toEqual({ VisibilityTimeout: '60', QueueArn: 'arn:aws:sqs:us-east-1:000000000000:set-me' });
  });

  it('tags and untags', async () => {
    const url = await create('tagged');
    await t.sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: { a: '1', b: '2' } }));
    await t.sqs.send(new UntagQueueCommand({ QueueUrl: url, TagKeys: ['a'] }));
    expect((await t.sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags).toEqual({ b: '2' });
  });

  it('purges once per 60 seconds of Eddy time', async () => {
    const url = await create('purged');
    await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    await t.sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    expect((await attributes(url)).ApproximateNumberOfMessages).toBe('0');
    const again = await errorOf(() => t.sqs.send(new PurgeQueueCommand({ QueueUrl: url })));
    expect(again.name).toBe('PurgeQueueInProgress');
    expect(again.message).toBe('Only one PurgeQueue operation on purged is allowed every 60 seconds.');
    expect(again.$metadata?.httpStatusCode).toBe(403);
    t.eddy.clock.advance(60_000);
    await t.sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
  });

  it('deletes a queue; its URL is then QueueDoesNotExist and the name is refused for 60 seconds', async () => {
    const url = await create('doomed');
    await t.sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    expect((await errorOf(() => t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' })))).name).toBe('QueueDoesNotExist');
    const recent = await errorOf(() => create('doomed'));
    expect(recent.name).toBe('QueueDeletedRecently');
    t.eddy.clock.advance(60_000);
    expect(await create('doomed')).toBe(url);
  });
});

describe('what Eddy refuses', () => {
  it('unknown attribute names, and the permission operations it does not simulate', async () => {
    const url = await create('refusals');
    const unknown = await errorOf(() => t.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Colour' as never] })));
    expect(unknown.name).toBe('InvalidAttributeName');
    expect(unknown.message).toBe('Unknown Attribute Colour.');
    const add = await errorOf(() => t.sqs.send(new AddPermissionCommand({ QueueUrl: url, Label: 'l', AWSAccountIds: ['111111111111'], Actions: ['SendMessage'] })));
    expect(add.name).toBe('UnsupportedOperation');
    expect(add.message).toContain('Eddy does not support AddPermission');
    const remove = await errorOf(() => t.sqs.send(new RemovePermissionCommand({ QueueUrl: url, Label: 'l' })));
    expect(remove.name).toBe('UnsupportedOperation');
  });
});
