import type { SessionState } from './remote-session.ts';

/** How long a customer link may wait to be opened: a phone call's worth by default, a working day at most. */
export const LINK_TTL_MINUTES = { default: 60, min: 5, max: 24 * 60 } as const;

export interface StoredLink {
  id: number;
  sessionId: number;
  expiresAt: number;
  redeemedAt: number | null;
  /** sha256 of the resume key handed to the browser that redeemed the link. */
  holderHash: string | null;
}

export type LinkDecision = { ok: true; redeem: boolean } | { ok: false; reason: 'expired' | 'used' | 'session-ended' };

/**
 * Whether a browser presenting a customer link gets in. The link is single-use: the first
 * browser redeems it and receives a resume key; afterwards only that key (a reload, a network
 * blip) gets back in, for as long as the session is open. Expiry bounds the redemption only,
 * so a customer who opened the link in time is not dropped mid-session.
 */
export function decideLinkUse(link: StoredLink, sessionState: SessionState, now: number, presentedHolderHash: string | null): LinkDecision {
  if (sessionState === 'ended') return { ok: false, reason: 'session-ended' };
  if (link.redeemedAt === null) return now < link.expiresAt ? { ok: true, redeem: true } : { ok: false, reason: 'expired' };
  return presentedHolderHash !== null && presentedHolderHash === link.holderHash ? { ok: true, redeem: false } : { ok: false, reason: 'used' };
}
