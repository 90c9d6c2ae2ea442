import { z } from 'zod';
import { EpochMs, FAULT_CODE } from '../../../contract/payloads.ts';
import { DIAGNOSTICS_ERRORS } from './errors.ts';
import { allowedFrom, canMove, finalStates, type TransitionAudit, type TransitionTable } from '../../../kernel/state-machine.ts';

/** One fault code on many boxes of one model and firmware: handled once, not per box. */
export const INCIDENT_STATES = ['open', 'acknowledged', 'resolved'] as const;
export const IncidentState = z.enum(INCIDENT_STATES);
export type IncidentState = z.infer<typeof IncidentState>;

export const INCIDENT_TRANSITIONS: TransitionTable<IncidentState> = {
  // Acknowledged first, so the fleet sees someone owns it before it is called resolved.
  open: ['acknowledged'],
  acknowledged: ['resolved'],
  resolved: [],
};

/** An incident in one of these no longer collects boxes; the next wave opens a new one. */
export const CLOSED_INCIDENT_STATES: readonly IncidentState[] = finalStates(INCIDENT_TRANSITIONS);

export const FleetIncident = z.strictObject({
  id: z.number().int().positive(),
  code: z.string().regex(FAULT_CODE),
  model: z.string().min(1).max(64),
  firmware: z.string().min(1).max(64),
  state: IncidentState,
  openedAt: EpochMs,
  updatedAt: EpochMs,
  resolvedAt: EpochMs.nullable(),
});
export type FleetIncident = z.infer<typeof FleetIncident>;

export type IncidentAudit = TransitionAudit<'incident', IncidentState>;

export type IncidentTransitionResult =
  | { ok: true; incident: FleetIncident; audit: IncidentAudit }
  | {
      ok: false;
      error: {
        code: typeof DIAGNOSTICS_ERRORS.INCIDENT_INVALID_TRANSITION;
        from: IncidentState;
        to: IncidentState;
        allowed: readonly IncidentState[];
      };
    };

/** Moves an incident to `to` if the transition table allows it, with the audit line to append. */
export function transitionIncident(current: FleetIncident, to: IncidentState, actor: string, reason: string, now: number): IncidentTransitionResult {
  const from = current.state;
  if (!canMove(INCIDENT_TRANSITIONS, from, to)) {
    return { ok: false, error: { code: DIAGNOSTICS_ERRORS.INCIDENT_INVALID_TRANSITION, from, to, allowed: allowedFrom(INCIDENT_TRANSITIONS, from) } };
  }
  const closes = CLOSED_INCIDENT_STATES.includes(to);
  return {
    ok: true,
    incident: { ...current, state: to, updatedAt: now, resolvedAt: closes ? now : null },
    audit: { entityKind: 'incident', entityId: current.id, at: now, actor, action: 'transition', from, to, reason, data: null },
  };
}
