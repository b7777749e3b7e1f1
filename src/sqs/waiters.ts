import type { AdjustableClock } from '../clock.js';

interface Waiter {
  queueId: number;
  /** Tries to take messages; undefined when there are none yet. */
  attempt(): unknown;
  /** Eddy-clock ms when the wait ends empty. */
  deadline: number;
  nextVisibleAt(): number | undefined;
  resolve(value: unknown): void;
  timer?: NodeJS.Timeout;
}

/**
 * Long polls (ReceiveMessage WaitTimeSeconds, event source mappings): each
 * waiter tries again when its queue is told something arrived (a send, a
 * message made visible, a move), when its earliest hidden message becomes
 * visible, and when Eddy's clock is advanced. No polling loop: a timer only
 * for the next moment something can change.
 */
export class ReceiveWaiters {
  private readonly byQueue = new Map<number, Set<Waiter>>();

  constructor(private readonly clock: AdjustableClock) {}

  /** Resolves with `attempt`'s first non-undefined answer, or undefined at `deadline` or when `signal` aborts. */
  wait<T>(queueId: number, deadline: number, attempt: () => T | undefined, nextVisibleAt: () => number | undefined, signal?: AbortSignal): Promise<T | undefined> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve(undefined);
      const waiter: Waiter = { queueId, attempt, deadline, nextVisibleAt, resolve: resolve as (value: unknown) => void };
      let set = this.byQueue.get(queueId);
      if (!set) this.byQueue.set(queueId, (set = new Set()));
      set.add(waiter);
      signal?.addEventListener('abort', () => this.finish(waiter, undefined), { once: true });
      this.schedule(waiter);
    });
  }

  /** How many receives are waiting now, across queues. */
  count(): number {
    let total = 0;
    for (const set of this.byQueue.values()) total += set.size;
    return total;
  }

  /** Something may have become receivable in the queue: its waiters try, oldest first. */
  notify(queueId: number): void {
    const set = this.byQueue.get(queueId);
    if (!set) return;
    for (const waiter of [...set]) this.retry(waiter);
  }

  /** The clock moved: every waiter may be due. */
  notifyAll(): void {
    for (const queueId of [...this.byQueue.keys()]) this.notify(queueId);
  }

  /** Ends every wait empty (the queue was deleted or purged, or Eddy stops). */
  release(queueId?: number): void {
    for (const [id, set] of [...this.byQueue]) {
      if (queueId !== undefined && id !== queueId) continue;
      for (const waiter of [...set]) this.finish(waiter, undefined);
    }
  }

  private retry(waiter: Waiter): void {
    let result: unknown;
    try {
      result = waiter.attempt();
    } catch {
      result = undefined;
    }
    if (result !== undefined) return this.finish(waiter, result);
    if (this.clock.now() >= waiter.deadline) return this.finish(waiter, undefined);
    this.schedule(waiter);
  }

  private schedule(waiter: Waiter): void {
    if (waiter.timer) clearTimeout(waiter.timer);
    const now = this.clock.now();
    const next = waiter.nextVisibleAt();
    const at = next !== undefined && next < waiter.deadline ? next : waiter.deadline;
    waiter.timer = setTimeout(() => this.retry(waiter), Math.max(0, at - now) + 1);
  }

  private finish(waiter: Waiter, result: unknown): void {
    if (waiter.timer) clearTimeout(waiter.timer);
    const set = this.byQueue.get(waiter.queueId);
    // Already answered (an abort after its messages came).
    if (!set?.has(waiter)) return;
    set.delete(waiter);
    if (set.size === 0) this.byQueue.delete(waiter.queueId);
    waiter.resolve(result);
  }
}
