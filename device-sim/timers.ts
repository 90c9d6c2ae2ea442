import type { Clock } from '../services/kernel/clock.ts';

export type { Clock };

export type TimerHandle = unknown;

/**
 * The slice of the timer API the simulator uses. Injected so tests can drive the fleet's
 * ticker and scenarios with a fake clock instead of waiting in real time.
 */
export interface Timers {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  setInterval(fn: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle): void;
}

export const systemTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
};

/** Timers whose pending callbacks can all be cancelled at once (a scenario's, the fleet's). */
export class TimerGroup {
  private readonly timeouts = new Set<TimerHandle>();
  private readonly intervals = new Set<TimerHandle>();

  constructor(private readonly timers: Timers) {}

  after(ms: number, fn: () => void): void {
    const handle = this.timers.setTimeout(() => {
      this.timeouts.delete(handle);
      fn();
    }, ms);
    this.timeouts.add(handle);
  }

  every(ms: number, fn: () => void): void {
    this.intervals.add(this.timers.setInterval(fn, ms));
  }

  cancelAll(): void {
    for (const h of this.timeouts) this.timers.clearTimeout(h);
    for (const h of this.intervals) this.timers.clearInterval(h);
    this.timeouts.clear();
    this.intervals.clear();
  }
}
