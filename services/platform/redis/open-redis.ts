import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../logger.ts';

/** One node's link to the cluster's Redis (REDIS_URL): a command connection and the subscribers made from it. */
export interface RedisConnection {
  /** Commands fail at once while Redis is away (no offline queue): callers fall back, nothing piles up. */
  readonly commands: Redis;
  /**
   * A second connection for SUBSCRIBE (a subscribed connection takes no other commands). It
   * queues its SUBSCRIBE until connected and subscribes again after each reconnect.
   */
  subscriber(): Redis;
  /** A connection of its own for a library that keeps one (aedes' message bus and sessions), with an offline queue; closed with the rest. */
  dedicated(): Redis;
  /** Whether the command connection is up now. */
  connected(): boolean;
  /** Resolves once the command connection is up; rejects, naming the URL's host, after `timeoutMs`. */
  ready(timeoutMs: number): Promise<void>;
  /** Quits every connection made here. */
  close(): Promise<void>;
}

/** Reconnect delays grow to this and stay there, so a Redis back after an outage is found within seconds. */
const MAX_RECONNECT_DELAY_MS = 2000;

/** Backoff between reconnect attempts: 50 ms doubling, bounded; never gives up (the node outlives an outage). */
export function reconnectDelay(attempt: number): number {
  return Math.min(MAX_RECONNECT_DELAY_MS, 50 * 2 ** Math.min(attempt, 10));
}

/**
 * Reports the outages of the command connection, once each: its loss (a reconnect scheduled) or a
 * failure to connect at all, then its return. ioredis emits an error per failed reconnect attempt,
 * which would be one line every two seconds of an outage.
 */
function reportOutages(client: Redis, log: Logger): void {
  let down = false;
  const lost = (reason: string) => {
    if (down) return;
    down = true;
    log.warn({ reason }, 'Redis is unreachable; this node keeps working alone until it is back');
  };
  client.on('error', (err: Error) => lost(err.message));
  client.on('reconnecting', () => lost('connection lost'));
  client.on('ready', () => {
    if (!down) return;
    down = false;
    log.info('Redis is reachable again');
  });
}

/** Where Redis is, for messages: never the password. */
function redisHost(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '6379'}`;
  } catch {
    return 'REDIS_URL';
  }
}

/** Opens the connection REDIS_URL names; it connects in the background and keeps reconnecting. */
export function openRedis(url: string, logger: Logger, options: RedisOptions = {}): RedisConnection {
  const log = logger.child({ component: 'redis' });
  const base: RedisOptions = {
    retryStrategy: reconnectDelay,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 5000,
    ...options,
  };
  const commands = new Redis(url, base);
  reportOutages(commands, log);
  const made: Redis[] = [commands];
  const dedicated = () => {
    const own = commands.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
    // The command connection reports the outage both share; without a listener ioredis prints each error.
    own.on('error', () => {});
    made.push(own);
    return own;
  };
  return {
    commands,
    subscriber: dedicated,
    dedicated,
    connected: () => commands.status === 'ready',
    ready(timeoutMs) {
      if (commands.status === 'ready') return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          commands.off('ready', up);
          reject(new Error(`Redis at ${redisHost(url)} did not answer within ${timeoutMs / 1000} s (REDIS_URL)`));
        }, timeoutMs);
        const up = () => {
          clearTimeout(timer);
          resolve();
        };
        commands.once('ready', up);
      });
    },
    async close() {
      // quit() waits for Redis to answer; a connection that is down is simply dropped.
      await Promise.all(made.map((c) => (c.status === 'ready' ? c.quit().then(() => undefined) : Promise.resolve(c.disconnect()))));
    },
  };
}
