import type { Role } from '../../../kernel/roles.ts';
import type { PlatformTicketErrorCode } from './errors.ts';
import type { TicketAuditEntry, TicketEffect } from '../../ticket-core/domain/ticket-effects.ts';
import { ticketError, type TicketError, type TicketResult } from '../../ticket-core/domain/ticket-result.ts';
import type { PlatformActor, PlatformDeadline, PlatformState, PlatformTicket } from './platform-ticket.ts';

export interface PlatformContext {
  now: number;
  actor: PlatformActor;
}

export type PlatformAuditEntry = TicketAuditEntry<PlatformState, Role | 'system' | 'pms'>;

export type PlatformLiveEvent =
  | { type: 'platform-ticket.submitted'; ticketId: string; project: string; severity: string; at: number }
  | { type: 'platform-ticket.transitioned'; ticketId: string; from: PlatformState; to: PlatformState; at: number };

export type PlatformNotifyTopic = 'confirmed' | 'out-of-scope' | 'repair-scheduled' | 'resolved' | 'repair-overdue';

interface PlatformVocabulary {
  audit: PlatformAuditEntry;
  deadline: PlatformDeadline;
  live: PlatformLiveEvent;
  audience: 'customer' | 'after-sales' | 'engineer';
  topic: PlatformNotifyTopic;
}

/** Work the adapter performs after persisting the ticket; plain data, in order. */
export type PlatformEffect = TicketEffect<PlatformVocabulary>;

export type PlatformError = TicketError<PlatformTicketErrorCode>;

export type PlatformResult = TicketResult<PlatformTicket, PlatformEffect, PlatformTicketErrorCode>;

export function platformError(code: PlatformTicketErrorCode, details: Record<string, unknown>): { ok: false; error: PlatformError } {
  return ticketError(code, details);
}
