import { z } from 'zod';
import { sha256Hex } from '../../kernel/digest.ts';
import type { Logger } from '../logger.ts';
import type { RedisConnection } from '../redis/index.ts';
import { createRateLimiter, type RateRule, type RateVerdict } from './rate-limiter.ts';

/** A rate limiter whose buckets may live elsewhere (Redis): its answer may take a round trip. */
export interface AsyncRateLimiter {
  take(key: string, now: number, cost?: number): RateVerdict | Promise<RateVerdict>;
}

/** Makes one limiter per scope ("costly-account"…): this process's own, or shared by the nodes. */
export type RateLimiters = (scope: string, rule: RateRule) => AsyncRateLimiter;

/** This process's own buckets: a single node. */
export const localRateLimiters: RateLimiters = (_scope, rule) => createRateLimiter(rule);

const PREFIX = 'mtbox:rate:';
/** Keys longer than this (an IPv6 address and more) are stored under their hash. */
const MAX_PLAIN_KEY = 100;

/**
 * The token bucket of rate-limiter.ts, taken in one script so two nodes taking from one bucket
 * at once both see the other's take. A refusal leaves the bucket as it was. The key lives until
 * the bucket would be full again: an absent key is a full bucket.
 * KEYS: bucket. ARGV: now ms, capacity, units per ms, cost.
 * Answers {1, 0} when taken, {0, retry after ms} when refused.
 */
const TAKE_SCRIPT = `
local now = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local perMs = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or capacity
local at = tonumber(b[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * perMs)
if tokens < cost then
  return {0, math.max(1, math.ceil((math.min(cost, capacity) - tokens) / perMs))}
end
tokens = tokens - cost
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / perMs) + 1)
return {1, 0}`;

/** TAKE_SCRIPT's answer: 1 and 0 when taken, 0 and the wait in ms when refused. */
const TakeReply = z.tuple([z.union([z.literal(0), z.literal(1)]), z.number().int().nonnegative()]);

/** Keys refused lately, remembered per node; the least recently refused are forgotten first. */
const MAX_REFUSED_KEYS = 10_000;

/**
 * Rate limiters whose buckets the nodes of a cluster share in Redis, so a budget is one budget
 * whichever node the balancer picks. A key refused is refused here without asking Redis until
 * its wait is over, so a flood costs one round trip, not one per call. While Redis is away each
 * node falls back on its own buckets: the limit then holds per node, as on a single node,
 * rather than not at all.
 */
export function createSharedRateLimiters(redis: RedisConnection, logger: Logger): RateLimiters {
  const log = logger.child({ component: 'shared-rate-limits' });
  let failing = false;
  return (scope, rule) => {
    if (scope.includes(':')) throw new Error(`a rate limit scope is a plain name: ${scope}`);
    const local = createRateLimiter(rule);
    // A refusal of `cost` units says nothing about a smaller call, which may fit sooner.
    const refusedUntil = new Map<string, { until: number; cost: number }>();
    const perMs = rule.perMinute / 60_000;
    const bucket = (key: string) => `${PREFIX}${scope}:${key.length > MAX_PLAIN_KEY ? `sha256-${sha256Hex(key)}` : key}`;
    const refused = (key: string, now: number, cost: number, retryAfterMs: number): RateVerdict => {
      refusedUntil.delete(key);
      refusedUntil.set(key, { until: now + retryAfterMs, cost });
      if (refusedUntil.size > MAX_REFUSED_KEYS) refusedUntil.delete(refusedUntil.keys().next().value!);
      return { allowed: false, retryAfterMs };
    };
    return {
      async take(key, now, cost = 1) {
        const memo = refusedUntil.get(key);
        if (memo && now < memo.until && cost >= memo.cost) return { allowed: false, retryAfterMs: memo.until - now };
        try {
          const [taken, retryAfterMs] = TakeReply.parse(await redis.commands.eval(TAKE_SCRIPT, 1, bucket(key), now, rule.capacity, perMs, cost));
          failing = false;
          return taken === 1 ? { allowed: true } : refused(key, now, cost, retryAfterMs);
        } catch (err) {
          if (!failing) log.warn({ err, scope }, 'rate limits are counted by this node alone until Redis answers again');
          failing = true;
          return local.take(key, now, cost);
        }
      },
    };
  };
}
