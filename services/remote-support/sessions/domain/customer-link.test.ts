import { describe, expect, it } from 'vitest';
import { decideLinkUse, type StoredLink } from './customer-link.ts';

const CREATED = Date.UTC(2026, 10, 20, 2, 0);
const EXPIRES = CREATED + 3_600_000;
const fresh: StoredLink = { id: 1, sessionId: 7, expiresAt: EXPIRES, redeemedAt: null, holderHash: null };
const redeemed: StoredLink = { ...fresh, redeemedAt: CREATED + 60_000, holderHash: 'a'.repeat(64) };

describe('customer link use', () => {
  it('lets the first browser redeem an unexpired link', () => {
    expect(decideLinkUse(fresh, 'active', EXPIRES - 1, null)).toEqual({ ok: true, redeem: true });
    expect(decideLinkUse(fresh, 'queued', CREATED, null)).toEqual({ ok: true, redeem: true });
  });

  it('refuses a link nobody opened before it expired', () => {
    expect(decideLinkUse(fresh, 'active', EXPIRES, null)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a second browser once the link was redeemed, with or without a made-up key', () => {
    expect(decideLinkUse(redeemed, 'active', CREATED + 120_000, null)).toEqual({ ok: false, reason: 'used' });
    expect(decideLinkUse(redeemed, 'active', CREATED + 120_000, 'b'.repeat(64))).toEqual({ ok: false, reason: 'used' });
  });

  it('lets the redeeming browser back in with its resume key, also after the link expired', () => {
    expect(decideLinkUse(redeemed, 'active', EXPIRES + 3_600_000, 'a'.repeat(64))).toEqual({ ok: true, redeem: false });
  });

  it('refuses every use once the session ended', () => {
    expect(decideLinkUse(fresh, 'ended', CREATED, null)).toEqual({ ok: false, reason: 'session-ended' });
    expect(decideLinkUse(redeemed, 'ended', CREATED, 'a'.repeat(64))).toEqual({ ok: false, reason: 'session-ended' });
  });
});
