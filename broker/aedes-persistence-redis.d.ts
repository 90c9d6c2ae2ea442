// The package ships no types; what broker/cluster-backplane.ts uses of it.
declare module 'aedes-persistence-redis' {
  import type { Redis } from 'ioredis';
  interface RedisPersistenceOptions {
    /** A connection made by the caller (ours, closed by ours). */
    conn?: Redis;
    /** Offline messages delivered to a box on CONNECT; the rest on its next one. */
    maxSessionDelivery?: number;
    /** Seconds an offline message is kept for a box that has not come back. */
    packetTTL?: (packet: unknown) => number;
  }
  /** aedes' `persistence` option (its type is `any` there). */
  export default function aedesPersistenceRedis(options?: RedisPersistenceOptions): unknown;
}
