import { AwsError } from '../../edge/errors.js';
import { batchFailure, checkBatchEntries, type BatchFailure } from '../batch.js';
import type { SqsContext } from '../context.js';

export function DeleteMessageBatch(
  input: { QueueUrl: string; Entries: { Id: string; ReceiptHandle: string }[] },
  ctx: SqsContext,
): { Successful: { Id: string }[]; Failed: BatchFailure[] } {
  const queue = ctx.queues.byUrl(input.QueueUrl, ctx.region);
  checkBatchEntries(input.Entries, 'DeleteMessageBatchRequestEntry');
  const Successful: { Id: string }[] = [];
  const Failed: BatchFailure[] = [];
  for (const entry of input.Entries) {
    try {
      ctx.queues.deleteMessage(queue, entry.ReceiptHandle ?? '');
      Successful.push({ Id: entry.Id });
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      Failed.push(batchFailure(entry.Id, error));
    }
  }
  return { Successful, Failed };
}
