import type { Random } from './prng.ts';

export interface BackoffPolicy {
  /** Ceiling of the first retry's delay. */
  baseMs: number;
  /** No retry waits longer than this. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 60_000 };

/**
 * Delay before reconnect attempt `attempt` (1 = first retry): "full jitter", uniform in
 * [0, min(max, base·2^(attempt−1))]. Full jitter spreads a fleet that lost its broker at
 * the same instant instead of having every box knock again in lock-step
 * (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
 */
export function reconnectDelay(attempt: number, policy: BackoffPolicy, random: Random): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return Math.round(random.float(0, ceiling));
}
