import type { Role } from '../../../platform/accounts/domain/roles.ts';
import type { PlatformTicketErrorCode } from './errors.ts';
import type { PlatformActor, PlatformDeadline, PlatformDeadlineKind, PlatformState, PlatformTicket } from './platform-ticket.ts';

export interface PlatformContext {
  now: number;
  actor: PlatformActor;
}

export interface PlatformAuditEntry {
  at: number;
  actor: string;
  role: Role | 'system' | 'pms';
  from: PlatformState | null;
  to: PlatformState;
  reason: string;
}

export type PlatformLiveEvent =
  | { type: 'platform-ticket.submitted'; ticketId: string; project: string; severity: string; at: number }
  | { type: 'platform-ticket.transitioned'; ticketId: string; from: PlatformState; to: PlatformState; at: number };

export type PlatformNotifyTopic = 'confirmed' | 'out-of-scope' | 'repair-scheduled' | 'resolved' | 'repair-overdue';

/** Work the adapter performs after persisting the ticket; plain data, in order. */
export type PlatformEffect =
  | { kind: 'audit'; entry: PlatformAuditEntry }
  | { kind: 'schedule'; deadline: PlatformDeadline }
  | { kind: 'cancel-deadline'; deadlineKind: PlatformDeadlineKind }
  | { kind: 'live'; event: PlatformLiveEvent }
  | {
      kind: 'notify';
      audience: 'customer' | 'after-sales' | 'engineer';
      topic: PlatformNotifyTopic;
      ticketId: string;
      details: Record<string, unknown>;
    };

export interface PlatformError {
  code: PlatformTicketErrorCode;
  details: Record<string, unknown>;
}

export type PlatformResult =
  | { ok: true; ticket: PlatformTicket; effects: PlatformEffect[] }
  | { ok: false; error: PlatformError };

export function platformError(
  code: PlatformTicketErrorCode,
  details: Record<string, unknown>,
): { ok: false; error: PlatformError } {
  return { ok: false, error: { code, details } };
}
