import { participantKey, type SessionIdentity } from './domain/participant.ts';
import { isOpen } from './domain/remote-session.ts';
import type { SessionSnapshot } from './domain/session-views.ts';
import type { Author, EntryOf, TimelineEntry } from './domain/timeline-entry.ts';
import { authorOf, authorOfParticipant } from './session-authors.ts';
import type { SessionCore } from './session-core.ts';
import { enterRoom, leaveRoom, participantsInRooms, roomOwners, takeOverParticipant } from './store/participant-store.ts';
import { loadSession } from './store/remote-session-store.ts';
import { appendEntries, listEntries } from './store/timeline-store.ts';

export interface JoinResult {
  snapshot: SessionSnapshot;
  /** Every entry after the `afterSeq` the client asked with, oldest first. */
  entries: TimelineEntry[];
  /** The joiner's participant id; null in an ended session, which takes no new participants. */
  participantId: number | null;
}

/**
 * Who is in which session's room. A participant may hold several connections (tabs); the
 * timeline records joining at the first and leaving at the last, so reloads do not flood it.
 */
export function createRoomPresence(core: SessionCore) {
  const { deps, lock, presence } = core;
  const { db, clock } = deps;

  /** Marks the participant out of the room; an open session's timeline says so. Inside the session's lock. */
  async function recordLeft(sessionId: number, participantId: number, author: Author): Promise<void> {
    const session = await loadSession(db, sessionId);
    const now = clock();
    const appended = await db.transaction().execute(async (tx) => {
      await leaveRoom(tx, participantId, now);
      const left: EntryOf<'participant-left'> = { at: now, author, kind: 'participant-left', data: { participantId } };
      return session && isOpen(session.state) ? appendEntries(tx, sessionId, [left]) : [];
    });
    core.publishTimeline(appended);
  }

  /** Adds the connection to the room; a participant new to it is entered and announced. Inside the session's lock. */
  async function enter(identity: SessionIdentity, sessionId: number, connectionId: string): Promise<number> {
    const key = participantKey(identity);
    const room = presence.get(sessionId) ?? new Map();
    presence.set(sessionId, room);
    const present = room.get(key);
    if (present) {
      present.connections.add(connectionId);
      return present.participantId;
    }
    const now = clock();
    const { participant, appended } = await db.transaction().execute(async (tx) => {
      const { participant, entered } = await enterRoom(tx, sessionId, identity, now, deps.nodeId ?? null);
      const joined: EntryOf<'participant-joined'> = {
        at: now,
        author: authorOfParticipant(participant),
        kind: 'participant-joined',
        data: { participantId: participant.id },
      };
      return { participant, appended: entered ? await appendEntries(tx, sessionId, [joined]) : [] };
    });
    room.set(key, { participantId: participant.id, connections: new Set([connectionId]) });
    core.publishTimeline(appended);
    await core.publishState(sessionId);
    return participant.id;
  }

  return {
    /** Enters the room and calls `attach` inside the session's lock, so nothing is appended between the catch-up read and the attach. */
    async join(
      identity: SessionIdentity,
      sessionId: number,
      connectionId: string,
      afterSeq: number,
      attach: (result: JoinResult) => void,
    ): Promise<void> {
      await lock.run(sessionId, async () => {
        const session = await core.requireSession(sessionId);
        const participantId = isOpen(session.state) ? await enter(identity, sessionId, connectionId) : null;
        const entries = await listEntries(db, sessionId, afterSeq);
        attach({ snapshot: await core.snapshot(await core.requireSession(sessionId)), entries, participantId });
      });
    },

    async leave(identity: SessionIdentity, sessionId: number, connectionId: string): Promise<void> {
      await lock.run(sessionId, async () => {
        const room = presence.get(sessionId);
        const key = participantKey(identity);
        const present = room?.get(key);
        if (!room || !present || !present.connections.delete(connectionId) || present.connections.size > 0) return;
        room.delete(key);
        if (room.size === 0) presence.delete(sessionId);
        // Still in the room through another node (a second tab there): not left yet.
        if (await core.connectedElsewhere(sessionId, key)) return;
        await recordLeft(sessionId, present.participantId, authorOf(identity, present.participantId));
        await core.publishState(sessionId);
      });
    },

    /**
     * No connection to this node survives its restart: whoever the rows still show in a room has
     * left, unless connected through another node of the cluster (a rolling restart).
     */
    async clearAfterRestart(): Promise<void> {
      for (const { sessionId, participant, key } of await participantsInRooms(db)) {
        if (await core.connectedElsewhere(sessionId, key)) continue;
        await lock.run(sessionId, () => recordLeft(sessionId, participant.id, authorOfParticipant(participant)));
      }
    },

    /** Nodes through which participants are in rooms now (null: entered without a cluster). */
    owners: () => roomOwners(db),

    /**
     * In a cluster: a node is gone and its connections with it; those who entered through it
     * have left, as its own stop would have said, unless they are still connected here (two
     * tabs, two nodes): then this node holds their row from now on. Answers how many left.
     */
    async releaseNode(nodeId: string | null): Promise<number> {
      let left = 0;
      for (const { sessionId, participant } of await participantsInRooms(db, { nodeId })) {
        await lock.run(sessionId, async () => {
          const heldHere = [...(presence.get(sessionId)?.values() ?? [])].some((p) => p.participantId === participant.id);
          if (heldHere) return takeOverParticipant(db, participant.id, nodeId, deps.nodeId ?? null);
          await recordLeft(sessionId, participant.id, authorOfParticipant(participant));
          await core.publishState(sessionId);
          left++;
        });
      }
      return left;
    },
  };
}
