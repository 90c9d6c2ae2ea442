import { AppError } from '../../kernel/app-error.ts';
import type { Participant, SessionIdentity } from './domain/participant.ts';
import type { Author } from './domain/timeline-entry.ts';

/** Who a timeline entry names for this identity; a customer speaks only once joined, as a participant. */
export function authorOf(identity: SessionIdentity, participantId: number | undefined): Author {
  if (identity.kind === 'account') return { kind: 'user', username: identity.username, role: identity.role };
  if (participantId === undefined) throw new AppError('FORBIDDEN', { action: 'chat', reason: 'not-joined' });
  return { kind: 'customer', participantId, label: identity.label };
}

/** Who a timeline entry names for a stored participant (after a restart only the row is left). */
export function authorOfParticipant(p: Participant): Author {
  return p.kind === 'user' && p.username !== null && p.role !== null
    ? { kind: 'user', username: p.username, role: p.role }
    : { kind: 'customer', participantId: p.id, label: p.label };
}
