import type { JsonService, OperationHandler } from '../edge/json-protocol.js';
import type { SqsDeps } from './context.js';
import { sqsErrorType, sqsFaultType, sqsQueryCode } from './errors.js';
import { SQS_MODEL } from './model.js';
import { CancelMessageMoveTask } from './operations/CancelMessageMoveTask.js';
import { ChangeMessageVisibility } from './operations/ChangeMessageVisibility.js';
import { ChangeMessageVisibilityBatch } from './operations/ChangeMessageVisibilityBatch.js';
import { CreateQueue } from './operations/CreateQueue.js';
import { DeleteMessage } from './operations/DeleteMessage.js';
import { DeleteMessageBatch } from './operations/DeleteMessageBatch.js';
import { DeleteQueue } from './operations/DeleteQueue.js';
import { GetQueueAttributes } from './operations/GetQueueAttributes.js';
import { GetQueueUrl } from './operations/GetQueueUrl.js';
import { ListDeadLetterSourceQueues } from './operations/ListDeadLetterSourceQueues.js';
import { ListMessageMoveTasks } from './operations/ListMessageMoveTasks.js';
import { ListQueues } from './operations/ListQueues.js';
import { AddPermission, RemovePermission } from './operations/Permissions.js';
import { PurgeQueue } from './operations/PurgeQueue.js';
import { ReceiveMessage } from './operations/ReceiveMessage.js';
import { SendMessage } from './operations/SendMessage.js';
import { SendMessageBatch } from './operations/SendMessageBatch.js';
import { SetQueueAttributes } from './operations/SetQueueAttributes.js';
import { StartMessageMoveTask } from './operations/StartMessageMoveTask.js';
import { ListQueueTags, TagQueue, UntagQueue } from './operations/Tags.js';

/** Every SQS operation, by name; the JSON and Query protocols both dispatch here. */
export const SQS_OPERATIONS = {
  CreateQueue,
  GetQueueUrl,
  ListQueues,
  DeleteQueue,
  GetQueueAttributes,
  SetQueueAttributes,
  TagQueue,
  UntagQueue,
  ListQueueTags,
  SendMessage,
  SendMessageBatch,
  ReceiveMessage,
  DeleteMessage,
  DeleteMessageBatch,
  ChangeMessageVisibility,
  ChangeMessageVisibilityBatch,
  PurgeQueue,
  ListDeadLetterSourceQueues,
  StartMessageMoveTask,
  ListMessageMoveTasks,
  CancelMessageMoveTask,
  AddPermission,
  RemovePermission,
};

/** SQS over AWS JSON 1.0 (`X-Amz-Target: AmazonSQS.<Operation>`), served on Eddy's one port. */
export function createSqsService(deps: SqsDeps): JsonService {
  return {
    targetPrefix: 'AmazonSQS',
    model: SQS_MODEL,
    contentType: 'application/x-amz-json-1.0',
    errorType: sqsErrorType,
    errorHeaders: (error) => ({ 'x-amzn-query-error': `${sqsQueryCode(error.code)};${sqsFaultType(error.status)}` }),
    opaqueShapes: new Set(),
    operations: SQS_OPERATIONS as unknown as Record<string, OperationHandler>,
    contextPrototype: deps,
  };
}
