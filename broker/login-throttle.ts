/**
 * Failed-login counting with a temporary ban, per client address and per serial. Pure apart
 * from its own maps; time comes from the caller.
 */
export interface ThrottleOptions {
  /** Failures of one serial before it is banned. */
  failuresBeforeBan: number;
  /**
   * Failures from one address before it is banned: higher, because a whole plant's boxes
   * often share one NAT or cellular gateway address and one misconfigured box must not
   * lock out the rest.
   */
  addressFailuresBeforeBan: number;
  /** Failures older than this no longer count. */
  windowMs: number;
  banMs: number;
  /** Bounds memory under a flood of distinct addresses/serials. */
  maxTracked: number;
}

interface Entry {
  failures: number[];
  bannedUntil: number;
}

export interface LoginThrottle {
  /** Null when allowed, else the key kind that is banned. */
  banned(address: string, serial: string, now: number): 'address' | 'serial' | null;
  failure(address: string, serial: string, now: number): void;
  success(address: string, serial: string): void;
}

export function createLoginThrottle(opts: ThrottleOptions): LoginThrottle {
  const byAddress = new Map<string, Entry>();
  const bySerial = new Map<string, Entry>();

  function isBanned(map: Map<string, Entry>, key: string, now: number): boolean {
    const e = map.get(key);
    return !!e && e.bannedUntil > now;
  }

  function record(map: Map<string, Entry>, key: string, now: number, threshold: number): void {
    let e = map.get(key);
    if (!e) {
      if (map.size >= opts.maxTracked) {
        // Oldest insertion first: Map iteration order is insertion order.
        const oldest = map.keys().next().value;
        if (oldest !== undefined) map.delete(oldest);
      }
      e = { failures: [], bannedUntil: 0 };
      map.set(key, e);
    }
    e.failures = e.failures.filter((t) => t > now - opts.windowMs);
    e.failures.push(now);
    if (e.failures.length >= threshold) {
      e.bannedUntil = now + opts.banMs;
      e.failures = [];
    }
  }

  return {
    banned(address, serial, now) {
      if (isBanned(byAddress, address, now)) return 'address';
      if (isBanned(bySerial, serial, now)) return 'serial';
      return null;
    },
    failure(address, serial, now) {
      record(byAddress, address, now, opts.addressFailuresBeforeBan);
      record(bySerial, serial, now, opts.failuresBeforeBan);
    },
    // Only the serial is forgiven: one good box must not reset a scanning address's count.
    success(_address, serial) {
      bySerial.delete(serial);
    },
  };
}
