import type { Role } from '../../../kernel/roles.ts';
import type { RmaErrorCode } from './errors.ts';
import type { TicketAuditEntry, TicketEffect } from '../../ticket-core/domain/ticket-effects.ts';
import { ticketError, type TicketError, type TicketResult } from '../../ticket-core/domain/ticket-result.ts';
import type { Actor, Deadline, RmaState, RmaTicket, StandbyState } from './rma-ticket.ts';
import type { WorkingDays } from './working-days.ts';

/** What every RMA operation is given: the instant, who acts, and the calendar to count with. */
export interface RmaContext {
  now: number;
  actor: Actor;
  calendar: WorkingDays;
  /** Business hours to the first response (the `FIRST_RESPONSE_HOURS` setting); 4 when absent. */
  firstResponseHours?: number;
}

/** For the rules acting on their own (deadlines): no human actor. */
export type RulesContext = Omit<RmaContext, 'actor'>;

/** One line of the ticket's history. `from` is null when the ticket is opened. */
export interface RmaAuditEntry extends TicketAuditEntry<RmaState, Role | 'system'> {
  /** Set when the entry records a standby-unit step rather than a state change. */
  standby?: { from: StandbyState; to: StandbyState };
  /** Set when the entry records something other than a state change, e.g. `parameter-restore`. */
  action?: string;
}

export type RmaLiveEvent =
  | { type: 'rma.opened'; ticketId: string; serial: string; state: RmaState; at: number }
  | { type: 'rma.transitioned'; ticketId: string; from: RmaState; to: RmaState; at: number }
  | { type: 'rma.standby'; ticketId: string; from: StandbyState; to: StandbyState; at: number }
  | { type: 'rma.parameters'; ticketId: string; outcome: 'verified' | 'failed' | 'waived'; at: number };

export type NotifyAudience = 'customer' | 'after-sales' | 'technician';

export type NotifyTopic =
  | 'first-response-overdue'
  | 'warranty-confirmed'
  | 'shipping-instructions'
  | 'repair-report'
  | 'payment-details'
  | 'start-repair'
  | 'postponed'
  | 'returned-unrepaired'
  | 'shipped-back'
  | 'feedback-follow-up';

export interface RmaVocabulary {
  audit: RmaAuditEntry;
  deadline: Deadline;
  live: RmaLiveEvent;
  audience: NotifyAudience;
  topic: NotifyTopic;
}

/** Work the adapter performs after persisting the ticket; plain data, in order. */
export type RmaEffect =
  | TicketEffect<RmaVocabulary>
  | { kind: 'standby-required'; ticketId: string; reason: string }
  // Seed: "back up the program parameters before sending them for repair"; the adapter
  // asks the box for its parameters while it is still online.
  | { kind: 'backup-parameters'; ticketId: string; serial: string };

/** The effects only RMA tickets raise; the shared runner hands them back to the RMA adapter. */
export type RmaOwnEffect = Extract<RmaEffect, { kind: 'standby-required' | 'backup-parameters' }>;

export type RmaError = TicketError<RmaErrorCode>;

export type RmaResult = TicketResult<RmaTicket, RmaEffect, RmaErrorCode>;

export function rmaError(code: RmaErrorCode, details: Record<string, unknown>): { ok: false; error: RmaError } {
  return ticketError(code, details);
}

/**
 * The audit line of something recorded on a ticket without moving it (a standby step, a
 * parameter restore, a customer's remittance): `from` and `to` are both the present state.
 */
export function recordAudit(
  ticket: RmaTicket,
  actor: { username: string; role: RmaAuditEntry['role'] },
  now: number,
  reason: string,
  what: Pick<RmaAuditEntry, 'standby' | 'action'>,
): RmaEffect {
  return { kind: 'audit', entry: { at: now, actor: actor.username, role: actor.role, from: ticket.state, to: ticket.state, reason, ...what } };
}
