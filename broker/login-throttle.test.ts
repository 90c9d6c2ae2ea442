import { describe, expect, it } from 'vitest';
import { createLoginThrottle } from './login-throttle.ts';

const opts = { failuresBeforeBan: 3, addressFailuresBeforeBan: 5, windowMs: 60_000, banMs: 300_000, maxTracked: 100 };

describe('login throttle', () => {
  it('bans a serial after repeated failures, for the ban time only', () => {
    const t = createLoginThrottle(opts);
    for (let i = 0; i < 3; i++) t.failure(`10.0.0.${i}`, 'MTB1', 1000 + i);
    expect(t.banned('10.0.0.9', 'MTB1', 2000)).toBe('serial');
    expect(t.banned('10.0.0.9', 'MTB2', 2000)).toBeNull();
    expect(t.banned('10.0.0.9', 'MTB1', 1002 + 300_000)).toBeNull();
  });

  it('forgets failures older than the window', () => {
    const t = createLoginThrottle(opts);
    t.failure('a', 'MTB1', 0);
    t.failure('a', 'MTB1', 1);
    t.failure('a', 'MTB1', 70_000);
    expect(t.banned('a', 'MTB1', 70_001)).toBeNull();
  });

  it('bans an address that tries many serials, with a higher threshold than one serial', () => {
    const t = createLoginThrottle(opts);
    for (let i = 0; i < 4; i++) t.failure('203.0.113.7', `MTB${i}`, i);
    expect(t.banned('203.0.113.7', 'MTBX', 10)).toBeNull();
    t.failure('203.0.113.7', 'MTB9', 11);
    expect(t.banned('203.0.113.7', 'MTBX', 12)).toBe('address');
  });

  it('a successful login clears the serial but not the address', () => {
    const t = createLoginThrottle(opts);
    for (let i = 0; i < 2; i++) t.failure('a', 'MTB1', i);
    t.success('a', 'MTB1');
    t.failure('a', 'MTB1', 5);
    expect(t.banned('b', 'MTB1', 6)).toBeNull();
  });

  it('bounds the number of tracked keys', () => {
    const t = createLoginThrottle({ ...opts, maxTracked: 2, failuresBeforeBan: 1 });
    t.failure('a', 'MTB1', 0);
    t.failure('a', 'MTB2', 0);
    t.failure('a', 'MTB3', 0);
    expect(t.banned('z', 'MTB1', 1)).toBeNull();
    expect(t.banned('z', 'MTB3', 1)).toBe('serial');
  });
});
