import type { CommandInput, CommandPort } from '../../edge/commands/index.ts';
import { AppError } from '../../kernel/app-error.ts';
import type { NodeWork } from '../../kernel/node-work.ts';
import type { DecodedMessage } from '../../edge/intake/index.ts';
import { participantKey, type SessionIdentity } from './domain/participant.ts';
import { appendRefusal, type TimelineEntry } from './domain/timeline-entry.ts';
import { createBoxMessages } from './box-messages.ts';
import { createCustomerLinkCheck, type CustomerIdentity, type LinkRedemption } from './customer-link-check.ts';
import { createRoomPresence, type JoinResult } from './room-presence.ts';
import { authorOf } from './session-authors.ts';
import { createSessionCommands, type CommandRun, type SessionCommands } from './session-commands.ts';
import type { ConnectedParticipants, OpenChange, SessionCore } from './session-core.ts';
import type { SessionFeed } from './session-feed.ts';
import { openSessions } from './store/remote-session-store.ts';
import { listEntries } from './store/timeline-store.ts';

export type { CustomerIdentity, LinkRedemption } from './customer-link-check.ts';
export type { JoinResult } from './room-presence.ts';
export type { ConnectedParticipants } from './session-core.ts';
export type AccountIdentity = Extract<SessionIdentity, { kind: 'account' }>;

export interface SessionRoom {
  redeemLink(token: string, resumeKey: string | null): Promise<LinkRedemption>;
  /** `closed` once the customer's session ended, `revoked` if the link is gone. */
  customerStatus(identity: CustomerIdentity): Promise<'ok' | 'closed' | 'revoked'>;
  /** Enters the room and calls `attach` inside the session's lock, so nothing is appended between the catch-up read and the attach. */
  join(identity: SessionIdentity, sessionId: number, connectionId: string, afterSeq: number, attach: (result: JoinResult) => void): Promise<void>;
  leave(identity: SessionIdentity, sessionId: number, connectionId: string): Promise<void>;
  say(identity: SessionIdentity, sessionId: number, kind: 'chat' | 'note', text: string): Promise<{ seq: number }>;
  command(identity: AccountIdentity, sessionId: number, input: CommandInput): Promise<CommandRun>;
  /** Stored entries after `afterSeq`, oldest first: fills a gap in what a connection was sent. */
  entriesAfter(sessionId: number, afterSeq: number): Promise<TimelineEntry[]>;
  subscribe: SessionFeed['subscribe'];
  /**
   * In a cluster: how to learn who is in a room through any node, so a leave, a restart's
   * clean-up and command access count the other nodes' connections too.
   */
  countConnectionsAnywhere(census: ConnectedParticipants): void;
}

export interface SessionDeviceSide {
  /** Every message the broker accepted; only boxes with an open session cost more than one lookup. */
  onDeviceMessage(serial: string, channel: DecodedMessage['channel'], payload: DecodedMessage['payload']): void;
  commandAccess: SessionCommands['commandAccess'];
  /** Sends through the command service; a command carrying a session id is recorded on that session's timeline. */
  commands: CommandPort;
  /**
   * After a restart: tracks open sessions and closes presence nobody holds any more. In a
   * cluster (nodeId set) other nodes' participants may be connected: see nodeWork.
   */
  resume(): Promise<void>;
  /** In a cluster: participants in rooms by the node they entered through, and a gone node's leaving. */
  nodeWork: NodeWork;
  /** In a cluster: `listener` hears of every session this node opens or ends, for the other nodes. */
  onOpenChanged(listener: (session: OpenChange) => void): void;
  /** In a cluster: a session another node opened or ended, so the boxes connected here feed it. */
  openChangedElsewhere(session: OpenChange): void;
  idle(): Promise<void>;
}

/** The socket.io side and the box side of remote-guidance sessions, over one session core. */
export function createSessionRoom(core: SessionCore): SessionRoom & SessionDeviceSide {
  const { deps, lock, presence } = core;
  const { db, clock } = deps;
  const commands = createSessionCommands(core);
  const links = createCustomerLinkCheck(core);
  const room = createRoomPresence(core);

  return {
    subscribe: core.feed.subscribe,
    redeemLink: links.redeemLink,
    customerStatus: links.customerStatus,
    join: room.join,
    leave: room.leave,
    entriesAfter: (sessionId, afterSeq) => listEntries(db, sessionId, afterSeq),
    countConnectionsAnywhere(census) {
      core.connectedAnywhere = census;
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

    onDeviceMessage: createBoxMessages(core),
    commandAccess: commands.commandAccess,
    commands: commands.port,

    async resume() {
      for (const { id, serial } of await openSessions(db)) {
        core.openBySerial.set(serial, (core.openBySerial.get(serial) ?? new Set()).add(id));
      }
      if (!deps.nodeId) await room.clearAfterRestart();
    },

    nodeWork: { owners: room.owners, release: room.releaseNode },
    onOpenChanged(listener) {
      core.openListeners.push(listener);
    },
    openChangedElsewhere: (session) => core.trackOpenElsewhere(session),

    async idle() {
      await commands.idle();
      await lock.idle();
    },
  };
}
