import { randomBytes } from 'node:crypto';
import { AppError } from '../../kernel/app-error.ts';
import type { Clock } from '../../kernel/clock.ts';
import { decodeFrame, HEADER_BYTES, TUNNEL_ID_BYTES, tunnelIdText } from '../../contract/tunnel-frames.ts';
import type { Db } from '../../platform/db/index.ts';
import type { Logger } from '../../platform/logger.ts';
import { CLOSE_REASONS, dueClose, OPEN_TIMEOUT_MS, type TunnelLimits } from './domain/tunnel.ts';
import type { TunnelEdge, TunnelSessionPort, TunnelUser } from './domain/tunnel-ports.ts';
import type { TunnelView } from './domain/tunnel-view.ts';
import { type Actor, type RelayDeps, TunnelRelay } from './tunnel-relay.ts';
import type { NodeWork } from '../../kernel/node-work.ts';
import { closeLeftOpen, listSessionTunnels, openTunnelOwners } from './store/tunnel-store.ts';
import { createTunnelRecords, type TunnelRecords } from './tunnel-records.ts';

export interface TunnelConfig {
  maxPerSession: number;
  idleS: number;
  maxMin: number;
}

export interface TunnelServiceDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  sessions: TunnelSessionPort;
  edge: TunnelEdge;
  config: TunnelConfig;
  /** How long the box has to answer OPEN; OPEN_TIMEOUT_MS unless a test says otherwise. */
  openTimeoutMs?: number;
  /** This node's id in a cluster, recorded on the tunnels it relays; null or absent on a single node. */
  nodeId?: string | null;
}

export type OpenedTunnel = Pick<TunnelView, 'id' | 'host' | 'port' | 'openedBy' | 'openedAt'> & { state: 'open' };

export interface TunnelStats {
  open: number;
  /** Frames from boxes for tunnels this backend does not hold (closed, or never opened). */
  unknownFrames: number;
}

export interface TunnelService {
  /** Asks the box to open a TCP connection to `host:port` on its LAN; answers once it did. */
  open(sessionId: number, user: TunnelUser, target: { host: string; port: number }): Promise<OpenedTunnel>;
  /** DELETE: closes a tunnel of the session (`closed-by-user`). */
  close(sessionId: number, tunnelId: string, user: TunnelUser): Promise<void>;
  list(sessionId: number): Promise<TunnelView[]>;
  /** The open tunnel a WebSocket may attach to; throws 403/404/409 as AppErrors. */
  streamTarget(sessionId: number, tunnelId: string, user: TunnelUser): Promise<TunnelRelay>;
  /** A payload a box published on its tun/up (size-bounded by the broker, not decoded). */
  onFrame(serial: string, payload: Buffer): void;
  /** A box went offline: its tunnels close (`box-offline`). */
  onBoxOffline(deviceId: number): void;
  /** A session ended: its tunnels close (`session-ended`). */
  onSessionEnded(sessionId: number): void;
  /**
   * Closes rows a crashed backend left open, then starts the deadline sweep. In a cluster
   * (nodeId set) other nodes' tunnels may be alive: only the sweep, see nodeWork.
   */
  start(): Promise<void>;
  /** In a cluster: open tunnels by the node relaying them, and closing a gone node's. */
  nodeWork: NodeWork;
  /** Closes every tunnel (`backend-stopping`, CLOSE to each box) and writes their records. */
  stop(): Promise<void>;
  stats(): TunnelStats;
}

// The idle and maximum-duration deadlines are looked at this often.
const SWEEP_MS = 1000;
// Frames for unknown tunnels are logged once per box per window (a hostile or confused box).
const UNKNOWN_LOG_WINDOW_MS = 10_000;

export function createTunnelService(deps: TunnelServiceDeps): TunnelService {
  const { db, clock, sessions, edge, config } = deps;
  const log = deps.logger.child({ component: 'tunnels' });
  const limits: TunnelLimits = { idleMs: config.idleS * 1000, maxDurationMs: config.maxMin * 60_000 };
  const live = new Map<string, TunnelRelay>();
  const nodeId = deps.nodeId ?? null;
  const records = createTunnelRecords({ db, clock, log, sessions, nodeId });
  const unknownLogged = new Map<string, number>();
  let unknownFrames = 0;
  let sweep: NodeJS.Timeout | null = null;
  let stopping = false;

  const relayDeps = {
    now: clock,
    publish: (serial: string, frame: Buffer) => edge.publish(serial, frame),
    onOpened(relay: TunnelRelay) {
      const { info } = relay;
      log.info({ tunnelId: info.idText, serial: info.serial, host: info.host, port: info.port, by: info.openedBy.username }, 'tunnel opened');
      records.opened(relay);
    },
    onClosed(relay: TunnelRelay, by: Actor | null) {
      live.delete(relay.info.idText);
      log.info({ tunnelId: relay.info.idText, serial: relay.info.serial, reason: relay.state.closeReason }, 'tunnel closed');
      records.closed(relay, by);
    },
  };

  function logUnknown(serial: string, detail: Record<string, unknown>) {
    unknownFrames++;
    if (!firstInWindow(unknownLogged, serial, clock(), UNKNOWN_LOG_WINDOW_MS)) return;
    log.warn({ serial, ...detail, unknownFramesSoFar: unknownFrames }, 'tunnel frame dropped');
  }

  function sessionRelays(sessionId: number): TunnelRelay[] {
    return [...live.values()].filter((r) => r.info.sessionId === sessionId);
  }

  function requireRelay(sessionId: number, tunnelId: string): TunnelRelay {
    const relay = live.get(tunnelId);
    if (!relay || relay.info.sessionId !== sessionId || relay.phase !== 'open') throw new AppError('TUNNEL_NOT_FOUND', { sessionId, id: tunnelId });
    return relay;
  }

  const service: TunnelService = {
    open: (sessionId, user, target) => openThroughBox({ deps, live, relayDeps, records, stopping: () => stopping }, sessionId, user, target),

    async close(sessionId, tunnelId, user) {
      await sessions.tunnelAccess(sessionId, user);
      const relay = requireRelay(sessionId, tunnelId);
      relay.close(CLOSE_REASONS.closedByUser, { notifyBox: true, by: { username: user.username, role: user.role } });
      // Answered once the list and the timeline say so.
      await records.written(tunnelId);
    },

    async list(sessionId) {
      await sessions.requireSession(sessionId);
      const stored = await listSessionTunnels(db, sessionId);
      const byId = new Map(stored.map((t) => [t.id, t]));
      for (const relay of sessionRelays(sessionId)) {
        const { info, state } = relay;
        const base = byId.get(info.idText);
        if (!base) continue;
        byId.set(info.idText, { ...base, state: state.phase, bytesUp: state.bytesUp, bytesDown: state.bytesDown });
      }
      return [...byId.values()];
    },

    async streamTarget(sessionId, tunnelId, user) {
      await sessions.tunnelAccess(sessionId, user);
      const relay = requireRelay(sessionId, tunnelId);
      if (relay.hasClient()) throw new AppError('TUNNEL_STREAM_BUSY', { id: tunnelId });
      return relay;
    },

    onFrame(serial, payload) {
      const idText = payload.length >= 1 + TUNNEL_ID_BYTES ? tunnelIdText(payload.subarray(1, 1 + TUNNEL_ID_BYTES)) : null;
      const relay = idText === null ? undefined : live.get(idText);
      // Another box's tunnel id is as unknown as a made-up one.
      if (!relay || relay.info.serial !== serial) return logUnknown(serial, { bytes: payload.length, tunnelId: idText });
      const decoded = decodeFrame(payload);
      if (!decoded.ok) {
        log.warn({ serial, tunnelId: idText, reason: decoded.reason, headerBytes: HEADER_BYTES }, 'malformed tunnel frame: closing the tunnel');
        return relay.close(CLOSE_REASONS.badFrame, { notifyBox: true });
      }
      relay.onFrame(decoded.frame);
    },

    onBoxOffline(deviceId) {
      for (const relay of [...live.values()]) if (relay.info.deviceId === deviceId) relay.close(CLOSE_REASONS.boxOffline, { notifyBox: false });
    },

    onSessionEnded(sessionId) {
      for (const relay of sessionRelays(sessionId)) relay.close(CLOSE_REASONS.sessionEnded, { notifyBox: true });
    },

    async start() {
      if (nodeId === null) await closeAfterRestart(db, clock, log);
      sweep = startDeadlineSweep(live, clock, limits);
    },

    nodeWork: tunnelNodeWork(db, clock),

    async stop() {
      stopping = true;
      if (sweep) clearInterval(sweep);
      const relays = [...live.values()];
      for (const relay of relays) relay.close(CLOSE_REASONS.backendStopping, { notifyBox: true });
      await Promise.all(relays.map((r) => r.flushed()));
      await records.idle();
    },

    stats: () => ({ open: live.size, unknownFrames }),
  };

  return service;
}

interface OpenContext {
  deps: TunnelServiceDeps;
  live: Map<string, TunnelRelay>;
  relayDeps: RelayDeps;
  records: TunnelRecords;
  stopping(): boolean;
}

/** Sends OPEN and waits (OPEN_TIMEOUT_MS at most) for the box's answer; the opening is recorded before the answer. */
async function openThroughBox(ctx: OpenContext, sessionId: number, user: TunnelUser, target: { host: string; port: number }): Promise<OpenedTunnel> {
  const { sessions, edge, config } = ctx.deps;
  const { serial, deviceId } = await sessions.tunnelAccess(sessionId, user);
  if (ctx.stopping()) throw new AppError('TUNNEL_BOX_OFFLINE', { serial, reason: 'backend-stopping' });
  // Counted and registered without an await in between, so two requests cannot both take the last place.
  const open = [...ctx.live.values()].filter((r) => r.info.sessionId === sessionId).length;
  if (open >= config.maxPerSession) throw new AppError('TUNNEL_LIMIT', { sessionId, open, max: config.maxPerSession });
  if (!edge.isConnected(serial)) throw new AppError('TUNNEL_BOX_OFFLINE', { serial });
  const id = randomBytes(TUNNEL_ID_BYTES);
  const by = { username: user.username, role: user.role };
  const info = { id, idText: tunnelIdText(id), sessionId, serial, deviceId, host: target.host, port: target.port, openedBy: by };
  const relay = new TunnelRelay(info, ctx.relayDeps, config.idleS);
  ctx.live.set(info.idText, relay);
  const timer = setTimeout(() => relay.close('open-timeout', { notifyBox: true }), ctx.deps.openTimeoutMs ?? OPEN_TIMEOUT_MS);
  try {
    await relay.opened;
  } finally {
    clearTimeout(timer);
  }
  const openedAt = relay.state.openedAt ?? ctx.deps.clock();
  // Answered once the list and the timeline show it.
  await ctx.records.written(info.idText);
  return { id: info.idText, state: 'open', host: info.host, port: info.port, openedBy: user.username, openedAt };
}

/** A single node: no tunnel survives a restart, so rows still open were left by a crash. */
async function closeAfterRestart(db: Db, clock: Clock, log: Logger): Promise<void> {
  const closed = await closeLeftOpen(db, CLOSE_REASONS.backendRestarted, clock());
  if (closed.length > 0) log.warn({ tunnels: closed.length }, 'tunnels left open by a backend that stopped without closing them are closed');
}

/** In a cluster: open tunnels by the node relaying them; a gone node's are closed as after a crash. */
function tunnelNodeWork(db: Db, clock: Clock): NodeWork {
  return {
    owners: () => openTunnelOwners(db),
    // No CLOSE to the box: the relay that held the tunnel's stream is gone with its node.
    release: async (gone) => (await closeLeftOpen(db, CLOSE_REASONS.backendRestarted, clock(), { nodeId: gone })).length,
  };
}

/** True for the first call per key in each window (one log line per box per window). */
function firstInWindow(last: Map<string, number>, key: string, now: number, windowMs: number): boolean {
  const at = last.get(key);
  if (at !== undefined && now - at < windowMs) return false;
  last.set(key, now);
  return true;
}

/** Closes tunnels past their idle or maximum-duration deadline, looked at every SWEEP_MS. */
function startDeadlineSweep(live: Map<string, TunnelRelay>, clock: Clock, limits: TunnelLimits): NodeJS.Timeout {
  const sweep = setInterval(() => {
    const now = clock();
    for (const relay of [...live.values()]) {
      const reason = dueClose(relay.state, now, limits);
      if (reason) relay.close(reason, { notifyBox: true });
    }
  }, SWEEP_MS);
  sweep.unref();
  return sweep;
}
