import { randomBytes } from 'node:crypto';
import { hashToken } from '../../platform/accounts/store/sqlite-session-store.ts';
import type { CommandInput, CommandPort } from '../../edge/commands/domain/command-port.ts';
import { AppError } from '../../kernel/app-error.ts';
import type { DecodedMessage } from '../../edge/intake/domain/decode.ts';
import { decideLinkUse } from './domain/customer-link.ts';
import { participantKey, type Participant, type SessionIdentity } from './domain/participant.ts';
import { isOpen } from './domain/remote-session.ts';
import type { SessionSnapshot } from './domain/session-views.ts';
import { appendRefusal, type Author, type EntryOf, type NewTimelineEntry, type TimelineEntry } from './domain/timeline-entry.ts';
import { createSessionCommands, type CommandRun, type SessionCommands } from './session-commands.ts';
import type { SessionCore } from './session-core.ts';
import type { SessionFeed } from './session-feed.ts';
import { findLink, redeemLink } from './store/sqlite-customer-link-store.ts';
import { enterRoom, leaveRoom, participantsInRooms } from './store/sqlite-participant-store.ts';
import { loadSession, openSessions } from './store/sqlite-remote-session-store.ts';
import { appendEntries, listEntries } from './store/sqlite-timeline-store.ts';

export type CustomerIdentity = Extract<SessionIdentity, { kind: 'customer' }>;
export type AccountIdentity = Extract<SessionIdentity, { kind: 'account' }>;

export type LinkRedemption =
  | { ok: true; identity: CustomerIdentity; resumeKey: string | null }
  | { ok: false; reason: 'unknown' | 'expired' | 'used' | 'session-ended' };

export interface JoinResult {
  snapshot: SessionSnapshot;
  /** Every entry after the `afterSeq` the client asked with, oldest first. */
  entries: TimelineEntry[];
  /** The joiner's participant id; null in an ended session, which takes no new participants. */
  participantId: number | null;
}

/** What the socket.io layer does in a session's room. Callers check access (domain/session-access.ts) first. */
export interface SessionRoom {
  redeemLink(token: string, resumeKey: string | null): Promise<LinkRedemption>;
  /** `closed` once the customer's session ended, `revoked` if the link is gone. */
  customerStatus(identity: CustomerIdentity): Promise<'ok' | 'closed' | 'revoked'>;
  /** Enters the room and calls `attach` inside the session's lock, so nothing is appended between the catch-up read and the attach. */
  join(identity: SessionIdentity, sessionId: number, connectionId: string, afterSeq: number, attach: (result: JoinResult) => void): Promise<void>;
  leave(identity: SessionIdentity, sessionId: number, connectionId: string): Promise<void>;
  say(identity: SessionIdentity, sessionId: number, kind: 'chat' | 'note', text: string): Promise<{ seq: number }>;
  command(identity: AccountIdentity, sessionId: number, input: CommandInput): Promise<CommandRun>;
  subscribe: SessionFeed['subscribe'];
}

export interface SessionDeviceSide {
  /** Every message the broker accepted; only boxes with an open session cost more than one lookup. */
  onDeviceMessage(serial: string, channel: DecodedMessage['channel'], payload: DecodedMessage['payload']): void;
  commandAccess: SessionCommands['commandAccess'];
  /** Sends through the command service; a command carrying a session id is recorded on that session's timeline. */
  commands: CommandPort;
  /** After a restart: tracks open sessions and closes presence nobody holds any more. */
  resume(): Promise<void>;
  idle(): Promise<void>;
}

function authorOf(identity: SessionIdentity, participantId: number | undefined): Author {
  if (identity.kind === 'account') return { kind: 'user', username: identity.username, role: identity.role };
  if (participantId === undefined) throw new AppError('FORBIDDEN', { action: 'chat', reason: 'not-joined' });
  return { kind: 'customer', participantId, label: identity.label };
}

function authorOfParticipant(p: Participant): Author {
  return p.kind === 'user' && p.username !== null && p.role !== null
    ? { kind: 'user', username: p.username, role: p.role }
    : { kind: 'customer', participantId: p.id, label: p.label };
}

export function createSessionRoom(core: SessionCore): SessionRoom & SessionDeviceSide {
  const { deps, lock, presence, log } = core;
  const { db, clock } = deps;
  const commands = createSessionCommands(core);

  /** Appends a box's fault or event to each open session on it, in that session's order. */
  function appendFromBox(serial: string, ids: ReadonlySet<number>, entry: NewTimelineEntry): void {
    for (const id of ids) {
      void lock
        .run(id, async () => {
          const s = await loadSession(db, id);
          if (s && appendRefusal(s.state, entry.kind) === null) await core.append(id, [entry]);
        })
        .catch((err: unknown) => log.error({ err, serial, sessionId: id, kind: entry.kind }, 'box message not added to the session timeline'));
    }
  }

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

  return {
    subscribe: core.feed.subscribe,

    async redeemLink(token, resumeKey) {
      const link = await findLink(db, { tokenHash: hashToken(token) });
      if (!link) return { ok: false, reason: 'unknown' };
      const session = await loadSession(db, link.sessionId);
      const decision = decideLinkUse(link, session?.state ?? 'ended', clock(), resumeKey === null ? null : hashToken(resumeKey));
      if (!decision.ok) return decision;
      const identity: CustomerIdentity = { kind: 'customer', sessionId: link.sessionId, linkId: link.id, label: link.label };
      if (!decision.redeem) return { ok: true, identity, resumeKey: null };
      const key = randomBytes(32).toString('base64url');
      // Two browsers racing for one link: the conditional update lets exactly one through.
      if (!(await redeemLink(db, link.id, hashToken(key), clock()))) return { ok: false, reason: 'used' };
      return { ok: true, identity, resumeKey: key };
    },

    async customerStatus(identity) {
      const link = await findLink(db, { id: identity.linkId });
      if (!link) return 'revoked';
      const session = await loadSession(db, identity.sessionId);
      return session && isOpen(session.state) ? 'ok' : 'closed';
    },

    async join(identity, sessionId, connectionId, afterSeq, attach) {
      await lock.run(sessionId, async () => {
        const session = await core.requireSession(sessionId);
        let participantId: number | null = null;
        if (isOpen(session.state)) {
          const key = participantKey(identity);
          const room = presence.get(sessionId) ?? new Map();
          presence.set(sessionId, room);
          const present = room.get(key);
          if (present) {
            present.connections.add(connectionId);
            participantId = present.participantId;
          } else {
            const now = clock();
            const { participant, appended } = await db.transaction().execute(async (tx) => {
              const { participant, entered } = await enterRoom(tx, sessionId, identity, now);
              const joined: EntryOf<'participant-joined'> = { at: now, author: authorOfParticipant(participant), kind: 'participant-joined', data: { participantId: participant.id } };
              return { participant, appended: entered ? await appendEntries(tx, sessionId, [joined]) : [] };
            });
            room.set(key, { participantId: participant.id, connections: new Set([connectionId]) });
            participantId = participant.id;
            core.publishTimeline(appended);
            await core.publishState(sessionId);
          }
        }
        const entries = await listEntries(db, sessionId, afterSeq);
        attach({ snapshot: await core.snapshot(await core.requireSession(sessionId)), entries, participantId });
      });
    },

    async leave(identity, sessionId, connectionId) {
      await lock.run(sessionId, async () => {
        const room = presence.get(sessionId);
        const key = participantKey(identity);
        const present = room?.get(key);
        if (!room || !present || !present.connections.delete(connectionId) || present.connections.size > 0) return;
        room.delete(key);
        if (room.size === 0) presence.delete(sessionId);
        await recordLeft(sessionId, present.participantId, authorOf(identity, present.participantId));
        await core.publishState(sessionId);
      });
    },

    async say(identity, sessionId, kind, text) {
      return lock.run(sessionId, async () => {
        const session = await core.requireSession(sessionId);
        const refusal = appendRefusal(session.state, kind);
        if (refusal) throw new AppError(refusal, { id: sessionId, state: session.state });
        const participantId = presence.get(sessionId)?.get(participantKey(identity))?.participantId;
        const [entry] = await core.append(sessionId, [{ at: clock(), author: authorOf(identity, participantId), kind, data: { text } }]);
        return { seq: entry!.seq };
      });
    },

    command: (identity, sessionId, input) => commands.run(sessionId, { username: identity.username, role: identity.role }, input),

    onDeviceMessage(serial, channel, payload) {
      const ids = core.openBySerial.get(serial);
      if (!ids) return;
      const message = { channel, payload } as DecodedMessage;
      const box = { kind: 'box' as const, serial };
      switch (message.channel) {
        case 'telemetry': {
          // Full rate and volatile: the room sees it live, the timeline does not keep it.
          const { ts, seq, metrics } = message.payload;
          for (const sessionId of ids) core.feed.publish({ type: 'telemetry', telemetry: { sessionId, serial, ts, seq, metrics } });
          return;
        }
        case 'fault': {
          const p = message.payload;
          const data = { faultId: p.id, ts: p.ts, code: p.code, severity: p.severity, state: p.state ?? 'raised', message: p.message ?? null };
          return appendFromBox(serial, ids, { at: clock(), author: box, kind: 'fault', data });
        }
        case 'event': {
          const p = message.payload;
          return appendFromBox(serial, ids, { at: clock(), author: box, kind: 'event', data: { eventId: p.id, ts: p.ts, type: p.type, details: p.details ?? null } });
        }
        default:
          return;
      }
    },

    commandAccess: commands.commandAccess,
    commands: commands.port,

    async resume() {
      for (const { id, serial } of await openSessions(db)) {
        core.openBySerial.set(serial, (core.openBySerial.get(serial) ?? new Set()).add(id));
      }
      // No connection survives a restart: whoever the rows still show in a room has left.
      for (const { sessionId, participant } of await participantsInRooms(db)) {
        await lock.run(sessionId, () => recordLeft(sessionId, participant.id, authorOfParticipant(participant)));
      }
    },

    async idle() {
      await commands.idle();
      await lock.idle();
    },
  };
}
