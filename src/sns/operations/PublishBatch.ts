import { AwsError } from '../../edge/errors.js';
import { checkTopicArn, topicNotFound } from '../arns.js';
import type { SnsContext } from '../context.js';
import { checkMessage, MAX_MESSAGE_BYTES, messageBytes, type MessageAttributes } from '../message.js';
import { deduplicationIdOf } from '../publisher.js';

interface Entry {
  Id: string;
  Message: string;
  Subject?: string;
  MessageStructure?: string;
  MessageAttributes?: MessageAttributes;
  MessageDeduplicationId?: string;
  MessageGroupId?: string;
}

const MAX_ENTRIES = 10;

/**
 * Publishes up to ten messages. Like AWS, a malformed entry fails the whole
 * request; every entry is checked (FIFO rules included) before any is published.
 */
export function PublishBatch(
  input: { TopicArn: string; PublishBatchRequestEntries: Entry[] },
  ctx: SnsContext,
): { Successful: { Id: string; MessageId: string; SequenceNumber?: string }[]; Failed: never[] } {
  checkTopicArn(input.TopicArn, ctx.region);
  const topic = ctx.store.topicToPublish(input.TopicArn);
  if (!topic) throw topicNotFound();
  const entries = input.PublishBatchRequestEntries;
  if (entries.length === 0) throw new AwsError('EmptyBatchRequest', "The batch request doesn't contain any entries.");
  if (entries.length > MAX_ENTRIES) throw new AwsError('TooManyEntriesInBatchRequest', 'The batch request contains more entries than permissible.');
  if (new Set(entries.map((e) => e.Id)).size < entries.length) throw new AwsError('BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.');
  for (const { Id } of entries) {
    if (Id.length > 80) throw new AwsError('InvalidBatchEntryId', `The Id of a batch entry in the batch request is too long: ${Id}`);
    if (!/^[A-Za-z0-9_-]+$/.test(Id)) throw new AwsError('InvalidBatchEntryId', `The Id of a batch entry in the batch request contains an impermissible character: ${Id}`);
  }
  const messages = entries.map((entry) => checkMessage(entry));
  const total = entries.reduce((sum, e) => sum + messageBytes(e.Message, e.MessageAttributes), 0);
  if (total > MAX_MESSAGE_BYTES) throw new AwsError('BatchRequestTooLong', 'The length of all the messages put together is more than the limit.');
  for (const message of messages) deduplicationIdOf(topic, message);

  const Successful = messages.map((message, i) => {
    const published = ctx.publisher.publish(topic, message);
    return { Id: entries[i]!.Id, MessageId: published.messageId, SequenceNumber: published.sequenceNumber };
  });
  return { Successful, Failed: [] };
}
