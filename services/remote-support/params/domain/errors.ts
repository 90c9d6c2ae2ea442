/**
 * Error codes of the parameter-backup capability. the HTTP adapter (platform/http/error-handler.ts) maps them
 * to HTTP status; nothing else does.
 */
export const PARAM_ERRORS = {
  /** No snapshot has the id. */
  BACKUP_NOT_FOUND: 'BACKUP_NOT_FOUND',
  /** The box's parameters could not be read for a snapshot; nothing was stored. */
  BACKUP_FAILED: 'BACKUP_FAILED',
  /** The box's parameters could not be read to compare or to verify a restore. */
  PARAMS_READ_FAILED: 'PARAMS_READ_FAILED',
  /** The snapshot was taken on another model or major firmware version and force was not given. */
  RESTORE_INCOMPATIBLE: 'RESTORE_INCOMPATIBLE',
  /** Another restore to the same box has not finished yet. */
  RESTORE_IN_PROGRESS: 'RESTORE_IN_PROGRESS',
} as const;
export type ParamErrorCode = keyof typeof PARAM_ERRORS;

declare module '../../../kernel/app-error.ts' {
  interface ErrorCodes extends Record<ParamErrorCode, true> {}
}
