import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, type SessionFixture, startSessionFixture } from './helpers/session-fixture.ts';
import { call, connectStream, openTunnel, sessionWithBox, upgradeRefusal, waitClosed } from './helpers/tunnel-kit.ts';
import { waitFor } from './helpers/wait-for.ts';
import { ERROR_MESSAGES } from '../services/platform/http/error-messages.ts';

/*
 * PLC tunnels through the API over the real backend: HTTP to open, list and close, a raw
 * MQTT client playing the box (it answers OPEN as each test says), WebSocket upgrades with
 * and without credentials.
 */

let f: SessionFixture;
let eng: Account;
let other: Account;
let tech: Account;
let afterSales: Account;
let admin: Record<string, string>;

beforeAll(async () => {
  f = await startSessionFixture(undefined, { TUNNEL_MAX_PER_SESSION: '2', TUNNEL_IDLE_S: '300' });
  [eng, other, tech, afterSales] = await Promise.all([
    f.account('engineer'),
    f.account('engineer'),
    f.account('technician'),
    f.account('after-sales'),
  ]);
  admin = await f.backend.adminHeaders();
});
afterAll(() => f.close());

type TunnelRow = {
  id: string;
  state: string;
  host: string;
  port: number;
  openedBy: string;
  closeReason: string | null;
  bytesUp: number;
  bytesDown: number;
};

describe('opening a tunnel', () => {
  it('answers 201 with the stream url once the box said OPENED, and the box got OPEN with the idle limit', async () => {
    const { sessionId, box } = await sessionWithBox(f, eng);
    const res = await call<Record<string, unknown>>(f, 'POST', `/sessions/${sessionId}/tunnels`, eng.headers, { host: '192.168.1.10', port: 502 });
    expect(res.status).toBe(201);
    const id = res.body.id as string;
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      state: 'open',
      host: '192.168.1.10',
      port: 502,
      url: `ws://127.0.0.1:${f.backend.app.httpPort}/api/sessions/${sessionId}/tunnels/${id}/stream`,
      openedBy: eng.username,
      openedAt: f.now(),
    });
    const [open] = box.of(id, 'open');
    expect(open).toMatchObject({ kind: 'open', seq: 0, body: { host: '192.168.1.10', port: 502, idleS: 300 } });
    const list = await call<TunnelRow[]>(f, 'GET', `/sessions/${sessionId}/tunnels`, tech.headers);
    expect(list.body).toEqual([
      expect.objectContaining({ id, state: 'open', host: '192.168.1.10', port: 502, openedBy: eng.username, closeReason: null }),
    ]);
    await box.close();
  });

  it('gives the box’s refusal in words', async () => {
    const { sessionId, box } = await sessionWithBox(f, eng);
    box.answer = { refused: { code: 'not-allowed', message: '192.168.1.99:23 is not on this box’s allow-list' } };
    const res = await call(f, 'POST', `/sessions/${sessionId}/tunnels`, eng.headers, { host: '192.168.1.99', port: 23 });
    expect(res).toEqual({
      status: 409,
      body: {
        error: 'TUNNEL_REFUSED',
        message: ERROR_MESSAGES.TUNNEL_REFUSED.en,
        details: { code: 'not-allowed', message: '192.168.1.99:23 is not on this box’s allow-list', host: '192.168.1.99', port: 23 },
      },
    });
    // A refused tunnel never opened: nothing listed.
    expect((await call(f, 'GET', `/sessions/${sessionId}/tunnels`, eng.headers)).body).toEqual([]);
    expect((await call(f, 'GET', '/sessions/999999/tunnels', eng.headers)).status).toBe(404);
    await box.close();
  });

  it('gives up after 10 s without an answer, and tells the box', { timeout: 30_000 }, async () => {
    const { sessionId, box } = await sessionWithBox(f, eng);
    box.answer = 'silent';
    const res = await call<{ error: string }>(f, 'POST', `/sessions/${sessionId}/tunnels`, eng.headers, { host: '192.168.1.10', port: 502 });
    expect(res.status).toBe(504);
    expect(res.body.error).toBe('TUNNEL_TIMEOUT');
    const [open] = box.frames;
    await waitFor(() => box.of(open!.id, 'close').length === 1, { what: 'CLOSE after the timeout' });
    expect(box.of(open!.id, 'close')[0]).toMatchObject({ seq: 1, body: { reason: 'open-timeout' } });
    await box.close();
  });

  it('refuses a box that is offline at once', async () => {
    const { sessionId, box } = await sessionWithBox(f, eng);
    await box.close();
    await waitFor(async () => !f.backend.app.broker.isConnected(box.serial), { what: 'box offline' });
    const res = await call<{ error: string }>(f, 'POST', `/sessions/${sessionId}/tunnels`, eng.headers, { host: '192.168.1.10', port: 502 });
    expect(res.body.error).toBe('TUNNEL_BOX_OFFLINE');
  });

  it('keeps to TUNNEL_MAX_PER_SESSION open tunnels per session', async () => {
    const { sessionId, box } = await sessionWithBox(f, eng);
    await openTunnel(f, sessionId, eng);
    const second = await openTunnel(f, sessionId, eng, { host: '192.168.1.11', port: 502 });
    const third = await call(f, 'POST', `/sessions/${sessionId}/tunnels`, eng.headers, { host: '192.168.1.12', port: 502 });
    expect(third).toEqual({
      status: 409,
      body: { error: 'TUNNEL_LIMIT', message: ERROR_MESSAGES.TUNNEL_LIMIT.en, details: { sessionId, open: 2, max: 2 } },
    });
    // Closing one frees its place.
    expect((await call(f, 'DELETE', `/sessions/${sessionId}/tunnels/${second.id}`, eng.headers)).status).toBe(204);
    await openTunnel(f, sessionId, eng, { host: '192.168.1.12', port: 502 });
    await box.close();
  });
});

describe('who may open a tunnel', () => {
  it('refuses technicians, after-sales and engineers not in the session; an admin may', async () => {
    const { sessionId, box } = await sessionWithBox(f, eng);
    const body = { host: '192.168.1.10', port: 502 };
    for (const who of [tech, afterSales]) {
      const res = await call<{ error: string }>(f, 'POST', `/sessions/${sessionId}/tunnels`, who.headers, body);
      expect(res.status, who.role).toBe(403);
      expect(res.body.error).toBe('FORBIDDEN');
    }
    expect(await call(f, 'POST', `/sessions/${sessionId}/tunnels`, other.headers, body)).toEqual({
      status: 403,
      body: { error: 'FORBIDDEN', message: ERROR_MESSAGES.FORBIDDEN.en, details: { action: 'tunnel', reason: 'not-in-session' } },
    });
    // Joining the session's room makes the other engineer a participant.
    const client = f.connect({ token: other.token });
    await client.connected();
    expect(await client.request('session.join', { sessionId })).toMatchObject({ ok: true });
    const byOther = await openTunnel(f, sessionId, other, { host: '192.168.1.20', port: 102 });
    expect(byOther.openedBy).toBe(other.username);
    const byAdmin = await call<{ openedBy: string }>(f, 'POST', `/sessions/${sessionId}/tunnels`, admin, { host: '192.168.1.21', port: 102 });
    expect(byAdmin.status).toBe(201);
    expect(byAdmin.body.openedBy).toBe('admin');
    await box.close();
  });

  it('takes a customer link for no bearer token, on the route or the stream', async () => {
    const { sessionId, box } = await sessionWithBox(f, eng);
    const link = await f.api<{ token: string }>('POST', `/sessions/${sessionId}/links`, eng.headers, {});
    const asBearer = { authorization: `Bearer ${link.body.token}` };
    expect((await call(f, 'POST', `/sessions/${sessionId}/tunnels`, asBearer, { host: '192.168.1.10', port: 502 })).status).toBe(401);
    const tunnel = await openTunnel(f, sessionId, eng);
    expect(await upgradeRefusal(tunnel.url, asBearer)).toBe(401);
    await box.close();
  });

  it('refuses tunnels in a session that has not started', async () => {
    f.setNow(Date.parse('2025-06-16T12:00:00Z'));
    try {
      const registered = await f.register();
      const queued = await f.api<{ id: number; state: string }>('POST', '/sessions', eng.headers, { serial: registered.serial });
      expect(queued.body.state).toBe('queued');
      const res = await call<{ error: string }>(f, 'POST', `/sessions/${queued.body.id}/tunnels`, eng.headers, { host: '192.168.1.10', port: 502 });
      expect(res).toMatchObject({ status: 409, body: { error: 'SESSION_NOT_STARTED' } });
    } finally {
      f.setNow(Date.parse('2025-06-16T02:00:00Z'));
    }
  });
});

describe('the stream’s upgrade', () => {
  it('answers 401 without credentials, 403 for a cookie from another origin, 404 for an unknown tunnel, 409 for a second client', async () => {
    const { sessionId, box } = await sessionWithBox(f, eng);
    const tunnel = await openTunnel(f, sessionId, eng);
    expect(await upgradeRefusal(tunnel.url, {})).toBe(401);
    const cookie = { cookie: `mtbox_session=${eng.token}` };
    expect(await upgradeRefusal(tunnel.url, { ...cookie, origin: 'http://evil.example' })).toBe(403);
    // Without any Origin a cookie is not enough either: a browser always sends one.
    expect(await upgradeRefusal(tunnel.url, cookie)).toBe(403);
    expect(await upgradeRefusal(tunnel.url, tech.headers)).toBe(403);
    expect(await upgradeRefusal(tunnel.url.replace(tunnel.id, '0'.repeat(32)), eng.headers)).toBe(404);
    // The dashboard's own origin with the cookie is let in, and then the tunnel is taken.
    const ownOrigin = `http://127.0.0.1:${f.backend.app.httpPort}`;
    const browser = await connectStream(tunnel.url, { ...cookie, origin: ownOrigin });
    expect(await upgradeRefusal(tunnel.url, eng.headers)).toBe(409);
    browser.ws.close();
    await box.close();
  });
});

describe('closing', () => {
  it('DELETE closes the tunnel: CLOSE to the box, the WebSocket closed with closed-by-user, the list says so', async () => {
    const { sessionId, box } = await sessionWithBox(f, eng);
    const tunnel = await openTunnel(f, sessionId, eng);
    const stream = await connectStream(tunnel.url, eng.headers);
    expect((await call(f, 'DELETE', `/sessions/${sessionId}/tunnels/${tunnel.id}`, eng.headers)).status).toBe(204);
    expect(await waitClosed(stream)).toEqual({ code: 1000, reason: 'closed-by-user' });
    await waitFor(() => box.of(tunnel.id, 'close').length === 1, { what: 'CLOSE at the box' });
    expect(box.of(tunnel.id, 'close')[0]).toMatchObject({ body: { reason: 'closed-by-user' } });
    const list = await call<TunnelRow[]>(f, 'GET', `/sessions/${sessionId}/tunnels`, eng.headers);
    expect(list.body).toEqual([expect.objectContaining({ id: tunnel.id, state: 'closed', closeReason: 'closed-by-user' })]);
    expect((await call(f, 'DELETE', `/sessions/${sessionId}/tunnels/${tunnel.id}`, eng.headers)).status).toBe(404);
    await box.close();
  });

  it('ending the session closes its tunnels', async () => {
    const { sessionId, box } = await sessionWithBox(f, eng);
    const tunnel = await openTunnel(f, sessionId, eng);
    const stream = await connectStream(tunnel.url, eng.headers);
    const ended = await f.api('POST', `/sessions/${sessionId}/outcome`, eng.headers, { outcome: 'resolved-remotely', reason: 'PLC back online' });
    expect(ended.status).toBe(200);
    expect(await waitClosed(stream)).toEqual({ code: 1000, reason: 'session-ended' });
    await waitFor(async () => (await call<TunnelRow[]>(f, 'GET', `/sessions/${sessionId}/tunnels`, eng.headers)).body[0]?.state === 'closed', {
      what: 'the tunnel listed closed',
    });
    await box.close();
  });
});
