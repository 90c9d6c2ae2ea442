import { describe, expect, it } from 'vitest';
import { addressGroup, createLoginThrottle } from './login-throttle.ts';

const opts = { failuresBeforeBan: 3, addressFailuresBeforeBan: 5, windowMs: 60_000, banMs: 300_000, maxTracked: 100 };

describe('login throttle', () => {
  it('bans a serial from the address that failed, for the ban time only', () => {
    const t = createLoginThrottle(opts);
    for (let i = 0; i < 3; i++) t.failure('203.0.113.7', 'MTB1', 1000 + i);
    expect(t.banned('203.0.113.7', 'MTB1', 2000)).toBe('pair');
    expect(t.banned('203.0.113.7', 'MTB1', 1002 + 300_000)).toBeNull();
  });

  it('does not ban the same serial connecting from another address', () => {
    const t = createLoginThrottle(opts);
    for (let i = 0; i < 3; i++) t.failure('203.0.113.7', 'MTB1', i);
    expect(t.banned('198.51.100.20', 'MTB1', 10)).toBeNull();
  });

  it('does not ban other serials from the address that failed, below the address limit', () => {
    const t = createLoginThrottle(opts);
    for (let i = 0; i < 3; i++) t.failure('203.0.113.7', 'MTB1', i);
    expect(t.banned('203.0.113.7', 'MTB2', 10)).toBeNull();
  });

  it('forgets failures older than the window', () => {
    const t = createLoginThrottle(opts);
    t.failure('a', 'MTB1', 0);
    t.failure('a', 'MTB1', 1);
    t.failure('a', 'MTB1', 70_000);
    expect(t.banned('a', 'MTB1', 70_001)).toBeNull();
  });

  it('bans an address that tries many serials, with a higher threshold than one pair', () => {
    const t = createLoginThrottle(opts);
    for (let i = 0; i < 4; i++) t.failure('203.0.113.7', `MTB${i}`, i);
    expect(t.banned('203.0.113.7', 'MTBX', 10)).toBeNull();
    t.failure('203.0.113.7', null, 11);
    expect(t.banned('203.0.113.7', 'MTBX', 12)).toBe('address');
    expect(t.banned('198.51.100.20', 'MTBX', 12)).toBeNull();
  });

  it('counts a whole IPv6 /64 as one address', () => {
    const t = createLoginThrottle(opts);
    for (let i = 0; i < 5; i++) t.failure(`2001:db8:1:2::${i + 1}`, null, i);
    expect(t.banned('2001:db8:1:2:ffff::9', 'MTB1', 10)).toBe('address');
    expect(t.banned('2001:db8:1:3::1', 'MTB1', 10)).toBeNull();
  });

  it('a successful login clears its pair but not the address', () => {
    const t = createLoginThrottle(opts);
    for (let i = 0; i < 2; i++) t.failure('a', 'MTB1', i);
    t.success('a', 'MTB1');
    t.failure('a', 'MTB1', 5);
    expect(t.banned('a', 'MTB1', 6)).toBeNull();
    t.failure('a', 'MTB2', 7);
    t.failure('a', 'MTB2', 8);
    expect(t.banned('a', 'MTB3', 9)).toBe('address');
  });

  it('bounds the number of tracked keys', () => {
    const t = createLoginThrottle({ ...opts, maxTracked: 2, failuresBeforeBan: 1, addressFailuresBeforeBan: 100 });
    t.failure('a', 'MTB1', 0);
    t.failure('a', 'MTB2', 0);
    t.failure('a', 'MTB3', 0);
    expect(t.banned('a', 'MTB3', 1)).toBe('pair');
  });
});

describe('address group', () => {
  it('keeps IPv4 addresses and unwraps IPv4-mapped IPv6 ones', () => {
    expect(addressGroup('192.0.2.1')).toBe('192.0.2.1');
    expect(addressGroup('::ffff:192.0.2.1')).toBe('192.0.2.1');
  });

  it('reduces IPv6 addresses to their /64 in one spelling', () => {
    expect(addressGroup('2001:0db8:0001:0002:0000:0000:0000:0001')).toBe('2001:db8:1:2::/64');
    expect(addressGroup('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(addressGroup('::1')).toBe('0:0:0:0::/64');
    expect(addressGroup('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
});
