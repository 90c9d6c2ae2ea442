import { type IncomingMessage, STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { AppError } from '../../kernel/app-error.ts';
import type { Clock } from '../../kernel/clock.ts';
import { cookieValue, SESSION_COOKIE, SESSION_TOKEN } from '../../platform/http/index.ts';
import type { Logger } from '../../platform/logger.ts';
import { isOwnOrigin } from '../../platform/security/index.ts';
import type { TunnelUser } from './domain/tunnel-ports.ts';
import type { TunnelService } from './tunnel-service.ts';

/** The stream of one tunnel, on the API's own port: `/api/sessions/:id/tunnels/:tid/stream`. */
export const STREAM_PATH = /^\/api\/sessions\/([1-9][0-9]{0,8})\/tunnels\/([0-9a-f]{32})\/stream$/;

export function streamPath(sessionId: number, tunnelId: string): string {
  return `/api/sessions/${sessionId}/tunnels/${tunnelId}/stream`;
}

/** The largest WebSocket message the engineer's side may send; the backend splits it into DATA frames. */
export const MAX_STREAM_MESSAGE_BYTES = 64 * 1024;
// A client that does not answer the close handshake is cut after this long at shutdown.
const CLOSE_GRACE_MS = 1000;

export interface TunnelStreamDeps {
  tunnels: TunnelService;
  /** The API's session lookup: one login serves the API, socket.io and the stream. */
  sessions: { lookup(token: string, now: number): Promise<TunnelUser | null> };
  clock: Clock;
  logger: Logger;
  allowedOrigins: readonly string[];
}

export interface TunnelStream {
  /** Cuts every stream still connected (their tunnels are closed by the tunnel service first). */
  close(): Promise<void>;
}

// The statuses an upgrade is refused with; the API's own table says the same for these codes.
const REFUSAL_STATUS: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CROSS_SITE_REQUEST: 403,
  SESSION_NOT_FOUND: 404,
  TUNNEL_NOT_FOUND: 404,
  SESSION_ENDED: 404,
  SESSION_NOT_STARTED: 404,
  TUNNEL_STREAM_BUSY: 409,
};

/** Answers the upgrade with a small HTTP error, as the API would, and closes the socket. */
function refuse(socket: Duplex, status: number, code: string): void {
  if (!socket.writable) return void socket.destroy();
  const body = JSON.stringify({ error: code, details: null });
  const extra = status === 401 ? 'WWW-Authenticate: Bearer\r\n' : '';
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Type: application/json\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/**
 * Who is asking, as the API decides it: `Authorization: Bearer` (the local proxy) is taken as
 * is; the session cookie (a browser) only from this backend's own origin or ALLOWED_ORIGINS,
 * since browsers send cookies on a cross-site WebSocket and CORS does not apply to it.
 */
function credentials(req: IncomingMessage, allowedOrigins: readonly string[]): { token: string } | { refusal: string } {
  const auth = req.headers.authorization;
  if (auth !== undefined) {
    const token = /^Bearer (\S+)$/.exec(auth.trim())?.[1];
    return token !== undefined && SESSION_TOKEN.test(token) ? { token } : { refusal: 'UNAUTHENTICATED' };
  }
  const token = cookieValue(req.headers.cookie, SESSION_COOKIE);
  if (token === null || !SESSION_TOKEN.test(token)) return { refusal: 'UNAUTHENTICATED' };
  const origin = req.headers.origin;
  if (origin === undefined || !isOwnOrigin(origin, req.headers.host, allowedOrigins)) return { refusal: 'CROSS_SITE_REQUEST' };
  return { token };
}

/**
 * The tunnels' WebSocket end on the API's HTTP server. Handles the upgrade of exactly the
 * stream path; every other upgrade (socket.io's) is left to its own listener.
 */
export function attachTunnelStream(server: Server, deps: TunnelStreamDeps): TunnelStream {
  const log = deps.logger.child({ component: 'tunnel-stream' });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_STREAM_MESSAGE_BYTES, perMessageDeflate: false });

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, sessionId: number, tunnelId: string): Promise<void> {
    const creds = credentials(req, deps.allowedOrigins);
    if ('refusal' in creds) return refuse(socket, REFUSAL_STATUS[creds.refusal] ?? 400, creds.refusal);
    const user = await deps.sessions.lookup(creds.token, deps.clock());
    if (!user) return refuse(socket, 401, 'UNAUTHENTICATED');
    let relay: Awaited<ReturnType<TunnelService['streamTarget']>>;
    try {
      relay = await deps.tunnels.streamTarget(sessionId, tunnelId, user);
    } catch (err) {
      if (err instanceof AppError && REFUSAL_STATUS[err.code] !== undefined) return refuse(socket, REFUSAL_STATUS[err.code] as number, err.code);
      throw err;
    }
    // Taken now, before the handshake completes, so a second upgrade racing this one gets 409.
    if (!relay.claim()) return refuse(socket, 409, 'TUNNEL_STREAM_BUSY');
    wss.handleUpgrade(req, socket, head, (ws) => relay.attach(ws));
    log.info({ sessionId, tunnelId, by: user.username }, 'tunnel stream connected');
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const match = STREAM_PATH.exec(path);
    if (!match) return;
    socket.on('error', () => socket.destroy());
    upgrade(req, socket, head, Number(match[1]), match[2] as string).catch((err: unknown) => {
      log.error({ err }, 'tunnel stream upgrade failed');
      refuse(socket, 500, 'INTERNAL');
    });
  });

  return {
    async close() {
      await Promise.all(
        [...wss.clients].map(
          (ws) =>
            new Promise<void>((resolve) => {
              if (ws.readyState === ws.CLOSED) return resolve();
              const cut = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
              ws.once('close', () => {
                clearTimeout(cut);
                resolve();
              });
              if (ws.readyState === ws.OPEN) ws.close(1001, 'backend-stopping');
            }),
        ),
      );
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
