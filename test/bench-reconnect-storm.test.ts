import { describe, expect, it } from 'vitest';
import { fullRateAt, type StormRun } from '../bench/measure.ts';

/** The reconnect storm's "back to full rate" moment, from the generator's run and the target's counts. */

function run(o: Partial<StormRun> & { boxes: number }): StormRun {
  return {
    droppedAt: 0,
    connackMs: Array.from({ length: o.boxes }, (_, i) => 100 + i),
    failures: {},
    closed: 0,
    sent: 0,
    sentTimeline: [],
    maxLagMs: 0,
    ...o,
  };
}

/** Readings every 500 ms of a target counting `perSecond(t)` messages per second at time t. */
function counts(untilMs: number, perSecond: (t: number) => number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let total = 0;
  for (let t = 0; t <= untilMs; t += 500) {
    total += perSecond(t) / 2;
    out.push([t, total]);
  }
  return out;
}

/** What a fleet of `boxes` at one message per box per second has sent by each 100 ms. */
function sentTimeline(boxes: number, fromMs: number, untilMs: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let t = 100; t <= untilMs; t += 100) out.push([t, Math.max(0, ((t - fromMs) / 1000) * boxes)]);
  return out;
}

describe('back to full rate after a reconnect storm', () => {
  it('is the first reading after the last CONNACK with a second at 95 % of the fleet and under a second of backlog', () => {
    const r = run({ boxes: 1000, connackMs: Array.from({ length: 1000 }, (_, i) => 2000 + i), sentTimeline: sentTimeline(1000, 2000, 10_000) });
    const c = counts(10_000, (t) => (t <= 2500 ? 0 : 1000));
    expect(fullRateAt(r, c)).toBe(3500);
  });

  it('is never when a box did not get its CONNACK back', () => {
    const r = run({ boxes: 1000, connackMs: Array.from({ length: 999 }, (_, i) => 100 + i), sentTimeline: sentTimeline(1000, 0, 10_000) });
    expect(
      fullRateAt(
        r,
        counts(10_000, () => 1000),
      ),
    ).toBeNull();
  });

  it('is not before the last box is back, however fast the others are counted', () => {
    const r = run({ boxes: 1000, connackMs: [...Array.from({ length: 999 }, (_, i) => 100 + i), 6000], sentTimeline: sentTimeline(1000, 0, 10_000) });
    expect(
      fullRateAt(
        r,
        counts(10_000, () => 1000),
      ),
    ).toBe(6000);
  });

  it('is not while more than a second of traffic waits to be counted, even at full rate', () => {
    // Sent at the full rate from the start, counted at that rate only from 3 s on: 3 s behind for good.
    const r = run({ boxes: 1000, sentTimeline: sentTimeline(1000, 0, 10_000) });
    expect(
      fullRateAt(
        r,
        counts(10_000, (t) => (t < 3000 ? 0 : 1000)),
      ),
    ).toBeNull();
  });
});
