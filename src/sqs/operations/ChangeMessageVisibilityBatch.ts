import { AwsError } from '../../edge/errors.js';
import { batchFailure, checkBatchEntries, type BatchFailure } from '../batch.js';
import type { SqsContext } from '../context.js';
import { missingParameter } from '../errors.js';
import { checkVisibilityTimeout } from './ChangeMessageVisibility.js';

export function ChangeMessageVisibilityBatch(
  input: { QueueUrl: string; Entries: { Id: string; ReceiptHandle: string; VisibilityTimeout?: number }[] },
  ctx: SqsContext,
): { Successful: { Id: string }[]; Failed: BatchFailure[] } {
  const queue = ctx.queues.byUrl(input.QueueUrl, ctx.region);
  checkBatchEntries(input.Entries, 'ChangeMessageVisibilityBatchRequestEntry');
  const Successful: { Id: string }[] = [];
  const Failed: BatchFailure[] = [];
  for (const entry of input.Entries) {
    try {
      if (entry.VisibilityTimeout === undefined) throw missingParameter('VisibilityTimeout');
      checkVisibilityTimeout(entry.VisibilityTimeout);
      ctx.queues.changeVisibility(queue, entry.ReceiptHandle ?? '', entry.VisibilityTimeout);
      Successful.push({ Id: entry.Id });
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      Failed.push(batchFailure(entry.Id, error));
    }
  }
  return { Successful, Failed };
}
