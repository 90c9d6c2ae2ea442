import { describe, expect, it } from 'vitest';
import { dueTicks, planWheel, slotOf } from './telemetry-wheel.ts';

describe('telemetry wheel', () => {
  it('splits a 1 s period into 100 ms slots and spreads boxes round-robin', () => {
    const wheel = planWheel(1);
    expect(wheel).toEqual({ periodMs: 1000, slots: 10, tickMs: 100 });
    expect([0, 1, 9, 10, 23].map((i) => slotOf(wheel, i))).toEqual([0, 1, 9, 0, 3]);
  });

  it('runs every tick whose time has come, one period of ticks per period of time', () => {
    const wheel = planWheel(3); // 333.3 ms period, 4 slots of 83.3 ms
    let done = 0;
    let ticks = 0;
    for (let t = 0; t <= 3000; t += 5) {
      const { from, to } = dueTicks(wheel, 0, done, t);
      ticks += to - from;
      done = to;
    }
    expect(ticks).toBe(9 * wheel.slots); // 3 s at 3 per second: every slot 9 times
  });

  it('skips, rather than replays, the ticks of a stall longer than a period', () => {
    const wheel = planWheel(1);
    expect(dueTicks(wheel, 0, 5, 10_000)).toEqual({ from: 90, to: 100 });
  });
});
