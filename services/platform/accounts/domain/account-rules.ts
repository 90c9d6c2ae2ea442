import type { User } from './account.ts';

export type AccountRuleResult =
  | { ok: true }
  | { ok: false; error: { code: 'CANNOT_DISABLE_SELF' | 'LAST_ENABLED_ADMIN' | 'CANNOT_RESET_OWN_PASSWORD'; username: string } };

/**
 * Whether an admin may disable an account. Not their own (they would lock themselves out
 * mid-request), and never the last enabled admin, so someone can always enable accounts
 * again; `enabledAdmins` is counted in the same transaction as the change, which is what
 * stops two admins disabling each other at once. Disabling a disabled account is allowed.
 */
export function checkDisable(input: {
  actorId: number;
  target: Pick<User, 'id' | 'username' | 'role' | 'enabled'>;
  enabledAdmins: number;
}): AccountRuleResult {
  const { actorId, target, enabledAdmins } = input;
  if (target.id === actorId) return { ok: false, error: { code: 'CANNOT_DISABLE_SELF', username: target.username } };
  if (target.enabled && target.role === 'admin' && enabledAdmins <= 1) {
    return { ok: false, error: { code: 'LAST_ENABLED_ADMIN', username: target.username } };
  }
  return { ok: true };
}

/**
 * Whether an admin may set another account's password. Their own goes through the password
 * change, which asks for the current one: a session left open must not be enough to take
 * over an admin account.
 */
export function checkPasswordReset(input: { actorId: number; target: Pick<User, 'id' | 'username'> }): AccountRuleResult {
  if (input.target.id === input.actorId) return { ok: false, error: { code: 'CANNOT_RESET_OWN_PASSWORD', username: input.target.username } };
  return { ok: true };
}
