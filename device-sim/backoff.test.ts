import { describe, expect, it } from 'vitest';
import { reconnectDelay } from './backoff.ts';
import { createRandom } from './prng.ts';

const policy = { baseMs: 1_000, maxMs: 60_000 };

describe('reconnect back-off', () => {
  it('doubles the ceiling with each attempt and never exceeds the maximum', () => {
    const random = createRandom(1);
    for (let attempt = 1; attempt <= 12; attempt++) {
      const ceiling = Math.min(60_000, 1_000 * 2 ** (attempt - 1));
      for (let i = 0; i < 200; i++) {
        const delay = reconnectDelay(attempt, policy, random);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it('spreads a fleet that lost the broker at the same instant over the whole window', () => {
    const random = createRandom(2);
    const delays = Array.from({ length: 5_000 }, () => reconnectDelay(4, policy, random));
    // Attempt 4: uniform over [0, 8 s]; every second of the window gets its share.
    const perSecond = Array.from({ length: 8 }, (_, s) => delays.filter((d) => d >= s * 1000 && d < (s + 1) * 1000).length);
    for (const n of perSecond) expect(n).toBeGreaterThan(500);
  });
});
