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

/** A throttle in this process's memory, which also takes bans decided elsewhere (another node). */
export interface LocalFailureThrottle extends FailureThrottle {
  /** Refuses `key` from `now` until `until` (epoch ms), unless a longer ban already runs. */
  ban(key: string, until: number, now: number): void;
}

/**
 * Makes the throttles of one kind of login; `scope` names the kind (`api-login`, `mqtt-pair`, …)
 * so throttles sharing state across nodes keep each kind's keys apart.
 */
export interface FailureThrottles {
  create(scope: string, options: FailureThrottleOptions): FailureThrottle;
}

/** Each process counts for itself: the single-node default. */
export const localFailureThrottles: FailureThrottles = { create: (_scope, options) => createFailureThrottle(options) };

interface Entry {
  failures: number[];
  bannedUntil: number;
}

/**
 * Counts failed logins per key (API: username + client address; MQTT: serial + address, and
 * address) in a sliding window; after `maxFailures` the key is refused for `banMs`, even with the
 * right password, so guessing cannot continue at scrypt speed. In memory: a restart forgets, which is acceptable for
 * a single-process backend.
 */
export function createFailureThrottle(options: FailureThrottleOptions): LocalFailureThrottle {
  const { maxFailures, windowMs, banMs, maxKeys = 10_000 } = options;
  const entries = new Map<string, Entry>();
  // A full table is cleaned down to this size, so the next full scan comes only after a tenth
  // of maxKeys new keys: a flood of distinct keys costs O(1) per failure on average, not O(maxKeys).
  const target = Math.max(0, maxKeys - Math.max(1, Math.floor(maxKeys / 10)));

  function evict(now: number): void {
    for (const [key, e] of entries) {
      const last = e.failures.at(-1) ?? 0;
      if (e.bannedUntil <= now && last <= now - windowMs) entries.delete(key);
    }
    // Still full: forget the oldest keys that are not banned (Map keeps insertion order), so a
    // flood of new keys does not lift a running ban; only then the oldest bans.
    for (const [key, e] of entries) {
      if (entries.size <= target) return;
      if (e.bannedUntil <= now) entries.delete(key);
    }
    for (const key of entries.keys()) {
      if (entries.size <= target) return;
      entries.delete(key);
    }
  }

  function entryFor(key: string, now: number): Entry {
    let e = entries.get(key);
    if (!e) {
      if (entries.size >= maxKeys) evict(now);
      e = { failures: [], bannedUntil: 0 };
      entries.set(key, e);
    }
    return e;
  }

  return {
    check(key, now) {
      const e = entries.get(key);
      if (e && e.bannedUntil > now) return { allowed: false, retryAfterMs: e.bannedUntil - now };
      return { allowed: true };
    },

    recordFailure(key, now) {
      const e = entryFor(key, now);
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

    ban(key, until, now) {
      const e = entryFor(key, now);
      e.bannedUntil = Math.max(e.bannedUntil, until);
      e.failures = [];
    },
  };
}
