import type { CaseService } from '../../after-sales/diagnostics/index.ts';
import type { RmaService } from '../../after-sales/rma/index.ts';
import type { EscalateEffect, SessionActor } from './domain/remote-session.ts';

/**
 * Opens the RMA ticket an escalated session hands the box to, and answers its id. A session
 * opened from a remote case escalates the case, which opens the ticket with the case's
 * story (and closes the case); a session opened by hand opens a ticket directly.
 */
export async function openEscalationTicket(
  deps: { cases: Pick<CaseService, 'get' | 'transition'>; rma: Pick<RmaService, 'open'> },
  effect: EscalateEffect,
  actor: SessionActor,
  sessionId: number,
): Promise<number> {
  if (effect.caseId !== null) {
    const current = await deps.cases.get(effect.caseId);
    // Escalated already (by hand, beside the session): the ticket it opened is the one.
    if (current.state === 'escalated' && current.ticketId !== null) return current.ticketId;
    const escalated = await deps.cases.transition(effect.caseId, 'escalated', actor, `remote-guidance session #${sessionId}: ${effect.reason}`);
    if (escalated.ticketId !== null) return escalated.ticketId;
  }
  const ticket = await deps.rma.open({ serial: effect.serial }, actor);
  return ticket.id;
}
