import { z } from 'zod';
import type { Role } from '../../kernel/roles.ts';
import { MAX_COMMAND_TIMEOUT_MS, type CommandOutcome } from '../../edge/commands/index.ts';
import { BoundedCommandArgs } from '../../contract/json-limits.ts';
import { CommandName } from '../../contract/payloads.ts';
import { refuseUnsafeTextIn } from '../../contract/unsafe-text.ts';
import type { SessionSnapshot, SessionTelemetry } from '../sessions/index.ts';
import { TimelineText, type TimelineEntry } from '../sessions/index.ts';
import type { Ack } from './socket-ack.ts';

/*
 * The remote-guidance part of the socket.io contract (docs/realtime.md, "Remote-guidance
 * sessions"): payload schemas of the session.* client events, their acks, and the events a
 * session's room receives. Like socket-contract.ts it imports only schemas.
 */

const SessionId = z.number().int().positive();

export const SessionJoinRequest = z.strictObject({
  sessionId: SessionId,
  /** The last seq the client holds; the ack carries every entry after it (0 or absent: all). */
  afterSeq: z.number().int().nonnegative().optional(),
});
export const SessionLeaveRequest = z.strictObject({ sessionId: SessionId });
export const SessionTextRequest = z.strictObject({ sessionId: SessionId, text: TimelineText });
export const SessionCommandRequest = z.strictObject({
  sessionId: SessionId,
  name: CommandName,
  args: BoundedCommandArgs.default({}),
  timeoutMs: z.number().int().min(500).max(MAX_COMMAND_TIMEOUT_MS).optional(),
});

/** Each payload also refuses NUL and lone surrogates in any text, `args` included (contract/unsafe-text.ts). */
export const SESSION_CLIENT_EVENTS = refuseUnsafeTextIn({
  'session.join': SessionJoinRequest,
  'session.leave': SessionLeaveRequest,
  'session.note': SessionTextRequest,
  'session.chat': SessionTextRequest,
  'session.command': SessionCommandRequest,
} as const);
export type SessionEventName = keyof typeof SESSION_CLIENT_EVENTS;

/** Who the server takes the connection for, in the join ack. */
export type SessionYou =
  | { kind: 'account'; username: string; role: Role; participantId: number | null }
  | {
      kind: 'customer';
      sessionId: number;
      label: string | null;
      participantId: number | null;
      /**
       * Only on the connection that redeemed the link: keep it (e.g. sessionStorage) and send
       * it as `auth.resumeKey` with the link on every reconnect; the link alone no longer works.
       */
      resumeKey?: string;
    };

export type SessionJoinAck = Ack<{ session: SessionSnapshot; entries: TimelineEntry[]; you: SessionYou }>;
export type SessionLeaveAck = Ack<{ sessionId: number }>;
export type SessionTextAck = Ack<{ sessionId: number; seq: number }>;
export type SessionCommandAck = Ack<{ sessionId: number; outcome: CommandOutcome; commandSeq: number; resultSeq: number }>;

/** What a session's room receives. */
export interface SessionServerEvents {
  /** Each new timeline entry, in seq order. */
  'session.timeline': (entry: TimelineEntry) => void;
  /** The session after a change of state, outcome, queue position or participants. */
  'session.state': (snapshot: SessionSnapshot) => void;
  /** The box's telemetry as it arrives; volatile (dropped for a slow client) and never stored. */
  'session.telemetry': (telemetry: SessionTelemetry) => void;
}

/** The socket.io room of a session; the one place the `session:` prefix is written. */
export function sessionRoom(sessionId: number): string {
  return `session:${sessionId}`;
}

/** The session of a room name, or null for rooms that are not sessions. */
export function sessionOfRoom(room: string): number | null {
  if (!room.startsWith('session:')) return null;
  const parsed = SessionId.safeParse(Number(room.slice('session:'.length)));
  return parsed.success ? parsed.data : null;
}
