import type { Clock, ClockListener } from './clock.js';

/** Eddy's clock as delayed work needs it: the time, and a call after every advance. */
export interface TimerClock extends Clock {
  onAdvance(listener: ClockListener): () => void;
}

interface Timer {
  at: number;
  run(): void;
}

/**
 * Work due at a time on Eddy's clock (SNS's delivery retries, the retries of
 * Lambda's Event invocations): it runs when
 * wall time reaches it (an unref'd timeout, so it never holds the process
 * open) or at once when a test advances the clock past it, before `advance`
 * returns. The timers are in memory; what must survive a restart is kept by
 * their owner.
 */
export class ClockTimers {
  /** Sorted by `at`; equal times keep the order they were scheduled in. */
  private readonly due: Timer[] = [];
  private timeout: NodeJS.Timeout | undefined;
  private readonly stopListening: () => void;
  private closed = false;

  constructor(
    private readonly clock: TimerClock,
    private readonly onError: (error: unknown) => void,
  ) {
    this.stopListening = clock.onAdvance(() => this.runDue());
  }

  /** How many are waiting. */
  get size(): number {
    return this.due.length;
  }

  /** Runs `run` once the clock reaches `at`; the function returned unschedules it (a no-op once it ran). */
  schedule(at: number, run: () => void): () => void {
    if (this.closed) return () => {};
    const timer: Timer = { at, run };
    let index = this.due.length;
    while (index > 0 && this.due[index - 1]!.at > at) index--;
    this.due.splice(index, 0, timer);
    if (index === 0) this.arm();
    return () => {
      const at = this.due.indexOf(timer);
      if (at < 0) return;
      this.due.splice(at, 1);
      if (at === 0) this.arm();
    };
  }

  /** Forgets everything waiting; nothing runs after. */
  close(): void {
    this.closed = true;
    this.due.length = 0;
    clearTimeout(this.timeout);
    this.stopListening();
  }

  private runDue(): void {
    const now = this.clock.now();
    while (this.due.length > 0 && this.due[0]!.at <= now) {
      const timer = this.due.shift()!;
      try {
        timer.run();
      } catch (error) {
        this.onError(error);
      }
    }
    this.arm();
  }

  private arm(): void {
    clearTimeout(this.timeout);
    this.timeout = undefined;
    const next = this.due[0];
    if (!next || this.closed) return;
    // setTimeout takes at most 2^31-1 ms; a later time re-arms when this fires.
    const wait = Math.min(Math.max(0, next.at - this.clock.now()), 2 ** 31 - 1);
    this.timeout = setTimeout(() => this.runDue(), wait);
    this.timeout.unref();
  }
}
