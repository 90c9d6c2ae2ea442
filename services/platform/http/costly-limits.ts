import type { RequestHandler } from 'express';
import { type AsyncRateLimiter, localRateLimiters, type RateLimiters, type RateRule } from '../security/index.ts';
import type { Clock } from '../../kernel/clock.ts';
import { AppError } from '../../kernel/app-error.ts';

/**
 * Calls that make the backend or a box work hard: a 10,000-row CSV import hashes a secret
 * per row, a backup or a live diff reads a box's whole parameter set over a cellular link, a
 * restore writes one. Each is limited per account and per client address, like the login.
 */
export const COSTLY_LIMITS: { perAccount: RateRule; perAddress: RateRule } = {
  perAccount: { capacity: 10, perMinute: 20 },
  // Higher: several people of one plant or office share an address.
  perAddress: { capacity: 30, perMinute: 60 },
};

export interface CostlyLimiter {
  perAccount: AsyncRateLimiter;
  perAddress: AsyncRateLimiter;
}

/** `limiters`: this process's buckets, or (REDIS_URL) buckets the nodes share, so a budget does not grow with them. */
export function createCostlyLimiter(limits = COSTLY_LIMITS, limiters: RateLimiters = localRateLimiters): CostlyLimiter {
  return { perAccount: limiters('costly-account', limits.perAccount), perAddress: limiters('costly-address', limits.perAddress) };
}

/** Answers 429 RATE_LIMITED with Retry-After once the account or the address used up its calls. */
export function limitCostly(limiter: CostlyLimiter, clock: Clock): RequestHandler {
  return async (req, res, next) => {
    const now = clock();
    const user = res.locals.user;
    const verdicts = await Promise.all([
      limiter.perAddress.take(req.ip ?? 'unknown', now),
      ...(user ? [limiter.perAccount.take(String(user.userId), now)] : []),
    ]);
    const refused = verdicts.find((v) => !v.allowed);
    // The error handler sets Retry-After from retryAfterS, as for every 429.
    if (refused && !refused.allowed) throw new AppError('RATE_LIMITED', { retryAfterS: Math.ceil(refused.retryAfterMs / 1000) });
    next();
  };
}
