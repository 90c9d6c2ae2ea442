/**
 * Whether a browser's `Origin` names this backend: the same host and port as the request's
 * `Host`, or one of the configured extra origins. Host only, not scheme: behind a
 * TLS-terminating proxy the backend itself sees plain http while the browser says https.
 */
export function isOwnOrigin(origin: string, host: string | undefined, allowed: readonly string[]): boolean {
  if (allowed.includes(origin)) return true;
  if (host === undefined) return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}
