import type { AccountErrorCode } from '../platform/accounts/domain/errors.ts';
import type { ParamErrorCode } from '../remote-support/params/domain/errors.ts';
import type { PlatformTicketErrorCode } from '../after-sales/platform-tickets/domain/errors.ts';
import type { RegistryErrorCode } from '../edge/registry/domain/errors.ts';
import type { SessionErrorCode } from '../remote-support/sessions/domain/errors.ts';
import type { RmaErrorCode } from '../after-sales/rma/domain/errors.ts';
import type { WarrantyErrorCode } from '../after-sales/warranty/domain/errors.ts';

/** Codes the HTTP layer itself raises: malformed requests, routing, the unexpected. */
export const HTTP_ERRORS = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  INVALID_JSON: 'INVALID_JSON',
  BAD_REQUEST: 'BAD_REQUEST',
  NOT_FOUND: 'NOT_FOUND',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  // A browser's state change from another origin (another port, a sibling subdomain).
  CROSS_SITE_REQUEST: 'CROSS_SITE_REQUEST',
  // Too many costly calls (imports, backups, restores, live diffs) from one account or address.
  RATE_LIMITED: 'RATE_LIMITED',
  INTERNAL: 'INTERNAL',
} as const;
export type HttpErrorCode = keyof typeof HTTP_ERRORS;

/** Codes of the diagnostics and after-sales capabilities the API answers with. */
export const AFTER_SALES_ERRORS = {
  CASE_NOT_FOUND: 'CASE_NOT_FOUND',
  CASE_INVALID_TRANSITION: 'CASE_INVALID_TRANSITION',
  INCIDENT_NOT_FOUND: 'INCIDENT_NOT_FOUND',
  INCIDENT_INVALID_TRANSITION: 'INCIDENT_INVALID_TRANSITION',
  CALENDAR_INVALID: 'CALENDAR_INVALID',
  // Suggested warranty exclusions must each be confirmed or rejected by a person first.
  RMA_EXCLUSIONS_UNDECIDED: 'RMA_EXCLUSIONS_UNDECIDED',
  // A parameter restore needs a snapshot: the pre-repair backup or one named by the caller.
  RMA_NO_BACKUP: 'RMA_NO_BACKUP',
} as const;

/** Codes of remote commands. */
export const COMMAND_ERRORS = {
  COMMAND_NOT_FOUND: 'COMMAND_NOT_FOUND',
  // Engineers send commands from a remote-guidance session on that box.
  SESSION_REQUIRED: 'SESSION_REQUIRED',
  // Seed: parameters are backed up before they change; no backup, no change.
  BACKUP_BEFORE_CHANGE_FAILED: 'BACKUP_BEFORE_CHANGE_FAILED',
} as const;
export type CommandErrorCode = keyof typeof COMMAND_ERRORS;
export type AfterSalesErrorCode = keyof typeof AFTER_SALES_ERRORS;

export type ErrorCode =
  | HttpErrorCode
  | AccountErrorCode
  | RegistryErrorCode
  | AfterSalesErrorCode
  | CommandErrorCode
  | RmaErrorCode
  | PlatformTicketErrorCode
  | SessionErrorCode
  | WarrantyErrorCode
  | ParamErrorCode;

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
