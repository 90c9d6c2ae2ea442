/** A token bucket: `capacity` units at once, refilled at `perMinute` units a minute. */
export interface RateRule {
  capacity: number;
  perMinute: number;
}

export type RateVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

export interface RateLimiter {
  /** Takes `cost` units from the key's bucket; refused (and nothing taken) when it holds fewer. */
  take(key: string, now: number, cost?: number): RateVerdict;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Limits how much one participant, account or address may do per minute. In memory and per
 * process: a restart forgets, which is acceptable for limits measured in minutes.
 */
export function createRateLimiter(rule: RateRule, maxKeys = 10_000): RateLimiter {
  const buckets = new Map<string, Bucket>();
  const perMs = rule.perMinute / 60_000;

  function refilled(key: string, now: number): Bucket {
    const b = buckets.get(key);
    if (!b) return { tokens: rule.capacity, at: now };
    return { tokens: Math.min(rule.capacity, b.tokens + Math.max(0, now - b.at) * perMs), at: now };
  }

  return {
    take(key, now, cost = 1) {
      const b = refilled(key, now);
      if (b.tokens < cost) {
        // More than a full bucket can never be taken: say when a full one would be there.
        const missing = Math.min(cost, rule.capacity) - b.tokens;
        return { allowed: false, retryAfterMs: Math.max(1, Math.ceil(missing / perMs)) };
      }
      b.tokens -= cost;
      // Re-inserted at the end, so the first keys in the map are the least recently used.
      buckets.delete(key);
      buckets.set(key, b);
      if (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value!);
      return { allowed: true };
    },
  };
}
