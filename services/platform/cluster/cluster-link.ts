import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { z } from 'zod';
import type { Logger } from '../logger.ts';
import type { RedisConnection } from '../redis/index.ts';

/** One kind of message between nodes and the schema its body must meet on arrival. */
export interface ClusterMessage<S extends z.ZodType> {
  kind: string;
  schema: S;
}

export function clusterMessage<S extends z.ZodType>(kind: string, schema: S): ClusterMessage<S> {
  return { kind, schema };
}

export interface ClusterLink {
  /** This process among the nodes: host, pid and a random part (a restarted node is a new one). */
  readonly nodeId: string;
  /** Tells every other node. Best effort: a message sent while Redis is away is lost. */
  send<S extends z.ZodType>(message: ClusterMessage<S>, body: z.input<S>): void;
  /** Handles what other nodes send (never this node's own); a body that fails its schema is logged and dropped. */
  on<S extends z.ZodType>(message: ClusterMessage<S>, handler: (body: z.output<S>, from: string) => void): void;
  /** Whether a node has shown a sign of life within NODE_TTL_MS (its heartbeat key is still there). */
  isAlive(nodeId: string): Promise<boolean>;
  /**
   * Called when this node's heartbeat finds that its key had lapsed meanwhile (Redis was out of
   * its reach for longer than NODE_TTL_MS): the others took it for dead and may have released
   * its boxes, though it kept them. The key is back by then, so no release happens after.
   */
  onTakenForDead(handler: () => void): void;
  close(): Promise<void>;
}

/** A node that has not renewed its heartbeat for this long is taken for dead (killed, cut off). */
export const NODE_TTL_MS = 15_000;
const HEARTBEAT_MS = NODE_TTL_MS / 3;
/** A node's heartbeat key: there while the node is alive. */
export const heartbeatKey = (nodeId: string) => `mtbox:node:${nodeId}`;

const CHANNEL = 'mtbox:cluster';
const Envelope = z.object({ from: z.string().min(1), kind: z.string().min(1), body: z.unknown() });

/**
 * The nodes' own channel on Redis pub/sub, for what is not an MQTT message or a database row: a
 * box's presence, a command's answer for the node holding its caller. Redis keeps the order of
 * one publisher's messages, so one node's messages arrive in the order it sent them.
 */
export function createClusterLink(redis: RedisConnection, logger: Logger): ClusterLink {
  const log = logger.child({ component: 'cluster' });
  const nodeId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const handlers = new Map<string, (body: unknown, from: string) => void>();
  const subscriber = redis.subscriber();
  void subscriber.subscribe(CHANNEL).catch((err: unknown) => log.error({ err }, 'could not subscribe to the cluster channel'));
  subscriber.on('message', (channel: string, text: string) => {
    if (channel !== CHANNEL) return;
    let envelope: z.infer<typeof Envelope>;
    try {
      envelope = Envelope.parse(JSON.parse(text));
    } catch (err) {
      log.warn({ err }, 'a cluster message that is not one of ours was dropped');
      return;
    }
    if (envelope.from === nodeId) return;
    handlers.get(envelope.kind)?.(envelope.body, envelope.from);
  });
  const takenForDead: Array<() => void> = [];
  let beaten = false;
  // SET … GET answers the value it replaced: none after a first beat means the key lapsed
  // between two beats that got through, i.e. this node was out of Redis' reach for NODE_TTL_MS.
  const beat = () =>
    redis.commands.set(heartbeatKey(nodeId), String(Date.now()), 'PX', NODE_TTL_MS, 'GET').then(
      (previous) => {
        const lapsed = beaten && previous === null;
        beaten = true;
        if (lapsed) for (const handler of takenForDead) handler();
      },
      (err: unknown) => log.debug({ err }, 'heartbeat not written'),
    );
  void beat();
  const heartbeat = setInterval(beat, HEARTBEAT_MS);
  heartbeat.unref();
  // Back after an outage: a beat at once, so a node taken for dead learns it (and the others
  // see it alive) without waiting for the next one.
  const beatNow = () => void beat();
  redis.commands.on('ready', beatNow);
  return {
    nodeId,
    send(message, body) {
      redis.commands
        .publish(CHANNEL, JSON.stringify({ from: nodeId, kind: message.kind, body }))
        .catch((err: unknown) => log.warn({ err, kind: message.kind }, 'a cluster message could not be sent'));
    },
    on(message, handler) {
      handlers.set(message.kind, (body, from) => {
        const parsed = message.schema.safeParse(body);
        if (parsed.success) handler(parsed.data, from);
        else log.warn({ kind: message.kind, from, issues: parsed.error.issues }, 'a cluster message with a body we do not accept was dropped');
      });
    },
    async isAlive(node) {
      return (await redis.commands.exists(heartbeatKey(node))) === 1;
    },
    onTakenForDead(handler) {
      takenForDead.push(handler);
    },
    async close() {
      clearInterval(heartbeat);
      redis.commands.off('ready', beatNow);
      // Gone at once rather than after NODE_TTL_MS: the others take over its boxes' presence now.
      await redis.commands.del(heartbeatKey(nodeId)).catch(() => undefined);
      await subscriber.unsubscribe(CHANNEL).catch(() => undefined);
    },
  };
}
