/*
 * A customer's people get their accounts by invitation: after-sales names the username and
 * the organisation, the customer opens a one-time URL and chooses the password, so no
 * password ever passes through the vendor's hands.
 */

/** How long an invitation URL stays usable: long enough for a week-end and a holiday. */
export const INVITATION_TTL_MS = 7 * 24 * 3_600_000;

export interface Invitation {
  organisationId: number;
  username: string;
  createdBy: string;
  createdAt: number;
  expiresAt: number;
  acceptedAt: number | null;
}

/** Why an invitation URL no longer works; one code, the reason in words for the person holding it. */
export type InvitationRefusal = 'unknown' | 'expired' | 'accepted';

/** Null when the invitation may be accepted now. */
export function invitationRefusal(invitation: Invitation | null, now: number): InvitationRefusal | null {
  if (!invitation) return 'unknown';
  if (invitation.acceptedAt !== null) return 'accepted';
  if (now >= invitation.expiresAt) return 'expired';
  return null;
}
