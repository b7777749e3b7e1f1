import type { Db } from '../store/database.js';
import { queueArn, type QueueAddress } from './queue-names.js';

/** A queue as Eddy keeps it: the stored attributes are those GetQueueAttributes shows as set. */
export interface Queue extends QueueAddress {
  id: number;
  arn: string;
  fifo: boolean;
  attributes: Record<string, string>;
  tags: Record<string, string>;
  /** Epoch milliseconds (Eddy clock). */
  createdAt: number;
  modifiedAt: number;
}

interface QueueRow {
  id: number;
  account: string;
  region: string;
  name: string;
  attributes: string;
  tags: string;
  created_at: number;
  modified_at: number;
}

/**
 * The queues of every account and region, in SQLite and mirrored in memory:
 * every request looks its queue up, and the set is small.
 */
export class QueueCatalog {
  private readonly byKey = new Map<string, Queue>();
  private readonly byId = new Map<number, Queue>();
  private readonly insert;
  private readonly updateAttributes;
  private readonly updateTags;
  private readonly remove;

  constructor(db: Db) {
    for (const row of db.prepare('SELECT * FROM sqs_queues').all() as QueueRow[]) this.remember(fromRow(row));
    this.insert = db.prepare('INSERT INTO sqs_queues (account, region, name, attributes, tags, created_at, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.updateAttributes = db.prepare('UPDATE sqs_queues SET attributes = ?, modified_at = ? WHERE id = ?');
    this.updateTags = db.prepare('UPDATE sqs_queues SET tags = ? WHERE id = ?');
    this.remove = db.prepare('DELETE FROM sqs_queues WHERE id = ?');
  }

  get(address: QueueAddress): Queue | undefined {
    return this.byKey.get(keyOf(address));
  }

  getById(id: number): Queue | undefined {
    return this.byId.get(id);
  }

  create(address: QueueAddress, attributes: Record<string, string>, tags: Record<string, string>, now: number): Queue {
    const info = this.insert.run(address.account, address.region, address.name, JSON.stringify(attributes), JSON.stringify(tags), now, now);
    const queue: Queue = {
      ...address,
      id: Number(info.lastInsertRowid),
      arn: queueArn(address),
      fifo: attributes.FifoQueue === 'true',
      attributes,
      tags,
      createdAt: now,
      modifiedAt: now,
    };
    this.remember(queue);
    return queue;
  }

  setAttributes(queue: Queue, attributes: Record<string, string>, now: number): void {
    this.updateAttributes.run(JSON.stringify(attributes), now, queue.id);
    queue.attributes = attributes;
    queue.modifiedAt = now;
  }

  setTags(queue: Queue, tags: Record<string, string>): void {
    this.updateTags.run(JSON.stringify(tags), queue.id);
    queue.tags = tags;
  }

  /** Deletes the queue; its messages go with it (ON DELETE CASCADE). */
  delete(queue: Queue): void {
    this.remove.run(queue.id);
    this.byKey.delete(keyOf(queue));
    this.byId.delete(queue.id);
  }

  /** The queues of one account and region, by name. */
  list(account: string, region: string): Queue[] {
    return [...this.byId.values()].filter((q) => q.account === account && q.region === region).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  all(): Queue[] {
    return [...this.byId.values()];
  }

  private remember(queue: Queue): void {
    this.byKey.set(keyOf(queue), queue);
    this.byId.set(queue.id, queue);
  }
}

const keyOf = (q: QueueAddress): string => `${q.account}/${q.region}/${q.name}`;

function fromRow(row: QueueRow): Queue {
  const attributes = JSON.parse(row.attributes) as Record<string, string>;
  return {
    id: row.id,
    account: row.account,
    region: row.region,
    name: row.name,
    arn: queueArn(row),
    fifo: attributes.FifoQueue === 'true',
    attributes,
    tags: JSON.parse(row.tags) as Record<string, string>,
    createdAt: row.created_at,
    modifiedAt: row.modified_at,
  };
}
