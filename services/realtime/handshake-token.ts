import type { IncomingHttpHeaders } from 'node:http';
import { cookieValue, SESSION_COOKIE, SESSION_TOKEN } from '../http/auth.ts';
import { HandshakeAuth } from './socket-contract.ts';

/**
 * The session token of a socket.io handshake: `auth.token` (scripts, and a dashboard that holds
 * the token) wins over the `mtbox_session` cookie (the dashboard on the same origin). As in
 * the HTTP API, a malformed `auth.token` is not silently replaced by the cookie, so a client's
 * mistake shows up as UNAUTHENTICATED.
 */
export function handshakeToken(handshake: { auth: unknown; headers: IncomingHttpHeaders }): string | null {
  const auth = HandshakeAuth.safeParse(handshake.auth ?? {});
  if (!auth.success) return null;
  const token = auth.data.token ?? cookieValue(handshake.headers.cookie, SESSION_COOKIE);
  return token !== null && SESSION_TOKEN.test(token) ? token : null;
}
