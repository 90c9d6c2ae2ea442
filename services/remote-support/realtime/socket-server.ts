import type http from 'node:http';
import { Server, type ExtendedError, type ServerOptions } from 'socket.io';
import type { SessionStore } from '../../platform/accounts/domain/account-ports.ts';
import { can } from '../../platform/accounts/domain/roles.ts';
import type { Clock } from '../../kernel/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import type { SessionRoom } from '../sessions/session-room.ts';
import { isOwnOrigin } from '../../platform/security/same-origin.ts';
import { handshakeCredentials } from './handshake-token.ts';
import { CHANNELS, channelOfRoom, mayReceive, roomOf, type ChannelTable, type LiveBus } from './live-events.ts';
import { sessionOfRoom, sessionRoom } from './session-contract.ts';
import { createParticipantLimits, type ParticipantLimits } from './participant-limits.ts';
import { createSessionHandlers } from './session-handlers.ts';
import {
  CLIENT_EVENTS,
  SOCKET_PATH,
  type ChannelAck,
  type ClientEventName,
  type RealtimeErrorCode,
  type SessionEnded,
  type SessionEndReason,
} from './socket-contract.ts';
import { failure, issuesOf, sessionIdentityOf, whoOf, type Acknowledge, type RealtimeIo, type RealtimeSocket, type SocketIdentity } from './socket-types.ts';

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
}

export interface RealtimeServer {
  io: RealtimeIo;
  /**
   * Re-checks now the sessions of every socket of this account, ending those whose session is
   * gone (account disabled, password changed or reset) instead of waiting for their next event
   * or the periodic sweep. Failures are logged, never thrown.
   */
  recheckUser(userId: number): Promise<void>;
  /** Disconnects every client and stops the realtime layer; leaves the HTTP server to its owner. */
  close(): Promise<void>;
}

function refusal(code: RealtimeErrorCode): ExtendedError {
  return Object.assign(new Error(code), { data: { code } });
}

/**
 * Browsers always send Origin on a WebSocket handshake, and CORS does not apply to WebSockets:
 * without this check any page the user visits could open a socket riding on the session
 * cookie. Clients that are not browsers send no Origin and authenticate with a token.
 */
function originAllowed(req: http.IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  return origin === undefined || isOwnOrigin(origin, req.headers.host, allowed);
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
    // Refusing new transports after close() keeps a late client from holding the HTTP server open.
    allowRequest: (req, answer) => answer(null, !closed && originAllowed(req, allowedOrigins)),
    ...(allowedOrigins.length > 0 ? { cors: { origin: [...allowedOrigins], credentials: true } } : {}),
  };
  const io: RealtimeIo = new Server(httpServer, options);

  /** Who the handshake's credentials belong to; null for none, a refusal code when they cannot be checked. */
  async function identify(socket: RealtimeSocket): Promise<SocketIdentity | null> {
    const credentials = handshakeCredentials(socket.handshake);
    if (!credentials) return null;
    if (credentials.kind === 'account') {
      const user = await sessions.lookup(credentials.token, clock());
      return user ? { kind: 'account', user, token: credentials.token } : null;
    }
    if (!remoteSessions) return null;
    const redeemed = await remoteSessions.redeemLink(credentials.link, credentials.resumeKey);
    if (!redeemed.ok) {
      logger.info({ reason: redeemed.reason }, 'realtime handshake: customer link refused');
      return null;
    }
    return { kind: 'customer', customer: redeemed.identity, resumeKey: redeemed.resumeKey };
  }

  io.use((socket, next) => {
    identify(socket).then(
      (identity) => {
        if (!identity) return next(refusal('UNAUTHENTICATED'));
        socket.data.identity = identity;
        socket.data.sessions = new Set();
        next();
      },
      (err: unknown) => {
        logger.error({ err }, 'realtime handshake: session lookup failed');
        next(refusal('INTERNAL'));
      },
    );
  });

  /** Ends the socket if its login is gone; otherwise refreshes it and drops rooms its role lost. */
  async function recheck(socket: RealtimeSocket): Promise<SessionEndReason | null> {
    const identity = socket.data.identity;
    if (identity.kind === 'customer') {
      const status = await remoteSessions!.customerStatus(identity.customer);
      return status === 'ok' ? null : status;
    }
    const now = clock();
    const user = await sessions.lookup(identity.token, now);
    if (!user) return identity.user.expiresAt <= now ? 'expired' : 'revoked';
    identity.user = user;
    for (const room of socket.rooms) {
      const channel = channelOfRoom(room);
      if (channel && !mayReceive(user.role, channel, channels)) void socket.leave(room);
      const sessionId = sessionOfRoom(room);
      if (sessionId !== null && !can(user.role, 'aftersales:read')) {
        void socket.leave(room);
        socket.data.sessions.delete(sessionId);
        await remoteSessions?.leave(sessionIdentityOf(identity), sessionId, socket.id);
      }
    }
    return null;
  }

  function endSession(socket: RealtimeSocket, reason: SessionEndReason, ack?: Acknowledge): void {
    // The sweep and an event's own re-check can both find the same ended session.
    if (socket.disconnected) return;
    const ended: SessionEnded = { code: 'UNAUTHENTICATED', details: { reason } };
    logger.info({ ...whoOf(socket.data.identity), reason }, 'realtime session ended');
    ack?.({ ok: false, error: ended });
    socket.emit('session-ended', ended);
    // Packets already queued (the ack, session-ended) are flushed before the transport closes.
    socket.disconnect(true);
  }

  const channelHandlers: Record<'subscribe' | 'unsubscribe', (socket: RealtimeSocket, payload: unknown) => ChannelAck> = {
    subscribe(socket, payload) {
      const parsed = CLIENT_EVENTS.subscribe.safeParse(payload);
      if (!parsed.success) return failure('VALIDATION_FAILED', issuesOf(parsed.error.issues));
      const { channel } = parsed.data;
      const identity = socket.data.identity;
      // A customer link shows its own session, nothing of the fleet.
      if (identity.kind === 'customer') return failure('FORBIDDEN', { channel, role: null });
      const role = identity.user.role;
      if (!mayReceive(role, channel, channels)) return failure('FORBIDDEN', { channel, role });
      void socket.join(roomOf(channel));
      return { ok: true, channel };
    },
    unsubscribe(socket, payload) {
      const parsed = CLIENT_EVENTS.unsubscribe.safeParse(payload);
      if (!parsed.success) return failure('VALIDATION_FAILED', issuesOf(parsed.error.issues));
      void socket.leave(roomOf(parsed.data.channel));
      return { ok: true, channel: parsed.data.channel };
    },
  };
  const handlers: Partial<Record<ClientEventName, (socket: RealtimeSocket, payload: unknown, ack: Acknowledge) => unknown>> = {
    subscribe: (socket, payload, ack) => ack(channelHandlers.subscribe(socket, payload)),
    unsubscribe: (socket, payload, ack) => ack(channelHandlers.unsubscribe(socket, payload)),
    ...(remoteSessions ? createSessionHandlers(remoteSessions, logger, { limits, clock }) : {}),
  };

  io.on('connection', (socket) => {
    const who = whoOf(socket.data.identity);
    logger.debug({ ...who, socketId: socket.id }, 'realtime client connected');
    socket.on('disconnect', (reason) => {
      logger.debug({ ...who, socketId: socket.id, reason }, 'realtime client disconnected');
      // Leaving is recorded on each joined session's timeline (participant-left).
      for (const sessionId of socket.data.sessions) {
        remoteSessions?.leave(sessionIdentityOf(socket.data.identity), sessionId, socket.id).catch((err: unknown) => {
          logger.error({ err, ...who, sessionId }, 'realtime: leaving the session on disconnect failed');
        });
      }
    });

    // Every client event first re-checks the session, so a logout or a disabled account takes
    // effect on the next event instead of at the next periodic sweep.
    socket.use(([event, ...args], next) => {
      const last = args[args.length - 1];
      const ack = typeof last === 'function' ? (last as Acknowledge) : undefined;
      // Before the re-check's database read, so a flood is shed at the cost of a counter.
      const verdict = limits.event(socket.data.identity, clock());
      if (!verdict.allowed) return ack?.(failure('RATE_LIMITED', { retryAfterMs: verdict.retryAfterMs }));
      recheck(socket).then(
        (ended) => {
          if (ended) return endSession(socket, ended, ack);
          if (Object.hasOwn(handlers, event)) return next();
          logger.warn({ ...who, event }, 'realtime: unknown client event ignored');
          ack?.(failure('UNKNOWN_EVENT', { event }));
        },
        (err: unknown) => {
          logger.error({ err, ...who, event }, 'realtime: session re-check failed');
          ack?.(failure('INTERNAL'));
        },
      );
    });

    for (const [name, handler] of Object.entries(handlers)) {
      socket.on(name as ClientEventName, (...args: unknown[]) => {
        const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as Acknowledge) : undefined;
        // The answer is the ack; without one the client could not learn the outcome, so nothing is done.
        if (!ack) return logger.warn({ ...who, event: name }, 'realtime: event without ack ignored');
        if (args.length !== 1) return ack(failure('VALIDATION_FAILED', [{ path: '', message: 'expected one payload argument' }]));
        void handler(socket, args[0], ack);
      });
    }
  });

  const unsubscribeBus = bus.subscribe((event) => {
    io.to(roomOf(event.channel)).emit('live', event);
  });
  const unsubscribeFeed = remoteSessions?.subscribe((message) => {
    switch (message.type) {
      case 'timeline':
        return void io.to(sessionRoom(message.entry.sessionId)).emit('session.timeline', message.entry);
      case 'state':
        return void io.to(sessionRoom(message.snapshot.id)).emit('session.state', message.snapshot);
      case 'telemetry':
        // Volatile: a client that cannot keep up skips samples instead of queueing them.
        return void io.to(sessionRoom(message.telemetry.sessionId)).volatile.emit('session.telemetry', message.telemetry);
    }
  });

  async function recheckAll(sockets: Iterable<RealtimeSocket>): Promise<void> {
    for (const socket of sockets) {
      try {
        const ended = await recheck(socket);
        if (ended) endSession(socket, ended);
      } catch (err) {
        logger.error({ err, ...whoOf(socket.data.identity) }, 'realtime: session re-check failed');
      }
    }
  }

  let sweeping = false;
  const sweep = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    void recheckAll(io.of('/').sockets.values()).finally(() => {
      sweeping = false;
    });
  }, deps.recheckIntervalMs ?? DEFAULT_RECHECK_INTERVAL_MS);
  sweep.unref();

  return {
    io,
    recheckUser(userId) {
      const sockets = [...io.of('/').sockets.values()].filter((socket) => {
        const identity = socket.data.identity;
        return identity.kind === 'account' && identity.user.userId === userId;
      });
      return recheckAll(sockets);
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(sweep);
      unsubscribeBus();
      unsubscribeFeed?.();
      // Not io.close(): it also closes the HTTP server, which its owner closes itself (a second
      // close fails with ERR_SERVER_NOT_RUNNING). engine.close() ends every transport, so
      // browsers see "transport close" and reconnect once the backend is back.
      io.engine.close();
      await io.of('/').adapter.close();
    },
  };
}
