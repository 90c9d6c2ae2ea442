import type { SessionStore } from '../../platform/accounts/domain/account-ports.ts';
import { can } from '../../platform/accounts/index.ts';
import type { Clock } from '../../kernel/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import type { SessionRoom } from '../sessions/session-room.ts';
import { channelOfRoom, mayReceive, type ChannelTable } from './live-events.ts';
import { sessionOfRoom } from './session-contract.ts';
import type { SessionEnded, SessionEndReason } from './socket-contract.ts';
import { sessionIdentityOf, whoOf, type Acknowledge, type RealtimeSocket } from './socket-types.ts';

export interface SessionRecheckDeps {
  sessions: SessionStore;
  clock: Clock;
  logger: Logger;
  channels: ChannelTable;
  remoteSessions?: SessionRoom;
}

export interface SessionRecheck {
  /** Ends-reason if the socket's login is gone; otherwise refreshes it and drops rooms its role lost. */
  recheck(socket: RealtimeSocket): Promise<SessionEndReason | null>;
  /** Tells the client why and disconnects it; the ack, when given, carries the same answer. */
  endSession(socket: RealtimeSocket, reason: SessionEndReason, ack?: Acknowledge): void;
  /** Re-checks each socket in turn, ending those whose login is gone; failures are logged, never thrown. */
  recheckAll(sockets: Iterable<RealtimeSocket>): Promise<void>;
}

/**
 * A socket outlives the HTTP request that authenticated it, so its login is looked up again
 * (on each event, by the sweep, and on account changes): logout, disable, password change or
 * a lost role take effect on open connections too.
 */
export function createSessionRecheck(deps: SessionRecheckDeps): SessionRecheck {
  const { sessions, clock, logger, channels, remoteSessions } = deps;

  /** A role change may have taken away channels or session access; leave those rooms. */
  async function dropLostRooms(socket: RealtimeSocket): Promise<void> {
    const identity = socket.data.identity;
    if (identity.kind !== 'account') return;
    const role = identity.user.role;
    for (const room of socket.rooms) {
      const channel = channelOfRoom(room);
      if (channel && !mayReceive(role, channel, channels)) void socket.leave(room);
      const sessionId = sessionOfRoom(room);
      if (sessionId !== null && !can(role, 'aftersales:read')) {
        void socket.leave(room);
        socket.data.sessions.delete(sessionId);
        await remoteSessions?.leave(sessionIdentityOf(identity), sessionId, socket.id);
      }
    }
  }

  async function recheck(socket: RealtimeSocket): Promise<SessionEndReason | null> {
    const identity = socket.data.identity;
    if (identity.kind === 'customer') {
      // A customer identity exists only if remoteSessions redeemed its link at the handshake.
      const status = await remoteSessions!.customerStatus(identity.customer);
      return status === 'ok' ? null : status;
    }
    const now = clock();
    const user = await sessions.lookup(identity.token, now);
    if (!user) return identity.user.expiresAt <= now ? 'expired' : 'revoked';
    identity.user = user;
    await dropLostRooms(socket);
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

  return { recheck, endSession, recheckAll };
}
