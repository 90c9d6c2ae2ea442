import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { io as connectSocket, type Socket as ClientSocket } from 'socket.io-client';
import type { SessionStore } from '../../services/platform/accounts/domain/account-ports.ts';
import type { StaffRole as Role } from '../../services/kernel/roles.ts';
import { createSessionStore, hashToken } from '../../services/platform/accounts/store/session-store.ts';
import { createUserStore } from '../../services/platform/accounts/store/user-store.ts';
import { loadConfig } from '../../services/platform/config.ts';
import type { Db } from '../../services/platform/db/database.ts';
import { createLiveBus, type ChannelTable, type LiveBus, type LiveEvent } from '../../services/remote-support/realtime/live-events.ts';
import type { ServerToClientEvents, SessionEnded } from '../../services/remote-support/realtime/socket-contract.ts';
import { SOCKET_PATH } from '../../services/remote-support/realtime/socket-contract.ts';
import { attachRealtime, type RealtimeServer } from '../../services/remote-support/realtime/socket-server.ts';
import { PASSWORD, START } from './http-fixture.ts';
import { tempDir } from './temp-dir.ts';
import { openTestDatabase, testDatabaseEnv } from './test-database.ts';
import { waitFor } from './wait-for.ts';

/*
 * The realtime layer on a real HTTP server, over the real SQLite account and session stores,
 * wired the way services/app.ts wires it. The HTTP handler stands in for the API: it only
 * shows that requests outside /socket.io still reach it.
 */

export const HOUR_MS = 3_600_000;

// Tests also send what a well-behaved dashboard would not (unknown events, bad payloads).
// biome-ignore lint/suspicious/noExplicitAny: socket.io's event maps need any[] listener arguments to accept every event's own tuple
type AnyClientEvents = Record<string, (...args: any[]) => void>;
type TestSocket = ClientSocket<ServerToClientEvents, AnyClientEvents>;

export interface ClientOptions {
  token?: string;
  cookie?: string;
  origin?: string;
  transports?: Array<'polling' | 'websocket'>;
}

/** A socket.io-client socket plus what it has received, for bounded waits on it. */
export interface TestClient {
  socket: TestSocket;
  live: LiveEvent[];
  sessionEnded: SessionEnded[];
  /** Why the socket disconnected, once it has. */
  disconnectReason: string | null;
  connectError: (Error & { data?: unknown }) | null;
  /** Resolves on connect, rejects on connect_error, both within a bounded time. */
  connected(): Promise<void>;
  /** Emits with an ack and a timeout; answers the ack. */
  request(event: string, ...args: unknown[]): Promise<unknown>;
}

export interface RealtimeFixture {
  url: string;
  server: http.Server;
  realtime: RealtimeServer;
  bus: LiveBus;
  db: Db;
  sessions: SessionStore;
  ttlMs: number;
  now(): number;
  advance(ms: number): void;
  /** A fresh session token for a new account with this role. */
  tokenFor(role: Role): Promise<string>;
  /** Deletes the session row, as POST /api/auth/logout does. */
  revoke(token: string): Promise<void>;
  connect(options: ClientOptions): TestClient;
  /** Closes the realtime layer, then the HTTP server, the way the app stops. */
  close(): Promise<void>;
}

export async function startRealtimeFixture(
  opts: { recheckIntervalMs?: number; allowedOrigin?: string; channels?: ChannelTable } = {},
): Promise<RealtimeFixture> {
  const dir = tempDir('mtbox-realtime-');
  const databaseEnv = await testDatabaseEnv();
  const config = loadConfig({ DATA_DIR: dir.path, LOG_LEVEL: 'silent', ...databaseEnv });
  const { db, close: closeDb } = await openTestDatabase(dir.path, databaseEnv);
  let now = START;
  const clock = () => now;
  const ttlMs = config.SESSION_TTL_H * HOUR_MS;
  const users = createUserStore(db);
  const sessions = createSessionStore(db, ttlMs);
  const bus = createLiveBus();

  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('api');
  });
  const realtime = attachRealtime(server, {
    sessions,
    clock,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    bus,
    ...opts,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients: TestClient[] = [];
  let userCount = 0;
  let closed = false;

  const fixture: RealtimeFixture = {
    url,
    server,
    realtime,
    bus,
    db,
    sessions,
    ttlMs,
    now: () => now,
    advance(ms) {
      now += ms;
    },
    async tokenFor(role) {
      const created = await users.create({ username: `${role}-${++userCount}`, password: PASSWORD, role }, now);
      if (!created.ok) throw new Error(`user exists: ${created.error.username}`);
      return (await sessions.create(created.user.id, now)).token;
    },
    revoke: (token) => sessions.revoke(hashToken(token)),
    connect(options) {
      const client = connectClient(url, options);
      clients.push(client);
      return client;
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await realtime.close();
        server.closeAllConnections();
        await closeServer(server);
        // The server ended them: waiting here (instead of closing them) shows that it did.
        await waitFor(() => clients.every((c) => c.socket.disconnected), { timeoutMs: 5000, what: 'clients disconnected' });
      } finally {
        for (const client of clients) client.socket.close();
        await closeDb();
        dir.remove();
      }
    },
  };
  return fixture;
}

/** server.close(), bounded: a connection left open (e.g. an upgraded WebSocket) fails the test instead of hanging it. */
async function closeServer(server: http.Server): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('HTTP server still has open connections 5 s after close')), 5000);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function connectClient(url: string, options: ClientOptions): TestClient {
  const headers: Record<string, string> = {};
  if (options.cookie !== undefined) headers.cookie = options.cookie;
  if (options.origin !== undefined) headers.origin = options.origin;
  const socket: TestSocket = connectSocket(url, {
    path: SOCKET_PATH,
    auth: options.token !== undefined ? { token: options.token } : {},
    extraHeaders: headers,
    transports: options.transports ?? ['polling', 'websocket'],
    // A refused or ended socket must stay down, so tests see exactly what the server did.
    reconnection: false,
    forceNew: true,
  });
  const client: TestClient = {
    socket,
    live: [],
    sessionEnded: [],
    disconnectReason: null,
    connectError: null,
    async connected() {
      await waitFor(() => socket.connected || client.connectError, { timeoutMs: 5000, what: 'connect or connect_error' });
      if (client.connectError) throw client.connectError;
    },
    request(event, ...args) {
      return socket.timeout(5000).emitWithAck(event, ...args);
    },
  };
  socket.on('live', (event) => client.live.push(event));
  socket.on('session-ended', (payload) => client.sessionEnded.push(payload));
  socket.on('disconnect', (reason) => {
    client.disconnectReason = reason;
  });
  socket.on('connect_error', (err) => {
    client.connectError = err as Error & { data?: unknown };
  });
  return client;
}
