import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limiter.ts';

const T0 = Date.UTC(2026, 10, 30, 9);

describe('rate limiter', () => {
  it('allows a burst up to the capacity, then refuses with the wait until one unit is back', () => {
    const limiter = createRateLimiter({ capacity: 3, perMinute: 6 });
    expect([1, 2, 3].map(() => limiter.take('a', T0).allowed)).toEqual([true, true, true]);
    expect(limiter.take('a', T0)).toEqual({ allowed: false, retryAfterMs: 10_000 });
  });

  it('refills over time at the rule’s rate', () => {
    const limiter = createRateLimiter({ capacity: 2, perMinute: 6 });
    limiter.take('a', T0);
    limiter.take('a', T0);
    expect(limiter.take('a', T0 + 9_999).allowed).toBe(false);
    expect(limiter.take('a', T0 + 10_000).allowed).toBe(true);
  });

  it('keeps keys apart', () => {
    const limiter = createRateLimiter({ capacity: 1, perMinute: 1 });
    expect(limiter.take('a', T0).allowed).toBe(true);
    expect(limiter.take('b', T0).allowed).toBe(true);
    expect(limiter.take('a', T0).allowed).toBe(false);
  });

  it('counts a cost in units, and takes nothing from a refused request', () => {
    const limiter = createRateLimiter({ capacity: 10, perMinute: 60 });
    expect(limiter.take('a', T0, 8).allowed).toBe(true);
    expect(limiter.take('a', T0, 5)).toEqual({ allowed: false, retryAfterMs: 3_000 });
    expect(limiter.take('a', T0, 2).allowed).toBe(true);
  });

  it('forgets the least recently used keys beyond its bound', () => {
    const limiter = createRateLimiter({ capacity: 1, perMinute: 1 }, 2);
    limiter.take('a', T0);
    limiter.take('b', T0);
    limiter.take('c', T0);
    // `a` was evicted, so it starts with a full bucket again.
    expect(limiter.take('a', T0).allowed).toBe(true);
    expect(limiter.take('c', T0).allowed).toBe(false);
  });
});
