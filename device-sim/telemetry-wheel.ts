/**
 * The fleet's timer wheel: one interval timer for every box. Boxes are spread round-robin
 * over `slots` buckets; tick k publishes bucket k mod slots, so each box is published once
 * per period and the load is flat across the period instead of one burst per second.
 */
export interface Wheel {
  periodMs: number;
  slots: number;
  tickMs: number;
}

/** A wheel for `ratePerS` messages per box per second, ticking at most every `maxTickMs`. */
export function planWheel(ratePerS: number, maxTickMs = 100): Wheel {
  if (!(ratePerS > 0)) throw new RangeError('rate must be positive');
  const periodMs = 1000 / ratePerS;
  const slots = Math.max(1, Math.ceil(periodMs / maxTickMs));
  return { periodMs, slots, tickMs: periodMs / slots };
}

export function slotOf(wheel: Wheel, boxIndex: number): number {
  return boxIndex % wheel.slots;
}

/**
 * Ticks to run now, as [from, to): every tick whose time has come since the wheel started,
 * after the `done` already run. The interval timer fires late under load, so the clock, not
 * the number of timer callbacks, decides. A stall longer than one period is not replayed
 * (no box sends two samples back to back), it is skipped.
 */
export function dueTicks(wheel: Wheel, startedAt: number, done: number, now: number): { from: number; to: number } {
  // Tick k is due at startedAt + (k + 1)·tickMs; the epsilon absorbs float error at exact multiples.
  const to = Math.max(done, Math.floor((now - startedAt) / wheel.tickMs + 1e-6));
  return { from: Math.max(done, to - wheel.slots), to };
}
