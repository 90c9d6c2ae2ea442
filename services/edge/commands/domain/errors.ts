/** Error codes of remote commands; the HTTP adapter maps them to status. */
export const COMMAND_ERRORS = {
  COMMAND_NOT_FOUND: 'COMMAND_NOT_FOUND',
  // Engineers send commands from a remote-guidance session on that box.
  SESSION_REQUIRED: 'SESSION_REQUIRED',
  // Seed: parameters are backed up before they change; no backup, no change.
  BACKUP_BEFORE_CHANGE_FAILED: 'BACKUP_BEFORE_CHANGE_FAILED',
} as const;
export type CommandErrorCode = keyof typeof COMMAND_ERRORS;

declare module '../../../kernel/app-error.ts' {
  interface ErrorCodes extends Record<CommandErrorCode, true> {}
}
