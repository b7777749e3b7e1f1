import type { Db } from '../../store/database.js';

/**
 * Lambda's asynchronous event queue, durable: an Event invocation (and an SNS
 * delivery to a function, which is one) is a row of `lambda_async_events`
 * before Invoke answers 202, so a crash or a restart loses none; the invoker
 * deletes the row once the event is finished. As on Lambda ("How Lambda
 * handles errors and retries with asynchronous invocation"): a function error
 * is retried up to MaximumRetryAttempts times (default twice), one minute and
 * then two minutes later; an event older than MaximumEventAgeInSeconds
 * (default six hours) is discarded; throttled events wait for a slot. The
 * records of an event's outcome (destinations, dead-letter queue) are built
 * here too.
 */
export interface QueuedEvent {
  requestId: string;
  account: string;
  region: string;
  functionName: string;
  invokedArn: string;
  /** The event as JSON text. */
  event: string;
  clientContext?: unknown;
  /** Eddy-clock ms when Lambda accepted the event. */
  enqueuedAt: number;
  /** Attempts finished so far. */
  attempts: number;
  /** Eddy-clock ms from which the next attempt may start. */
  dueAt: number;
  /** The last attempt's response, for the records of its outcome. */
  lastResponse?: AttemptResponse;
}

/** Waits after the first and the second failed attempt (Lambda's schedule). */
export const RETRY_DELAYS_MS = [60_000, 120_000] as const;

/** What follows a finished attempt: the event is done, or due again later. */
export type AfterAttempt = { done: true } | { done: false; dueAt: number };

/**
 * `attempts` counts the attempt that just finished; `maxRetries` is the
 * function's MaximumRetryAttempts (0..2, Lambda's default 2). Pure, so the
 * schedule is tested alone.
 */
export function afterAttempt(failed: boolean, attempts: number, now: number, maxRetries: number): AfterAttempt {
  if (!failed || attempts > maxRetries) return { done: true };
  return { done: false, dueAt: now + RETRY_DELAYS_MS[attempts - 1]! };
}

/** Whether an event accepted at `enqueuedAt` is past the maximum event age at `now`. */
export function tooOld(enqueuedAt: number, now: number, maxAgeMs: number): boolean {
  return now - enqueuedAt > maxAgeMs;
}

/** How an event ended, as invocation records name it. */
export type Condition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded';

/** The last attempt's response: the result, or with functionError the error document (JSON text). */
export interface AttemptResponse {
  payload: string;
  functionError?: 'Unhandled';
}

/** JSON text as a value; what is not JSON stays a string. */
function asJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The record Lambda sends to an OnSuccess or OnFailure destination ("Capturing
 * records of Lambda asynchronous invocations"). An event that expired before
 * any attempt has no response, so no responseContext or responsePayload.
 */
export function invocationRecord(event: QueuedEvent, condition: Condition, functionArn: string, now: number, response: AttemptResponse | undefined): string {
  return JSON.stringify({
    version: '1.0',
    timestamp: new Date(now).toISOString(),
    requestContext: { requestId: event.requestId, functionArn, condition, approximateInvokeCount: event.attempts },
    requestPayload: asJson(event.event),
    ...(response
      ? {
          responseContext: { statusCode: 200, executedVersion: '$LATEST', ...(response.functionError ? { functionError: response.functionError } : {}) },
          responsePayload: asJson(response.payload),
        }
      : {}),
  });
}

/** Lambda truncates a dead-letter message's ErrorMessage to 1 KB. */
const MAX_ERROR_MESSAGE_BYTES = 1024;

/**
 * The message attributes of a dead-letter message: the request id, the
 * status code of the invocation (200: the function ran and failed) and the
 * function's errorMessage. An event that expired before any attempt has only
 * its request id.
 */
export function deadLetterAttributes(requestId: string, response: AttemptResponse | undefined): Record<string, { DataType: string; StringValue: string }> {
  const attributes: Record<string, { DataType: string; StringValue: string }> = { RequestID: { DataType: 'String', StringValue: requestId } };
  if (!response) return attributes;
  const error = asJson(response.payload) as { errorMessage?: unknown } | null;
  const message = typeof error?.errorMessage === 'string' ? error.errorMessage : response.payload;
  attributes.ErrorCode = { DataType: 'Number', StringValue: '200' };
  if (message !== '') attributes.ErrorMessage = { DataType: 'String', StringValue: Buffer.from(message).subarray(0, MAX_ERROR_MESSAGE_BYTES).toString('utf8') };
  return attributes;
}

interface EventRow {
  request_id: string;
  account: string;
  region: string;
  function_name: string;
  invoked_arn: string;
  event: string;
  client_context: string | null;
  enqueued_at: number;
  attempts: number;
  due_at: number;
  last_response: string | null;
}

/** SQL of the queue; no semantics here (see FunctionInvoker). */
export class AsyncEventStore {
  private readonly insertRow;
  private readonly updateRow;
  private readonly deleteRow;
  private readonly allRows;

  constructor(db: Db) {
    this.insertRow = db.prepare<[string, string, string, string, string, string, string | null, number, number, number]>(
      'INSERT INTO lambda_async_events (request_id, account, region, function_name, invoked_arn, event, client_context, enqueued_at, attempts, due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.updateRow = db.prepare<[number, number, string | null, string]>('UPDATE lambda_async_events SET attempts = ?, due_at = ?, last_response = ? WHERE request_id = ?');
    this.deleteRow = db.prepare<[string]>('DELETE FROM lambda_async_events WHERE request_id = ?');
    this.allRows = db.prepare<[], EventRow>('SELECT * FROM lambda_async_events ORDER BY enqueued_at, rowid');
  }

  add(event: QueuedEvent): void {
    const context = event.clientContext === undefined ? null : JSON.stringify(event.clientContext);
    this.insertRow.run(event.requestId, event.account, event.region, event.functionName, event.invokedArn, event.event, context, event.enqueuedAt, event.attempts, event.dueAt);
  }

  reschedule(event: QueuedEvent): void {
    this.updateRow.run(event.attempts, event.dueAt, event.lastResponse ? JSON.stringify(event.lastResponse) : null, event.requestId);
  }

  remove(requestId: string): void {
    this.deleteRow.run(requestId);
  }

  /** Every unfinished event, oldest first (what a restart resumes). */
  all(): QueuedEvent[] {
    return this.allRows.all().map((row) => ({
      requestId: row.request_id,
      account: row.account,
      region: row.region,
      functionName: row.function_name,
      invokedArn: row.invoked_arn,
      event: row.event,
      clientContext: row.client_context === null ? undefined : JSON.parse(row.client_context),
      enqueuedAt: row.enqueued_at,
      attempts: row.attempts,
      dueAt: row.due_at,
      ...(row.last_response === null ? {} : { lastResponse: JSON.parse(row.last_response) as AttemptResponse }),
    }));
  }
}
