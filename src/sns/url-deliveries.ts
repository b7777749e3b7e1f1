import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/database.js';

/** An http(s) notification not yet finished: delivered, dead-lettered or dropped. */
export interface UrlDeliveryRow {
  id: string;
  subscriptionArn: string;
  messageId: string;
  /** What is POSTed (the envelope, or the message itself when raw). */
  body: string;
  /** Retries scheduled so far. */
  retries: number;
  /** When the next attempt may start (Eddy's clock, ms). */
  dueAt: number;
}

interface Row {
  id: string;
  subscription_arn: string;
  message_id: string;
  body: string;
  retries: number;
  due_at: number;
}

/**
 * The durable side of http(s) delivery (`sns_url_deliveries`): a row is
 * written in the Publish transaction, moved on at each failed attempt and
 * deleted when the notification is finished, so a restart resumes what a
 * previous run had not finished (at least once: an attempt in flight at a
 * crash is made again).
 */
export class UrlDeliveryStore {
  private readonly statements: { insert: Statement; update: Statement; remove: Statement; all: Statement };

  constructor(db: Db) {
    this.statements = {
      insert: db.prepare('INSERT INTO sns_url_deliveries (id, subscription_arn, message_id, body, retries, due_at) VALUES (?, ?, ?, ?, ?, ?)'),
      update: db.prepare('UPDATE sns_url_deliveries SET retries = ?, due_at = ? WHERE id = ?'),
      remove: db.prepare('DELETE FROM sns_url_deliveries WHERE id = ?'),
      all: db.prepare('SELECT * FROM sns_url_deliveries ORDER BY due_at, rowid'),
    };
  }

  insert(row: UrlDeliveryRow): void {
    this.statements.insert.run(row.id, row.subscriptionArn, row.messageId, row.body, row.retries, row.dueAt);
  }

  /** Records a failed attempt: `retries` scheduled so far, the next due at `dueAt`. */
  reschedule(id: string, retries: number, dueAt: number): void {
    this.statements.update.run(retries, dueAt, id);
  }

  remove(id: string): void {
    this.statements.remove.run(id);
  }

  /** Every unfinished delivery, the earliest due first. */
  all(): UrlDeliveryRow[] {
    return (this.statements.all.all() as Row[]).map((r) => ({
      id: r.id,
      subscriptionArn: r.subscription_arn,
      messageId: r.message_id,
      body: r.body,
      retries: r.retries,
      dueAt: r.due_at,
    }));
  }
}
