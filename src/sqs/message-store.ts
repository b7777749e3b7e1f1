import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/database.js';

/** One stored message (a row of sqs_messages). */
export interface MessageRow {
  id: number;
  queue_id: number;
  message_id: string;
  body: string;
  message_attributes: string | null;
  system_attributes: string | null;
  md5_body: string;
  md5_attributes: string | null;
  md5_system_attributes: string | null;
  sender_id: string;
  sent_at: number;
  visible_at: number;
  receive_count: number;
  first_received_at: number | null;
  receipt: string | null;
  group_id: string | null;
  deduplication_id: string | null;
  sequence_number: string | null;
  dead_letter_source_arn: string | null;
}

export type NewMessage = Omit<MessageRow, 'id' | 'receive_count' | 'first_received_at' | 'receipt'>;

/** The SQL of sqs_messages and sqs_fifo_deduplication; the rules live in src/sqs/queues.ts. */
export class MessageStore {
  private readonly statements;
  private readonly visibleByLimit: Statement[] = [];

  constructor(readonly db: Db) {
    this.statements = {
      insert: db.prepare(
        `INSERT INTO sqs_messages (queue_id, message_id, body, message_attributes, system_attributes, md5_body, md5_attributes, md5_system_attributes,
           sender_id, sent_at, visible_at, group_id, deduplication_id, sequence_number, dead_letter_source_arn)
         VALUES (@queue_id, @message_id, @body, @message_attributes, @system_attributes, @md5_body, @md5_attributes, @md5_system_attributes,
           @sender_id, @sent_at, @visible_at, @group_id, @deduplication_id, @sequence_number, @dead_letter_source_arn)`,
      ),
      setSequence: db.prepare('UPDATE sqs_messages SET sequence_number = ? WHERE id = ?'),
      inOrder: db.prepare('SELECT * FROM sqs_messages WHERE queue_id = ? ORDER BY id'),
      nextVisible: db.prepare('SELECT MIN(visible_at) AS at FROM sqs_messages WHERE queue_id = ? AND visible_at > ?'),
      deleteReceived: db.prepare('DELETE FROM sqs_messages WHERE id = ? AND queue_id = ? AND receipt = ?'),
      markReceived: db.prepare('UPDATE sqs_messages SET receive_count = receive_count + 1, first_received_at = COALESCE(first_received_at, ?), receipt = ?, visible_at = ? WHERE id = ?'),
      get: db.prepare('SELECT * FROM sqs_messages WHERE id = ? AND queue_id = ?'),
      setVisibleAt: db.prepare('UPDATE sqs_messages SET visible_at = ? WHERE id = ?'),
      moveTo: db.prepare('UPDATE sqs_messages SET queue_id = ?, visible_at = ?, receive_count = 0, first_received_at = NULL, receipt = NULL, dead_letter_source_arn = ? WHERE id = ?'),
      newestId: db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM sqs_messages WHERE queue_id = ?'),
      anyUpTo: db.prepare('SELECT 1 AS found FROM sqs_messages WHERE queue_id = ? AND id <= ? LIMIT 1'),
      expire: db.prepare('DELETE FROM sqs_messages WHERE queue_id = ? AND sent_at <= ?'),
      purge: db.prepare('DELETE FROM sqs_messages WHERE queue_id = ?'),
      counts: db.prepare(
        `SELECT COALESCE(SUM(visible_at <= @now), 0) AS visible,
                COALESCE(SUM(visible_at > @now AND receive_count > 0), 0) AS inFlight,
                COALESCE(SUM(visible_at > @now AND receive_count = 0), 0) AS delayed
         FROM sqs_messages WHERE queue_id = @queue`,
      ),
      dedupGet: db.prepare('SELECT message_id, sequence_number FROM sqs_fifo_deduplication WHERE queue_id = ? AND dedup_key = ? AND expires_at > ?'),
      dedupPut: db.prepare('INSERT OR REPLACE INTO sqs_fifo_deduplication (queue_id, dedup_key, message_id, sequence_number, expires_at) VALUES (?, ?, ?, ?, ?)'),
      dedupExpire: db.prepare('DELETE FROM sqs_fifo_deduplication WHERE queue_id = ? AND expires_at <= ?'),
    };
  }

  insert(message: NewMessage): number {
    return Number(this.statements.insert.run(message).lastInsertRowid);
  }

  setSequenceNumber(id: number, sequenceNumber: string): void {
    this.statements.setSequence.run(sequenceNumber, id);
  }

  /** Up to `limit` (1..10) messages visible at `now`, earliest visible first. */
  visible(queueId: number, now: number, limit: number): MessageRow[] {
    let statement = this.visibleByLimit[limit];
    // One statement per limit, written into the SQL: a bound `LIMIT ?` made this SELECT about four times slower (measured).
    if (!statement) {
      statement = this.visibleByLimit[limit] = this.db.prepare(
        `SELECT * FROM sqs_messages WHERE queue_id = ? AND visible_at <= ? ORDER BY visible_at, id LIMIT ${Math.max(1, Math.floor(limit))}`,
      );
    }
    return statement.all(queueId, now) as MessageRow[];
  }

  /** Every message of the queue in arrival order, lazily (FIFO selection walks groups in order). */
  inOrder(queueId: number): IterableIterator<MessageRow> {
    return this.statements.inOrder.iterate(queueId) as IterableIterator<MessageRow>;
  }

  /** When the next message hidden at `now` (delayed or in flight) becomes visible, if any. */
  nextVisibleAt(queueId: number, now: number): number | undefined {
    return ((this.statements.nextVisible.get(queueId, now) as { at: number | null }).at ?? undefined) as number | undefined;
  }

  /** Deletes the message if `receipt` is its latest receive's; false otherwise. */
  deleteReceived(queueId: number, id: number, receipt: string): boolean {
    return this.statements.deleteReceived.run(id, queueId, receipt).changes > 0;
  }

  markReceived(id: number, now: number, receipt: string, visibleAt: number): void {
    this.statements.markReceived.run(now, receipt, visibleAt, id);
  }

  get(queueId: number, id: number): MessageRow | undefined {
    return this.statements.get.get(id, queueId) as MessageRow | undefined;
  }

  setVisibleAt(id: number, visibleAt: number): void {
    this.statements.setVisibleAt.run(visibleAt, id);
  }

  /** Moves a message to another queue as a new, never received message (dead-letter moves and redrives). */
  moveTo(id: number, queueId: number, visibleAt: number, deadLetterSourceArn: string | null): void {
    this.statements.moveTo.run(queueId, visibleAt, deadLetterSourceArn, id);
  }

  newestId(queueId: number): number {
    return (this.statements.newestId.get(queueId) as { id: number }).id;
  }

  anyUpTo(queueId: number, id: number): boolean {
    return this.statements.anyUpTo.get(queueId, id) !== undefined;
  }

  /** Deletes messages sent at or before `sentBefore` (retention). */
  expire(queueId: number, sentBefore: number): number {
    return this.statements.expire.run(queueId, sentBefore).changes;
  }

  purge(queueId: number): void {
    this.statements.purge.run(queueId);
  }

  counts(queueId: number, now: number): { visible: number; inFlight: number; delayed: number } {
    return this.statements.counts.get({ queue: queueId, now }) as { visible: number; inFlight: number; delayed: number };
  }

  deduplicated(queueId: number, key: string, now: number): { message_id: string; sequence_number: string } | undefined {
    return this.statements.dedupGet.get(queueId, key, now) as { message_id: string; sequence_number: string } | undefined;
  }

  remember(queueId: number, key: string, messageId: string, sequenceNumber: string, expiresAt: number): void {
    this.statements.dedupExpire.run(queueId, expiresAt - DEDUPLICATION_WINDOW_MS);
    this.statements.dedupPut.run(queueId, key, messageId, sequenceNumber, expiresAt);
  }
}

/** FIFO deduplication interval: 5 minutes. */
export const DEDUPLICATION_WINDOW_MS = 5 * 60 * 1000;
