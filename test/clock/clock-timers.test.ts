import { afterEach, describe, expect, it } from 'vitest';
import { AdjustableClock } from '../../src/clock.js';
import { ClockTimers } from '../../src/clock-timers.js';

describe('ClockTimers (work due on Eddy clock)', () => {
  const clock = new AdjustableClock();
  let timers: ClockTimers | undefined;
  afterEach(() => timers?.close());

  it('runs what is due, in time order, before advance returns; an unscheduled timer never runs', () => {
    const ran: string[] = [];
    timers = new ClockTimers(clock, (error) => {
      throw error;
    });
    const now = clock.now();
    timers.schedule(now + 3_600_000, () => ran.push('hour'));
    timers.schedule(now + 60_000, () => ran.push('minute'));
    const cancel = timers.schedule(now + 120_000, () => ran.push('cancelled'));
    timers.schedule(now + 60_000, () => ran.push('minute, scheduled second'));
    expect(timers.size).toBe(4);
    cancel();
    cancel(); // a second call changes nothing
    expect(timers.size).toBe(3);
    clock.advance(59_000);
    expect(ran).toEqual([]);
    clock.advance(61_000);
    expect(ran).toEqual(['minute', 'minute, scheduled second']);
    clock.advance(3_600_000);
    expect(ran).toEqual(['minute', 'minute, scheduled second', 'hour']);
    expect(timers.size).toBe(0);
  });

  it('reports an error a timer throws and still runs the others; after close nothing runs', () => {
    const errors: unknown[] = [];
    const ran: string[] = [];
    timers = new ClockTimers(clock, (error) => errors.push(error));
    const now = clock.now();
    timers.schedule(now + 1000, () => {
      throw new Error('boom');
    });
    timers.schedule(now + 1000, () => ran.push('after the error'));
    timers.schedule(now + 5000, () => ran.push('after close'));
    clock.advance(1000);
    expect(errors.map((e) => (e as Error).message)).toEqual(['boom']);
    expect(ran).toEqual(['after the error']);
    timers.close();
    clock.advance(10_000);
    expect(ran).toEqual(['after the error']);
    expect(timers.schedule(clock.now(), () => ran.push('scheduled after close'))).toBeTypeOf('function');
    expect(timers.size).toBe(0);
  });
});
