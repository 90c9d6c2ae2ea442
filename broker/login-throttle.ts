import { createFailureThrottle } from '../services/security/failure-throttle.ts';

/** Failed box logins, counted per serial and per client address. */
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

export interface LoginThrottle {
  /** Null when allowed, else the key kind that is banned. */
  banned(address: string, serial: string, now: number): 'address' | 'serial' | null;
  failure(address: string, serial: string, now: number): void;
  success(address: string, serial: string): void;
}

export function createLoginThrottle(opts: ThrottleOptions): LoginThrottle {
  const common = { windowMs: opts.windowMs, banMs: opts.banMs, maxKeys: opts.maxTracked };
  const byAddress = createFailureThrottle({ ...common, maxFailures: opts.addressFailuresBeforeBan });
  const bySerial = createFailureThrottle({ ...common, maxFailures: opts.failuresBeforeBan });
  return {
    banned(address, serial, now) {
      if (!byAddress.check(address, now).allowed) return 'address';
      if (!bySerial.check(serial, now).allowed) return 'serial';
      return null;
    },
    failure(address, serial, now) {
      byAddress.recordFailure(address, now);
      bySerial.recordFailure(serial, now);
    },
    // Only the serial is forgiven: one good box must not reset a scanning address's count.
    success(_address, serial) {
      bySerial.recordSuccess(serial);
    },
  };
}
