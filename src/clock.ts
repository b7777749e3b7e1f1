/**
 * Eddy's one clock. Everything time-based (table transitions, and later TTL,
 * stream retention, record age, batching windows, iterator expiry) reads it, so
 * tests advance time instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since the epoch, as Eddy sees it. */
  now(): number;
}

/** Wall-clock time plus an offset that tests may advance. */
export class AdjustableClock implements Clock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward');
    this.offsetMs += ms;
  }
}
