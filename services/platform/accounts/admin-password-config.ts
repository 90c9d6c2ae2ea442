import { z } from 'zod';
import { BOOTSTRAP_USERNAME } from './domain/account.ts';
import { checkPasswordStrength, describeWeakness } from './domain/password-policy.ts';

/**
 * ADMIN_PASSWORD as services/platform/config.ts validates it: the password policy of every new password,
 * with the bootstrap account's name as a user input, so a weak one stops the start naming the
 * variable instead of becoming the first admin's password.
 */
export const AdminPassword = z.string().superRefine((password, ctx) => {
  const verdict = checkPasswordStrength(password, { username: BOOTSTRAP_USERNAME });
  if (!verdict.ok) ctx.addIssue({ code: 'custom', message: describeWeakness(verdict.error) });
});
