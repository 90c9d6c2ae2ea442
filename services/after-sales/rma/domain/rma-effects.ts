import type { Role } from '../../../platform/accounts/domain/roles.ts';
import type { RmaErrorCode } from './errors.ts';
import type { Actor, Deadline, DeadlineKind, RmaState, RmaTicket, StandbyState } from './rma-ticket.ts';
import type { WorkingDays } from './working-days.ts';

/** What every RMA operation is given: the instant, who acts, and the calendar to count with. */
export interface RmaContext {
  now: number;
  actor: Actor;
  calendar: WorkingDays;
}

/** For the rules acting on their own (deadlines): no human actor. */
export type RulesContext = Omit<RmaContext, 'actor'>;

/** One line of the ticket's history. `from` is null when the ticket is opened. */
export interface RmaAuditEntry {
  at: number;
  actor: string;
  role: Role | 'system';
  from: RmaState | null;
  to: RmaState;
  reason: string;
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

/** Work the adapter performs after persisting the ticket; plain data, in order. */
export type RmaEffect =
  | { kind: 'audit'; entry: RmaAuditEntry }
  | { kind: 'schedule'; deadline: Deadline }
  | { kind: 'cancel-deadline'; deadlineKind: DeadlineKind }
  | { kind: 'live'; event: RmaLiveEvent }
  | { kind: 'standby-required'; ticketId: string; reason: string }
  | {
      kind: 'notify';
      audience: NotifyAudience;
      topic: NotifyTopic;
      ticketId: string;
      details: Record<string, unknown>;
    }
  // Seed: "back up the program parameters before sending them for repair"; the adapter
  // asks the box for its parameters while it is still online.
  | { kind: 'backup-parameters'; ticketId: string; serial: string };

export interface RmaError {
  code: RmaErrorCode;
  details: Record<string, unknown>;
}

export type RmaResult =
  | { ok: true; ticket: RmaTicket; effects: RmaEffect[] }
  | { ok: false; error: RmaError };

export function rmaError(code: RmaErrorCode, details: Record<string, unknown>): { ok: false; error: RmaError } {
  return { ok: false, error: { code, details } };
}
