/**
 * Error codes of the platform maintenance tickets. the HTTP adapter (platform/http/error-handler.ts) maps
 * them to HTTP status; nothing else does.
 */
export const PLATFORM_TICKET_ERRORS = {
  /** Raised by the store/API when no ticket has the id. */
  PLATFORM_TICKET_NOT_FOUND: 'PLATFORM_TICKET_NOT_FOUND',
  PLATFORM_TICKET_INVALID_TRANSITION: 'PLATFORM_TICKET_INVALID_TRANSITION',
  PLATFORM_TICKET_FORBIDDEN: 'PLATFORM_TICKET_FORBIDDEN',
  PLATFORM_TICKET_PAYLOAD_INVALID: 'PLATFORM_TICKET_PAYLOAD_INVALID',
  PLATFORM_TICKET_DEADLINE_NOT_FOUND: 'PLATFORM_TICKET_DEADLINE_NOT_FOUND',
  PLATFORM_TICKET_DEADLINE_NOT_DUE: 'PLATFORM_TICKET_DEADLINE_NOT_DUE',
} as const;
export type PlatformTicketErrorCode = keyof typeof PLATFORM_TICKET_ERRORS;

declare module '../../../kernel/app-error.ts' {
  interface ErrorCodes extends Record<PlatformTicketErrorCode, true> {}
}
