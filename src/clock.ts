/**
 * Eddy's one clock. Everything time-based (table transitions, TTL, and later
 * stream retention, record age, batching windows, iterator expiry) reads it, so
 * tests advance time instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since the epoch, as Eddy sees it. */
  now(): number;
}

/** Told Eddy's new time right after every `advance`. */
export type ClockListener = (now: number) => void;

/** Wall-clock time plus an offset that tests may advance. */
export class AdjustableClock implements Clock {
  private offsetMs = 0;
  private readonly listeners = new Set<ClockListener>();

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward');
    this.offsetMs += ms;
    const now = this.now();
    for (const listener of [...this.listeners]) listener(now);
  }

  /**
   * Calls `listener` synchronously after every `advance`, so work that is due
   * (expired TTL items) happens before `advance` returns. Returns the function
   * that unsubscribes it.
   */
  onAdvance(listener: ClockListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
