import { randomUUID } from 'node:crypto';
import type { SqsContext } from '../context.js';
import { invalidParameter, sqsError } from '../errors.js';
import { redrivePolicyOf } from '../queue-attributes.js';

interface Input {
  SourceArn: string;
  DestinationArn?: string;
  MaxNumberOfMessagesPerSecond?: number;
}

/**
 * Redrives a dead-letter queue: its messages go back to the queue each was
 * dead-lettered from, or to DestinationArn. With MaxNumberOfMessagesPerSecond
 * the task moves that many per second of Eddy's clock (RUNNING until the
 * source is empty, cancellable); without it Eddy moves them all at once (AWS
 * picks its own rate), so the task is COMPLETED when this answers.
 */
export function StartMessageMoveTask(input: Input, ctx: SqsContext): { TaskHandle: string } {
  const queues = ctx.queues;
  const source = queues.byArn(input.SourceArn);
  if (!source) throw sqsError('ResourceNotFoundException', "The resource that you specified for the SourceArn parameter doesn't exist.");
  const isDeadLetterQueue = queues.catalog.all().some((q) => redrivePolicyOf(q.attributes)?.deadLetterTargetArn === source.arn);
  if (!isDeadLetterQueue) throw sqsError('InvalidParameterValue', 'Source queue must be configured as a Dead Letter Queue.');
  const destination = input.DestinationArn !== undefined ? queues.byArn(input.DestinationArn) : undefined;
  if (input.DestinationArn !== undefined && !destination) {
    throw sqsError('ResourceNotFoundException', "The resource that you specified for the DestinationArn parameter doesn't exist.");
  }
  const rate = input.MaxNumberOfMessagesPerSecond;
  if (rate !== undefined && (rate < 1 || rate > 500)) throw invalidParameter('MaxNumberOfMessagesPerSecond', rate, 'Must be between 1 and 500.');
  // Wording unverified: AWS allows one active task per source queue.
  if (queues.moveTasks.running().some((task) => task.sourceArn === source.arn)) {
    throw sqsError('UnsupportedOperation', 'There is already a task running. Only one active task is allowed for a source queue arn at a given time.');
  }

  const taskHandle = Buffer.from(JSON.stringify({ taskId: randomUUID(), sourceArn: source.arn })).toString('base64');
  const counts = queues.counts(source);
  queues.moveTasks.insert({
    taskHandle,
    sourceArn: source.arn,
    ...(input.DestinationArn !== undefined ? { destinationArn: input.DestinationArn } : {}),
    ...(rate !== undefined ? { maxPerSecond: rate } : {}),
    status: 'RUNNING',
    moved: 0,
    toMove: counts.visible + counts.delayed,
    startedAt: queues.clock.now(),
  });
  queues.runMoveTasks();
  return { TaskHandle: taskHandle };
}
