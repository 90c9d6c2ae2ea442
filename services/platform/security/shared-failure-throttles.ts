import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../kernel/clock.ts';
import { sha256Hex } from '../../kernel/digest.ts';
import type { Logger } from '../logger.ts';
import type { RedisConnection } from '../redis/index.ts';
import {
  createFailureThrottle,
  type FailureThrottle,
  type FailureThrottleOptions,
  type FailureThrottles,
  type LocalFailureThrottle,
} from './failure-throttle.ts';

const PREFIX = 'mtbox:throttle:';
/** Where every node hears the bans and the clears decided by any node. */
export const THROTTLE_CHANNEL = `${PREFIX}events`;
/** Keys longer than this (a long username, an IPv6 pair) are stored under their hash. */
const MAX_PLAIN_KEY = 100;

const ThrottleEvent = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ban'), scope: z.string(), key: z.string(), ms: z.number().int().positive() }),
  z.object({ kind: z.literal('clear'), scope: z.string(), key: z.string() }),
]);
type ThrottleEvent = z.infer<typeof ThrottleEvent>;
/** A ban key's value: the key it bans, as a hashed key name cannot be read back. */
const BanRecord = z.object({ scope: z.string(), key: z.string() });

/**
 * One failure, counted cluster-wide: the counter lives for the window from its first failure;
 * at the limit it is replaced by a ban key living `banMs`, announced to every node. One script,
 * so two nodes at the limit together cannot both miss it or ban twice.
 * KEYS: failures, ban. ARGV: windowMs, maxFailures, banMs, ban record, channel, ban event.
 */
const FAILURE_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
if n >= tonumber(ARGV[2]) then
  redis.call('DEL', KEYS[1])
  redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[3])
  redis.call('PUBLISH', ARGV[5], ARGV[6])
end
return n`;

/**
 * A success forgets the key's failures everywhere; the clear is announced only when there was
 * something to forget. A ban in force stands: the success came from a node that had not heard of
 * it yet (the announcement was on its way), so the ban is announced again, with what is left of it.
 * KEYS: failures, ban. ARGV: channel, clear event, scope, key.
 */
const SUCCESS_SCRIPT = `
local left = redis.call('PTTL', KEYS[2])
if left > 0 then
  redis.call('PUBLISH', ARGV[1], cjson.encode({kind = 'ban', scope = ARGV[3], key = ARGV[4], ms = left}))
  return 1
end
if redis.call('DEL', KEYS[1]) > 0 then redis.call('PUBLISH', ARGV[1], ARGV[2]) end
return 0`;

function redisKey(scope: string, kind: 'failures' | 'ban', key: string): string {
  return `${PREFIX}${scope}:${kind}:${key.length > MAX_PLAIN_KEY ? `sha256-${sha256Hex(key)}` : key}`;
}

export interface SharedFailureThrottlesDeps {
  logger: Logger;
  clock: Clock;
}

/**
 * Failure throttles shared by the nodes of a cluster through Redis, so a ban earned on one node
 * holds on all and changing node does not reset a count. Each throttle is the local one, which
 * answers `check` synchronously from memory, decorated: failures and successes also go to Redis,
 * and bans from any node are installed here as they are announced (and, on each (re)connect,
 * loaded from the ban keys in force). While Redis is away the local throttles go on alone.
 */
export function createSharedFailureThrottles(redis: RedisConnection, deps: SharedFailureThrottlesDeps): FailureThrottles {
  const log = deps.logger.child({ component: 'shared-throttles' });
  const scopes = new Map<string, LocalFailureThrottle>();
  const redisCalls = createRedisCalls(redis, log);
  subscribeToBans(redis, { log, clock: deps.clock, scopes, redisCalls });

  return {
    create(scope, options) {
      if (scope.includes(':')) throw new Error(`a throttle scope is a plain name: ${scope}`);
      const local = createFailureThrottle(options);
      scopes.set(scope, local);
      return sharedThrottle(scope, local, options, redisCalls);
    },
  };
}

function sharedThrottle(scope: string, local: LocalFailureThrottle, options: FailureThrottleOptions, calls: RedisCalls): FailureThrottle {
  return {
    check: (key, now) => local.check(key, now),
    recordFailure(key, now) {
      local.recordFailure(key, now);
      const ban: ThrottleEvent = { kind: 'ban', scope, key, ms: options.banMs };
      calls.run(
        FAILURE_SCRIPT,
        [redisKey(scope, 'failures', key), redisKey(scope, 'ban', key)],
        [options.windowMs, options.maxFailures, options.banMs, JSON.stringify({ scope, key }), THROTTLE_CHANNEL, JSON.stringify(ban)],
      );
    },
    recordSuccess(key) {
      local.recordSuccess(key);
      const clear: ThrottleEvent = { kind: 'clear', scope, key };
      calls.run(
        SUCCESS_SCRIPT,
        [redisKey(scope, 'failures', key), redisKey(scope, 'ban', key)],
        [THROTTLE_CHANNEL, JSON.stringify(clear), scope, key],
      );
    },
  };
}

interface RedisCalls {
  /** Runs a script in the background; a failure is logged once per outage, never thrown. */
  run(script: string, keys: string[], args: Array<string | number>): void;
  /** Logs a failed call once per outage. */
  failed(err: unknown): void;
  /** A call went through: the outage, if any, is over. */
  succeeded(): void;
}

function createRedisCalls(redis: RedisConnection, log: Logger): RedisCalls {
  let down = false;
  const shas = new Map<string, string>();
  const calls: RedisCalls = {
    run(script, keys, args) {
      let sha = shas.get(script);
      if (sha === undefined) {
        // Redis names a script by its SHA-1.
        sha = createHash('sha1').update(script).digest('hex');
        shas.set(script, sha);
      }
      // EVALSHA spares sending the script each time; a Redis that lost it (a restart) gets it again.
      redis.commands
        .evalsha(sha, keys.length, ...keys, ...args)
        .catch((err: unknown) => {
          if (err instanceof Error && err.message.startsWith('NOSCRIPT')) return redis.commands.eval(script, keys.length, ...keys, ...args);
          throw err;
        })
        .then(calls.succeeded, calls.failed);
    },
    failed(err) {
      if (down) return;
      down = true;
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'login throttles are not shared while Redis fails; this node counts alone');
    },
    succeeded() {
      if (!down) return;
      down = false;
      log.info('login throttles are shared again');
    },
  };
  return calls;
}

interface BanListener {
  log: Logger;
  clock: Clock;
  scopes: Map<string, LocalFailureThrottle>;
  redisCalls: RedisCalls;
}

/** Installs the bans and clears any node announces; on each (re)connect, first the bans in force. */
function subscribeToBans(redis: RedisConnection, listener: BanListener): void {
  const { log, clock, scopes, redisCalls } = listener;
  const sub = redis.subscriber();
  sub.on('message', (channel: string, text: string) => {
    if (channel !== THROTTLE_CHANNEL) return;
    const parsed = ThrottleEvent.safeParse(safeJson(text));
    if (!parsed.success) return log.warn({ text }, 'an unreadable throttle event was ignored');
    const local = scopes.get(parsed.data.scope);
    if (!local) return;
    if (parsed.data.kind === 'clear') local.recordSuccess(parsed.data.key);
    else local.ban(parsed.data.key, clock() + parsed.data.ms, clock());
  });
  // Announcements made while this node was away are lost; the ban keys they left are not. Once
  // both connections are up (the command one reads them, and commands fail while it is down).
  const sync = () => {
    if (sub.status !== 'ready' || redis.commands.status !== 'ready') return;
    sub
      .subscribe(THROTTLE_CHANNEL)
      .then(() => loadBans(redis, scopes, clock))
      .then(redisCalls.succeeded, redisCalls.failed);
  };
  sub.on('ready', sync);
  redis.commands.on('ready', sync);
}

/** Installs every ban in force in Redis (SCAN over the ban keys, each with its remaining time). */
async function loadBans(redis: RedisConnection, scopes: Map<string, LocalFailureThrottle>, clock: Clock): Promise<void> {
  let cursor = '0';
  do {
    const [next, names] = await redis.commands.scan(cursor, 'MATCH', `${PREFIX}*:ban:*`, 'COUNT', 1000);
    cursor = next;
    if (names.length === 0) continue;
    const pipeline = redis.commands.pipeline();
    for (const name of names) pipeline.get(name).pttl(name);
    const replies = (await pipeline.exec()) ?? [];
    const now = clock();
    for (let i = 0; i < names.length; i++) {
      const record = BanRecord.safeParse(safeJson(replies[2 * i]?.[1]));
      const ttl = replies[2 * i + 1]?.[1];
      if (!record.success || typeof ttl !== 'number' || ttl <= 0) continue;
      scopes.get(record.data.scope)?.ban(record.data.key, now + ttl, now);
    }
  } while (cursor !== '0');
}

function safeJson(text: unknown): unknown {
  if (typeof text !== 'string') return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
