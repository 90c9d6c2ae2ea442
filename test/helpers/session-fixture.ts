import { io as connectSocket, type Socket as ClientSocket } from 'socket.io-client';
import { SimBox } from '../../device-sim/index.ts';
import type { Role } from '../../services/kernel/roles.ts';
import type { SessionSnapshot, SessionTelemetry } from '../../services/remote-support/sessions/domain/session-views.ts';
import type { TimelineEntry } from '../../services/remote-support/sessions/domain/timeline-entry.ts';
import type { LiveEvent } from '../../services/remote-support/realtime/live-events.ts';
import { SOCKET_PATH, type ServerToClientEvents, type SessionEnded } from '../../services/remote-support/realtime/socket-contract.ts';
import { startTestBackend, type TestBackend } from './backend.ts';
import { waitFor } from './wait-for.ts';

/*
 * Remote-guidance sessions end to end: the whole backend on real ports with a settable
 * clock (support hours are decided by it), accounts made through the API, boxes simulated
 * over real MQTT, and socket.io clients that record what each room sends them.
 */

// Monday 16 June 2025, 10:00 in Beijing: inside support hours.
export const MONDAY_10_CST = Date.parse('2025-06-16T02:00:00Z');
// The same Monday, 20:00 in Beijing: after hours; support opens Tuesday 09:00.
export const MONDAY_20_CST = Date.parse('2025-06-16T12:00:00Z');
export const TUESDAY_09_CST = Date.parse('2025-06-17T01:00:00Z');

const PASSWORD = 'correct horse battery';

// Tests send what a well-behaved client would not (bad payloads).
// biome-ignore lint/suspicious/noExplicitAny: socket.io's event maps need any[] listener arguments to accept every event's own tuple
type TestSocket = ClientSocket<ServerToClientEvents, Record<string, (...args: any[]) => void>>;

export interface Account {
  username: string;
  role: Role;
  token: string;
  headers: Record<string, string>;
}

/** A socket.io client plus everything its rooms sent it, for bounded waits. */
export interface SessionClient {
  socket: TestSocket;
  timeline: TimelineEntry[];
  states: SessionSnapshot[];
  telemetry: SessionTelemetry[];
  live: LiveEvent[];
  sessionEnded: SessionEnded[];
  connectError: (Error & { data?: unknown }) | null;
  disconnectReason: string | null;
  connected(): Promise<void>;
  /** Emits with an ack and a 10 s timeout (a command waits for the box). */
  request<T = Record<string, unknown>>(event: string, ...args: unknown[]): Promise<T>;
  /** Timeline seqs received live, in arrival order. */
  seqs(sessionId: number): number[];
}

export interface SessionFixture {
  backend: TestBackend;
  now(): number;
  setNow(ms: number): void;
  account(role: Role): Promise<Account>;
  /** Registers a box through the API; a business line puts it in that support queue. */
  register(businessLine?: 'smart-factory' | 'smart-logistics'): Promise<{ serial: string; secret: string }>;
  /** Registers a box and brings a simulated one online on the backend's clock. */
  boxOnline(): Promise<SimBox>;
  api<T = Record<string, unknown>>(
    method: string,
    path: string,
    headers: Record<string, string>,
    json?: unknown,
  ): Promise<{ status: number; body: T }>;
  connect(auth: { token: string } | { sessionLink: string; resumeKey?: string }): SessionClient;
  close(): Promise<void>;
}

export async function startSessionFixture(start = MONDAY_10_CST, env: Record<string, string> = {}): Promise<SessionFixture> {
  let now = start;
  const clock = () => now;
  // Logins must outlive the clock moves between tests.
  const backend = await startTestBackend({ SESSION_TTL_H: '87600', SCHEDULER_POLL_S: '3600', ...env }, { clock });
  const admin = await backend.adminHeaders();
  const clients: SessionClient[] = [];
  const boxes: SimBox[] = [];
  let users = 0;
  let serials = 0;

  const fixture: SessionFixture = {
    backend,
    now: () => now,
    setNow(ms) {
      now = ms;
    },
    async api(method, path, headers, json) {
      const res = await fetch(`${backend.api}${path}`, {
        method,
        headers: { ...headers, ...(json !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
      });
      return { status: res.status, body: (await res.json()) as never };
    },
    async account(role) {
      const username = `${role}-${++users}`;
      const created = await fixture.api('POST', '/users', admin, { username, password: PASSWORD, role });
      if (created.status !== 201) throw new Error(`create ${username}: ${created.status} ${JSON.stringify(created.body)}`);
      const login = await fixture.api<{ token: string }>('POST', '/auth/login', {}, { username, password: PASSWORD });
      if (login.status !== 200) throw new Error(`login ${username}: ${login.status}`);
      return { username, role, token: login.body.token, headers: { authorization: `Bearer ${login.body.token}` } };
    },
    async register(businessLine) {
      const serial = `MTB25SES${String(++serials).padStart(5, '0')}`;
      const customer = businessLine ? { customer: { name: 'Acme Works', businessLine } } : {};
      const res = await fixture.api<{ secret: string }>('POST', '/devices', admin, { serial, model: 'MT-BOX-4G', firmware: '2.4.1', ...customer });
      if (res.status !== 201) throw new Error(`register ${serial}: ${res.status} ${JSON.stringify(res.body)}`);
      return { serial, secret: res.body.secret };
    },
    async boxOnline() {
      const { serial, secret } = await fixture.register();
      const box = new SimBox({ serial, secret, mqttUrl: backend.mqttUrl, model: 'MT-BOX-4G', firmware: '2.4.1', clock });
      boxes.push(box);
      box.start();
      await box.waitOnline();
      return box;
    },
    connect(auth) {
      const client = connectClient(`http://127.0.0.1:${backend.app.httpPort}`, auth);
      clients.push(client);
      return client;
    },
    async close() {
      for (const c of clients) c.socket.close();
      await Promise.all(boxes.map((b) => b.stop({ graceful: false })));
      await backend.stop();
    },
  };
  return fixture;
}

function connectClient(url: string, auth: Record<string, string>): SessionClient {
  const socket: TestSocket = connectSocket(url, {
    path: SOCKET_PATH,
    auth,
    // A refused or ended socket must stay down; tests reconnect by hand to control afterSeq.
    reconnection: false,
    forceNew: true,
  });
  const client: SessionClient = {
    socket,
    timeline: [],
    states: [],
    telemetry: [],
    live: [],
    sessionEnded: [],
    connectError: null,
    disconnectReason: null,
    async connected() {
      await waitFor(() => socket.connected || client.connectError, { timeoutMs: 5000, what: 'connect or connect_error' });
      if (client.connectError) throw client.connectError;
    },
    request(event, ...args) {
      return socket.timeout(10_000).emitWithAck(event, ...args);
    },
    seqs: (sessionId) => client.timeline.filter((e) => e.sessionId === sessionId).map((e) => e.seq),
  };
  socket.on('session.timeline', (entry) => client.timeline.push(entry));
  socket.on('session.state', (snapshot) => client.states.push(snapshot));
  socket.on('session.telemetry', (t) => client.telemetry.push(t));
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
