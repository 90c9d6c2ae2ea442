import { z } from 'zod';
import { Role } from '../../../kernel/roles.ts';
import { EpochMs } from '../../../contract/payloads.ts';
import { SERIAL_PATTERN } from '../../../contract/topics.ts';
import { allowedFrom, canMove, type TransitionTable } from '../../../kernel/state-machine.ts';
import { SupportQueue } from '../../../kernel/support-queue.ts';
import { SESSION_ERRORS } from './errors.ts';
import type { EntryOf } from './timeline-entry.ts';

/**
 * A remote-guidance session: a support engineer and the people at the box working a problem
 * together. Requested outside support hours it waits in its support queue; an engineer
 * starts it; it ends with an outcome.
 */
export const SESSION_STATES = ['queued', 'active', 'ended'] as const;
export const SessionState = z.enum(SESSION_STATES);
export type SessionState = z.infer<typeof SessionState>;

export const SESSION_OUTCOMES = ['resolved-remotely', 'escalated', 'abandoned'] as const;
export const SessionOutcome = z.enum(SESSION_OUTCOMES);
export type SessionOutcome = z.infer<typeof SessionOutcome>;

export const SESSION_TRANSITIONS: TransitionTable<SessionState> = {
  queued: ['active', 'ended'],
  active: ['ended'],
  ended: [],
};

/**
 * Outcomes each state may end with. A queued session nobody worked can only be abandoned
 * (the customer gave up or called back): resolving or escalating needs someone to have
 * looked at the box.
 */
export const OUTCOMES_FROM: Readonly<Record<Exclude<SessionState, 'ended'>, readonly SessionOutcome[]>> = {
  queued: ['abandoned'],
  active: ['resolved-remotely', 'escalated', 'abandoned'],
};

export const SessionActor = z.strictObject({ username: z.string().min(1), role: Role });
export type SessionActor = z.infer<typeof SessionActor>;

export const RemoteSession = z.strictObject({
  id: z.number().int().positive(),
  serial: z.string().regex(SERIAL_PATTERN),
  /** The remote case the session was opened from, if any; escalation goes through it. */
  caseId: z.number().int().positive().nullable(),
  queue: SupportQueue,
  state: SessionState,
  outcome: SessionOutcome.nullable(),
  outcomeReason: z.string().nullable(),
  requestedAt: EpochMs,
  requestedBy: z.string(),
  startedAt: EpochMs.nullable(),
  startedBy: z.string().nullable(),
  endedAt: EpochMs.nullable(),
  endedBy: z.string().nullable(),
  /** The RMA ticket an escalation opened. */
  ticketId: z.number().int().positive().nullable(),
  /** seq of the newest timeline entry; 0 before the first. */
  lastSeq: z.number().int().nonnegative(),
});
export type RemoteSession = z.infer<typeof RemoteSession>;

export type NewRemoteSession = Omit<RemoteSession, 'id' | 'lastSeq'>;

type SystemEntry = EntryOf<'system'>;

export interface InvalidTransition {
  code: typeof SESSION_ERRORS.SESSION_INVALID_TRANSITION;
  from: SessionState;
  to: SessionState;
  allowed: readonly SessionState[];
  outcome?: SessionOutcome;
  allowedOutcomes?: readonly SessionOutcome[];
}

export type SessionResult<E = never> =
  | { ok: true; session: RemoteSession; entries: SystemEntry[]; effects: E[] }
  | { ok: false; error: InvalidTransition };

/** Escalating hands the box to repair: the adapter opens the RMA ticket (through the case, when there is one). */
export interface EscalateEffect {
  kind: 'escalate';
  caseId: number | null;
  serial: string;
  reason: string;
}

const author = (actor: SessionActor) => ({ kind: 'user' as const, username: actor.username, role: actor.role });

/**
 * A new session and its first timeline entry. Seed: the hotline works 9:00–18:00 on working
 * days, so a request outside those hours waits in its support queue instead of starting.
 */
export function openSession(
  input: { serial: string; caseId: number | null; queue: SupportQueue; inSupportHours: boolean },
  actor: SessionActor,
  now: number,
): { session: NewRemoteSession; entries: SystemEntry[] } {
  const state: SessionState = input.inSupportHours ? 'active' : 'queued';
  const from = input.caseId === null ? '' : ` from remote case #${input.caseId}`;
  const text =
    state === 'active'
      ? `${actor.username} opened the session on ${input.serial}${from}`
      : `${actor.username} requested a session on ${input.serial}${from} outside support hours; it waits in the ${input.queue} queue`;
  return {
    session: {
      serial: input.serial,
      caseId: input.caseId,
      queue: input.queue,
      state,
      outcome: null,
      outcomeReason: null,
      requestedAt: now,
      requestedBy: actor.username,
      startedAt: state === 'active' ? now : null,
      startedBy: state === 'active' ? actor.username : null,
      endedAt: null,
      endedBy: null,
      ticketId: null,
    },
    entries: [{ at: now, author: author(actor), kind: 'system', data: { action: 'opened', text } }],
  };
}

function refuse(from: SessionState, to: SessionState, extra: Partial<InvalidTransition> = {}): { ok: false; error: InvalidTransition } {
  return {
    ok: false,
    error: { code: SESSION_ERRORS.SESSION_INVALID_TRANSITION, from, to, allowed: allowedFrom(SESSION_TRANSITIONS, from), ...extra },
  };
}

/** Starts a queued session: an engineer takes it, in support hours or not. */
export function startSession(session: RemoteSession, actor: SessionActor, now: number): SessionResult {
  if (!canMove(SESSION_TRANSITIONS, session.state, 'active')) return refuse(session.state, 'active');
  return {
    ok: true,
    session: { ...session, state: 'active', startedAt: now, startedBy: actor.username },
    entries: [{ at: now, author: author(actor), kind: 'system', data: { action: 'started', text: `${actor.username} started the session` } }],
    effects: [],
  };
}

/** Ends a session with its outcome; `escalated` asks the adapter to open the RMA ticket. */
export function endSession(
  session: RemoteSession,
  command: { outcome: SessionOutcome; reason: string },
  actor: SessionActor,
  now: number,
): SessionResult<EscalateEffect> {
  const from = session.state;
  if (from === 'ended' || !canMove(SESSION_TRANSITIONS, from, 'ended')) return refuse(from, 'ended', { outcome: command.outcome });
  const allowedOutcomes = OUTCOMES_FROM[from];
  if (!allowedOutcomes.includes(command.outcome)) return refuse(from, 'ended', { outcome: command.outcome, allowedOutcomes });
  const escalates = command.outcome === 'escalated';
  return {
    ok: true,
    session: { ...session, state: 'ended', outcome: command.outcome, outcomeReason: command.reason, endedAt: now, endedBy: actor.username },
    entries: [
      {
        at: now,
        author: author(actor),
        kind: 'system',
        data: {
          action: 'ended',
          text: `${actor.username} ended the session: ${command.outcome} (${command.reason})`,
          outcome: command.outcome,
          ticketId: null,
        },
      },
    ],
    effects: escalates ? [{ kind: 'escalate', caseId: session.caseId, serial: session.serial, reason: command.reason }] : [],
  };
}

/** The ended session and its closing entry once the escalation opened its ticket. */
export function withTicket(ended: RemoteSession, entries: SystemEntry[], ticketId: number): { session: RemoteSession; entries: SystemEntry[] } {
  return {
    session: { ...ended, ticketId },
    entries: entries.map((e) =>
      e.data.action === 'ended' ? { ...e, data: { ...e.data, text: `${e.data.text}; RMA ticket #${ticketId}`, ticketId } } : e,
    ),
  };
}

/** Open sessions (queued or active) take the box's live data and new participants. */
export function isOpen(state: SessionState): boolean {
  return state !== 'ended';
}
