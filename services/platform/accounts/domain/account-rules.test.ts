import { describe, expect, it } from 'vitest';
import { checkDisable, checkPasswordReset } from './account-rules.ts';

const admin = { id: 1, username: 'root', role: 'admin' as const, enabled: true };
const engineer = { id: 2, username: 'eng', role: 'engineer' as const, enabled: true };

describe('disabling an account', () => {
  it('lets an admin disable another account', () => {
    expect(checkDisable({ actorId: 1, target: engineer, enabledAdmins: 1 })).toEqual({ ok: true });
    expect(checkDisable({ actorId: 3, target: admin, enabledAdmins: 2 })).toEqual({ ok: true });
  });

  it('refuses an admin disabling themself', () => {
    expect(checkDisable({ actorId: 1, target: admin, enabledAdmins: 2 })).toEqual({
      ok: false,
      error: { code: 'CANNOT_DISABLE_SELF', username: 'root' },
    });
  });

  it('refuses disabling the last enabled admin, e.g. when two admins disable each other at once', () => {
    expect(checkDisable({ actorId: 3, target: admin, enabledAdmins: 1 })).toEqual({
      ok: false,
      error: { code: 'LAST_ENABLED_ADMIN', username: 'root' },
    });
  });

  it('lets an already disabled admin be disabled again whatever the count', () => {
    expect(checkDisable({ actorId: 3, target: { ...admin, enabled: false }, enabledAdmins: 1 })).toEqual({ ok: true });
  });
});

describe('resetting a password', () => {
  it("lets an admin reset another account's password but not their own", () => {
    expect(checkPasswordReset({ actorId: 1, target: engineer })).toEqual({ ok: true });
    expect(checkPasswordReset({ actorId: 1, target: admin })).toEqual({ ok: false, error: { code: 'CANNOT_RESET_OWN_PASSWORD', username: 'root' } });
  });
});
