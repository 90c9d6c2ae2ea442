import { z } from 'zod';
import { type ClusterLink, clusterMessage } from '../../platform/cluster/index.ts';
import type { Logger } from '../../platform/logger.ts';
import type { RedisConnection } from '../../platform/redis/index.ts';

/** A box's connection arrived at or left a node. */
export interface BoxMove {
  serial: string;
  deviceId: number;
  online: boolean;
  at: number;
  address: string | null;
}

/** Where each box's MQTT connection is, across the nodes of a cluster. */
export interface BoxLocations {
  /** This node took the box's connection. */
  arrived(box: Omit<BoxMove, 'online'>): void;
  /** This node lost it; a box that has meanwhile connected to another node stays there. */
  left(box: Omit<BoxMove, 'online' | 'address'>): void;
  /** The node holding the box's connection, if any, as this node last heard. */
  holder(serial: string): string | undefined;
  /** The same, by device id. */
  holderOfDevice(deviceId: number): string | undefined;
  /** Told of moves on the other nodes (this node's own are not repeated to it). */
  onMove(handler: (move: BoxMove) => void): void;
  /** Boxes the dead node held are released, and reported as gone offline at `at`; answers them. */
  releaseNode(nodeId: string, at: number): Promise<BoxMove[]>;
  /** Nodes holding boxes, as this node last heard. */
  holders(): ReadonlySet<string>;
}

const HASH = 'mtbox:presence';
const Moved = clusterMessage(
  'box-moved',
  z.object({ serial: z.string(), deviceId: z.number().int(), online: z.boolean(), at: z.number(), address: z.string().nullable(), node: z.string() }),
);

// A field's value is "<node> <device id>". Deleted only while that node still holds it: a
// takeover on another node wins.
const RELEASE_IF_HELD = `local v = redis.call('HGET', KEYS[1], ARGV[1])
if v and string.sub(v, 1, #ARGV[2] + 1) == ARGV[2] .. ' ' then return redis.call('HDEL', KEYS[1], ARGV[1]) end
return 0`;
const parseValue = (value: string) => {
  const [node = '', deviceId = '0'] = value.split(' ');
  return { node, deviceId: Number(deviceId) };
};

/**
 * A Redis hash of serial → node, mirrored in each node's memory so `holder()` answers
 * synchronously (the command API asks it on every send), and kept current by the moves each
 * node announces on the cluster link. A node that dies without saying so is released by
 * another (releaseNode) once its heartbeat has lapsed.
 */
export async function loadBoxLocations(redis: RedisConnection, link: ClusterLink, logger: Logger): Promise<BoxLocations> {
  const log = logger.child({ component: 'box-locations' });
  const where = new Map<string, string>();
  const byDevice = new Map<number, string>();
  const handlers: Array<(move: BoxMove) => void> = [];
  const apply = (move: Pick<BoxMove, 'serial' | 'deviceId' | 'online'>, node: string) => {
    if (move.online) {
      where.set(move.serial, node);
      byDevice.set(move.deviceId, node);
    } else if (where.get(move.serial) === node) {
      where.delete(move.serial);
      byDevice.delete(move.deviceId);
    }
  };
  for (const [serial, value] of Object.entries(await redis.commands.hgetall(HASH))) {
    const held = parseValue(value);
    apply({ serial, deviceId: held.deviceId, online: true }, held.node);
  }
  link.on(Moved, (m) => {
    apply(m, m.node);
    for (const h of handlers) h({ serial: m.serial, deviceId: m.deviceId, online: m.online, at: m.at, address: m.address });
  });
  const announce = (move: BoxMove, node: string) => link.send(Moved, { ...move, node });
  const failed = (what: string) => (err: unknown) => log.warn({ err }, `box location not ${what} in Redis`);

  return {
    arrived(box) {
      const move = { ...box, online: true };
      apply(move, link.nodeId);
      redis.commands.hset(HASH, box.serial, `${link.nodeId} ${box.deviceId}`).catch(failed('written'));
      announce(move, link.nodeId);
    },
    left(box) {
      if (where.get(box.serial) !== link.nodeId) return;
      const move = { ...box, online: false, address: null };
      apply(move, link.nodeId);
      redis.commands.eval(RELEASE_IF_HELD, 1, HASH, box.serial, link.nodeId).catch(failed('released'));
      announce(move, link.nodeId);
    },
    holder: (serial) => where.get(serial),
    holderOfDevice: (deviceId) => byDevice.get(deviceId),
    onMove(handler) {
      handlers.push(handler);
    },
    holders: () => new Set(where.values()),
    async releaseNode(nodeId, at) {
      const released: BoxMove[] = [];
      for (const [serial, value] of Object.entries(await redis.commands.hgetall(HASH))) {
        const held = parseValue(value);
        if (held.node !== nodeId) continue;
        if ((await redis.commands.eval(RELEASE_IF_HELD, 1, HASH, serial, nodeId)) !== 1) continue;
        const move = { serial, deviceId: held.deviceId, online: false, at, address: null };
        apply(move, nodeId);
        announce(move, nodeId);
        released.push(move);
      }
      return released;
    },
  };
}
