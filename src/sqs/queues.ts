import { randomBytes, randomUUID } from 'node:crypto';
import type { AdjustableClock } from '../clock.js';
import type { Db } from '../store/database.js';
import { contentDeduplicationId, md5Hex, md5OfAttributes } from './checksums.js';
import { invalidParameter, queueDoesNotExist, receiptHandleInvalid, sqsError } from './errors.js';
import type { MessageInput } from './message-input.js';
import { DEDUPLICATION_WINDOW_MS, MessageStore, type MessageRow } from './message-store.js';
import { redrivePolicyOf } from './queue-attributes.js';
import { QueueCatalog, type Queue } from './queue-catalog.js';
import { parseQueueArn, parseQueueUrl } from './queue-names.js';
import { MoveTaskStore } from './move-tasks.js';
import { ReceiveWaiters } from './waiters.js';

export interface SendResult {
  messageId: string;
  md5OfBody: string;
  md5OfAttributes?: string;
  md5OfSystemAttributes?: string;
  sequenceNumber?: string;
}

/** FIFO sequence numbers: 20 digits, increasing with arrival. */
const SEQUENCE_BASE = 18_000_000_000_000_000_000n;

/**
 * SQS's semantics over the stores: sending (delay, FIFO deduplication and
 * sequence numbers), receiving (visibility, FIFO group order, dead-letter
 * moves after maxReceiveCount, long polls), deleting, visibility changes,
 * retention and purges, all on Eddy's clock. Operations (src/sqs/operations)
 * and the internal API (src/sqs/index.ts) both go through it.
 */
export class Queues {
  readonly catalog: QueueCatalog;
  readonly messages: MessageStore;
  readonly waiters: ReceiveWaiters;
  readonly moveTasks: MoveTaskStore;
  /** Eddy-clock ms of each queue's last PurgeQueue (AWS allows one per 60 s). */
  private readonly purgedAt = new Map<number, number>();
  /** Eddy-clock ms a queue name was deleted (AWS refuses it for 60 s). */
  private readonly deletedAt = new Map<string, number>();
  /** FIFO ReceiveRequestAttemptIds seen in the last 5 minutes: a retried receive gets the same messages. */
  private readonly receiveAttempts = new Map<string, { expiresAt: number; rows: MessageRow[] }>();
  /** Eddy-clock ms each queue's expired messages were last deleted. */
  private readonly expiredAt = new Map<number, number>();

  constructor(
    readonly db: Db,
    readonly clock: AdjustableClock,
  ) {
    this.catalog = new QueueCatalog(db);
    this.messages = new MessageStore(db);
    this.waiters = new ReceiveWaiters(clock);
    this.moveTasks = new MoveTaskStore(db);
  }

  /** The queue a QueueUrl names in the caller's region, or QueueDoesNotExist. */
  byUrl(url: string, region: string): Queue {
    const address = parseQueueUrl(url);
    const queue = address && this.catalog.get({ ...address, region });
    if (!queue) throw queueDoesNotExist();
    return queue;
  }

  byArn(arn: string): Queue | undefined {
    const address = parseQueueArn(arn);
    return address && this.catalog.get(address);
  }

  private announce(queueId: number): void {
    // After the current request has answered: the waiting receives (long polls, event source mappings) try again.
    queueMicrotask(() => this.waiters.notify(queueId));
  }

  recentlyDeleted(key: string, now: number): boolean {
    const at = this.deletedAt.get(key);
    return at !== undefined && now - at < 60_000;
  }

  deleteQueue(queue: Queue): void {
    this.catalog.delete(queue);
    this.deletedAt.set(`${queue.account}/${queue.region}/${queue.name}`, this.clock.now());
    this.purgedAt.delete(queue.id);
    this.waiters.release(queue.id);
  }

  /** Sends one checked message. FIFO duplicates within 5 minutes answer with the first message's id. */
  send(queue: Queue, input: MessageInput, senderId: string): SendResult {
    const now = this.clock.now();
    const md5OfBody = md5Hex(input.body);
    const attributesMd5 = input.attributes ? md5OfAttributes(input.attributes) : undefined;
    const systemMd5 = input.systemAttributes ? md5OfAttributes(input.systemAttributes) : undefined;
    const checksums = { md5OfBody, ...(attributesMd5 ? { md5OfAttributes: attributesMd5 } : {}), ...(systemMd5 ? { md5OfSystemAttributes: systemMd5 } : {}) };

    let deduplicationId = input.deduplicationId;
    let dedupKey: string | undefined;
    if (queue.fifo) {
      if (deduplicationId === undefined) {
        if (queue.attributes.ContentBasedDeduplication !== 'true') {
          throw sqsError('InvalidParameterValue', 'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
        }
        deduplicationId = contentDeduplicationId(input.body);
      }
      dedupKey = queue.attributes.DeduplicationScope === 'messageGroup' ? `${input.groupId}\u0000${deduplicationId}` : deduplicationId;
      const seen = this.messages.deduplicated(queue.id, dedupKey, now);
      if (seen) return { messageId: seen.message_id, sequenceNumber: seen.sequence_number, ...checksums };
    }

    const messageId = randomUUID();
    const delaySeconds = input.delaySeconds ?? Number(queue.attributes.DelaySeconds ?? 0);
    let sequenceNumber: string | undefined;
    const write = (): void => {
      const id = this.messages.insert({
        queue_id: queue.id,
        message_id: messageId,
        body: input.body,
        message_attributes: input.attributes ? JSON.stringify(input.attributes) : null,
        system_attributes: input.systemAttributes ? JSON.stringify(input.systemAttributes) : null,
        md5_body: md5OfBody,
        md5_attributes: attributesMd5 ?? null,
        md5_system_attributes: systemMd5 ?? null,
        sender_id: senderId,
        sent_at: now,
        visible_at: now + delaySeconds * 1000,
        group_id: input.groupId ?? null,
        deduplication_id: queue.fifo ? deduplicationId! : null,
        sequence_number: null,
        dead_letter_source_arn: null,
      });
      if (queue.fifo) {
        sequenceNumber = String(SEQUENCE_BASE + BigInt(id));
        this.messages.setSequenceNumber(id, sequenceNumber);
        this.messages.remember(queue.id, dedupKey!, messageId, sequenceNumber, now + DEDUPLICATION_WINDOW_MS);
      }
    };
    // A standard message is one INSERT; a FIFO one also writes its sequence number and deduplication key.
    if (queue.fifo) this.db.transaction(write)();
    else write();
    this.announce(queue.id);
    return { messageId, ...checksums, ...(sequenceNumber ? { sequenceNumber } : {}) };
  }

  /**
   * Takes up to `max` receivable messages now, making them invisible for
   * `visibilityMs`; messages received maxReceiveCount times go to the
   * dead-letter queue instead. Returns the rows as received (with their new
   * receipt token), possibly none.
   */
  receiveNow(queue: Queue, max: number, visibilityMs: number): MessageRow[] {
    const now = this.clock.now();
    this.expire(queue, now);
    const redrive = redrivePolicyOf(queue.attributes);
    const deadLetterQueue = redrive ? this.byArn(redrive.deadLetterTargetArn) : undefined;
    const received: MessageRow[] = [];
    let moved = false;
    this.db.transaction(() => {
      for (;;) {
        const candidates = queue.fifo ? this.fifoCandidates(queue, now, max - received.length) : this.messages.visible(queue.id, now, max - received.length);
        let movedNow = false;
        for (const row of candidates) {
          if (deadLetterQueue && redrive && row.receive_count >= redrive.maxReceiveCount) {
            this.messages.moveTo(row.id, deadLetterQueue.id, now, queue.arn);
            moved = movedNow = true;
            continue;
          }
          const receipt = receiptToken();
          this.messages.markReceived(row.id, now, receipt, now + visibilityMs);
          row.receive_count += 1;
          row.first_received_at ??= now;
          row.receipt = receipt;
          row.visible_at = now + visibilityMs;
          received.push(row);
        }
        // Messages moved to the dead-letter queue leave room for others.
        if (!movedNow || received.length >= max) break;
      }
    })();
    if (moved && deadLetterQueue) this.announce(deadLetterQueue.id);
    return received;
  }

  /**
   * A FIFO receive retried with the same ReceiveRequestAttemptId within 5
   * minutes answers the messages the first one did (with the same receipt
   * handles) while they are still in flight; otherwise `receive` runs and its
   * answer is remembered.
   */
  receiveAttempt(queue: Queue, attemptId: string, receive: () => MessageRow[]): MessageRow[] {
    const now = this.clock.now();
    for (const [key, entry] of this.receiveAttempts) if (entry.expiresAt <= now) this.receiveAttempts.delete(key);
    const key = `${queue.id}\u0000${attemptId}`;
    const seen = this.receiveAttempts.get(key);
    if (seen && seen.rows.length > 0) {
      const current = seen.rows.map((row) => this.messages.get(queue.id, row.id)).filter((row): row is MessageRow => row !== undefined);
      if (current.length === seen.rows.length && current.every((row, i) => row.receipt === seen.rows[i]!.receipt && row.visible_at > now)) return current;
    }
    const rows = receive();
    if (rows.length > 0) this.receiveAttempts.set(key, { expiresAt: now + DEDUPLICATION_WINDOW_MS, rows });
    return rows;
  }

  /**
   * FIFO: messages in arrival order, skipping every group with a message
   * hidden (in flight or delayed), so a group's messages go out in order and
   * one batch at a time.
   */
  private fifoCandidates(queue: Queue, now: number, max: number): MessageRow[] {
    const blocked = new Set<string | null>();
    const out: MessageRow[] = [];
    for (const row of this.messages.inOrder(queue.id)) {
      if (blocked.has(row.group_id)) continue;
      if (row.visible_at > now) {
        blocked.add(row.group_id);
        continue;
      }
      out.push(row);
      if (out.length >= max) break;
    }
    return out;
  }

  /** Long poll: messages as soon as some are receivable, or none after `waitMs` of Eddy's clock (or when `signal` aborts). */
  async receive(queue: Queue, max: number, visibilityMs: number, waitMs: number, signal?: AbortSignal): Promise<MessageRow[]> {
    const now = this.clock.now();
    const first = this.receiveNow(queue, max, visibilityMs);
    if (first.length > 0 || waitMs <= 0) return first;
    const got = await this.waiters.wait(
      queue.id,
      now + waitMs,
      () => {
        if (!this.catalog.getById(queue.id)) return [];
        const rows = this.receiveNow(queue, max, visibilityMs);
        return rows.length > 0 ? rows : undefined;
      },
      () => this.messages.nextVisibleAt(queue.id, this.clock.now()),
      signal,
    );
    return got ?? [];
  }

  /**
   * Deletes the message a receipt handle names if the handle is its latest. On
   * a standard queue a stale handle does nothing (the request succeeds, as on
   * AWS); on a FIFO queue a handle whose visibility timeout ended (or that a
   * later receive replaced) is refused as expired, since the group moved on.
   */
  deleteMessage(queue: Queue, handle: string): void {
    const parsed = parseReceiptHandle(handle, queue.id);
    if (queue.fifo) {
      const row = this.messages.get(queue.id, parsed.messageRowId);
      if (row && (row.receipt !== parsed.receipt || row.visible_at <= this.clock.now())) {
        throw invalidParameter('ReceiptHandle', handle, 'The receipt handle has expired.');
      }
    }
    this.messages.deleteReceived(queue.id, parsed.messageRowId, parsed.receipt);
  }

  /** Changes how long a received message stays invisible, counted from now. */
  changeVisibility(queue: Queue, handle: string, seconds: number): void {
    const parsed = parseReceiptHandle(handle, queue.id);
    const now = this.clock.now();
    const row = this.messages.get(queue.id, parsed.messageRowId);
    if (!row || row.receipt !== parsed.receipt) {
      throw invalidParameter('ReceiptHandle', handle, 'Message does not exist or is not available for visibility timeout change.');
    }
    // The model's MessageNotInflight carries no message.
    if (row.visible_at <= now) throw sqsError('MessageNotInflight', '');
    this.messages.setVisibleAt(row.id, now + seconds * 1000);
    if (seconds === 0) this.announce(queue.id);
  }

  /** Makes received messages visible again at once (a consumer stopping before it handled them). */
  release(queue: Queue, rows: readonly MessageRow[]): void {
    const now = this.clock.now();
    for (const row of rows) {
      const current = this.messages.get(queue.id, row.id);
      if (current && current.receipt === row.receipt) this.messages.setVisibleAt(row.id, now);
    }
    if (rows.length > 0) this.announce(queue.id);
  }

  /** The newest message id of the queue now (a drain mark), 0 when empty. */
  newestMessageId(queue: Queue): number {
    return this.messages.newestId(queue.id);
  }

  /** Whether any message with an id up to `id` is still in the queue. */
  holdsMessagesUpTo(queue: Queue, id: number): boolean {
    return this.messages.anyUpTo(queue.id, id);
  }

  purge(queue: Queue): void {
    const now = this.clock.now();
    const last = this.purgedAt.get(queue.id);
    if (last !== undefined && now - last < 60_000) {
      throw sqsError('PurgeQueueInProgress', `Only one PurgeQueue operation on ${queue.name} is allowed every 60 seconds.`);
    }
    this.purgedAt.set(queue.id, now);
    this.messages.purge(queue.id);
  }

  counts(queue: Queue): { visible: number; inFlight: number; delayed: number } {
    const now = this.clock.now();
    this.expire(queue, now, true);
    return this.messages.counts(queue.id, now);
  }

  /**
   * Moves up to `limit` messages of `source`, oldest first, to `destination`
   * (or each to the queue it was dead-lettered from); messages in flight stay.
   * Returns how many moved.
   */
  moveMessages(source: Queue, destination: Queue | undefined, limit = Infinity): number {
    const now = this.clock.now();
    this.expire(source, now, true);
    let moved = 0;
    const touched = new Set<number>();
    this.db.transaction(() => {
      for (const row of [...this.messages.inOrder(source.id)]) {
        if (moved >= limit) break;
        if (row.receive_count > 0 && row.visible_at > now) continue;
        const target = destination ?? (row.dead_letter_source_arn ? this.byArn(row.dead_letter_source_arn) : undefined);
        if (!target) continue;
        this.messages.moveTo(row.id, target.id, now, null);
        touched.add(target.id);
        moved++;
      }
    })();
    for (const id of touched) this.announce(id);
    return moved;
  }

  /**
   * Advances every RUNNING move task: each may have moved
   * MaxNumberOfMessagesPerSecond per second of Eddy's clock since it started;
   * a task whose source has nothing left to move is COMPLETED, one whose
   * source or destination was deleted FAILED.
   */
  runMoveTasks(): void {
    const now = this.clock.now();
    for (const task of this.moveTasks.running()) {
      const source = this.byArn(task.sourceArn);
      const destination = task.destinationArn ? this.byArn(task.destinationArn) : undefined;
      if (!source || (task.destinationArn && !destination)) {
        this.moveTasks.finish(task.taskHandle, 'FAILED', task.moved, `${!source ? task.sourceArn : task.destinationArn} does not exist.`);
        continue;
      }
      const allowed = task.maxPerSecond === undefined ? Infinity : Math.floor(((now - task.startedAt) / 1000) * task.maxPerSecond) - task.moved;
      const moved = task.moved + (allowed > 0 ? this.moveMessages(source, destination, allowed) : 0);
      if (moved >= (task.toMove ?? 0) || this.messages.newestId(source.id) === 0) this.moveTasks.finish(task.taskHandle, 'COMPLETED', moved);
      else if (moved !== task.moved) this.moveTasks.progress(task.taskHandle, moved);
    }
  }

  /**
   * Deletes messages past the queue's MessageRetentionPeriod. Receives and
   * counts call it; it runs at most once per second of Eddy's clock per queue
   * (retention is counted in seconds), unless `always`.
   */
  private expire(queue: Queue, now: number, always = false): void {
    const last = this.expiredAt.get(queue.id);
    if (!always && last !== undefined && now - last < 1000) return;
    this.expiredAt.set(queue.id, now);
    const retentionMs = Number(queue.attributes.MessageRetentionPeriod) * 1000;
    this.messages.expire(queue.id, now - retentionMs);
  }

  /** Retention for every queue (every second, and when the clock is advanced). */
  expireAll(): void {
    const now = this.clock.now();
    for (const queue of this.catalog.all()) this.expire(queue, now, true);
  }

  receiptHandle(queue: Queue, row: MessageRow): string {
    return Buffer.from(`${queue.id}:${row.id}:${row.receipt}:${row.message_id}`).toString('base64');
  }
}

const TOKEN_BYTES = 12;
let tokenPool = Buffer.alloc(0);
let tokenOffset = 0;

/** A fresh receive's token: 24 hex digits, drawn from a pool (one randomBytes call per receive cost more than the receive's SQL). */
function receiptToken(): string {
  if (tokenOffset + TOKEN_BYTES > tokenPool.length) {
    tokenPool = randomBytes(TOKEN_BYTES * 256);
    tokenOffset = 0;
  }
  const token = tokenPool.toString('hex', tokenOffset, tokenOffset + TOKEN_BYTES);
  tokenOffset += TOKEN_BYTES;
  return token;
}

/** Receipt handles say which queue and message they are for and which receive issued them. */
function parseReceiptHandle(handle: string, queueId: number): { messageRowId: number; receipt: string } {
  const parts = Buffer.from(handle, 'base64').toString('utf8').split(':');
  if (parts.length !== 4 || !/^\d+$/.test(parts[0]!) || !/^\d+$/.test(parts[1]!) || !/^[0-9a-f]{24}$/.test(parts[2]!)) throw receiptHandleInvalid(handle);
  if (Number(parts[0]) !== queueId) throw receiptHandleInvalid(handle);
  return { messageRowId: Number(parts[1]), receipt: parts[2]! };
}
