import type http from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import { Server, type ServerOptions } from 'socket.io';
import { z } from 'zod';
import type { SessionStore } from '../../platform/accounts/index.ts';
import type { Clock } from '../../kernel/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import type { SessionRoom } from '../sessions/index.ts';
import { createChannelHandlers } from './channel-subscriptions.ts';
import { dispatchClientEvents, type EventHandlers } from './event-dispatch.ts';
import { authenticateHandshake, originAllowed } from './handshake-auth.ts';
import { fanOutLive } from './live-fan-out.ts';
import { CHANNELS, type ChannelTable, type LiveBus } from './live-events.ts';
import { createParticipantLimits, type ParticipantLimits } from './participant-limits.ts';
import { createSessionHandlers } from './session-handlers.ts';
import { createSessionRecheck } from './session-recheck.ts';
import { startSessionSweep } from './session-sweep.ts';
import { SOCKET_PATH } from './socket-contract.ts';
import { connectedParticipants } from './room-census.ts';
import { createTimelineSequencer } from './timeline-sequencer.ts';
import type { RealtimeIo, RealtimeSocket } from './socket-types.ts';

export type { RealtimeIo } from './socket-types.ts';

/** Client messages are small requests (a chat line is at most 4000 characters); anything bigger closes the connection. */
export const MAX_CLIENT_MESSAGE_BYTES = 64 * 1024;
/** Sessions of quiet sockets are looked up again this often (events trigger a lookup anyway). */
export const DEFAULT_RECHECK_INTERVAL_MS = 60_000;
// socket.io's default of 45 s lets an unauthenticated transport idle far longer than needed.
const CONNECT_TIMEOUT_MS = 10_000;

export interface RealtimeDeps {
  sessions: SessionStore;
  clock: Clock;
  logger: Logger;
  bus: LiveBus;
  /**
   * Remote-guidance sessions: the session.* events and customer-link handshakes. Without it
   * those events are unknown and a customer link is refused.
   */
  remoteSessions?: SessionRoom;
  /**
   * Browser origins besides the backend's own that may connect, e.g. a dashboard dev server.
   * Unset: same origin only, and no CORS headers at all.
   */
  allowedOrigin?: string | readonly string[];
  /** Per-participant event and text limits; defaults to PARTICIPANT_LIMITS. */
  limits?: ParticipantLimits;
  /** Defaults to DEFAULT_RECHECK_INTERVAL_MS. */
  recheckIntervalMs?: number;
  /** Who may receive which channel; defaults to the CHANNELS table. */
  channels?: ChannelTable;
  /**
   * A cluster (REDIS_URL): two connections of their own (the adapter subscribes on one) for
   * socket.io's Redis adapter, so rooms span the nodes. Absent: this process alone.
   */
  cluster?: { publisher: Redis; subscriber: Redis };
}

export interface RealtimeServer {
  io: RealtimeIo;
  /**
   * Re-checks now the sessions of every socket of this account (on every node of a cluster), ending those whose session is
   * gone (account disabled, password changed or reset) instead of waiting for their next event
   * or the periodic sweep. Failures are logged, never thrown.
   */
  recheckUser(userId: number): Promise<void>;
  /** Disconnects every client and stops the realtime layer; leaves the HTTP server to its owner. */
  close(): Promise<void>;
}

const UserId = z.number().int().positive();

function socketsOfAccount(io: RealtimeIo, userId: number): RealtimeSocket[] {
  return [...io.of('/').sockets.values()].filter((socket) => {
    const identity = socket.data.identity;
    return identity.kind === 'account' && identity.user.userId === userId;
  });
}

/** Mounts socket.io at /socket.io on an existing HTTP server and forwards bus events to subscribed sockets. */
export function attachRealtime(httpServer: http.Server, deps: RealtimeDeps): RealtimeServer {
  const { sessions, clock, logger, bus, remoteSessions } = deps;
  const channels = deps.channels ?? CHANNELS;
  const allowedOrigins = deps.allowedOrigin === undefined ? [] : [deps.allowedOrigin].flat();
  const limits = deps.limits ?? createParticipantLimits();
  let closed = false;

  const options: Partial<ServerOptions> = {
    path: SOCKET_PATH,
    // The dashboard loads /socket.io/socket.io.esm.min.js: the client bundle shipped inside the
    // `socket.io` package, so it always matches this server's version and needs no devDependency.
    serveClient: true,
    maxHttpBufferSize: MAX_CLIENT_MESSAGE_BYTES,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // engine.io destroys every upgrade it does not own that has written nothing after this
    // long. The PLC tunnel's stream upgrade signs in first (a database read), which can take
    // over the default 1 s on a loaded machine; stray upgrades are still cut, just later.
    destroyUpgradeTimeout: 10_000,
    // Refusing new transports after close() keeps a late client from holding the HTTP server open.
    allowRequest: (req, answer) => answer(null, !closed && originAllowed(req, allowedOrigins)),
    ...(allowedOrigins.length > 0 ? { cors: { origin: [...allowedOrigins], credentials: true } } : {}),
  };
  const io: RealtimeIo = new Server(httpServer, options);
  const crossNode = deps.cluster !== undefined;
  if (deps.cluster) {
    io.adapter(createAdapter(deps.cluster.publisher, deps.cluster.subscriber));
    // The adapter subscribes as it is made; a PING on that connection answers after those
    // subscriptions, and until then the others would not count this node (nor answer it).
    const subscribed = deps.cluster.subscriber.ping().then(
      () => {},
      () => {},
    );
    remoteSessions?.countConnectionsAnywhere(connectedParticipants(io, subscribed));
  }

  io.use(authenticateHandshake({ sessions, clock, logger, remoteSessions }));
  const sessionRecheck = createSessionRecheck({ sessions, clock, logger, channels, remoteSessions });
  const timeline = createTimelineSequencer(io, remoteSessions ?? { entriesAfter: async () => [] }, logger);
  const handlers: EventHandlers = {
    ...createChannelHandlers(channels),
    ...(remoteSessions ? createSessionHandlers(remoteSessions, logger, { limits, clock, timeline, crossNode }) : {}),
  };
  const leftRecorded = dispatchClientEvents(io, { handlers, limits, clock, logger, sessionRecheck, remoteSessions });
  const stopFanOut = fanOutLive(io, { bus, remoteSessions, timeline, crossNode, logger });
  const stopSweep = startSessionSweep(io, sessionRecheck.recheckAll, deps.recheckIntervalMs ?? DEFAULT_RECHECK_INTERVAL_MS);

  const recheckHere = (userId: number) => sessionRecheck.recheckAll(socketsOfAccount(io, userId));
  // Another node revoked the account's logins: its sockets here are checked now, not at the sweep.
  if (crossNode) {
    io.on('account.revoked', (raw) => {
      const userId = UserId.safeParse(raw);
      if (userId.success) void recheckHere(userId.data);
    });
  }

  return {
    io,
    recheckUser(userId) {
      if (crossNode) io.serverSideEmit('account.revoked', userId);
      return recheckHere(userId);
    },
    async close() {
      if (closed) return;
      closed = true;
      stopSweep();
      stopFanOut();
      // Not io.close(): it also closes the HTTP server, which its owner closes itself (a second
      // close fails with ERR_SERVER_NOT_RUNNING). engine.close() ends every transport, so
      // browsers see "transport close" and reconnect once the backend is back.
      io.engine.close();
      await leftRecorded();
      await io.of('/').adapter.close();
    },
  };
}
