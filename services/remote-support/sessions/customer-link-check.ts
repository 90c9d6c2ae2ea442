import { decideLinkUse } from './domain/customer-link.ts';
import type { SessionIdentity } from './domain/participant.ts';
import { isOpen } from './domain/remote-session.ts';
import { hashLinkSecret, newLinkSecret } from './link-secret.ts';
import type { SessionCore } from './session-core.ts';
import { findLink, redeemLink } from './store/customer-link-store.ts';
import { loadSession } from './store/remote-session-store.ts';

export type CustomerIdentity = Extract<SessionIdentity, { kind: 'customer' }>;

export type LinkRedemption =
  | { ok: true; identity: CustomerIdentity; resumeKey: string | null }
  | { ok: false; reason: 'unknown' | 'expired' | 'used' | 'session-ended' };

/**
 * Customer links at the socket handshake: the first use redeems the link and hands out a resume
 * key, so only that browser can come back; later checks ask whether link and session still hold.
 */
export function createCustomerLinkCheck(core: SessionCore) {
  const { db, clock } = core.deps;
  return {
    async redeemLink(token: string, resumeKey: string | null): Promise<LinkRedemption> {
      const link = await findLink(db, { tokenHash: hashLinkSecret(token) });
      if (!link) return { ok: false, reason: 'unknown' };
      const session = await loadSession(db, link.sessionId);
      const decision = decideLinkUse(link, session?.state ?? 'ended', clock(), resumeKey === null ? null : hashLinkSecret(resumeKey));
      if (!decision.ok) return decision;
      const identity: CustomerIdentity = { kind: 'customer', sessionId: link.sessionId, linkId: link.id, label: link.label };
      if (!decision.redeem) return { ok: true, identity, resumeKey: null };
      const key = newLinkSecret();
      // Two browsers racing for one link: the conditional update lets exactly one through.
      if (!(await redeemLink(db, link.id, hashLinkSecret(key), clock()))) return { ok: false, reason: 'used' };
      return { ok: true, identity, resumeKey: key };
    },

    /** `closed` once the customer's session ended, `revoked` if the link is gone. */
    async customerStatus(identity: CustomerIdentity): Promise<'ok' | 'closed' | 'revoked'> {
      const link = await findLink(db, { id: identity.linkId });
      if (!link) return 'revoked';
      const session = await loadSession(db, identity.sessionId);
      return session && isOpen(session.state) ? 'ok' : 'closed';
    },
  };
}
