import { z } from 'zod';
import { type ClusterLink, clusterMessage, heartbeatKey } from '../../platform/cluster/index.ts';
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
  /** Whether another node holds the box's connection, as this node last heard. */
  heldElsewhere(serial: string): boolean;
  /** The same, by device id. */
  holderOfDevice(deviceId: number): string | undefined;
  /** Told of moves on the other nodes (this node's own are not repeated to it). */
  onMove(handler: (move: BoxMove) => void): void;
  /** Boxes the dead node held are released, and reported as gone offline at `at`; answers them. */
  releaseNode(nodeId: string, at: number): Promise<BoxMove[]>;
  /** Nodes holding boxes, as this node last heard. */
  holders(): ReadonlySet<string>;
  /**
   * After this node was taken for dead (its Redis link was cut for longer than NODE_TTL_MS), puts
   * the boxes still connected here back into the hash and announces them as arrived at `at`,
   * except those another node has taken meanwhile (`heldElsewhere`); drops the hash's entries of
   * boxes that left here while it was cut off, and reloads the mirror from the hash (the moves
   * announced meanwhile were lost to it).
   */
  reassert(at: number): Promise<{ announced: BoxMove[]; heldElsewhere: string[] }>;
  /**
   * Whether a move of this node's could not be written to Redis (it was away) since the last
   * reassert: the hash may then be wrong about this node's boxes, even after a short outage.
   */
  writesLost(): boolean;
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
// The same for a node taken for dead, and only while its heartbeat is still missing: a node
// that is back re-asserts its boxes, and a release still under way must not undo that.
const RELEASE_IF_DEAD = `if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
local v = redis.call('HGET', KEYS[1], ARGV[1])
if v and string.sub(v, 1, #ARGV[2] + 1) == ARGV[2] .. ' ' then return redis.call('HDEL', KEYS[1], ARGV[1]) end
return 0`;
// Puts a box back under a node unless another node holds it: 1 written again, 0 still the
// node's, -1 another's (the box reconnected there, and that connection wins).
const REASSERT = `local v = redis.call('HGET', KEYS[1], ARGV[1])
if not v then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ' ' .. ARGV[3]) return 1 end
if string.sub(v, 1, #ARGV[2] + 1) == ARGV[2] .. ' ' then return 0 end
return -1`;
/** A field's value: "<node> <device id>", written only by this module. */
const HeldBy = z
  .string()
  .regex(/^\S+ \d+$/)
  .transform((value) => {
    const [node = '', deviceId = ''] = value.split(' ');
    return { node, deviceId: Number(deviceId) };
  });

/** The hash's entries; one that is not ours (written by hand, another version) is left out. */
function heldEntries(hash: Record<string, string>): Array<{ serial: string; node: string; deviceId: number }> {
  return Object.entries(hash).flatMap(([serial, value]) => {
    const held = HeldBy.safeParse(value);
    return held.success ? [{ serial, ...held.data }] : [];
  });
}

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
  const reload = async () => {
    const hash = await redis.commands.hgetall(HASH);
    where.clear();
    byDevice.clear();
    for (const held of heldEntries(hash)) apply({ serial: held.serial, deviceId: held.deviceId, online: true }, held.node);
    return hash;
  };
  await reload();
  // The boxes whose connection this node holds, as the broker reported them.
  const mine = new Map<string, { deviceId: number; address: string | null }>();
  link.on(Moved, (m) => {
    apply(m, m.node);
    for (const h of handlers) h({ serial: m.serial, deviceId: m.deviceId, online: m.online, at: m.at, address: m.address });
  });
  const announce = (move: BoxMove, node: string) => link.send(Moved, { ...move, node });
  let lost = false;
  // Once per outage, not once per box of a reconnect storm; the sweep puts them right (reassert).
  const failed = (what: string) => (err: unknown) => {
    if (!lost) log.warn({ err }, `box location not ${what} in Redis; written again once it is back`);
    lost = true;
  };

  return {
    arrived(box) {
      const move = { ...box, online: true };
      mine.set(box.serial, { deviceId: box.deviceId, address: box.address });
      apply(move, link.nodeId);
      redis.commands.hset(HASH, box.serial, `${link.nodeId} ${box.deviceId}`).catch(failed('written'));
      announce(move, link.nodeId);
    },
    left(box) {
      mine.delete(box.serial);
      if (where.get(box.serial) !== link.nodeId) return;
      const move = { ...box, online: false, address: null };
      apply(move, link.nodeId);
      redis.commands.eval(RELEASE_IF_HELD, 1, HASH, box.serial, link.nodeId).catch(failed('released'));
      announce(move, link.nodeId);
    },
    holder: (serial) => where.get(serial),
    heldElsewhere: (serial) => (where.get(serial) ?? link.nodeId) !== link.nodeId,
    holderOfDevice: (deviceId) => byDevice.get(deviceId),
    onMove(handler) {
      handlers.push(handler);
    },
    holders: () => new Set(where.values()),
    async releaseNode(nodeId, at) {
      const released: BoxMove[] = [];
      for (const { serial, ...held } of heldEntries(await redis.commands.hgetall(HASH))) {
        if (held.node !== nodeId) continue;
        if ((await redis.commands.eval(RELEASE_IF_DEAD, 2, HASH, heartbeatKey(nodeId), serial, nodeId)) !== 1) continue;
        const move = { serial, deviceId: held.deviceId, online: false, at, address: null };
        apply(move, nodeId);
        announce(move, nodeId);
        released.push(move);
      }
      return released;
    },
    writesLost: () => lost,
    async reassert(at) {
      lost = false;
      try {
        return await reassertHeld(at);
      } catch (err) {
        lost = true;
        throw err;
      }
    },
  };

  async function reassertHeld(at: number): Promise<{ announced: BoxMove[]; heldElsewhere: string[] }> {
    const announced: BoxMove[] = [];
    const heldElsewhere: string[] = [];
    for (const [serial, box] of mine) {
      if ((await redis.commands.eval(REASSERT, 1, HASH, serial, link.nodeId, String(box.deviceId))) === -1) heldElsewhere.push(serial);
      else announced.push({ serial, deviceId: box.deviceId, online: true, at, address: box.address });
    }
    // Left here while the link was cut: their release never reached Redis.
    for (const { serial, ...held } of heldEntries(await reload())) {
      if (held.node !== link.nodeId || mine.has(serial)) continue;
      if ((await redis.commands.eval(RELEASE_IF_HELD, 1, HASH, serial, link.nodeId)) !== 1) continue;
      const move = { serial, deviceId: held.deviceId, online: false, at, address: null };
      apply(move, link.nodeId);
      announce(move, link.nodeId);
    }
    for (const move of announced) announce(move, link.nodeId);
    return { announced, heldElsewhere };
  }
}
