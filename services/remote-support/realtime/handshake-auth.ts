import type http from 'node:http';
import type { ExtendedError } from 'socket.io';
import type { SessionStore } from '../../platform/accounts/index.ts';
import type { Clock } from '../../kernel/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import type { SessionRoom } from '../sessions/index.ts';
import { isOwnOrigin } from '../../platform/security/index.ts';
import { handshakeCredentials } from './handshake-token.ts';
import type { RealtimeErrorCode } from './socket-ack.ts';
import type { RealtimeSocket, SocketIdentity } from './socket-types.ts';

export interface HandshakeDeps {
  sessions: SessionStore;
  clock: Clock;
  logger: Logger;
  remoteSessions?: SessionRoom;
}

type Middleware = (socket: RealtimeSocket, next: (err?: ExtendedError) => void) => void;

/** socket.io hands `data` of a middleware error to the client's connect_error, so the code travels with it. */
function refusal(code: RealtimeErrorCode): ExtendedError {
  return Object.assign(new Error(code), { data: { code } });
}

/**
 * Browsers always send Origin on a WebSocket handshake, and CORS does not apply to WebSockets:
 * without this check any page the user visits could open a socket riding on the session
 * cookie. Clients that are not browsers send no Origin and authenticate with a token.
 */
export function originAllowed(req: http.IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  return origin === undefined || isOwnOrigin(origin, req.headers.host, allowed);
}

/** Who the handshake's credentials belong to; null for none or for credentials that do not hold. */
async function identify(socket: RealtimeSocket, deps: HandshakeDeps): Promise<SocketIdentity | null> {
  const credentials = handshakeCredentials(socket.handshake);
  if (!credentials) return null;
  if (credentials.kind === 'account') {
    const user = await deps.sessions.lookup(credentials.token, deps.clock());
    return user ? { kind: 'account', user, token: credentials.token } : null;
  }
  // Customer links exist only where remote-guidance sessions are wired in.
  if (!deps.remoteSessions) return null;
  const redeemed = await deps.remoteSessions.redeemLink(credentials.link, credentials.resumeKey);
  if (!redeemed.ok) {
    deps.logger.info({ reason: redeemed.reason }, 'realtime handshake: customer link refused');
    return null;
  }
  return { kind: 'customer', customer: redeemed.identity, resumeKey: redeemed.resumeKey };
}

/**
 * The connection middleware: a socket without a valid login or customer link never reaches
 * `connection`, so no handler has to ask who is there.
 */
export function authenticateHandshake(deps: HandshakeDeps): Middleware {
  return (socket, next) => {
    identify(socket, deps).then(
      (identity) => {
        if (!identity) return next(refusal('UNAUTHENTICATED'));
        socket.data.identity = identity;
        socket.data.sessions = new Set();
        next();
      },
      (err: unknown) => {
        deps.logger.error({ err }, 'realtime handshake: session lookup failed');
        next(refusal('INTERNAL'));
      },
    );
  };
}
