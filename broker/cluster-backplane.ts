import type { EventEmitter } from 'node:events';
import aedesPersistenceRedis from 'aedes-persistence-redis';
import mqemitterRedis from 'mqemitter-redis';
import type { BoxLocations } from '../services/edge/presence/index.ts';
import type { RedisConnection } from '../services/platform/redis/index.ts';

/** What makes one aedes a node of a cluster: its id, and a message bus and session store shared through Redis. */
export interface ClusterBackplane {
  /** aedes' broker id: the cluster link's node id, so wills and takeovers name the same node. */
  nodeId: string;
  mq: ReturnType<typeof mqemitterRedis>;
  persistence: unknown;
  /** Where each box is connected, for `isConnected` on any node. */
  locations: BoxLocations;
}

/** Queued QoS 1 messages of an absent `clean: false` box are kept for a day, as queued commands are. */
const OFFLINE_MESSAGE_TTL_S = 24 * 3600;

interface SubscriptionStore {
  addSubscriptions(client: unknown, subs: readonly unknown[]): Promise<unknown>;
}

/**
 * aedes stores a SUBSCRIBE's subscriptions once per topic in it, each time passing the packet's
 * whole list; aedes-persistence then waits for its own broadcast of the list keyed by the first
 * topic, so of two concurrent calls for one packet only the last is ever answered: a box
 * subscribing to cmd/req and tun/down in one packet never got its SUBACK, nor its commands.
 * Calls for the same list share the first one's answer.
 */
function oneStorePerSubscribe<P>(persistence: P): P {
  const store = persistence as P & SubscriptionStore;
  const add = store.addSubscriptions.bind(store);
  const inFlight = new WeakMap<readonly unknown[], Promise<unknown>>();
  store.addSubscriptions = (client, subs) => {
    let stored = inFlight.get(subs);
    if (!stored) {
      stored = add(client, subs);
      inFlight.set(subs, stored);
    }
    return stored;
  };
  return store;
}

/**
 * aedes' own cluster support: mqemitter-redis carries every routed PUBLISH to the nodes whose
 * clients subscribed (a command published on node B reaches the box connected to A), and
 * aedes-persistence-redis keeps sessions, subscriptions, QoS 1 queues and retained messages
 * where any node finds them when a box comes back through another.
 */
export function clusterBackplane(redis: RedisConnection, nodeId: string, locations: BoxLocations): ClusterBackplane {
  const mq = mqemitterRedis({ pubConn: redis.dedicated(), subConn: redis.dedicated() });
  // mqemitter-redis repeats its connections' errors on `state` (untyped), an EventEmitter that
  // throws an 'error' nobody listens to: each reconnect attempt during a Redis outage would end
  // the process. The command connection reports the outage (open-redis.ts).
  (mq as unknown as { state: EventEmitter }).state.on('error', () => {});
  return {
    nodeId,
    mq,
    persistence: oneStorePerSubscribe(aedesPersistenceRedis({ conn: redis.dedicated(), packetTTL: () => OFFLINE_MESSAGE_TTL_S })),
    locations,
  };
}
