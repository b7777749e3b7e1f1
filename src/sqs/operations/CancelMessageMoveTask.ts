import type { SqsContext } from '../context.js';
import { sqsError } from '../errors.js';

/**
 * Eddy's move tasks finish before StartMessageMoveTask answers, so there is
 * never a running one to cancel: a known handle gets the error AWS gives for a
 * task that is no longer running (wording unverified).
 */
export function CancelMessageMoveTask(input: { TaskHandle: string }, ctx: SqsContext): never {
  const task = ctx.queues.moveTasks.get(input.TaskHandle);
  if (!task) throw sqsError('ResourceNotFoundException', 'Task does not exist.');
  throw sqsError('ResourceNotFoundException', `Task is not running. Current status: ${task.status}.`);
}
