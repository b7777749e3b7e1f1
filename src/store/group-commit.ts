import type { Db } from './database.js';

/** Something to do once the open group commits; `abandon` is what to do instead if it does not. */
interface Deferred {
  run(): void;
  abandon?(): void;
}

export interface GroupCommitOptions {
  /**
   * The group's COMMIT failed (disk full, I/O error) and its writes are rolled
   * back; the answers held for it were destroyed. Whatever the process keeps
   * in memory about those writes is now wrong, so the caller should stop.
   */
  onCommitFailure(error: unknown): void;
  /** A function deferred to after a commit threw (the ones after it still ran). */
  onDeferredError(error: unknown): void;
}

/**
 * Group commit: the requests that arrive in one turn of the event loop share
 * one SQLite transaction, committed by `setImmediate` once the turn's I/O has
 * been handled, and their answers are held until that COMMIT succeeded. One
 * commit (one set of WAL frames) then serves every write of the turn, while
 * no answer ever reports a write that is not yet durable.
 *
 * Work done while a group is open needs no cooperation: better-sqlite3 runs
 * every `db.transaction(fn)` inside an open transaction as a SAVEPOINT, so a
 * failing operation rolls back only its own writes, and SQLite undoes a
 * single failing statement by itself. Work done when no group is open (timers,
 * Lambda results, retries) commits itself as before.
 */
export class GroupCommit {
  private readonly begin;
  private readonly commit;
  private readonly rollback;
  private scheduled: NodeJS.Immediate | undefined;
  private deferred: Deferred[] = [];

  constructor(
    private readonly db: Db,
    private readonly options: GroupCommitOptions,
  ) {
    this.begin = db.prepare('BEGIN');
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
  }

  /** Whether a group is open (its commit is scheduled). */
  get isOpen(): boolean {
    return this.scheduled !== undefined;
  }

  /**
   * Makes what runs from now until the end of this turn part of the group,
   * opening it if none is. Does nothing inside a transaction someone else began.
   */
  join(): void {
    if (this.scheduled || this.db.inTransaction) return;
    this.begin.run();
    this.scheduled = setImmediate(this.commitGroup);
  }

  /** Runs `fn` once the open group has committed, or now when none is open. */
  afterCommit(fn: () => void): void {
    if (this.scheduled) this.deferred.push({ run: fn });
    else fn();
  }

  /**
   * Sends an answer (`send`) once the open group has committed, or now when
   * none is open. Should the commit fail, the answer's connection is destroyed
   * instead: the client sees a reset (outcome unknown) and may retry.
   */
  answerAfterCommit(connection: { destroy(): void }, send: () => void): void {
    if (this.scheduled) this.deferred.push({ run: send, abandon: () => connection.destroy() });
    else send();
  }

  /** Commits the open group now, if there is one (before the database closes). */
  flush(): void {
    if (!this.scheduled) return;
    clearImmediate(this.scheduled);
    this.commitGroup();
  }

  private readonly commitGroup = (): void => {
    const deferred = this.deferred;
    this.scheduled = undefined;
    this.deferred = [];
    try {
      // A statement that failed with a disk full or I/O error may have made
      // SQLite roll the whole transaction back already: then nothing is left
      // to commit, and the writes done since committed one by one, unheld.
      if (!this.db.inTransaction) throw new Error('The group transaction was rolled back by SQLite before its COMMIT');
      this.commit.run();
    } catch (error) {
      this.abandon(deferred, error);
      return;
    }
    for (const item of deferred) {
      try {
        item.run();
      } catch (error) {
        this.options.onDeferredError(error);
      }
    }
  };

  /** Nothing of a group whose COMMIT failed may be acknowledged. */
  private abandon(deferred: Deferred[], error: unknown): void {
    try {
      if (this.db.inTransaction) this.rollback.run();
    } catch {
      // SQLite rolls back what it cannot keep; the caller stops the process either way.
    }
    for (const item of deferred) item.abandon?.();
    this.options.onCommitFailure(error);
  }
}
