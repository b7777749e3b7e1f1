import type { SqsContext } from '../context.js';
import { invalidParameter, unknownAttribute } from '../errors.js';
import { KNOWN_SYSTEM_ATTRIBUTE_NAMES, receivedMessage } from '../message-view.js';
import { ALL_ATTRIBUTE_NAMES } from '../queue-attributes.js';

interface Input {
  QueueUrl: string;
  AttributeNames?: string[];
  MessageSystemAttributeNames?: string[];
  MessageAttributeNames?: string[];
  MaxNumberOfMessages?: number;
  VisibilityTimeout?: number;
  WaitTimeSeconds?: number;
  ReceiveRequestAttemptId?: string;
}

type Answer = { Messages?: Record<string, unknown>[] };

/**
 * Receives up to MaxNumberOfMessages; with a wait (WaitTimeSeconds or the
 * queue's ReceiveMessageWaitTimeSeconds) it answers as soon as a message is
 * receivable, or empty when the wait ends.
 */
export function ReceiveMessage(input: Input, ctx: SqsContext): Answer | Promise<Answer> {
  const queue = ctx.queues.byUrl(input.QueueUrl, ctx.region);
  const max = input.MaxNumberOfMessages ?? 1;
  if (!Number.isInteger(max) || max < 1 || max > 10) throw invalidParameter('MaxNumberOfMessages', max, 'Must be between 1 and 10, if provided.');
  const visibility = input.VisibilityTimeout ?? Number(queue.attributes.VisibilityTimeout);
  if (!Number.isInteger(visibility) || visibility < 0 || visibility > 43200) {
    throw invalidParameter('VisibilityTimeout', visibility, 'Must be >= 0 and <= 43200, if provided.');
  }
  const wait = input.WaitTimeSeconds ?? Number(queue.attributes.ReceiveMessageWaitTimeSeconds);
  if (!Number.isInteger(wait) || wait < 0 || wait > 20) throw invalidParameter('WaitTimeSeconds', wait, 'Must be >= 0 and <= 20, if provided.');
  if (input.ReceiveRequestAttemptId !== undefined && !/^[\x21-\x7e]{1,128}$/.test(input.ReceiveRequestAttemptId)) {
    throw invalidParameter('ReceiveRequestAttemptId', input.ReceiveRequestAttemptId, 'ReceiveRequestAttemptId can only include alphanumeric and punctuation characters. 1 to 128 in length.');
  }
  // A JSON null among the names names nothing (the model's check leaves it as a hole in the list).
  const systemNames = new Set([...names(input.AttributeNames), ...names(input.MessageSystemAttributeNames)]);
  for (const name of systemNames) if (!KNOWN_SYSTEM_ATTRIBUTE_NAMES.has(name) && !ALL_ATTRIBUTE_NAMES.has(name)) throw unknownAttribute(name);
  const attributeNames = names(input.MessageAttributeNames);

  const render = (rows: ReturnType<typeof ctx.queues.receiveNow>): Answer =>
    rows.length === 0 ? {} : { Messages: rows.map((row) => receivedMessage(row, ctx.queues.receiptHandle(queue, row), systemNames, attributeNames)) };
  // AWS applies ReceiveRequestAttemptId to FIFO queues only.
  const attemptId = queue.fifo ? input.ReceiveRequestAttemptId : undefined;
  const now = attemptId ? ctx.queues.receiveAttempt(queue, attemptId, () => ctx.queues.receiveNow(queue, max, visibility * 1000)) : ctx.queues.receiveNow(queue, max, visibility * 1000);
  if (now.length > 0 || wait === 0) return render(now);
  const waited = ctx.queues.receive(queue, max, visibility * 1000, wait * 1000);
  return (attemptId ? waited.then((rows) => ctx.queues.receiveAttempt(queue, attemptId, () => rows)) : waited).then(render);
}

/** The names of a list of attribute names, without the holes JSON nulls leave in it. */
function names(list: readonly (string | null | undefined)[] | undefined): string[] {
  return (list ?? []).filter((name): name is string => typeof name === 'string');
}
