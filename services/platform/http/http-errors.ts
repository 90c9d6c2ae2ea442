/** Codes the HTTP layer itself raises: malformed requests, routing, cross-site, limits, the unexpected. */
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
  // GET /api/ready: starting, stopping, or a part it needs is not usable (the checks say which).
  NOT_READY: 'NOT_READY',
  INTERNAL: 'INTERNAL',
} as const;
export type HttpErrorCode = keyof typeof HTTP_ERRORS;

declare module '../../kernel/app-error.ts' {
  interface ErrorCodes extends Record<HttpErrorCode, true> {}
}
