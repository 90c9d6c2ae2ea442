import type { Logger } from '../../platform/logger.ts';
import type { SessionRoom, TimelineEntry } from '../sessions/index.ts';
import { sessionRoom } from './session-contract.ts';
import { whoOf, type RealtimeIo, type RealtimeSocket } from './socket-types.ts';

/** What one connection holds of one session's timeline. */
interface Held {
  /** Every entry up to this seq was sent (in its join ack or live). */
  seq: number;
  /** A read of the stored entries is under way; entries arriving meanwhile wait in `waiting`. */
  filling: boolean;
  waiting: TimelineEntry[];
}

export interface TimelineSequencer {
  /** The join ack carried every entry up to `seq`; live entries continue from there. */
  joined(socket: RealtimeSocket, sessionId: number, seq: number): void;
  /** Reads the stored entries after what the connection holds and sends the missing ones. */
  catchUp(socket: RealtimeSocket, sessionId: number): void;
  forget(socket: RealtimeSocket, sessionId: number): void;
  /** A committed entry (of this node or another): to each connection of its room here, in seq order, each once. */
  deliver(entry: TimelineEntry): void;
}

/**
 * Keeps the `session.timeline` promise ("in seq order, each once") when entries are committed
 * on several nodes: one from another node may arrive after a later one of this node, or before
 * a connection here finished joining. Seqs are taken under the session row's lock, so once seq n
 * is committed every seq below it is too: a gap is filled from the database, and an entry
 * already sent is dropped. On one node the session lock already orders everything and this
 * only compares numbers.
 */
export function createTimelineSequencer(io: RealtimeIo, room: Pick<SessionRoom, 'entriesAfter'>, logger: Logger): TimelineSequencer {
  const held = new WeakMap<RealtimeSocket, Map<number, Held>>();
  const heldOf = (socket: RealtimeSocket, sessionId: number) => held.get(socket)?.get(sessionId);

  function send(socket: RealtimeSocket, h: Held, entry: TimelineEntry): void {
    socket.emit('session.timeline', entry);
    h.seq = entry.seq;
  }

  function offer(socket: RealtimeSocket, h: Held, entry: TimelineEntry): void {
    if (h.filling) {
      h.waiting.push(entry);
    } else if (entry.seq === h.seq + 1) {
      send(socket, h, entry);
    } else if (entry.seq > h.seq) {
      h.waiting.push(entry);
      void fill(socket, entry.sessionId, h);
    }
  }

  async function fill(socket: RealtimeSocket, sessionId: number, h: Held): Promise<void> {
    if (h.filling) return;
    h.filling = true;
    let stored: TimelineEntry[];
    try {
      stored = await room.entriesAfter(sessionId, h.seq);
    } catch (err) {
      // Without the missing entries the promise cannot be kept on this connection: closing the
      // transport makes the client reconnect and join again with its last seq.
      logger.error({ err, ...whoOf(socket.data.identity), sessionId }, 'realtime: filling a timeline gap failed; connection closed');
      socket.conn.close();
      return;
    }
    h.filling = false;
    // Left the room (or the socket closed) while reading: nothing more to send.
    if (heldOf(socket, sessionId) !== h) return;
    for (const entry of stored) if (entry.seq === h.seq + 1) send(socket, h, entry);
    const waiting = h.waiting.sort((a, b) => a.seq - b.seq);
    h.waiting = [];
    for (const entry of waiting) offer(socket, h, entry);
  }

  return {
    joined(socket, sessionId, seq) {
      const sessions = held.get(socket) ?? new Map<number, Held>();
      held.set(socket, sessions);
      sessions.set(sessionId, { seq, filling: false, waiting: [] });
    },
    catchUp(socket, sessionId) {
      const h = heldOf(socket, sessionId);
      if (h) void fill(socket, sessionId, h);
    },
    forget(socket, sessionId) {
      held.get(socket)?.delete(sessionId);
    },
    deliver(entry) {
      const ids = io.of('/').adapter.rooms.get(sessionRoom(entry.sessionId));
      if (!ids) return;
      for (const id of ids) {
        const socket = io.of('/').sockets.get(id);
        const h = socket && heldOf(socket, entry.sessionId);
        // Not yet answered its join: the join's own read covers this entry.
        if (socket && h) offer(socket, h, entry);
      }
    },
  };
}
