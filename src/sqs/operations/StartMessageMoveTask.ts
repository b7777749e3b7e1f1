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
 * Redrives a dead-letter queue: every message goes back to the queue it was
 * dead-lettered from, or to DestinationArn. Eddy moves them all at once (AWS
 * moves them over time at up to MaxNumberOfMessagesPerSecond), so the task is
 * COMPLETED when this answers.
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

  const startedAt = queues.clock.now();
  const taskHandle = Buffer.from(JSON.stringify({ taskId: randomUUID(), sourceArn: source.arn })).toString('base64');
  const moved = queues.moveAll(source, destination);
  queues.moveTasks.insert({
    taskHandle,
    sourceArn: source.arn,
    ...(input.DestinationArn !== undefined ? { destinationArn: input.DestinationArn } : {}),
    ...(rate !== undefined ? { maxPerSecond: rate } : {}),
    status: 'COMPLETED',
    moved,
    toMove: moved,
    startedAt,
  });
  return { TaskHandle: taskHandle };
}
