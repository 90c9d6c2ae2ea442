/**
 * Error codes of the accounts capability. the HTTP adapter (platform/http/error-handler.ts) maps them to
 * HTTP status; nothing else does.
 */
export const ACCOUNT_ERRORS = {
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  TOO_MANY_ATTEMPTS: 'TOO_MANY_ATTEMPTS',
  USER_EXISTS: 'USER_EXISTS',
  USER_NOT_FOUND: 'USER_NOT_FOUND',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  // A new password is too short, too long, or too easy to guess (zxcvbn feedback in details).
  PASSWORD_TOO_WEAK: 'PASSWORD_TOO_WEAK',
  // Changing one's own password needs the current one, so a borrowed session cannot take the account.
  CURRENT_PASSWORD_INVALID: 'CURRENT_PASSWORD_INVALID',
  // An admin uses POST /api/auth/password for their own account (it asks for the current password).
  CANNOT_RESET_OWN_PASSWORD: 'CANNOT_RESET_OWN_PASSWORD',
  CANNOT_DISABLE_SELF: 'CANNOT_DISABLE_SELF',
  // Someone must be left who can enable accounts again.
  LAST_ENABLED_ADMIN: 'LAST_ENABLED_ADMIN',
  // An invitation URL that is unknown, expired or already used (details.reason says which).
  INVITATION_INVALID: 'INVITATION_INVALID',
} as const;
export type AccountErrorCode = keyof typeof ACCOUNT_ERRORS;

declare module '../../../kernel/app-error.ts' {
  interface ErrorCodes extends Record<AccountErrorCode, true> {}
}
