import type { AdjustableClock } from '../clock.js';
import type { JsonService } from '../edge/json-protocol.js';
import type { QueryService } from '../edge/query-protocol.js';
import type { Db } from '../store/database.js';
import { queueDoesNotExist } from './errors.js';
import { checkMessage } from './message-input.js';
import { messageLimits } from './operations/SendMessage.js';
import { createSqsQueryService } from './query-service.js';
import { Queues } from './queues.js';
import { createSqsService } from './service.js';

/** A message attribute as other parts of Eddy hand it to SQS (binaries as bytes or base64). */
export interface SqsInternalAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array | string;
}

/** SQS as other parts of Eddy use it (SNS delivery, Lambda on-failure destinations, event source mappings). */
export interface SqsInternal {
  /** Sends as SendMessage would (same validation, limits, FIFO dedup); throws AwsError (QueueDoesNotExist etc.) if the queue is missing. */
  sendMessage(
    queueArn: string,
    message: {
      body: string;
      messageAttributes?: Record<string, SqsInternalAttribute>;
      messageGroupId?: string;
      messageDeduplicationId?: string;
      delaySeconds?: number;
    },
  ): { messageId: string; sequenceNumber?: string };
  queueExists(queueArn: string): boolean;
  /** Long polls parked now, waiting for a message or their deadline (lets a test move the clock once a receive waits, without sleeping). */
  waitingReceives(): number;
}

export interface Sqs {
  service: JsonService;
  /** The same operations over the Query protocol (older clients). */
  queryService: QueryService;
  internal: SqsInternal;
  queues: Queues;
  close(): void;
}

export function createSqs(db: Db, clock: AdjustableClock): Sqs {
  const queues = new Queues(db, clock);
  const service = createSqsService({ queues });
  const queryService = createSqsQueryService({ queues });
  const internal: SqsInternal = {
    sendMessage(queueArn, message) {
      const queue = queues.byArn(queueArn);
      if (!queue) throw queueDoesNotExist();
      const checked = checkMessage(
        {
          MessageBody: message.body,
          ...(message.messageAttributes ? { MessageAttributes: message.messageAttributes } : {}),
          ...(message.messageGroupId !== undefined ? { MessageGroupId: message.messageGroupId } : {}),
          ...(message.messageDeduplicationId !== undefined ? { MessageDeduplicationId: message.messageDeduplicationId } : {}),
          ...(message.delaySeconds !== undefined ? { DelaySeconds: message.delaySeconds } : {}),
        },
        messageLimits(queue),
      );
      const result = queues.send(queue, checked, queue.account);
      return { messageId: result.messageId, ...(result.sequenceNumber ? { sequenceNumber: result.sequenceNumber } : {}) };
    },
    queueExists: (queueArn) => queues.byArn(queueArn) !== undefined,
    waitingReceives: () => queues.waiters.count(),
  };

  // Retention and move tasks on Eddy's clock, and long polls whose moment came when a test advances it.
  const timer = setInterval(() => {
    queues.expireAll();
    queues.runMoveTasks();
  }, 1000);
  timer.unref();
  const unsubscribe = clock.onAdvance(() => {
    queues.expireAll();
    queues.runMoveTasks();
    queues.waiters.notifyAll();
  });
  return {
    service,
    queryService,
    internal,
    queues,
    close: () => {
      clearInterval(timer);
      unsubscribe();
      queues.waiters.release();
    },
  };
}
