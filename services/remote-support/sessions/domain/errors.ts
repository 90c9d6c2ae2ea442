/**
 * Error codes of remote-guidance sessions. the HTTP adapter (platform/http/error-handler.ts) maps them to HTTP
 * status; services/remote-support/realtime/socket-contract.ts lists the ones a socket ack can carry.
 */
export const SESSION_ERRORS = {
  SESSION_NOT_FOUND: 'SESSION_NOT_FOUND',
  /** No move from the session's state to the requested one (e.g. starting an ended session). */
  SESSION_INVALID_TRANSITION: 'SESSION_INVALID_TRANSITION',
  /** The box already has a queued or active session: join that one instead. */
  SESSION_ALREADY_OPEN: 'SESSION_ALREADY_OPEN',
  /** The case given to open a session from is closed or belongs to another box. */
  SESSION_CASE_UNUSABLE: 'SESSION_CASE_UNUSABLE',
  /** The session has ended: its timeline takes no more entries and it gets no new links. */
  SESSION_ENDED: 'SESSION_ENDED',
  /** Commands need an active session: a queued one is started first. */
  SESSION_NOT_STARTED: 'SESSION_NOT_STARTED',
} as const;
export type SessionErrorCode = keyof typeof SESSION_ERRORS;

declare module '../../../kernel/app-error.ts' {
  interface ErrorCodes extends Record<SessionErrorCode, true> {}
}
