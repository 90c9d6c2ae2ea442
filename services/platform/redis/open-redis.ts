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
  /** Whether the command connection is up now. */
  connected(): boolean;
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
  return {
    commands,
    subscriber() {
      const sub = commands.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
      // The command connection reports the outage both share; without a listener ioredis prints each error.
      sub.on('error', () => {});
      made.push(sub);
      return sub;
    },
    connected: () => commands.status === 'ready',
    async close() {
      // quit() waits for Redis to answer; a connection that is down is simply dropped.
      await Promise.all(made.map((c) => (c.status === 'ready' ? c.quit().then(() => undefined) : Promise.resolve(c.disconnect()))));
    },
  };
}
