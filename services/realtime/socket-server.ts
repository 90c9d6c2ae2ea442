import type http from 'node:http';
import { Server, type ExtendedError, type ServerOptions, type Socket } from 'socket.io';
import type { SessionUser } from '../accounts/domain/account.ts';
import type { SessionStore } from '../accounts/domain/account-ports.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import { handshakeToken } from './handshake-token.ts';
import { CHANNELS, channelOfRoom, mayReceive, roomOf, type ChannelTable, type LiveBus } from './live-events.ts';
import {
  CLIENT_EVENTS,
  isClientEvent,
  SOCKET_PATH,
  type ChannelAck,
  type ClientEventName,
  type ClientToServerEvents,
  type RealtimeErrorCode,
  type ServerToClientEvents,
  type SessionEnded,
  type SessionEndReason,
} from './socket-contract.ts';

/** Client messages are small subscribe requests; anything bigger closes the connection. */
export const MAX_CLIENT_MESSAGE_BYTES = 64 * 1024;
/** Sessions of quiet sockets are looked up again this often (events trigger a lookup anyway). */
export const DEFAULT_RECHECK_INTERVAL_MS = 60_000;
// socket.io's default of 45 s lets an unauthenticated transport idle far longer than needed.
const CONNECT_TIMEOUT_MS = 10_000;

interface SocketData {
  user: SessionUser;
  token: string;
}

type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type RealtimeIo = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface RealtimeDeps {
  sessions: SessionStore;
  clock: Clock;
  logger: Logger;
  bus: LiveBus;
  /**
   * Browser origins besides the backend's own that may connect, e.g. a dashboard dev server.
   * Unset: same origin only, and no CORS headers at all.
   */
  allowedOrigin?: string | readonly string[];
  /** Defaults to DEFAULT_RECHECK_INTERVAL_MS. */
  recheckIntervalMs?: number;
  /** Who may receive which channel; defaults to the CHANNELS table. */
  channels?: ChannelTable;
}

export interface RealtimeServer {
  io: RealtimeIo;
  /** Disconnects every client and stops the realtime layer; leaves the HTTP server to its owner. */
  close(): Promise<void>;
}

type Acknowledge = (answer: ChannelAck | { ok: false; error: { code: RealtimeErrorCode; details: unknown } }) => void;

function refusal(code: RealtimeErrorCode): ExtendedError {
  return Object.assign(new Error(code), { data: { code } });
}

function failure(code: RealtimeErrorCode, details: unknown = null) {
  return { ok: false as const, error: { code, details } };
}

/**
 * Browsers always send Origin on a WebSocket handshake, and CORS does not apply to WebSockets:
 * without this check any page the user visits could open a socket riding on the session
 * cookie. Clients that are not browsers send no Origin and authenticate with a token.
 */
function originAllowed(req: http.IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  try {
    // Host only, not scheme: behind a TLS-terminating proxy the backend itself sees http.
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/** Mounts socket.io at /socket.io on an existing HTTP server and forwards bus events to subscribed sockets. */
export function attachRealtime(httpServer: http.Server, deps: RealtimeDeps): RealtimeServer {
  const { sessions, clock, logger, bus } = deps;
  const channels = deps.channels ?? CHANNELS;
  const allowedOrigins = deps.allowedOrigin === undefined ? [] : [deps.allowedOrigin].flat();
  let closed = false;

  const options: Partial<ServerOptions> = {
    path: SOCKET_PATH,
    serveClient: false,
    maxHttpBufferSize: MAX_CLIENT_MESSAGE_BYTES,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // Refusing new transports after close() keeps a late client from holding the HTTP server open.
    allowRequest: (req, answer) => answer(null, !closed && originAllowed(req, allowedOrigins)),
    ...(allowedOrigins.length > 0 ? { cors: { origin: [...allowedOrigins], credentials: true } } : {}),
  };
  const io: RealtimeIo = new Server(httpServer, options);

  io.use((socket, next) => {
    const token = handshakeToken(socket.handshake);
    if (!token) return next(refusal('UNAUTHENTICATED'));
    sessions.lookup(token, clock()).then(
      (user) => {
        if (!user) return next(refusal('UNAUTHENTICATED'));
        socket.data.user = user;
        socket.data.token = token;
        next();
      },
      (err: unknown) => {
        logger.error({ err }, 'realtime handshake: session lookup failed');
        next(refusal('INTERNAL'));
      },
    );
  });

  /** Ends the socket if its session is gone; otherwise refreshes the user and drops channels its role lost. */
  async function recheck(socket: RealtimeSocket): Promise<SessionEndReason | null> {
    const previous = socket.data.user;
    const now = clock();
    const user = await sessions.lookup(socket.data.token, now);
    if (!user) return previous.expiresAt <= now ? 'expired' : 'revoked';
    socket.data.user = user;
    for (const room of socket.rooms) {
      const channel = channelOfRoom(room);
      if (channel && !mayReceive(user.role, channel, channels)) void socket.leave(room);
    }
    return null;
  }

  function endSession(socket: RealtimeSocket, reason: SessionEndReason, ack?: Acknowledge): void {
    // The sweep and an event's own re-check can both find the same ended session.
    if (socket.disconnected) return;
    const ended: SessionEnded = { code: 'UNAUTHENTICATED', details: { reason } };
    logger.info({ userId: socket.data.user.userId, reason }, 'realtime session ended');
    ack?.({ ok: false, error: ended });
    socket.emit('session-ended', ended);
    // Packets already queued (the ack, session-ended) are flushed before the transport closes.
    socket.disconnect(true);
  }

  const handlers: Record<ClientEventName, (socket: RealtimeSocket, payload: unknown) => ChannelAck> = {
    subscribe(socket, payload) {
      const parsed = CLIENT_EVENTS.subscribe.safeParse(payload);
      if (!parsed.success) return failure('VALIDATION_FAILED', issuesOf(parsed.error.issues));
      const { channel } = parsed.data;
      const role = socket.data.user.role;
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

  io.on('connection', (socket) => {
    const { userId, username } = socket.data.user;
    logger.debug({ userId, username, socketId: socket.id }, 'realtime client connected');
    socket.on('disconnect', (reason) => logger.debug({ userId, socketId: socket.id, reason }, 'realtime client disconnected'));

    // Every client event first re-checks the session, so a logout or a disabled account takes
    // effect on the next event instead of at the next periodic sweep.
    socket.use(([event, ...args], next) => {
      const last = args[args.length - 1];
      const ack = typeof last === 'function' ? (last as Acknowledge) : undefined;
      recheck(socket).then(
        (ended) => {
          if (ended) return endSession(socket, ended, ack);
          if (isClientEvent(event)) return next();
          logger.warn({ userId, event }, 'realtime: unknown client event ignored');
          ack?.(failure('UNKNOWN_EVENT', { event }));
        },
        (err: unknown) => {
          logger.error({ err, userId, event }, 'realtime: session re-check failed');
          ack?.(failure('INTERNAL'));
        },
      );
    });

    for (const name of Object.keys(handlers) as ClientEventName[]) {
      socket.on(name, (...args: unknown[]) => {
        const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as Acknowledge) : undefined;
        // The answer is the ack; without one the client could not learn the outcome, so nothing is done.
        if (!ack) return logger.warn({ userId, event: name }, 'realtime: event without ack ignored');
        if (args.length !== 1) return ack(failure('VALIDATION_FAILED', [{ path: '', message: 'expected one payload argument' }]));
        ack(handlers[name](socket, args[0]));
      });
    }
  });

  const unsubscribeBus = bus.subscribe((event) => {
    io.to(roomOf(event.channel)).emit('live', event);
  });

  let sweeping = false;
  const sweep = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    void (async () => {
      for (const socket of io.of('/').sockets.values()) {
        try {
          const ended = await recheck(socket);
          if (ended) endSession(socket, ended);
        } catch (err) {
          logger.error({ err, userId: socket.data.user.userId }, 'realtime: session re-check failed');
        }
      }
    })().finally(() => {
      sweeping = false;
    });
  }, deps.recheckIntervalMs ?? DEFAULT_RECHECK_INTERVAL_MS);
  sweep.unref();

  return {
    io,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(sweep);
      unsubscribeBus();
      // Not io.close(): it also closes the HTTP server, which its owner closes itself (a second
      // close fails with ERR_SERVER_NOT_RUNNING). engine.close() ends every transport, so
      // browsers see "transport close" and reconnect once the backend is back.
      io.engine.close();
      await io.of('/').adapter.close();
    },
  };
}

function issuesOf(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>) {
  return issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}
