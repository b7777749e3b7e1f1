import { senderIdOf, type SqsContext } from '../context.js';
import { checkMessage, type RawMessage } from '../message-input.js';
import type { Queue } from '../queue-catalog.js';
import type { SendResult } from '../queues.js';

/** SendMessage's answer (also each SendMessageBatch success, plus its Id). */
export function sendAnswer(result: SendResult): Record<string, string> {
  return {
    MD5OfMessageBody: result.md5OfBody,
    ...(result.md5OfAttributes ? { MD5OfMessageAttributes: result.md5OfAttributes } : {}),
    ...(result.md5OfSystemAttributes ? { MD5OfMessageSystemAttributes: result.md5OfSystemAttributes } : {}),
    MessageId: result.messageId,
    ...(result.sequenceNumber ? { SequenceNumber: result.sequenceNumber } : {}),
  };
}

export const messageLimits = (queue: Queue) => ({ fifo: queue.fifo, maximumMessageSize: Number(queue.attributes.MaximumMessageSize) });

export function SendMessage(input: RawMessage & { QueueUrl: string }, ctx: SqsContext): Record<string, string> {
  const queue = ctx.queues.byUrl(input.QueueUrl, ctx.region);
  const message = checkMessage(input, messageLimits(queue));
  return sendAnswer(ctx.queues.send(queue, message, senderIdOf(ctx)));
}
