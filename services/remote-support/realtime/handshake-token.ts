import type { IncomingHttpHeaders } from 'node:http';
import { cookieValue, SESSION_COOKIE, SESSION_TOKEN } from '../../platform/http/index.ts';
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

/** What a handshake presents: an account's session token, or a customer link (and its resume key). */
export type HandshakeCredentials = { kind: 'account'; token: string } | { kind: 'customer'; link: string; resumeKey: string | null };

/**
 * The credentials of a socket.io handshake, or null when none are usable. `auth.sessionLink`
 * makes it a customer connection: the account token and cookie are then not looked at, so a
 * support engineer opening a customer link in their own browser sees what the customer sees.
 */
export function handshakeCredentials(handshake: { auth: unknown; headers: IncomingHttpHeaders }): HandshakeCredentials | null {
  const auth = HandshakeAuth.safeParse(handshake.auth ?? {});
  if (!auth.success) return null;
  const { sessionLink, resumeKey } = auth.data;
  if (sessionLink !== undefined) {
    // Links and resume keys have the shape of session tokens (256 random bits, base64url).
    if (!SESSION_TOKEN.test(sessionLink) || (resumeKey !== undefined && !SESSION_TOKEN.test(resumeKey))) return null;
    return { kind: 'customer', link: sessionLink, resumeKey: resumeKey ?? null };
  }
  const token = handshakeToken(handshake);
  return token === null ? null : { kind: 'account', token };
}
