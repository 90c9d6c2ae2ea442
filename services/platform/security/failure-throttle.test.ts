import { describe, expect, it } from 'vitest';
import { createFailureThrottle } from './failure-throttle.ts';

const MIN = 60_000;
const options = { maxFailures: 3, windowMs: 15 * MIN, banMs: 5 * MIN };

describe('failure throttle', () => {
  it('allows a key that has failed fewer times than the limit', () => {
    const t = createFailureThrottle(options);
    t.recordFailure('alice|1.2.3.4', 0);
    t.recordFailure('alice|1.2.3.4', 1);
    expect(t.check('alice|1.2.3.4', 2)).toEqual({ allowed: true });
  });

  it('refuses a key for the ban time once it reaches the failure limit', () => {
    const t = createFailureThrottle(options);
    for (let i = 0; i < 3; i++) t.recordFailure('alice|1.2.3.4', i * MIN);
    expect(t.check('alice|1.2.3.4', 3 * MIN)).toEqual({ allowed: false, retryAfterMs: 4 * MIN });
    expect(t.check('alice|1.2.3.4', 7 * MIN)).toEqual({ allowed: true });
  });

  it('forgets failures older than the window', () => {
    const t = createFailureThrottle(options);
    t.recordFailure('k', 0);
    t.recordFailure('k', 1);
    t.recordFailure('k', 16 * MIN);
    expect(t.check('k', 16 * MIN)).toEqual({ allowed: true });
  });

  it('keeps keys apart, so one address cannot lock out another', () => {
    const t = createFailureThrottle(options);
    for (let i = 0; i < 3; i++) t.recordFailure('alice|1.1.1.1', i);
    expect(t.check('alice|2.2.2.2', 10)).toEqual({ allowed: true });
  });

  it('takes a ban decided elsewhere, keeping the longer of two bans', () => {
    const t = createFailureThrottle(options);
    t.ban('k', 5 * MIN, 0);
    expect(t.check('k', 1 * MIN)).toEqual({ allowed: false, retryAfterMs: 4 * MIN });
    t.ban('k', 2 * MIN, 1 * MIN);
    expect(t.check('k', 3 * MIN)).toEqual({ allowed: false, retryAfterMs: 2 * MIN });
    expect(t.check('k', 5 * MIN)).toEqual({ allowed: true });
  });

  it('clears the count after a successful login', () => {
    const t = createFailureThrottle(options);
    t.recordFailure('k', 0);
    t.recordFailure('k', 1);
    t.recordSuccess('k');
    t.recordFailure('k', 2);
    expect(t.check('k', 3)).toEqual({ allowed: true });
  });

  it('remembers at most maxKeys keys', () => {
    const t = createFailureThrottle({ ...options, maxFailures: 1, maxKeys: 2 });
    t.recordFailure('a', 0);
    t.recordFailure('b', 0);
    t.recordFailure('c', 0);
    expect(t.check('a', 1)).toEqual({ allowed: true });
    expect(t.check('c', 1).allowed).toBe(false);
  });
});

describe('failure throttle under a flood of keys', () => {
  it('keeps a running ban when new keys fill the table', () => {
    const t = createFailureThrottle({ ...options, maxFailures: 2, maxKeys: 100 });
    t.recordFailure('banned', 0);
    t.recordFailure('banned', 0);
    for (let i = 0; i < 1000; i++) t.recordFailure(`k${i}`, 1);
    expect(t.check('banned', 2).allowed).toBe(false);
  });

  it('forgets expired keys before live ones when the table is full', () => {
    const t = createFailureThrottle({ ...options, maxFailures: 2, maxKeys: 10 });
    for (let i = 0; i < 9; i++) t.recordFailure(`old${i}`, 0);
    t.recordFailure('live', 20 * MIN);
    t.recordFailure('new', 20 * MIN);
    t.recordFailure('live', 20 * MIN + 1);
    expect(t.check('live', 20 * MIN + 2).allowed).toBe(false);
  });
});
