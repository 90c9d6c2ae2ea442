import { z } from 'zod';
import { Role } from '../../../kernel/roles.ts';
import { EpochMs } from '../../../contract/payloads.ts';

/**
 * Someone who joined a session's room: a support account, or the person at the box who
 * opened a customer link. One row per account or link; `leftAt` is null while they are in
 * the room with at least one connection.
 */
export const Participant = z.strictObject({
  id: z.number().int().positive(),
  kind: z.enum(['user', 'customer']),
  username: z.string().nullable(),
  role: Role.nullable(),
  /** What the engineer called the link when creating it, e.g. "site electrician". */
  label: z.string().nullable(),
  joinedAt: EpochMs,
  leftAt: EpochMs.nullable(),
});
export type Participant = z.infer<typeof Participant>;

/** Who is on the other end of a socket, as the session rules see it. */
export type SessionIdentity =
  | { kind: 'account'; userId: number; username: string; role: Role }
  | { kind: 'customer'; sessionId: number; linkId: number; label: string | null };

/** One participant per account and per customer link, however many connections each has. */
export function participantKey(identity: SessionIdentity): string {
  return participantKeyOf(identity.kind === 'account' ? { userId: identity.userId } : { linkId: identity.linkId });
}

/** The same key from the account or link alone (a stored participant, another node's connection). */
export function participantKeyOf(ref: { userId: number } | { linkId: number }): string {
  return 'userId' in ref ? `user:${ref.userId}` : `link:${ref.linkId}`;
}
