/**
 * Error codes of the telemetry store. TELEMETRY_STORE_UNAVAILABLE: the time-series server did
 * not answer a read (down, timed out, refused the token, no such database or retention policy).
 */
export const TELEMETRY_ERRORS = {
  TELEMETRY_STORE_UNAVAILABLE: 'TELEMETRY_STORE_UNAVAILABLE',
} as const;
export type TelemetryErrorCode = keyof typeof TELEMETRY_ERRORS;

declare module '../../../kernel/app-error.ts' {
  interface ErrorCodes extends Record<TelemetryErrorCode, true> {}
}
