export interface FailureThrottleOptions {
  /** Failures within `windowMs` that start a ban. */
  maxFailures: number;
  windowMs: number;
  banMs: number;
  /** Bound on remembered keys, so a flood of made-up usernames cannot grow memory without limit. */
  maxKeys?: number;
}

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

export interface FailureThrottle {
  check(key: string, now: number): ThrottleVerdict;
  recordFailure(key: string, now: number): void;
  recordSuccess(key: string): void;
}

interface Entry {
  failures: number[];
  bannedUntil: number;
}

/**
 * Counts failed logins per key (API: username + client address; MQTT: serial, and address)
 * in a sliding window; after `maxFailures` the key is refused for `banMs`, even with the
 * right password, so guessing cannot continue at scrypt speed. In memory: a restart forgets, which is acceptable for
 * a single-process backend.
 */
export function createFailureThrottle(options: FailureThrottleOptions): FailureThrottle {
  const { maxFailures, windowMs, banMs, maxKeys = 10_000 } = options;
  const entries = new Map<string, Entry>();

  function evict(now: number): void {
    for (const [key, e] of entries) {
      const last = e.failures.at(-1) ?? 0;
      if (e.bannedUntil <= now && last <= now - windowMs) entries.delete(key);
    }
    // Still full: forget the oldest keys (Map keeps insertion order).
    for (const key of entries.keys()) {
      if (entries.size < maxKeys) break;
      entries.delete(key);
    }
  }

  return {
    check(key, now) {
      const e = entries.get(key);
      if (e && e.bannedUntil > now) return { allowed: false, retryAfterMs: e.bannedUntil - now };
      return { allowed: true };
    },

    recordFailure(key, now) {
      let e = entries.get(key);
      if (!e) {
        if (entries.size >= maxKeys) evict(now);
        e = { failures: [], bannedUntil: 0 };
        entries.set(key, e);
      }
      e.failures = e.failures.filter((t) => t > now - windowMs);
      e.failures.push(now);
      if (e.failures.length >= maxFailures) {
        e.bannedUntil = now + banMs;
        e.failures = [];
      }
    },

    recordSuccess(key) {
      entries.delete(key);
    },
  };
}
