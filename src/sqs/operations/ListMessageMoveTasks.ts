import type { SqsContext } from '../context.js';
import { invalidParameter, sqsError } from '../errors.js';

/** The most recent move tasks of a source queue, newest first (MaxResults 1..10, default 1). */
export function ListMessageMoveTasks(input: { SourceArn: string; MaxResults?: number }, ctx: SqsContext): { Results: Record<string, unknown>[] } {
  ctx.queues.runMoveTasks();
  if (!ctx.queues.byArn(input.SourceArn)) throw sqsError('ResourceNotFoundException', "The resource that you specified for the SourceArn parameter doesn't exist.");
  const max = input.MaxResults ?? 1;
  if (max < 1 || max > 10) throw invalidParameter('MaxResults', max, 'Must be between 1 and 10.');
  return {
    Results: ctx.queues.moveTasks.latest(input.SourceArn, max).map((task) => ({
      ...(task.status === 'RUNNING' ? { TaskHandle: task.taskHandle } : {}),
      Status: task.status,
      SourceArn: task.sourceArn,
      ...(task.destinationArn ? { DestinationArn: task.destinationArn } : {}),
      ...(task.maxPerSecond !== undefined ? { MaxNumberOfMessagesPerSecond: task.maxPerSecond } : {}),
      ApproximateNumberOfMessagesMoved: task.moved,
      ...(task.toMove !== undefined ? { ApproximateNumberOfMessagesToMove: task.toMove } : {}),
      ...(task.failureReason ? { FailureReason: task.failureReason } : {}),
      StartedTimestamp: task.startedAt,
    })),
  };
}
