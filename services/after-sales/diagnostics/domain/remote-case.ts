import { z } from 'zod';
import { EpochMs, FAULT_CODE } from '../../../contract/payloads.ts';
import { SERIAL_PATTERN } from '../../../contract/topics.ts';
import { DIAGNOSTICS_ERRORS } from './errors.ts';
import { allowedFrom, canMove, finalStates, type TransitionAudit, type TransitionTable } from '../../../kernel/state-machine.ts';

/** A remote-guidance case: an engineer walks the customer through the catalog steps. */
export const CASE_STATES = ['open', 'in-progress', 'resolved-remotely', 'escalated', 'abandoned'] as const;
export const CaseState = z.enum(CASE_STATES);
export type CaseState = z.infer<typeof CaseState>;

export const CASE_TRANSITIONS: TransitionTable<CaseState> = {
  // Straight to escalated: triage may send the box to RMA (a fault repeating after a resolved
  // case) while a newer case still waits for an engineer.
  open: ['in-progress', 'escalated'],
  // Abandoned only once someone worked it: the customer stopped answering or replaced the box.
  'in-progress': ['resolved-remotely', 'escalated', 'abandoned'],
  'resolved-remotely': [],
  escalated: [],
  abandoned: [],
};

/** A case in one of these is closed; a new fault then opens a new case. */
export const CLOSED_CASE_STATES: readonly CaseState[] = finalStates(CASE_TRANSITIONS);

export const RemoteCase = z.strictObject({
  id: z.number().int().positive(),
  serial: z.string().regex(SERIAL_PATTERN),
  /** The code that opened the case; codes attached later are in the triage decisions. */
  code: z.string().regex(FAULT_CODE),
  state: CaseState,
  openedAt: EpochMs,
  openedBy: z.string().min(1),
  updatedAt: EpochMs,
  closedAt: EpochMs.nullable(),
});
export type RemoteCase = z.infer<typeof RemoteCase>;

export type CaseAudit = TransitionAudit<'case', CaseState>;

export type CaseTransitionResult =
  | { ok: true; case: RemoteCase; audit: CaseAudit }
  | { ok: false; error: { code: typeof DIAGNOSTICS_ERRORS.CASE_INVALID_TRANSITION; from: CaseState; to: CaseState; allowed: readonly CaseState[] } };

/** Moves a case to `to` if the transition table allows it, with the audit line to append. */
export function transitionCase(current: RemoteCase, to: CaseState, actor: string, reason: string, now: number): CaseTransitionResult {
  const from = current.state;
  if (!canMove(CASE_TRANSITIONS, from, to)) {
    return { ok: false, error: { code: DIAGNOSTICS_ERRORS.CASE_INVALID_TRANSITION, from, to, allowed: allowedFrom(CASE_TRANSITIONS, from) } };
  }
  const closes = CLOSED_CASE_STATES.includes(to);
  return {
    ok: true,
    case: { ...current, state: to, updatedAt: now, closedAt: closes ? now : null },
    audit: { entityKind: 'case', entityId: current.id, at: now, actor, action: 'transition', from, to, reason, data: null },
  };
}
