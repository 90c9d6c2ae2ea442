import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from './helpers/backend.ts';
import { waitFor } from './helpers/wait-for.ts';

/*
 * The whole backend as services/app.ts wires it: ending an account's sessions over HTTP must
 * reach its live socket.io connections at once, not at their next event or the periodic
 * re-check (a minute by default, far beyond the waits here).
 */

const PASSWORD = 'ochre lantern vestibule';
const NEW_PASSWORD = 'quince harbour metronome';

let backend: TestBackend;
let admin: Record<string, string>;
const sockets: Socket[] = [];
beforeAll(async () => {
  backend = await startTestBackend();
  admin = await backend.adminHeaders();
});
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});
afterAll(() => backend.stop());

async function call(method: string, path: string, headers: Record<string, string>, json?: unknown): Promise<Response> {
  return fetch(`${backend.api}${path}`, {
    method,
    headers: { ...headers, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
}

async function createAndSignIn(username: string): Promise<string> {
  expect((await call('POST', '/users', admin, { username, password: PASSWORD, role: 'engineer' })).status).toBe(201);
  return signIn(username, PASSWORD);
}

async function signIn(username: string, password: string): Promise<string> {
  const res = await call('POST', '/auth/login', {}, { username, password });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

interface Watched {
  socket: Socket;
  ended: unknown[];
}

async function connect(token: string): Promise<Watched> {
  const socket = connectSocket(`http://127.0.0.1:${backend.app.httpPort}`, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  sockets.push(socket);
  const watched: Watched = { socket, ended: [] };
  socket.on('session-ended', (payload: unknown) => watched.ended.push(payload));
  await waitFor(() => socket.connected, { timeoutMs: 5000, what: 'socket connected' });
  return watched;
}

describe('ending an account live', () => {
  it('disconnects the live socket of a disabled account within a bounded wait', async () => {
    const watched = await connect(await createAndSignIn('live.disable'));

    expect((await call('POST', '/users/live.disable/disable', admin)).status).toBe(200);

    await waitFor(() => watched.socket.disconnected, { timeoutMs: 3000, what: 'socket of the disabled account disconnected' });
    expect(watched.ended).toEqual([{ code: 'UNAUTHENTICATED', details: { reason: 'revoked' } }]);
  });

  it('disconnects the sockets of an account whose password an admin reset', async () => {
    const watched = await connect(await createAndSignIn('live.reset'));

    expect((await call('POST', '/users/live.reset/password-reset', admin, { newPassword: NEW_PASSWORD })).status).toBe(204);

    await waitFor(() => watched.socket.disconnected, { timeoutMs: 3000, what: 'socket of the reset account disconnected' });
    expect(watched.ended).toEqual([{ code: 'UNAUTHENTICATED', details: { reason: 'revoked' } }]);
  });

  it("on one's own password change, disconnects the other sessions' sockets and keeps this session's", async () => {
    const here = await createAndSignIn('live.change');
    const elsewhere = await signIn('live.change', PASSWORD);
    const [mine, other] = await Promise.all([connect(here), connect(elsewhere)]);

    const res = await call('POST', '/auth/password', { authorization: `Bearer ${here}` }, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(res.status).toBe(204);

    await waitFor(() => other.socket.disconnected, { timeoutMs: 3000, what: 'socket of the other session disconnected' });
    // The kept session's socket still answers requests.
    const ack = (await mine.socket.timeout(3000).emitWithAck('subscribe', { channel: 'tickets' })) as { ok: boolean };
    expect(ack.ok).toBe(true);
    expect(mine.socket.connected).toBe(true);
    expect(mine.ended).toEqual([]);
  });
});
