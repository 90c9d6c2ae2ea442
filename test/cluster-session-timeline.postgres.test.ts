import { io as connectSocket, type Socket as ClientSocket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimBox } from '../device-sim/index.ts';
import type { SessionDetail } from '../services/remote-support/sessions/domain/session-views.ts';
import type { TimelineEntry } from '../services/remote-support/sessions/domain/timeline-entry.ts';
import { SOCKET_PATH, type ServerToClientEvents } from '../services/remote-support/realtime/socket-contract.ts';
import { startTestBackend, type TestBackend } from './helpers/backend.ts';
import { type EngineServer, startRedis } from './helpers/engines.ts';
import { MONDAY_10_CST } from './helpers/session-fixture.ts';
import { testDatabaseEnv } from './helpers/test-database.ts';
import { waitFor } from './helpers/wait-for.ts';

/*
 * One remote-guidance session whose people sit on different nodes of a cluster (issue 15): one
 * PostgreSQL database, one Redis, two whole backends. Each participant's socket is on its own
 * node and everything it does goes through that node, at once, so entries are committed on
 * both nodes interleaved; every socket must still see each entry once, in seq order.
 */

const PASSWORD = 'correct horse battery';

// biome-ignore lint/suspicious/noExplicitAny: socket.io's event maps need any[] listener arguments to accept every event's own tuple
type TestSocket = ClientSocket<ServerToClientEvents, Record<string, (...args: any[]) => void>>;

interface Participant {
  socket: TestSocket;
  /** The join ack's entries, then every `session.timeline` received, in arrival order. */
  held: TimelineEntry[];
  ended: unknown[];
  request<T = { ok: boolean }>(event: string, payload: unknown): Promise<T>;
}

let redis: EngineServer;
let a: TestBackend;
let b: TestBackend;
const boxes: SimBox[] = [];
const sockets: TestSocket[] = [];
const now = MONDAY_10_CST;

async function api<T>(node: TestBackend, method: string, path: string, headers: Record<string, string>, json?: unknown): Promise<T> {
  const res = await fetch(`${node.api}${path}`, {
    method,
    headers: { ...headers, ...(json !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** An engineer account, signed in through `node`. */
async function engineer(node: TestBackend, username: string): Promise<string> {
  await api(a, 'POST', '/users', await a.adminHeaders(), { username, password: PASSWORD, role: 'engineer' });
  return (await api<{ token: string }>(node, 'POST', '/auth/login', {}, { username, password: PASSWORD })).token;
}

async function connect(node: TestBackend, auth: Record<string, string>): Promise<Participant> {
  const socket: TestSocket = connectSocket(`http://127.0.0.1:${node.app.httpPort}`, { path: SOCKET_PATH, auth, reconnection: false, forceNew: true });
  sockets.push(socket);
  const p: Participant = {
    socket,
    held: [],
    ended: [],
    request: (event, payload) => socket.timeout(10_000).emitWithAck(event, payload),
  };
  socket.on('session.timeline', (entry) => p.held.push(entry));
  socket.on('session-ended', (payload) => p.ended.push(payload));
  await waitFor(() => socket.connected, { timeoutMs: 5000, what: 'socket connected' });
  return p;
}

async function join(p: Participant, sessionId: number): Promise<void> {
  const ack = await p.request<{ ok: boolean; entries: TimelineEntry[] }>('session.join', { sessionId });
  if (!ack.ok) throw new Error(`join: ${JSON.stringify(ack)}`);
  // Live entries may already have arrived while the ack was on its way; the ack's come first.
  p.held.unshift(...ack.entries);
}

async function storedTimeline(sessionId: number, headers: Record<string, string>): Promise<TimelineEntry[]> {
  return (await api<SessionDetail>(a, 'GET', `/sessions/${sessionId}`, headers)).timeline;
}

const seqs = (entries: readonly TimelineEntry[]) => entries.map((e) => e.seq);
const range = (to: number) => Array.from({ length: to }, (_, i) => i + 1);

/** A box connected to node A and seen online by node B; answers `ping`. */
async function boxOnNodeA(serial: string): Promise<string> {
  const { secret } = await api<{ secret: string }>(a, 'POST', '/devices', await a.adminHeaders(), { serial, model: 'MT-BOX-4G', firmware: '2.4.1' });
  const box = new SimBox({ serial, secret, mqttUrl: a.mqttUrl, model: 'MT-BOX-4G', firmware: '2.4.1', clock: () => now });
  boxes.push(box);
  box.start();
  await box.waitOnline();
  await waitFor(async () => (await api<{ presence: { online: boolean } }>(b, 'GET', `/devices/${serial}`, await b.adminHeaders())).presence.online, {
    timeoutMs: 10_000,
    what: 'node B to see the box online',
  });
  return serial;
}

beforeAll(async () => {
  redis = await startRedis();
  const shared = { ...(await testDatabaseEnv()), REDIS_URL: redis.url, SESSION_TTL_H: '87600', SCHEDULER_POLL_S: '3600' };
  // Inside support hours on both nodes.
  a = await startTestBackend(shared, { clock: () => now });
  b = await startTestBackend(shared, { clock: () => now });
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await Promise.all(boxes.map((box) => box.stop({ graceful: false })));
  await a?.stop();
  await b?.stop();
  await redis?.remove();
});

describe('a remote-guidance session across the nodes of a cluster', () => {
  it('two engineers on different nodes and a customer link see one gap-free session timeline', async () => {
    const tokenA = await engineer(a, 'eng-on-a');
    const tokenB = await engineer(b, 'eng-on-b');
    const headersA = { authorization: `Bearer ${tokenA}` };
    const session = await api<SessionDetail>(a, 'POST', '/sessions', headersA, { serial: await boxOnNodeA('MTB26CLSES01') });
    const link = await api<{ token: string }>(b, 'POST', `/sessions/${session.id}/links`, { authorization: `Bearer ${tokenB}` }, { label: 'site' });

    const onA = await connect(a, { token: tokenA });
    const onB = await connect(b, { token: tokenB });
    const customer = await connect(b, { sessionLink: link.token });
    const people = [onA, onB, customer];
    for (const p of people) await join(p, session.id);

    // Everything at once, each through its own node: entries commit on A and B interleaved.
    const rounds = Array.from({ length: 6 }, (_, round) => [
      onA.request('session.chat', { sessionId: session.id, text: `A says ${round}` }),
      onB.request('session.note', { sessionId: session.id, text: `B notes ${round}` }),
      customer.request('session.chat', { sessionId: session.id, text: `customer says ${round}` }),
      ...(round % 2 === 0
        ? [
            onA.request('session.command', { sessionId: session.id, name: 'ping' }),
            onB.request('session.command', { sessionId: session.id, name: 'ping' }),
          ]
        : []),
    ]);
    const answers = await Promise.all(rounds.flat());
    expect(answers.every((ack) => ack.ok)).toBe(true);

    const stored = await storedTimeline(session.id, headersA);
    const last = stored.at(-1)!.seq;
    expect(seqs(stored)).toEqual(range(last));
    // 2 system, 3 joined, 18 chats and notes, 6 commands with 6 results.
    expect(last).toBe(35);
    await waitFor(() => people.every((p) => p.held.some((e) => e.seq === last)), { timeoutMs: 10_000, what: 'the last entry on every socket' });
    for (const p of people) expect(p.held).toEqual(stored);
    // Commands from node B reached the box on node A and came back: each has its result.
    expect(stored.filter((e) => e.kind === 'command-result')).toHaveLength(6);
  });

  it('a socket joining on one node while the other appends holds every entry once, in order', async () => {
    const token = await engineer(a, 'eng-burst');
    const tokenLate = await engineer(b, 'eng-late');
    const headers = { authorization: `Bearer ${token}` };
    const session = await api<SessionDetail>(a, 'POST', '/sessions', headers, { serial: await boxOnNodeA('MTB26CLSES02') });
    const writer = await connect(a, { token });
    await join(writer, session.id);

    const late = await connect(b, { token: tokenLate });
    const burst = Array.from({ length: 20 }, (_, i) => writer.request('session.chat', { sessionId: session.id, text: `line ${i}` }));
    await join(late, session.id);
    expect((await Promise.all(burst)).every((ack) => ack.ok)).toBe(true);

    const stored = await storedTimeline(session.id, headers);
    const last = stored.at(-1)!.seq;
    await waitFor(() => [writer, late].every((p) => p.held.some((e) => e.seq === last)), {
      timeoutMs: 10_000,
      what: 'the last line on both sockets',
    });
    expect(seqs(stored)).toEqual(range(last));
    expect(late.held).toEqual(stored);
    expect(writer.held).toEqual(stored);
  });

  it("counts an engineer's events once across the nodes: tabs on another node buy nothing", async () => {
    const token = await engineer(a, 'eng-many-events');
    const [onA, onB] = [await connect(a, { token }), await connect(b, { token })];
    // 120 events at once for staff (PARTICIPANT_LIMITS); the clock stands still, so nothing
    // refills. Counted per node, 130 events over two nodes would all be let through.
    const answers: Array<{ ok: boolean; error?: { code: string } }> = [];
    for (let i = 0; i < 130; i++) answers.push(await (i % 2 === 0 ? onA : onB).request('no.such.event', {}));
    const codes = answers.map((ack) => ack.error?.code);
    expect(codes.filter((code) => code === 'UNKNOWN_EVENT')).toHaveLength(120);
    expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(10);
  });

  it("ends an account's socket on node B at once when the account is disabled through node A", async () => {
    const token = await engineer(b, 'eng-disabled');
    const onB = await connect(b, { token });

    await api(a, 'POST', '/users/eng-disabled/disable', await a.adminHeaders());

    // Well inside the 60 s sweep: node A told node B.
    await waitFor(() => onB.socket.disconnected, { timeoutMs: 5000, what: 'the socket on node B ended' });
    expect(onB.ended).toEqual([{ code: 'UNAUTHENTICATED', details: { reason: 'revoked' } }]);
  });

  it('lets an engineer in the room through node B command the box through node A', async () => {
    const opener = await engineer(a, 'eng-opener');
    const token = await engineer(b, 'eng-http');
    const serial = await boxOnNodeA('MTB26CLSES04');
    const session = await api<SessionDetail>(a, 'POST', '/sessions', { authorization: `Bearer ${opener}` }, { serial });
    const onB = await connect(b, { token });
    await join(onB, session.id);

    const res = await fetch(`${a.api}/devices/${serial}/commands`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'ping' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'succeeded' });
    // Recorded on the session, whose socket on node B sees it.
    await waitFor(() => onB.held.some((e) => e.kind === 'command-result'), { timeoutMs: 5000, what: 'the command on the timeline' });
  });

  it('keeps in the room an engineer still connected through node A when node B stops, and records the leave once the last tab closes', async () => {
    const token = await engineer(a, 'eng-two-tabs');
    const headers = { authorization: `Bearer ${token}` };
    const session = await api<SessionDetail>(a, 'POST', '/sessions', headers, { serial: await boxOnNodeA('MTB26CLSES03') });
    const link = await api<{ token: string }>(a, 'POST', `/sessions/${session.id}/links`, headers, { label: 'site' });
    const tabOnA = await connect(a, { token });
    const tabOnB = await connect(b, { token });
    const customer = await connect(a, { sessionLink: link.token });
    for (const p of [tabOnA, tabOnB, customer]) await join(p, session.id);

    // Node B stops (last in this file): its tab goes, the same engineer and the customer stay on A.
    // A graceful stop records its sockets' leaves before it returns.
    await b.app.stop();
    const afterStop = await api<SessionDetail>(a, 'GET', `/sessions/${session.id}`, headers);
    expect(afterStop.timeline.filter((e) => e.kind === 'participant-left')).toEqual([]);
    expect(afterStop.participants.map((p) => p.leftAt)).toEqual([null, null]);

    // The engineer's last tab closes: now they have left, once.
    tabOnA.socket.close();
    await waitFor(
      async () => (await api<SessionDetail>(a, 'GET', `/sessions/${session.id}`, headers)).timeline.some((e) => e.kind === 'participant-left'),
      { timeoutMs: 5000, what: 'the engineer recorded as left' },
    );
    const after = await api<SessionDetail>(a, 'GET', `/sessions/${session.id}`, headers);
    expect(after.timeline.filter((e) => e.kind === 'participant-left').map((e) => e.author)).toEqual([
      { kind: 'user', username: 'eng-two-tabs', role: 'engineer' },
    ]);
    await waitFor(() => customer.held.some((e) => e.kind === 'participant-left'), { timeoutMs: 5000, what: 'the customer told' });
    expect(customer.held).toEqual(after.timeline);
  });
});
