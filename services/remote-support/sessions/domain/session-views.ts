import { z } from 'zod';
import { EpochMs } from '../../../contract/payloads.ts';
import { SERIAL_PATTERN } from '../../../contract/topics.ts';
import { Participant } from './participant.ts';
import { RemoteSession } from './remote-session.ts';
import { Author, CommandData, CommandResultData, TimelineEntry } from './timeline-entry.ts';

/*
 * How a session is shown: over HTTP (api/session-schemas.ts) and in socket.io acks and
 * events (realtime/session-contract.ts), from these same schemas.
 */

export const SessionView = RemoteSession.extend({
  queuePosition: z.number().int().positive().nullable().describe('while queued: place in its support queue, 1 = next'),
  supportOpensAt: EpochMs.nullable().describe('while queued: when support hours next begin'),
});
export type SessionView = z.infer<typeof SessionView>;

/** The session with who is in it: the `session.join` ack and every `session.state` event. */
export const SessionSnapshot = SessionView.extend({ participants: z.array(Participant) });
export type SessionSnapshot = z.infer<typeof SessionSnapshot>;

export const CommandView = z.strictObject({
  seq: z.number().int().positive().describe('the `command` timeline entry'),
  at: EpochMs,
  by: Author,
  ...CommandData.shape,
  result: CommandResultData.extend({ seq: z.number().int().positive(), at: EpochMs }).nullable().describe('the `command-result` entry, once it came'),
});

export const SessionDetail = SessionSnapshot.extend({
  timeline: z.array(TimelineEntry).describe('oldest first: the whole timeline, or over HTTP the entries after `afterSeq`, at most `limit`'),
  nextAfterSeq: z
    .number()
    .int()
    .positive()
    .nullable()
    .describe('when more entries follow the ones in `timeline`: pass as `afterSeq` for the next of them; null when it reaches the newest'),
  commands: z.array(CommandView).describe('every command of the session with its result, whatever part of the timeline is answered'),
});
export type SessionDetail = z.infer<typeof SessionDetail>;

/** A telemetry message of the session's box, relayed as it arrives and never stored in the timeline. */
export const SessionTelemetry = z.strictObject({
  sessionId: z.number().int().positive(),
  serial: z.string().regex(SERIAL_PATTERN),
  ts: EpochMs,
  seq: z.number().int().nonnegative(),
  metrics: z.record(z.string(), z.number()),
});
export type SessionTelemetry = z.infer<typeof SessionTelemetry>;
