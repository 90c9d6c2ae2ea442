import type { AccountErrorCode } from '../accounts/domain/errors.ts';
import type { RegistryErrorCode } from '../registry/domain/errors.ts';

/** Codes the HTTP layer itself raises: malformed requests, routing, the unexpected. */
export const HTTP_ERRORS = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  INVALID_JSON: 'INVALID_JSON',
  BAD_REQUEST: 'BAD_REQUEST',
  NOT_FOUND: 'NOT_FOUND',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  INTERNAL: 'INTERNAL',
} as const;
export type HttpErrorCode = keyof typeof HTTP_ERRORS;

export type ErrorCode = HttpErrorCode | AccountErrorCode | RegistryErrorCode;

/** A failure with a stable code; error-handler.ts turns it into `{ error: code, details }`. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly details?: unknown,
  ) {
    super(code);
    this.name = 'AppError';
  }
}
