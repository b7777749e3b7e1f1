import type { Db } from '../../store/database.js';

/**
 * Lambda's asynchronous event queue, durable: an Event invocation (and an SNS
 * delivery to a function, which is one) is a row of `lambda_async_events`
 * before Invoke answers 202, so a crash or a restart loses none; the invoker
 * deletes the row once the event is finished. As on Lambda (its defaults, "How
 * Lambda handles errors and retries with asynchronous invocation"): a function
 * error is retried twice, one minute and then two minutes later; an event
 * older than six hours is discarded; throttled events wait for a slot.
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
}

/** Waits after the first and the second failed attempt (Lambda's defaults). */
export const RETRY_DELAYS_MS = [60_000, 120_000] as const;
/** Lambda's default maximum event age. */
export const MAX_EVENT_AGE_MS = 6 * 60 * 60 * 1000;

/** What follows a finished attempt: the event is done, or due again later. */
export type AfterAttempt = { done: true } | { done: false; dueAt: number };

/** `attempts` counts the attempt that just finished. Pure, so the schedule is tested alone. */
export function afterAttempt(failed: boolean, attempts: number, now: number): AfterAttempt {
  if (!failed || attempts > RETRY_DELAYS_MS.length) return { done: true };
  return { done: false, dueAt: now + RETRY_DELAYS_MS[attempts - 1]! };
}

/** Whether an event accepted at `enqueuedAt` is past Lambda's maximum event age at `now`. */
export function tooOld(enqueuedAt: number, now: number): boolean {
  return now - enqueuedAt > MAX_EVENT_AGE_MS;
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
    this.updateRow = db.prepare<[number, number, string]>('UPDATE lambda_async_events SET attempts = ?, due_at = ? WHERE request_id = ?');
    this.deleteRow = db.prepare<[string]>('DELETE FROM lambda_async_events WHERE request_id = ?');
    this.allRows = db.prepare<[], EventRow>('SELECT * FROM lambda_async_events ORDER BY enqueued_at, rowid');
  }

  add(event: QueuedEvent): void {
    const context = event.clientContext === undefined ? null : JSON.stringify(event.clientContext);
    this.insertRow.run(event.requestId, event.account, event.region, event.functionName, event.invokedArn, event.event, context, event.enqueuedAt, event.attempts, event.dueAt);
  }

  reschedule(event: QueuedEvent): void {
    this.updateRow.run(event.attempts, event.dueAt, event.requestId);
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
    }));
  }
}
