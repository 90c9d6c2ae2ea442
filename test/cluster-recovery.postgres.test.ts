import type { MqttClient } from 'mqtt';
import { Redis } from 'ioredis';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandRequest } from '../services/contract/payloads.ts';
import { commandRequestFilter, topicFor } from '../services/contract/topics.ts';
import { insertCommand } from '../services/edge/commands/store/command-store.ts';
import { SOCKET_PATH } from '../services/remote-support/realtime/socket-contract.ts';
import { ADMIN_PASSWORD, connectBox, publish, startTestBackend, type TestBackend } from './helpers/backend.ts';
import { type BackendProcess, startBackendProcess } from './helpers/backend-process.ts';
import { type EngineServer, startRedis } from './helpers/engines.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { testDatabaseEnv } from './helpers/test-database.ts';
import { waitFor } from './helpers/wait-for.ts';

/*
 * Start-up recovery with other nodes alive (issue 15): node B (its own process) waits for a
 * command, has an engineer in a session room and relays a tunnel. Node C starting on the same
 * PostgreSQL and Redis leaves all three alone, and ends only what nodes that are gone left.
 * B is then killed: the survivor ends B's command as timed out, marks its participant left
 * (but not one also connected through the survivor) and closes its tunnel, once B's
 * heartbeat has lapsed (NODE_TTL_MS, 15 s).
 */

const SERIAL = 'MTB26RECOVER1';
const ENGINEER_PASSWORD = 'recovery-engineer-password-7';

interface CommandView {
  id: string;
  status: string;
  error?: { code: string };
}
interface SessionDetail {
  id: number;
  participants: Array<{ id: number; username: string | null; leftAt: number | null }>;
  timeline: Array<{ kind: string; data: Record<string, unknown> }>;
}

describe('start-up recovery in a cluster', () => {
  let redis: EngineServer;
  let a: TestBackend;
  let b: BackendProcess;
  let c: TestBackend | undefined;
  let box: MqttClient;
  const sockets: Socket[] = [];
  let shared: Record<string, string>;
  const dir = tempDir('cluster-recovery-');
  // What the box was asked, in order; it answers only when the test says.
  const requests: CommandRequest[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    shared = { ...(await testDatabaseEnv()), REDIS_URL: redis.url };
    // A first: it creates the admin account that B then finds.
    a = await startTestBackend(shared);
    b = await startBackendProcess({ ...shared, DATA_DIR: dir.path, ADMIN_PASSWORD });
    const [cred] = await a.app.provision([SERIAL]);
    box = await connectBox(a.mqttUrl, SERIAL, cred!.secret);
    box.on('message', (_topic, payload) => requests.push(CommandRequest.parse(JSON.parse(payload.toString()))));
    await box.subscribeAsync(commandRequestFilter(SERIAL), { qos: 1 });
  }, 90_000);
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await box?.endAsync(true);
    await c?.stop();
    await b?.kill();
    await a?.stop();
    dir.remove();
    await redis?.remove();
  });

  async function login(api: string, username = 'admin', password = ADMIN_PASSWORD): Promise<string> {
    const res = await fetch(`${api}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { token: string }).token;
  }

  async function call<T>(api: string, method: string, path: string, body?: unknown): Promise<T> {
    const token = await login(api);
    const res = await fetch(`${api}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    expect(res.status, `${method} ${path}`).toBeLessThan(300);
    return (await res.json()) as T;
  }

  const commandOnA = (id: string) => call<CommandView>(a.api, 'GET', `/devices/${SERIAL}/commands/${id}`);
  const sessionOnA = (id: number) => call<SessionDetail>(a.api, 'GET', `/sessions/${id}`);
  const tunnelRow = (id: string) => a.app.db.selectFrom('tunnels').select(['state', 'close_reason']).where('id', '=', id).executeTakeFirstOrThrow();

  /** B's id in the cluster, from its heartbeat key (node id = host-pid-random). */
  async function nodeIdOfB(): Promise<string> {
    const client = new Redis(redis.url);
    const keys = await client.keys('mtbox:node:*');
    await client.quit();
    const key = keys.find((k) => k.includes(`-${b.child.pid}-`));
    expect(key).toBeDefined();
    return key!.slice('mtbox:node:'.length);
  }

  /** A tunnel row as a node records it when the box opened it (the relay itself lives in that node's memory). */
  async function tunnelOwnedBy(nodeId: string | null, sessionId: number, id: string): Promise<string> {
    const device = await a.app.db.selectFrom('devices').select('id').where('serial', '=', SERIAL).executeTakeFirstOrThrow();
    await a.app.db
      .insertInto('tunnels')
      .values({
        id,
        session_id: sessionId,
        device_id: device.id,
        host: '192.168.1.10',
        port: 502,
        state: 'open',
        opened_by: 'admin',
        opened_at: Date.now(),
        closed_at: null,
        close_reason: null,
        node_id: nodeId,
      })
      .execute();
    return id;
  }

  /** A command recorded as sent by a node whose caller waits for it. */
  async function sentCommandOwnedBy(nodeId: string | null, id: string): Promise<string> {
    const device = await a.app.db.selectFrom('devices').select('id').where('serial', '=', SERIAL).executeTakeFirstOrThrow();
    const now = Date.now();
    await insertCommand(
      a.app.db,
      device.id,
      { id, name: 'ping', args: {}, requestedBy: 'admin', sessionId: null, requestedAt: now, timeoutMs: 60_000, deadline: now + 60_000 },
      'sent',
      nodeId,
    );
    return id;
  }

  /** Sends through B without waiting for the answer; resolves once the box has the request. */
  async function pendingThroughB(): Promise<{ id: string; answer: Promise<CommandView | null> }> {
    const seen = requests.length;
    const token = await login(b.api);
    const answer = fetch(`${b.api}/devices/${SERIAL}/commands`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'ping', timeoutMs: 120_000 }),
    }).then(
      async (res) => (await res.json()) as CommandView,
      () => null,
    );
    const request = await waitFor(() => requests[seen], { timeoutMs: 10_000, what: 'the box to receive the command sent through B' });
    return { id: request.id, answer };
  }

  /** Joins the session's room through a node's socket.io; answers the participant's id. */
  async function joinThrough(httpPort: number, token: string): Promise<number> {
    const socket = connectSocket(`http://127.0.0.1:${httpPort}`, { path: SOCKET_PATH, auth: { token }, reconnection: false, forceNew: true });
    sockets.push(socket);
    const ack = (await socket.timeout(10_000).emitWithAck('session.join', { sessionId })) as { ok: boolean; you: { participantId: number } };
    expect(ack.ok).toBe(true);
    return ack.you.participantId;
  }

  let sessionId: number;
  let participantId: number;
  // An engineer connected through both B and A (two tabs behind a balancer).
  let engineerId: number;
  let tunnelOfB: string;
  let idOfB: string;
  let waiting: { id: string; answer: Promise<CommandView | null> };

  it('leaves the command B waits for, B’s participant and B’s tunnel alone when node C starts', async () => {
    await waitFor(async () => (await call<{ presence: { online: boolean } }>(b.api, 'GET', `/devices/${SERIAL}`)).presence.online, {
      timeoutMs: 10_000,
      what: 'node B to see the box online',
    });
    sessionId = (await call<{ id: number }>(b.api, 'POST', '/sessions', { serial: SERIAL })).id;
    participantId = await joinThrough(b.httpPort, await login(b.api));
    await call(a.api, 'POST', '/users', { username: 'recovery-engineer', password: ENGINEER_PASSWORD, role: 'engineer' });
    engineerId = await joinThrough(b.httpPort, await login(b.api, 'recovery-engineer', ENGINEER_PASSWORD));
    expect(await joinThrough(a.app.httpPort, await login(a.api, 'recovery-engineer', ENGINEER_PASSWORD))).toBe(engineerId);
    idOfB = await nodeIdOfB();
    tunnelOfB = await tunnelOwnedBy(idOfB, sessionId, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
    waiting = await pendingThroughB();
    // Left by nodes that are gone: one never recorded (before clustering), one whose heartbeat lapsed.
    const unowned = await sentCommandOwnedBy(null, 'cmd-recovery-unowned');
    const ofGoneNode = await sentCommandOwnedBy('gone-host-1-abcdef', 'cmd-recovery-gone');
    const goneTunnel = await tunnelOwnedBy('gone-host-1-abcdef', sessionId, 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb');

    c = await startTestBackend(shared);
    // A sweep (C's at start, or A's) has ended what the gone nodes left ...
    for (const id of [unowned, ofGoneNode]) {
      const ended = await waitFor(async () => ((await commandOnA(id)).status === 'sent' ? null : commandOnA(id)), {
        timeoutMs: 15_000,
        what: `${id} to be ended`,
      });
      expect(ended).toMatchObject({ status: 'timed-out', error: { code: 'node-stopped' } });
    }
    await waitFor(async () => (await tunnelRow(goneTunnel)).state === 'closed', { timeoutMs: 15_000, what: 'the gone node’s tunnel to close' });
    expect(await tunnelRow(goneTunnel)).toEqual({ state: 'closed', close_reason: 'backend-restarted' });

    // ... and none of B's live work.
    expect((await commandOnA(waiting.id)).status).toBe('sent');
    const present = (await sessionOnA(sessionId)).participants.filter((p) => p.leftAt === null).map((p) => p.id);
    expect(present.sort((x, y) => x - y)).toEqual([participantId, engineerId].sort((x, y) => x - y));
    expect(await tunnelRow(tunnelOfB)).toEqual({ state: 'open', close_reason: null });

    await publish(box, topicFor(SERIAL, 'cmd/res'), { id: waiting.id, ok: true, result: { uptime: 1, fw: '2.4.1' } });
    expect(await waiting.answer).toMatchObject({ id: waiting.id, status: 'succeeded' });
    expect((await commandOnA(waiting.id)).status).toBe('succeeded');
  }, 90_000);

  it('ends B’s waiting command, marks B’s participant left (not one still connected through A) and closes B’s tunnel once B is killed', async () => {
    // A is the only survivor: the one that still holds the engineer's other connection.
    await c?.stop();
    c = undefined;
    const orphan = await pendingThroughB();
    await b.kill();
    // B's heartbeat lapses after NODE_TTL_MS; a survivor's sweep (every 5 s) then takes the lease.
    const ended = await waitFor(async () => ((await commandOnA(orphan.id)).status === 'sent' ? null : commandOnA(orphan.id)), {
      timeoutMs: 45_000,
      what: 'a survivor to end the command B waited for',
    });
    expect(ended).toMatchObject({ status: 'timed-out', error: { code: 'node-stopped' } });
    const session = await waitFor(
      async () => {
        const s = await sessionOnA(sessionId);
        return s.participants.find((p) => p.id === participantId)?.leftAt ? s : null;
      },
      { timeoutMs: 15_000, what: 'B’s participant to be marked left' },
    );
    expect(session.timeline.filter((e) => e.kind === 'participant-left').map((e) => e.data)).toEqual([{ participantId }]);
    // Still connected through A: present, and A holds the row from now on.
    expect(session.participants.find((p) => p.id === engineerId)?.leftAt).toBeNull();
    const engineerRow = await a.app.db
      .selectFrom('remote_session_participants')
      .select('node_id')
      .where('id', '=', engineerId)
      .executeTakeFirstOrThrow();
    expect(engineerRow.node_id).not.toBe(idOfB);
    await waitFor(async () => (await tunnelRow(tunnelOfB)).state === 'closed', { timeoutMs: 15_000, what: 'B’s tunnel to close' });
    expect(await tunnelRow(tunnelOfB)).toEqual({ state: 'closed', close_reason: 'backend-restarted' });
  }, 90_000);
});
