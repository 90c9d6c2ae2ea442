/**
 * Every error code the backend answers with. The kernel imports nothing of the capabilities:
 * each one declares its codes beside its domain (`domain/errors.ts`) and adds them here by
 * declaration merging,
 *
 *   declare module '…/kernel/app-error.ts' { interface ErrorCodes extends Record<RmaErrorCode, true> {} }
 *
 * so `new AppError('RMA_NOT_FOUND')` is checked against all of them, and the HTTP adapter's
 * status table (platform/http/error-handler.ts) must name every one.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by the capabilities' declaration merging
export interface ErrorCodes {}

export type ErrorCode = keyof ErrorCodes & string;

/** A failure with a stable code; the HTTP adapter turns it into `{ error: code, details }`. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly details?: unknown,
  ) {
    super(code);
    this.name = 'AppError';
  }
}
