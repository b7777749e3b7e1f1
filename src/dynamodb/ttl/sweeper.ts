import type { AdjustableClock } from '../../clock.js';
import type { Db } from '../../store/database.js';
import type { ItemStore } from '../item-store.js';
import { keyOf, type TableCatalog } from '../table-catalog.js';
import type { Item } from '../values/attribute-value.js';
import { expiryIndex, type ExpiryIndex } from './expiry.js';

export interface TtlSweeperOptions {
  db: Db;
  clock: AdjustableClock;
  tables: TableCatalog;
  items: ItemStore;
  /** Wall-clock period of the background sweep (default 1000 ms). */
  intervalMs?: number;
  /** Most items deleted per transaction before yielding to requests (default 1000). */
  batchSize?: number;
  /** Where a failed background sweep is reported (it is retried on the next tick). */
  onError?: (error: unknown) => void;
}

/**
 * Deletes expired items of tables with Time to Live enabled, as the DynamoDB
 * service does in the background. A sweep runs every `intervalMs` of wall time
 * and right after every advance of Eddy's clock, so a test that advances the
 * clock sees the deletions before `advance` returns. Due items are found
 * through the (table_id, expires_at) index, never by reading other items, and
 * deleted in batches of `batchSize`, one transaction each, through
 * `ItemStore.write` with `byService: true` (what streams mark as a TTL delete);
 * a backlog larger than a batch continues on later event-loop turns so requests
 * are served in between.
 */
export class TtlSweeper {
  private readonly index: ExpiryIndex;
  private readonly intervalMs: number;
  private readonly batchSize: number;
  private timer: NodeJS.Timeout | undefined;
  private continuation: NodeJS.Immediate | undefined;
  private unsubscribe: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly options: TtlSweeperOptions) {
    this.index = expiryIndex(options.db);
    this.intervalMs = options.intervalMs ?? 1000;
    this.batchSize = options.batchSize ?? 1000;
  }

  /** Starts the interval (unref'd: it never keeps the process alive) and listens to the clock. */
  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => this.sweepInBackground(), this.intervalMs);
    this.timer.unref();
    this.unsubscribe = this.options.clock.onAdvance(() => this.sweepInBackground());
  }

  /** Stops for good (before the database closes). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.continuation) clearImmediate(this.continuation);
    this.unsubscribe?.();
    this.timer = this.continuation = this.unsubscribe = undefined;
  }

  /**
   * Deletes every item due now, batch after batch, and returns how many (for
   * the admin API and tests that want the backlog gone at once).
   */
  sweepExpiredItems(): number {
    let total = 0;
    for (;;) {
      const deleted = this.sweepBatch();
      total += deleted;
      if (deleted < this.batchSize) return total;
    }
  }

  /** Deletes up to one batch of due items, earliest tables first, in one transaction. */
  sweepBatch(): number {
    const { tables, items, clock } = this.options;
    return items.transaction(() => {
      const now = clock.now();
      let deleted = 0;
      for (const table of tables.withTimeToLive()) {
        if (deleted >= this.batchSize) break;
        for (const json of this.index.due(table, now, this.batchSize - deleted)) {
          const item = JSON.parse(json) as Item;
          items.write({ table, key: keyOf(table, item), oldItem: item, newItem: undefined, byService: true }, 0);
          deleted++;
        }
      }
      return deleted;
    });
  }

  /** One batch now; a full batch means more may be due, so another follows on the next turn. */
  private sweepInBackground(): void {
    if (this.stopped) return;
    // Never inside a caller's transaction (a clock advanced mid-write) nor
    // the turn's open group (src/store/group-commit.ts): go next turn, where
    // the group's commit, scheduled earlier, runs first.
    if (this.options.db.inTransaction) return this.continueLater();
    let deleted: number;
    try {
      deleted = this.sweepBatch();
    } catch (error) {
      this.options.onError?.(error);
      return;
    }
    if (deleted >= this.batchSize) this.continueLater();
  }

  private continueLater(): void {
    if (this.continuation || this.stopped) return;
    this.continuation = setImmediate(() => {
      this.continuation = undefined;
      this.sweepInBackground();
    });
  }
}
