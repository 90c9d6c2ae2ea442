import { suggestExclusions, type ExclusionFinding } from '../warranty/index.ts';
import { TERMINAL_STATES } from './domain/rma-ticket.ts';
import type { RmaService } from './rma-service-types.ts';
import type { TicketWriter } from './rma-ticket-writer.ts';
import { loadTicketForUpdate, saveTicket } from './store/rma-store.ts';

/** What diagnostics asks of RMA (its `TicketPort`): open a ticket, add a note, attach evidence. */
export function createTriagePort(writer: TicketWriter): Pick<RmaService, 'closedStates' | 'openFromTriage' | 'note' | 'attachEvidence'> {
  return {
    closedStates: TERMINAL_STATES,

    async openFromTriage(tx, input) {
      const r = await writer.openIn(
        tx,
        { serial: input.device.serial },
        'diagnostics',
        { kind: 'diagnostics', code: input.code, reason: input.reason, caseId: null, incidentId: input.incidentId },
        { code: input.code, entry: input.entry },
      );
      return { id: r.id, live: r.live, afterCommit: r.after };
    },

    async note(tx, ticketId, text, at) {
      const row = await loadTicketForUpdate(tx, ticketId);
      if (!row) return [];
      await saveTicket(tx, ticketId, { ...row.stored, notes: [...row.stored.notes, { at, by: 'diagnostics', text }] }, at);
      return [{ channel: 'tickets', type: 'rma.noted', id: ticketId, at, data: { by: 'diagnostics' } }];
    },

    async attachEvidence(tx, ticketId, event, at) {
      const row = await loadTicketForUpdate(tx, ticketId);
      if (!row) return [];
      const suggested = suggestExclusions([event]);
      let exclusions: ExclusionFinding[] = [...row.stored.exclusions];
      for (const s of suggested) {
        const existing = exclusions.find((f) => f.exclusion === s.exclusion);
        if (!existing) exclusions.push(s);
        else if (!existing.evidence.some((ev) => ev.eventId === event.id)) {
          // A decided exclusion keeps its decision; the new evidence is still shown with it.
          exclusions = exclusions.map((f) => (f === existing ? { ...f, evidence: [...f.evidence, ...s.evidence] } : f));
        }
      }
      await saveTicket(tx, ticketId, { ...row.stored, exclusions }, at);
      return [{ channel: 'tickets', type: 'rma.evidence-attached', id: ticketId, at, data: { type: event.type } }];
    },
  };
}
