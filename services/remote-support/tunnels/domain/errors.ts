/**
 * Error codes of PLC tunnels. The HTTP adapter (platform/http/error-handler.ts) maps them to
 * HTTP status.
 */
export const TUNNEL_ERRORS = {
  /** No open tunnel with this id in this session (never opened, or closed since). */
  TUNNEL_NOT_FOUND: 'TUNNEL_NOT_FOUND',
  /** The box answered REFUSED; `details` carry its `{ code, message }` (e.g. `not-allowed`). */
  TUNNEL_REFUSED: 'TUNNEL_REFUSED',
  /** The box did not answer OPEN within OPEN_TIMEOUT_MS. */
  TUNNEL_TIMEOUT: 'TUNNEL_TIMEOUT',
  /** The session already has TUNNEL_MAX_PER_SESSION tunnels open or opening. */
  TUNNEL_LIMIT: 'TUNNEL_LIMIT',
  /** The box is not connected, or went offline before it answered. */
  TUNNEL_BOX_OFFLINE: 'TUNNEL_BOX_OFFLINE',
  /** The WebSocket stream of this tunnel is already connected: one client per tunnel. */
  TUNNEL_STREAM_BUSY: 'TUNNEL_STREAM_BUSY',
} as const;
export type TunnelErrorCode = keyof typeof TUNNEL_ERRORS;

declare module '../../../kernel/app-error.ts' {
  interface ErrorCodes extends Record<TunnelErrorCode, true> {}
}
