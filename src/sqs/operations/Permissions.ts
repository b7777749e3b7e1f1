import type { SqsContext } from '../context.js';
import { sqsError } from '../errors.js';

/** Eddy does not check permissions; set the queue's Policy attribute if a tool needs one stored. */
export function AddPermission(_input: unknown, _ctx: SqsContext): never {
  throw sqsError('UnsupportedOperation', 'Eddy does not support AddPermission: it does not check permissions; set the Policy attribute with SetQueueAttributes instead.');
}

export function RemovePermission(_input: unknown, _ctx: SqsContext): never {
  throw sqsError('UnsupportedOperation', 'Eddy does not support RemovePermission: it does not check permissions; set the Policy attribute with SetQueueAttributes instead.');
}
