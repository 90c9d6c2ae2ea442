/*
 * The acknowledgement shape and error codes of the socket.io contract, on their own so that
 * socket-contract.ts (which spreads the session events in) and session-contract.ts (whose
 * acks use this shape) both import them without importing each other.
 */

/**
 * Codes in error acks, connect_error data and session-ended. Same spelling as the HTTP API's
 * codes for the same situations, so the dashboard handles both alike.
 */
export const REALTIME_ERRORS = {
  /** Handshake without a valid session, or the session ended (logout, expiry, account disabled). */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** The role may not receive that channel, or may not do that in the session (details say why). */
  FORBIDDEN: 'FORBIDDEN',
  /** The payload does not match the event's schema. */
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  /** The participant sent more events or text than its limit allows (details: retryAfterMs). */
  RATE_LIMITED: 'RATE_LIMITED',
  /** An event name the server does not handle. */
  UNKNOWN_EVENT: 'UNKNOWN_EVENT',
  /** No remote-guidance session has that id. */
  SESSION_NOT_FOUND: 'SESSION_NOT_FOUND',
  /** The remote-guidance session has ended: its timeline takes no more notes, chat or commands. */
  SESSION_ENDED: 'SESSION_ENDED',
  /** Commands need an active session; a queued one is started first (POST /api/sessions/:id/start). */
  SESSION_NOT_STARTED: 'SESSION_NOT_STARTED',
  /** The command service could not take the command (details: the seqs recorded and the error). */
  COMMAND_NOT_SENT: 'COMMAND_NOT_SENT',
  /** The session could not be checked (e.g. the database failed); try again later. */
  INTERNAL: 'INTERNAL',
} as const;
export type RealtimeErrorCode = keyof typeof REALTIME_ERRORS;

export interface RealtimeError {
  code: RealtimeErrorCode;
  details: unknown;
}

/** Every client→server event is answered with one of these through its ack callback. */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: RealtimeError };
