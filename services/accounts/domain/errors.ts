/**
 * Error codes of the accounts capability. services/http/error-handler.ts maps them to
 * HTTP status; nothing else does.
 */
export const ACCOUNT_ERRORS = {
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  TOO_MANY_ATTEMPTS: 'TOO_MANY_ATTEMPTS',
  USER_EXISTS: 'USER_EXISTS',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
} as const;
export type AccountErrorCode = keyof typeof ACCOUNT_ERRORS;
