import { AppError } from '../../../kernel/app-error.ts';
import { checkPasswordStrength } from '../domain/password-policy.ts';

/** Throws PASSWORD_TOO_WEAK, with zxcvbn's feedback as details, unless the new password passes the policy. */
export function requireStrongPassword(password: string, username: string): void {
  const verdict = checkPasswordStrength(password, { username });
  if (!verdict.ok) {
    const { code: _, ...details } = verdict.error;
    throw new AppError('PASSWORD_TOO_WEAK', details);
  }
}
