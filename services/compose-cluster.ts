import { z } from 'zod';
import { clusterBackplane, type ClusterBackplane } from '../broker/cluster-backplane.ts';
import { CommandResponse } from './contract/payloads.ts';
import { type BoxLocations, loadBoxLocations } from './edge/presence/index.ts';
import type { Clock } from './kernel/clock.ts';
import type { NodeWork } from './kernel/node-work.ts';
import { type ClusterLink, clusterMessage, createClusterLink, heartbeatKey, NODE_TTL_MS, replaceNodeId } from './platform/cluster/index.ts';
import type { Logger } from './platform/logger.ts';
import type { RedisConnection } from './platform/redis/index.ts';
import { SessionState } from './remote-support/sessions/index.ts';
import type { Services } from './compose-services.ts';

/** This node's part in a cluster (REDIS_URL): its link to the others, where boxes are, aedes' backplane. */
export interface ClusterParts {
  link: ClusterLink;
  locations: BoxLocations;
  backplane: ClusterBackplane;
}

/** A box answered a command on this node, but the request came through another one. */
const CommandAnswer = clusterMessage('command-answer', z.object({ serial: z.string(), response: CommandResponse }));
const InvalidCommandAnswer = clusterMessage(
  'command-answer-invalid',
  z.object({ serial: z.string(), id: z.string(), reason: z.string(), detail: z.string() }),
);

/** A box was disabled or its secret rotated through this node: whichever node holds its connection ends it. */
const DisconnectBox = clusterMessage('disconnect-box', z.object({ serial: z.string() }));

/** A remote session opened or ended on a node: the node holding its box feeds it the box's messages. */
const SessionOpenChanged = clusterMessage('session-open-changed', z.object({ id: z.number().int(), serial: z.string(), state: SessionState }));

/** An admin stored a holiday year through a node: the others read the calendar again. */
const CalendarChanged = clusterMessage('calendar-changed', z.object({}));

const JANITOR_MS = NODE_TTL_MS / 3;
/**
 * Cluster messages are best effort: a node that missed a calendar change (Redis away) reads
 * the calendar again this often. One small row; deadlines are counted in days.
 */
const CALENDAR_RELOAD_MS = 60_000;
// Rows with no node recorded were written without a cluster: released once, by one node.
const janitorKey = (node: string | null) => `mtbox:janitor:${node ?? '(no node)'}`;

/** How long a starting node waits for Redis: without it, it would not know where the boxes are. */
const REDIS_START_TIMEOUT_MS = 15_000;

export async function composeCluster(redis: RedisConnection, logger: Logger, opts: { dataDir?: string } = {}): Promise<ClusterParts> {
  await redis.ready(REDIS_START_TIMEOUT_MS);
  const link = createClusterLink(redis, logger);
  const previous = opts.dataDir === undefined ? null : replaceNodeId(opts.dataDir, link.nodeId);
  if (previous !== null) {
    // This node's previous run on the same DATA_DIR is over: its heartbeat goes now, so the
    // first sweep (joinCluster) releases its boxes and work rather than up to NODE_TTL_MS later.
    await redis.commands.del(heartbeatKey(previous));
    logger.info({ node: link.nodeId, previous }, 'this node restarted: what its previous run held is released at once');
  }
  const locations = await loadBoxLocations(redis, link, logger);
  logger.info({ node: link.nodeId }, 'this node joins the cluster');
  return { link, locations, backplane: clusterBackplane(redis, link.nodeId, locations) };
}

/** What a node forwards to the others: a command answer whose request is not waiting here. */
export interface ClusterForwarding {
  answer(serial: string, response: CommandResponse): void;
  invalidAnswer(serial: string, id: string, reason: string, detail: string): void;
  /** Ends the box's connection on the other nodes (this node ends its own). */
  disconnect(serial: string): void;
  /** Stops the sweeps and leaves the cluster link (the others see this node gone at once). */
  leave(): Promise<void>;
}

/**
 * Joins the composed services to the cluster: command answers reach the node whose caller
 * waits, other nodes' boxes are shown as they come and go, and the boxes and live work of a
 * node that died without a word are released by one survivor (a lease in Redis says which):
 * at once for nodes already gone when this one starts, then by a sweep every JANITOR_MS.
 */
export function joinCluster(
  parts: ClusterParts,
  services: Pick<Services, 'commands' | 'shadows' | 'tunnels' | 'afterSales'>,
  deps: { redis: RedisConnection; clock: Clock; logger: Logger; disconnectHere(serial: string): void },
): ClusterForwarding {
  const { link, locations } = parts;
  const log = deps.logger.child({ component: 'cluster' });
  link.on(CommandAnswer, ({ serial, response }) => services.commands.onResponse(serial, response));
  link.on(InvalidCommandAnswer, ({ serial, id, reason, detail }) => services.commands.onInvalidResponse(serial, id, reason, detail));
  locations.onMove((m) => services.shadows.elsewhere(m.deviceId, m.online, m.at, m.address));
  link.on(DisconnectBox, ({ serial }) => deps.disconnectHere(serial));
  services.afterSales.sessions.onOpenChanged((session) => link.send(SessionOpenChanged, session));
  link.on(SessionOpenChanged, (session) => services.afterSales.sessions.openChangedElsewhere(session));
  const { calendar } = services.afterSales.deps;
  const reloadCalendar = () => void calendar.reload().catch((err: unknown) => log.warn({ err }, 'the holiday calendar could not be read again'));
  calendar.onChange(() => link.send(CalendarChanged, {}));
  link.on(CalendarChanged, reloadCalendar);
  const calendarReload = setInterval(reloadCalendar, CALENDAR_RELOAD_MS);
  calendarReload.unref();

  const work: Record<string, NodeWork> = {
    commands: services.commands.nodeWork,
    tunnels: services.tunnels.nodeWork,
    participants: services.afterSales.sessions.nodeWork,
  };

  async function sweepDeadNodes(): Promise<void> {
    const nodes = new Set<string | null>(locations.holders());
    for (const w of Object.values(work)) for (const node of await w.owners()) nodes.add(node);
    for (const node of nodes) {
      if (node === link.nodeId || (node !== null && (await link.isAlive(node)))) continue;
      // One survivor releases a dead node's boxes and work; the lease outlives the sweep, and a
      // release that failed half-way is found in the rows again once it lapses.
      if ((await deps.redis.commands.set(janitorKey(node), link.nodeId, 'PX', NODE_TTL_MS * 4, 'NX')) !== 'OK') continue;
      if (node !== null) {
        const released = await locations.releaseNode(node, deps.clock());
        // Unless the node came back meanwhile and announced the box again (reassert, below).
        for (const box of released) if (locations.holder(box.serial) === undefined) services.shadows.disconnected(box.deviceId, box.at);
        if (released.length > 0) log.warn({ node, boxes: released.length }, 'a node stopped answering; its boxes are offline until they reconnect');
      }
      const ended: Record<string, number> = {};
      for (const [kind, w] of Object.entries(work)) ended[kind] = await w.release(node);
      if (Object.values(ended).some((n) => n > 0))
        log.warn({ node, ...ended }, 'a node is gone; what it held (commands waiting, tunnels, people in rooms) is ended');
    }
  }
  // Set while a re-assertion failed half-way (Redis gone again): the next sweep tries again.
  let takenForDead = false;
  /**
   * Puts this node's boxes back into the shared hash: after the others took it for dead, or
   * after moves it could not write while Redis was away (boxes that came or went meanwhile).
   */
  const reassert = () => {
    const wasTakenForDead = takenForDead;
    takenForDead = false;
    const at = deps.clock();
    locations.reassert(at).then(
      ({ announced, heldElsewhere }) => {
        // Written again under this node: the survivor recorded them offline.
        if (wasTakenForDead) for (const box of announced) services.shadows.connected(box.deviceId, box.address, at);
        // Reconnected through another node meanwhile: the connection still open here is a leftover.
        for (const serial of heldElsewhere) deps.disconnectHere(serial);
        const counts = { node: link.nodeId, boxes: announced.length, heldElsewhere: heldElsewhere.length };
        if (wasTakenForDead)
          log.warn(
            counts,
            `this node was taken for dead by the others (out of Redis' reach for over ${NODE_TTL_MS / 1000} s); its ${announced.length} boxes are announced again`,
          );
        else log.info(counts, "Redis is back: this node's boxes are written again where the other nodes find them");
      },
      (err: unknown) => {
        takenForDead ||= wasTakenForDead;
        log.error({ err }, "this node's boxes could not be announced again; tried again shortly");
      },
    );
  };
  link.onTakenForDead(() => {
    takenForDead = true;
    reassert();
  });

  // One sweep at a time; leave() waits for the one running before the database closes.
  let running: Promise<void> | null = null;
  const sweep = () => {
    if ((takenForDead || locations.writesLost()) && deps.redis.connected()) reassert();
    running ??= sweepDeadNodes()
      .catch((err: unknown) => log.warn({ err }, 'dead-node sweep failed; tried again shortly'))
      .finally(() => (running = null));
  };
  // At once: work of nodes already gone when this one starts (its own restart included).
  sweep();
  const janitor = setInterval(sweep, JANITOR_MS);
  janitor.unref();

  return {
    answer: (serial, response) => link.send(CommandAnswer, { serial, response }),
    invalidAnswer: (serial, id, reason, detail) => link.send(InvalidCommandAnswer, { serial, id, reason, detail }),
    disconnect: (serial) => link.send(DisconnectBox, { serial }),
    async leave() {
      clearInterval(janitor);
      clearInterval(calendarReload);
      await running;
      await link.close();
    },
  };
}
