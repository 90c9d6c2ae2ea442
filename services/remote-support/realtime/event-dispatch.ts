import type { Clock } from '../../kernel/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import type { SessionRoom } from '../sessions/index.ts';
import type { ParticipantLimits } from './participant-limits.ts';
import type { SessionRecheck } from './session-recheck.ts';
import type { ClientEventName } from './socket-contract.ts';
import { failure, sessionIdentityOf, whoOf, type Acknowledge, type RealtimeIo, type RealtimeSocket } from './socket-types.ts';

export type EventHandler = (socket: RealtimeSocket, payload: unknown, ack: Acknowledge) => unknown;
export type EventHandlers = Partial<Record<ClientEventName, EventHandler>>;

export interface EventDispatchDeps {
  handlers: EventHandlers;
  limits: ParticipantLimits;
  clock: Clock;
  logger: Logger;
  sessionRecheck: SessionRecheck;
  remoteSessions?: SessionRoom;
}

/** Leaving is recorded on each joined session's timeline (participant-left); `leaving` holds those under way. */
function leaveSessionsOnDisconnect(socket: RealtimeSocket, deps: EventDispatchDeps, leaving: Set<Promise<void>>): void {
  const who = whoOf(socket.data.identity);
  socket.on('disconnect', (reason) => {
    deps.logger.debug({ ...who, socketId: socket.id, reason }, 'realtime client disconnected');
    for (const sessionId of socket.data.sessions) {
      const left = deps.remoteSessions?.leave(sessionIdentityOf(socket.data.identity), sessionId, socket.id).catch((err: unknown) => {
        deps.logger.error({ err, ...who, sessionId }, 'realtime: leaving the session on disconnect failed');
      });
      if (!left) continue;
      leaving.add(left);
      void left.finally(() => leaving.delete(left));
    }
  });
}

/**
 * Every client event first passes the rate limit and re-checks the session, so a logout or a
 * disabled account takes effect on the next event instead of at the next periodic sweep.
 */
function gateEachEvent(socket: RealtimeSocket, deps: EventDispatchDeps): void {
  const who = whoOf(socket.data.identity);
  async function gate(event: string, ack: Acknowledge | undefined, next: () => void): Promise<void> {
    // Before the re-check's database read, so a flood is shed at the cost of a counter (on a
    // cluster, of one Redis round trip, then of a counter until the wait is over).
    const verdict = await deps.limits.event(socket.data.identity, deps.clock());
    if (!verdict.allowed) return ack?.(failure('RATE_LIMITED', { retryAfterMs: verdict.retryAfterMs }));
    const ended = await deps.sessionRecheck.recheck(socket);
    if (ended) return deps.sessionRecheck.endSession(socket, ended, ack);
    if (Object.hasOwn(deps.handlers, event)) return next();
    deps.logger.warn({ ...who, event }, 'realtime: unknown client event ignored');
    ack?.(failure('UNKNOWN_EVENT', { event }));
  }
  socket.use(([event, ...args], next) => {
    const last = args[args.length - 1];
    const ack = typeof last === 'function' ? (last as Acknowledge) : undefined;
    gate(event, ack, next).catch((err: unknown) => {
      deps.logger.error({ err, ...who, event }, 'realtime: session re-check failed');
      ack?.(failure('INTERNAL'));
    });
  });
}

/** Binds each handler to its event: exactly one payload argument and an ack are required. */
function bindHandlers(socket: RealtimeSocket, deps: EventDispatchDeps): void {
  const who = whoOf(socket.data.identity);
  for (const [name, handler] of Object.entries(deps.handlers)) {
    socket.on(name as ClientEventName, (...args: unknown[]) => {
      const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as Acknowledge) : undefined;
      // The answer is the ack; without one the client could not learn the outcome, so nothing is done.
      if (!ack) return deps.logger.warn({ ...who, event: name }, 'realtime: event without ack ignored');
      if (args.length !== 1) return ack(failure('VALIDATION_FAILED', [{ path: '', message: 'expected one payload argument' }]));
      void handler(socket, args[0], ack);
    });
  }
}

/**
 * Wires every new connection: disconnect bookkeeping, the per-event gate, then the handlers.
 * Answers a function that resolves once the leaves of disconnected sockets are recorded (in a
 * cluster they ask the other nodes, so the adapter must outlive them).
 */
export function dispatchClientEvents(io: RealtimeIo, deps: EventDispatchDeps): () => Promise<void> {
  const leaving = new Set<Promise<void>>();
  io.on('connection', (socket) => {
    deps.logger.debug({ ...whoOf(socket.data.identity), socketId: socket.id }, 'realtime client connected');
    leaveSessionsOnDisconnect(socket, deps, leaving);
    // socket.use must be registered before the handlers so the gate runs first for each event.
    gateEachEvent(socket, deps);
    bindHandlers(socket, deps);
  });
  return async () => {
    while (leaving.size > 0) await Promise.all(leaving);
  };
}
