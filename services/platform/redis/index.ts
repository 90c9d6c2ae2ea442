/** The public face of this capability: what other capabilities and the composition root use. */
export { openRedis, reconnectDelay, type RedisConnection } from './open-redis.ts';
