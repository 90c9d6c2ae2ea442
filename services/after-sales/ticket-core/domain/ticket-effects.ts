/** One line of a ticket's history. `from` is null when the ticket is opened. */
export interface TicketAuditEntry<State extends string, Role extends string> {
  at: number;
  actor: string;
  role: Role;
  from: State | null;
  to: State;
  reason: string;
}

/** The words one ticket process uses for the effects every process has. */
export interface EffectVocabulary {
  audit: { at: number; actor: string; role: string; from: string | null; to: string; reason: string; action?: string | undefined };
  deadline: { kind: string; dueAt: number };
  live: { type: string; ticketId: string; at: number };
  audience: string;
  topic: string;
}

/**
 * The effects every ticket process raises; plain data, in order, which the effects runner
 * performs after the ticket is persisted: history, deadlines, live events, messages.
 */
export type TicketEffect<V extends EffectVocabulary> =
  | { kind: 'audit'; entry: V['audit'] }
  | { kind: 'schedule'; deadline: V['deadline'] }
  | { kind: 'cancel-deadline'; deadlineKind: V['deadline']['kind'] }
  | { kind: 'live'; event: V['live'] }
  | { kind: 'notify'; audience: V['audience']; topic: V['topic']; ticketId: string; details: Record<string, unknown> };

/** The kinds of effect the shared runner performs; a process runs its own kinds itself. */
export const CORE_EFFECT_KINDS = ['audit', 'schedule', 'cancel-deadline', 'live', 'notify'] as const;
