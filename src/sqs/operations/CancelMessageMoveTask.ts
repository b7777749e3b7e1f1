import type { SqsContext } from '../context.js';
import { sqsError } from '../errors.js';

/** Stops a RUNNING move task; the messages it moved stay moved. */
export function CancelMessageMoveTask(input: { TaskHandle: string }, ctx: SqsContext): { ApproximateNumberOfMessagesMoved: number } {
  const tasks = ctx.queues.moveTasks;
  // Bring the task up to Eddy's clock first: it may have finished meanwhile.
  ctx.queues.runMoveTasks();
  const task = tasks.get(input.TaskHandle);
  if (!task) throw sqsError('ResourceNotFoundException', 'Task does not exist.');
  // Wording unverified.
  if (task.status !== 'RUNNING') throw sqsError('ResourceNotFoundException', `Task is not running. Current status: ${task.status}.`);
  tasks.finish(task.taskHandle, 'CANCELLED', task.moved);
  return { ApproximateNumberOfMessagesMoved: task.moved };
}
