import type { IncomingHttpHeaders } from 'node:http';
import { SESSION_COOKIE } from '../http/auth.ts';
import { HandshakeAuth } from './socket-contract.ts';

// The shape of the tokens SessionStore.create issues (base64url), as the HTTP API checks it.
const TOKEN = /^[A-Za-z0-9_-]{20,128}$/;

function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

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
  return token !== null && TOKEN.test(token) ? token : null;
}
