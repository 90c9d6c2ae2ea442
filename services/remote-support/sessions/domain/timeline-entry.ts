import { z } from 'zod';
import { Role } from '../../../kernel/roles.ts';
import { CommandName, EpochMs, FaultState, MessageId, Severity } from '../../../contract/payloads.ts';
import { SERIAL_PATTERN } from '../../../contract/topics.ts';
import type { SessionErrorCode } from './errors.ts';

/*
 * A session's timeline: what was said, done and seen during remote guidance, in the order
 * the backend recorded it. Entries are append-only and numbered per session (`seq` 1, 2, …),
 * so a client that reconnects asks for the entries after the last seq it holds.
 */

export const TIMELINE_KINDS = [
  'note',
  'chat',
  'command',
  'command-result',
  'telemetry-snapshot',
  'fault',
  'event',
  'participant-joined',
  'participant-left',
  'system',
  'tunnel-opened',
  'tunnel-closed',
] as const;
export const TimelineKind = z.enum(TIMELINE_KINDS);
export type TimelineKind = z.infer<typeof TimelineKind>;

/** Plain text a person wrote; stored and sent as text, never as HTML, so every client renders it as text. */
export const TimelineText = z.string().trim().min(1, 'text: at least one character').max(4000);

export const Author = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('user'), username: z.string().min(1), role: Role }),
  z.strictObject({ kind: z.literal('customer'), participantId: z.number().int().positive(), label: z.string().nullable() }),
  z.strictObject({ kind: z.literal('box'), serial: z.string().regex(SERIAL_PATTERN) }),
  z.strictObject({ kind: z.literal('system') }),
]);
export type Author = z.infer<typeof Author>;

const TextData = z.strictObject({ text: TimelineText });

export const CommandData = z.strictObject({
  name: CommandName,
  args: z.record(z.string(), z.unknown()),
  timeoutMs: z.number().int().positive().nullable(),
});

/**
 * How a command ended, as the timeline records it: the command service's statuses (its rule,
 * declared here so the sessions domain does not import the commands capability;
 * session-commands.ts fails to compile if the lists drift apart), plus `not-sent`: the command
 * never reached the command service's outcome (unknown box, database failure).
 */
export const CommandResultStatus = z.union([z.enum(['succeeded', 'failed', 'timed-out', 'offline', 'queued']), z.literal('not-sent')]);
export type CommandResultStatus = z.infer<typeof CommandResultStatus>;

export const CommandResultData = z.strictObject({
  /** The `command` entry this answers. */
  commandSeq: z.number().int().positive(),
  commandId: z.string().nullable(),
  status: CommandResultStatus,
  result: z.unknown().optional(),
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }).nullable(),
});

const TelemetrySnapshotData = z.strictObject({ ts: EpochMs.nullable(), metrics: z.record(z.string(), z.number()) });

const FaultData = z.strictObject({
  faultId: MessageId,
  ts: EpochMs,
  code: z.string(),
  severity: Severity,
  state: FaultState,
  message: z.string().nullable(),
});

const EventData = z.strictObject({
  eventId: MessageId,
  ts: EpochMs,
  type: z.string(),
  details: z.record(z.string(), z.unknown()).nullable(),
});

const ParticipantData = z.strictObject({ participantId: z.number().int().positive() });

export const SystemAction = z.enum(['opened', 'started', 'ended', 'link-created']);
const SystemData = z.strictObject({
  action: SystemAction,
  text: z.string(),
  outcome: z.enum(['resolved-remotely', 'escalated', 'abandoned']).optional(),
  ticketId: z.number().int().positive().nullable().optional(),
});

const TunnelFacts = {
  /** The tunnel's id (32 hex characters), as GET /api/sessions/:id/tunnels lists it. */
  tunnelId: z.string().regex(/^[0-9a-f]{32}$/),
  /** The TCP endpoint on the box's LAN. */
  host: z.string(),
  port: z.number().int().min(1).max(65_535),
  /** The entry in words, e.g. "Tunnel to 192.168.1.10:502 opened by alice." */
  text: z.string(),
};
const TunnelOpenedData = z.strictObject(TunnelFacts);
const TunnelClosedData = z.strictObject({
  ...TunnelFacts,
  /** Why it closed: closed-by-user, client-closed, box-offline, idle, max-duration, sequence, … (docs/protocol.md). */
  reason: z.string(),
  durationMs: z.number().int().nonnegative(),
  /** Stream bytes from the box (the PLC) to the engineer. */
  bytesUp: z.number().int().nonnegative(),
  /** Stream bytes from the engineer to the box (the PLC). */
  bytesDown: z.number().int().nonnegative(),
});

/** One union per shape, so the entry a client receives and the entry a writer appends share every variant. */
function entryUnion<S extends z.ZodRawShape>(shape: S) {
  const variant = <K extends TimelineKind, D extends z.ZodType>(kind: K, data: D) => z.strictObject({ ...shape, kind: z.literal(kind), data });
  return z.discriminatedUnion('kind', [
    variant('note', TextData),
    variant('chat', TextData),
    variant('command', CommandData),
    variant('command-result', CommandResultData),
    variant('telemetry-snapshot', TelemetrySnapshotData),
    variant('fault', FaultData),
    variant('event', EventData),
    variant('participant-joined', ParticipantData),
    variant('participant-left', ParticipantData),
    variant('system', SystemData),
    variant('tunnel-opened', TunnelOpenedData),
    variant('tunnel-closed', TunnelClosedData),
  ]);
}

/** An entry before the store numbers it. */
export const NewTimelineEntry = entryUnion({ at: EpochMs, author: Author });
export type NewTimelineEntry = z.infer<typeof NewTimelineEntry>;

/** An entry as stored and sent: `seq` counts from 1 within its session, without gaps. */
export const TimelineEntry = entryUnion({
  sessionId: z.number().int().positive(),
  seq: z.number().int().positive(),
  at: EpochMs,
  author: Author,
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export type EntryOf<K extends TimelineKind> = Extract<NewTimelineEntry, { kind: K }>;

/**
 * Whether a session in `state` takes an entry of `kind`. An ended session's timeline is
 * closed (it went onto the RMA ticket as it was), except for the result of a command sent
 * before the end and the closing of a tunnel opened before it: facts about the box. Commands
 * wait for an active session.
 */
export function appendRefusal(
  state: 'queued' | 'active' | 'ended',
  kind: TimelineKind,
): Extract<SessionErrorCode, 'SESSION_ENDED' | 'SESSION_NOT_STARTED'> | null {
  if (state === 'ended') return kind === 'command-result' || kind === 'tunnel-closed' ? null : 'SESSION_ENDED';
  if (state === 'queued' && (kind === 'command' || kind === 'tunnel-opened')) return 'SESSION_NOT_STARTED';
  return null;
}

/** A command and, once it came, its result: what GET /api/sessions/:id lists under `commands`. */
export interface CommandRecord {
  seq: number;
  at: number;
  by: Author;
  name: EntryOf<'command'>['data']['name'];
  args: Record<string, unknown>;
  timeoutMs: number | null;
  result: (EntryOf<'command-result'>['data'] & { seq: number; at: number }) | null;
}

/** The session's commands in the order they were sent, each paired with its result entry. */
export function commandsOf(entries: readonly TimelineEntry[]): CommandRecord[] {
  const bySeq = new Map<number, CommandRecord>();
  for (const e of entries) {
    if (e.kind === 'command') {
      bySeq.set(e.seq, { seq: e.seq, at: e.at, by: e.author, name: e.data.name, args: e.data.args, timeoutMs: e.data.timeoutMs, result: null });
    } else if (e.kind === 'command-result') {
      const command = bySeq.get(e.data.commandSeq);
      if (command) command.result = { ...e.data, seq: e.seq, at: e.at };
    }
  }
  return [...bySeq.values()];
}
