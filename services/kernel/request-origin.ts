import type { RouteRequest } from './route-definition.ts';

/**
 * The origin a request came to, as the browser that sent it sees it (the trusted proxy's
 * forwarded scheme and host behind TRUST_PROXY): where URLs handed back to that browser, such
 * as a customer link or an invitation, must point.
 */
export function requestOrigin(req: RouteRequest): string {
  const { localAddress, localPort } = req.socket;
  // Only an HTTP/1.0 request may lack Host; then the address it reached stands in.
  const host = req.host ?? (localAddress?.includes(':') ? `[${localAddress}]:${localPort}` : `${localAddress}:${localPort}`);
  return `${req.protocol}://${host}`;
}
