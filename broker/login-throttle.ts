import { localFailureThrottles, type FailureThrottles } from '../services/platform/security/index.ts';

/**
 * Failed box logins, counted per (serial, address) and per address, never per serial alone:
 * a stranger who knows a serial must not be able to lock the real box, connecting from
 * elsewhere, out of the broker.
 */
export interface ThrottleOptions {
  /** Failures of one serial from one address before that pair is banned. */
  failuresBeforeBan: number;
  /**
   * Failures from one address, all serials together, before the address is banned: higher,
   * because a whole plant's boxes often share one NAT or cellular gateway address and one
   * misconfigured box must not lock out the rest.
   */
  addressFailuresBeforeBan: number;
  /** Failures older than this no longer count. */
  windowMs: number;
  banMs: number;
  /** Bounds memory under a flood of distinct addresses/serials (per count). */
  maxTracked: number;
}

/** `pair`: this serial from this address; `address`: anything from this address. */
export type BanScope = 'pair' | 'address';

export interface LoginThrottle {
  /** Null when allowed, else the narrowest count that is over its limit. */
  banned(address: string, serial: string, now: number): BanScope | null;
  /** `serial` is null when the CONNECT named no valid serial: only the address is counted. */
  failure(address: string, serial: string | null, now: number): void;
  success(address: string, serial: string): void;
}

const HEXTETS = 8;

/**
 * The unit an address ban applies to: an IPv4 address, or the /64 prefix of an IPv6 address,
 * because one IPv6 host usually holds a whole /64 and could otherwise rotate through it.
 * IPv4-mapped IPv6 addresses (`::ffff:192.0.2.1`) count as their IPv4 address.
 */
export function addressGroup(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const bare = address.split('%')[0]!.toLowerCase();
  const [head = '', tail] = bare.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const hextets = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, HEXTETS - left.length - right.length)).fill('0'), ...right];
  return `${hextets
    .slice(0, 4)
    .map((h) => h.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** `throttles` makes the two counts: this process's alone, or shared by the nodes of a cluster. */
export function createLoginThrottle(opts: ThrottleOptions, throttles: FailureThrottles = localFailureThrottles): LoginThrottle {
  const common = { windowMs: opts.windowMs, banMs: opts.banMs, maxKeys: opts.maxTracked };
  const byAddress = throttles.create('mqtt-address', { ...common, maxFailures: opts.addressFailuresBeforeBan });
  const byPair = throttles.create('mqtt-pair', { ...common, maxFailures: opts.failuresBeforeBan });
  // A space is in neither a serial nor an address, so the pair key is unambiguous.
  const pair = (address: string, serial: string) => `${serial} ${addressGroup(address)}`;
  return {
    banned(address, serial, now) {
      if (!byPair.check(pair(address, serial), now).allowed) return 'pair';
      if (!byAddress.check(addressGroup(address), now).allowed) return 'address';
      return null;
    },
    failure(address, serial, now) {
      byAddress.recordFailure(addressGroup(address), now);
      if (serial !== null) byPair.recordFailure(pair(address, serial), now);
    },
    // Only the pair is forgiven: one good box must not reset a scanning address's count.
    success(address, serial) {
      byPair.recordSuccess(pair(address, serial));
    },
  };
}
