import type { z } from 'zod';
import { AppError } from '../../kernel/app-error.ts';
import type { Clock } from '../../kernel/clock.ts';
import { can } from '../../platform/accounts/index.ts';
import type { Logger } from '../../platform/logger.ts';
import { sessionAccess, type SessionAction } from '../sessions/index.ts';
import type { SessionRoom } from '../sessions/index.ts';
import {
  SESSION_CLIENT_EVENTS,
  sessionRoom,
  type SessionCommandAck,
  type SessionEventName,
  type SessionJoinAck,
  type SessionLeaveAck,
  type SessionTextAck,
  type SessionYou,
} from './session-contract.ts';
import type { ParticipantLimits } from './participant-limits.ts';
import type { TimelineSequencer } from './timeline-sequencer.ts';
import { REALTIME_ERRORS, type RealtimeErrorCode } from './socket-ack.ts';
import { failure, issuesOf, sessionIdentityOf, whoOf, type Acknowledge, type RealtimeSocket } from './socket-types.ts';

type Handler = (socket: RealtimeSocket, payload: unknown, ack: Acknowledge) => Promise<void>;

function isRealtimeCode(code: string): code is RealtimeErrorCode {
  return Object.hasOwn(REALTIME_ERRORS, code);
}

/**
 * The session.* events: each payload validated, access checked by the session rules, then
 * handed to the session room; every outcome is the ack.
 */
export function createSessionHandlers(
  room: SessionRoom,
  logger: Logger,
  opts: { limits: ParticipantLimits; clock: Clock; timeline: TimelineSequencer; crossNode: boolean },
): Record<SessionEventName, Handler> {
  /** An expected refusal keeps its code; anything else is logged and answered INTERNAL. */
  function errorAck(socket: RealtimeSocket, event: string, err: unknown) {
    if (err instanceof AppError && isRealtimeCode(err.code)) return failure(err.code, err.details ?? null);
    logger.error({ err, event, ...whoOf(socket.data.identity) }, 'realtime: session event failed');
    return failure('INTERNAL');
  }

  /** Validates the payload and checks access; answers the ack itself when either fails. */
  function admit<E extends SessionEventName>(socket: RealtimeSocket, event: E, action: SessionAction, payload: unknown, ack: Acknowledge) {
    const parsed = SESSION_CLIENT_EVENTS[event].safeParse(payload);
    if (!parsed.success) {
      ack(failure('VALIDATION_FAILED', issuesOf(parsed.error.issues)));
      return null;
    }
    const data = parsed.data as z.output<(typeof SESSION_CLIENT_EVENTS)[E]>;
    const identity = sessionIdentityOf(socket.data.identity);
    const refusal = sessionAccess(identity, action, { sessionId: data.sessionId, joined: socket.rooms.has(sessionRoom(data.sessionId)) }, can);
    if (refusal) {
      ack(failure('FORBIDDEN', refusal));
      return null;
    }
    return { data, identity };
  }

  function you(socket: RealtimeSocket, participantId: number | null): SessionYou {
    const identity = socket.data.identity;
    if (identity.kind === 'account') return { kind: 'account', username: identity.user.username, role: identity.user.role, participantId };
    const { sessionId, label } = identity.customer;
    return { kind: 'customer', sessionId, label, participantId, ...(identity.resumeKey !== null ? { resumeKey: identity.resumeKey } : {}) };
  }

  async function say(socket: RealtimeSocket, event: 'session.note' | 'session.chat', payload: unknown, ack: Acknowledge) {
    const kind = event === 'session.note' ? 'note' : 'chat';
    const admitted = admit(socket, event, kind, payload, ack);
    if (!admitted) return;
    const { sessionId, text } = admitted.data;
    const verdict = await opts.limits.text(socket.data.identity, text.length, opts.clock());
    if (!verdict.allowed) {
      logger.warn({ ...whoOf(socket.data.identity), sessionId, event }, 'realtime: text volume limit reached');
      return ack(failure('RATE_LIMITED', { retryAfterMs: verdict.retryAfterMs }));
    }
    try {
      const { seq } = await room.say(admitted.identity, sessionId, kind, text);
      ack({ ok: true, sessionId, seq } satisfies SessionTextAck);
    } catch (err) {
      ack(errorAck(socket, event, err));
    }
  }

  return {
    async 'session.join'(socket, payload, ack) {
      const admitted = admit(socket, 'session.join', 'join', payload, ack);
      if (!admitted) return;
      const { sessionId, afterSeq = 0 } = admitted.data;
      // Noted before joining, so a disconnect during the join still leaves the room.
      socket.data.sessions.add(sessionId);
      try {
        await room.join(admitted.identity, sessionId, socket.id, afterSeq, (joined) => {
          // Inside the session's lock: the entries below and the live ones after this line
          // neither overlap nor leave a gap.
          void socket.join(sessionRoom(sessionId));
          opts.timeline.joined(socket, sessionId, joined.entries.at(-1)?.seq ?? afterSeq);
          ack({ ok: true, session: joined.snapshot, entries: joined.entries, you: you(socket, joined.participantId) } satisfies SessionJoinAck);
        });
        // Another node's lock does not cover the read above: an entry it committed and sent
        // before this socket was in the room is read again (the sequencer drops what was sent).
        if (opts.crossNode) opts.timeline.catchUp(socket, sessionId);
      } catch (err) {
        if (!socket.rooms.has(sessionRoom(sessionId))) socket.data.sessions.delete(sessionId);
        ack(errorAck(socket, 'session.join', err));
      }
    },

    async 'session.leave'(socket, payload, ack) {
      const parsed = SESSION_CLIENT_EVENTS['session.leave'].safeParse(payload);
      if (!parsed.success) return ack(failure('VALIDATION_FAILED', issuesOf(parsed.error.issues)));
      const { sessionId } = parsed.data;
      void socket.leave(sessionRoom(sessionId));
      opts.timeline.forget(socket, sessionId);
      socket.data.sessions.delete(sessionId);
      try {
        await room.leave(sessionIdentityOf(socket.data.identity), sessionId, socket.id);
        ack({ ok: true, sessionId } satisfies SessionLeaveAck);
      } catch (err) {
        ack(errorAck(socket, 'session.leave', err));
      }
    },

    'session.note': (socket, payload, ack) => say(socket, 'session.note', payload, ack),
    'session.chat': (socket, payload, ack) => say(socket, 'session.chat', payload, ack),

    async 'session.command'(socket, payload, ack) {
      const admitted = admit(socket, 'session.command', 'command', payload, ack);
      if (!admitted) return;
      // sessionAccess already refuses customers; this narrows the type and keeps it so.
      if (admitted.identity.kind !== 'account') return ack(failure('FORBIDDEN', { action: 'command', reason: 'customer-link' }));
      const { sessionId, name, args, timeoutMs } = admitted.data;
      try {
        const run = await room.command(admitted.identity, sessionId, { name, args, ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
        if (run.outcome)
          return ack({ ok: true, sessionId, outcome: run.outcome, commandSeq: run.commandSeq, resultSeq: run.resultSeq } satisfies SessionCommandAck);
        const cause =
          run.error instanceof AppError ? { code: run.error.code, details: run.error.details ?? null } : { code: 'INTERNAL', details: null };
        ack(failure('COMMAND_NOT_SENT', { commandSeq: run.commandSeq, resultSeq: run.resultSeq, cause }));
      } catch (err) {
        ack(errorAck(socket, 'session.command', err));
      }
    },
  };
}
