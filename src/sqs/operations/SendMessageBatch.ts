import { AwsError } from '../../edge/errors.js';
import { batchFailure, checkBatchEntries, type BatchFailure } from '../batch.js';
import { senderIdOf, type SqsContext } from '../context.js';
import { sqsError } from '../errors.js';
import { checkMessage, type RawMessage } from '../message-input.js';
import { messageLimits, sendAnswer } from './SendMessage.js';

type Entry = RawMessage & { Id: string };

/** Up to 10 messages, at most 1 MiB together; each entry succeeds or fails on its own. */
export function SendMessageBatch(input: { QueueUrl: string; Entries: Entry[] }, ctx: SqsContext): { Successful: unknown[]; Failed: BatchFailure[] } {
  const queue = ctx.queues.byUrl(input.QueueUrl, ctx.region);
  checkBatchEntries(input.Entries, 'SendMessageBatchRequestEntry');
  const total = input.Entries.reduce((sum, entry) => sum + Buffer.byteLength(entry.MessageBody ?? '', 'utf8') + attributeBytes(entry), 0);
  if (total > 1048576) throw sqsError('BatchRequestTooLong', `Batch requests cannot be longer than 1048576 bytes. You have sent ${total} bytes.`);
  const Successful: unknown[] = [];
  const Failed: BatchFailure[] = [];
  for (const entry of input.Entries) {
    try {
      const message = checkMessage(entry, messageLimits(queue));
      Successful.push({ Id: entry.Id, ...sendAnswer(ctx.queues.send(queue, message, senderIdOf(ctx))) });
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      Failed.push(batchFailure(entry.Id, error));
    }
  }
  return { Successful, Failed };
}

function attributeBytes(entry: Entry): number {
  let size = 0;
  for (const [name, value] of Object.entries(entry.MessageAttributes ?? {})) {
    size += Buffer.byteLength(name) + Buffer.byteLength(value.DataType ?? '') + Buffer.byteLength(value.StringValue ?? '');
    if (typeof value.BinaryValue === 'string') size += Buffer.from(value.BinaryValue, 'base64').length;
  }
  return size;
}
