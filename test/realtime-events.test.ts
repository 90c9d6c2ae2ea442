import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../services/remote-support/realtime/live-events.ts';
import { CHANNELS } from '../services/remote-support/realtime/live-events.ts';
import { MAX_CLIENT_MESSAGE_BYTES } from '../services/remote-support/realtime/socket-server.ts';
import { startRealtimeFixture, type RealtimeFixture, type TestClient } from './helpers/realtime-fixture.ts';
import { waitFor } from './helpers/wait-for.ts';

let rt: RealtimeFixture;
beforeAll(async () => {
  rt = await startRealtimeFixture();
});
afterAll(() => rt.close());

let nextId = 1;
function liveEvent(channel: LiveEvent['channel'], type = 'rma.transitioned'): LiveEvent {
  return { channel, type, id: nextId++, at: rt.now(), data: { to: 'diagnosing' } };
}

async function connected(options: Parameters<RealtimeFixture['connect']>[0]): Promise<TestClient> {
  const client = rt.connect(options);
  await client.connected();
  return client;
}

/**
 * Publishes a marker on a channel the client receives and waits for it. The server writes to
 * one connection in order, so anything published before the marker has arrived by then: no
 * sleep is needed to show that an event did not come.
 */
async function drain(client: TestClient, channel: LiveEvent['channel'] = 'devices'): Promise<void> {
  const marker = liveEvent(channel, 'test.marker');
  rt.bus.publish(marker);
  await waitFor(() => client.live.some((e) => e.id === marker.id), { timeoutMs: 5000, what: 'marker event' });
}

describe('handshake', () => {
  it('refuses a handshake without a token with connect_error UNAUTHENTICATED', async () => {
    const client = rt.connect({});
    await expect(client.connected()).rejects.toMatchObject({ message: 'UNAUTHENTICATED', data: { code: 'UNAUTHENTICATED' } });
  });

  it.each([
    ['a made-up token', { token: 'a'.repeat(43) }],
    ['a malformed token', { token: 'not a token!' }],
    ['a made-up cookie', { cookie: `mtbox_session=${'b'.repeat(43)}` }],
  ])('refuses %s with connect_error UNAUTHENTICATED', async (_name, options) => {
    const client = rt.connect(options);
    await expect(client.connected()).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });
  });

  it('does not fall back to the cookie when auth.token is malformed', async () => {
    const token = await rt.tokenFor('engineer');
    const client = rt.connect({ token: 'short', cookie: `mtbox_session=${token}` });
    await expect(client.connected()).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });
  });

  it('refuses an expired session', async () => {
    const token = await rt.tokenFor('engineer');
    rt.advance(rt.ttlMs);
    const client = rt.connect({ token });
    await expect(client.connected()).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });
  });

  it.each([['polling' as const], ['websocket' as const]])('accepts a session token in auth over %s', async (transport) => {
    const client = await connected({ token: await rt.tokenFor('technician'), transports: [transport] });
    expect(client.socket.connected).toBe(true);
  });

  it.each([['polling' as const], ['websocket' as const]])('accepts the session cookie alone over %s', async (transport) => {
    const token = await rt.tokenFor('after-sales');
    const client = await connected({ cookie: `theme=dark; mtbox_session=${token}`, transports: [transport] });
    expect(await client.request('subscribe', { channel: 'tickets' })).toEqual({ ok: true, channel: 'tickets' });
  });

  it("refuses a browser page from another origin, even with the user's cookie", async () => {
    const token = await rt.tokenFor('admin');
    const client = rt.connect({ cookie: `mtbox_session=${token}`, origin: 'http://evil.example', transports: ['websocket'] });
    await expect(client.connected()).rejects.toThrow();
    expect(client.socket.connected).toBe(false);
  });

  it("accepts a browser page from the backend's own origin", async () => {
    const token = await rt.tokenFor('admin');
    const client = await connected({ cookie: `mtbox_session=${token}`, origin: rt.url, transports: ['websocket'] });
    expect(client.socket.connected).toBe(true);
  });

  it('leaves requests outside /socket.io to the HTTP server they were attached to', async () => {
    const res = await fetch(`${rt.url}/api/health`);
    expect(await res.text()).toBe('api');
  });
});

describe('subscribe and live events', () => {
  it('delivers a published event as `live` to a client subscribed to its channel', async () => {
    const client = await connected({ token: await rt.tokenFor('engineer') });
    expect(await client.request('subscribe', { channel: 'tickets' })).toEqual({ ok: true, channel: 'tickets' });
    const event = liveEvent('tickets');
    rt.bus.publish(event);
    await waitFor(() => client.live.length > 0, { timeoutMs: 5000, what: 'live event' });
    expect(client.live).toEqual([event]);
  });

  it('does not deliver a channel to a connected client that did not subscribe to it', async () => {
    const subscribed = await connected({ token: await rt.tokenFor('engineer') });
    const other = await connected({ token: await rt.tokenFor('engineer') });
    await subscribed.request('subscribe', { channel: 'tickets' });
    await other.request('subscribe', { channel: 'devices' });
    const ticket = liveEvent('tickets');
    rt.bus.publish(ticket);
    await drain(other);
    expect(other.live.map((e) => e.channel)).toEqual(['devices']);
    await waitFor(() => subscribed.live.some((e) => e.id === ticket.id), { timeoutMs: 5000, what: 'ticket event' });
  });

  it('stops delivering a channel after unsubscribe', async () => {
    const client = await connected({ token: await rt.tokenFor('technician') });
    await client.request('subscribe', { channel: 'tickets' });
    await client.request('subscribe', { channel: 'devices' });
    expect(await client.request('unsubscribe', { channel: 'tickets' })).toEqual({ ok: true, channel: 'tickets' });
    rt.bus.publish(liveEvent('tickets'));
    await drain(client);
    expect(client.live.map((e) => e.channel)).toEqual(['devices']);
  });

  it.each([
    ['an unknown channel', [{ channel: 'payments' }], [{ path: 'channel', message: expect.any(String) }]],
    ['a missing channel', [{}], [{ path: 'channel', message: expect.any(String) }]],
    ['an extra field', [{ channel: 'tickets', all: true }], [{ path: '', message: expect.stringContaining('all') }]],
    ['a string payload', ['tickets'], [{ path: '', message: expect.any(String) }]],
    ['no payload', [], [{ path: '', message: 'expected one payload argument' }]],
  ])('answers VALIDATION_FAILED for %s', async (_name, args, details) => {
    const client = await connected({ token: await rt.tokenFor('engineer') });
    expect(await client.request('subscribe', ...args)).toEqual({ ok: false, error: { code: 'VALIDATION_FAILED', details } });
  });

  it('ignores a subscribe sent without an ack callback', async () => {
    const client = await connected({ token: await rt.tokenFor('engineer') });
    client.socket.emit('subscribe', { channel: 'tickets' });
    // Answered after the ack-less event, since a socket's events are handled in order.
    await client.request('subscribe', { channel: 'devices' });
    rt.bus.publish(liveEvent('tickets'));
    await drain(client);
    expect(client.live.map((e) => e.channel)).toEqual(['devices']);
    expect(client.socket.connected).toBe(true);
  });

  it('answers UNKNOWN_EVENT for an event the server does not handle', async () => {
    const client = await connected({ token: await rt.tokenFor('engineer') });
    expect(await client.request('subscribe-all', {})).toEqual({
      ok: false,
      error: { code: 'UNKNOWN_EVENT', details: { event: 'subscribe-all' } },
    });
  });

  it('closes the connection on a message over the size limit', async () => {
    const client = await connected({ token: await rt.tokenFor('engineer'), transports: ['websocket'] });
    client.socket.emit('subscribe', { channel: 'x'.repeat(MAX_CLIENT_MESSAGE_BYTES + 1) }, () => {});
    await waitFor(() => client.disconnectReason, { timeoutMs: 5000, what: 'disconnect' });
    expect(client.disconnectReason).toMatch(/^transport (close|error)$/);
  });
});

describe('a narrower channel table', () => {
  let narrow: RealtimeFixture;
  beforeAll(async () => {
    narrow = await startRealtimeFixture({ channels: { ...CHANNELS, incidents: ['admin', 'engineer'] } });
  });
  afterAll(() => narrow.close());

  it('answers FORBIDDEN to a role the table leaves out, and delivers nothing of that channel', async () => {
    const client = narrow.connect({ token: await narrow.tokenFor('technician') });
    await client.connected();
    expect(await client.request('subscribe', { channel: 'incidents' })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', details: { channel: 'incidents', role: 'technician' } },
    });
    expect(await client.request('subscribe', { channel: 'tickets' })).toEqual({ ok: true, channel: 'tickets' });
    narrow.bus.publish({ channel: 'incidents', type: 'incident.opened', id: 1, at: narrow.now(), data: {} });
    narrow.bus.publish({ channel: 'tickets', type: 'test.marker', id: 2, at: narrow.now(), data: {} });
    await waitFor(() => client.live.length > 0, { timeoutMs: 5000, what: 'marker event' });
    expect(client.live.map((e) => e.channel)).toEqual(['tickets']);
  });
});

describe('session re-check', () => {
  async function subscribedClient(): Promise<{ client: TestClient; token: string }> {
    const token = await rt.tokenFor('engineer');
    const client = await connected({ token });
    await client.request('subscribe', { channel: 'tickets' });
    return { client, token };
  }

  it('ends a socket whose session was revoked on its next event, saying why', async () => {
    const { client, token } = await subscribedClient();
    await rt.revoke(token);
    const answer = await client.request('subscribe', { channel: 'cases' });
    const ended = { code: 'UNAUTHENTICATED', details: { reason: 'revoked' } };
    expect(answer).toEqual({ ok: false, error: ended });
    await waitFor(() => client.disconnectReason, { timeoutMs: 5000, what: 'disconnect' });
    expect(client.sessionEnded).toEqual([ended]);
    // The server's own disconnect: socket.io-client will not reconnect by itself.
    expect(client.disconnectReason).toBe('io server disconnect');
  });

  it('ends a socket whose account was disabled on its next event', async () => {
    const { client } = await subscribedClient();
    await rt.db.updateTable('users').set({ enabled: 0 }).execute();
    expect(await client.request('unsubscribe', { channel: 'tickets' })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED', details: { reason: 'revoked' } },
    });
    await waitFor(() => client.disconnectReason, { timeoutMs: 5000, what: 'disconnect' });
    await rt.db.updateTable('users').set({ enabled: 1 }).execute();
  });

  it('ends a socket whose session expired on its next event', async () => {
    const { client } = await subscribedClient();
    rt.advance(rt.ttlMs);
    expect(await client.request('subscribe', { channel: 'cases' })).toEqual({
      ok: false,
      error: { code: 'UNAUTHENTICATED', details: { reason: 'expired' } },
    });
    await waitFor(() => client.disconnectReason === 'io server disconnect', { timeoutMs: 5000, what: 'disconnect' });
  });

  it('ends a quiet socket at the periodic re-check, without any event from it', async () => {
    const quiet = await startRealtimeFixture({ recheckIntervalMs: 25 });
    try {
      const token = await quiet.tokenFor('engineer');
      const client = quiet.connect({ token });
      await client.connected();
      await client.request('subscribe', { channel: 'tickets' });
      await quiet.revoke(token);
      await waitFor(() => client.disconnectReason, { timeoutMs: 5000, what: 'disconnect' });
      expect(client.sessionEnded).toEqual([{ code: 'UNAUTHENTICATED', details: { reason: 'revoked' } }]);
      expect(quiet.realtime.io.of('/').sockets.size).toBe(0);
    } finally {
      await quiet.close();
    }
  });
});

describe('close', () => {
  it('disconnects every client and leaves no sockets, servers or timers behind', async () => {
    const before = countResources();
    const own = await startRealtimeFixture();
    const clients = await Promise.all(
      (['polling', 'websocket'] as const).map(async (transport) => {
        const client = own.connect({ token: await own.tokenFor('engineer'), transports: [transport] });
        await client.connected();
        await client.request('subscribe', { channel: 'tickets' });
        return client;
      }),
    );
    // Resolves only once every connection has ended: an upgraded WebSocket would hold server.close() open.
    await own.close();
    expect(own.server.listening).toBe(false);
    await waitFor(() => clients.every((c) => c.disconnectReason !== null), { timeoutMs: 5000, what: 'client disconnects' });
    // Not 'io server disconnect': after these two a dashboard reconnects by itself once the backend is back.
    for (const c of clients) expect(c.disconnectReason).toMatch(/^transport (close|error)$/);
    expect(own.realtime.io.engine.clientsCount).toBe(0);
    // A bus event after close reaches no one and does not throw.
    expect(() => own.bus.publish(liveEvent('tickets'))).not.toThrow();
    await waitFor(() => sameOrFewer(countResources(), before), { timeoutMs: 5000, what: 'handles released' });
    await expect(own.close()).resolves.toBeUndefined();
  });
});

type ResourceCounts = Map<string, number>;

/** Active libuv resources by kind (TCPSocketWrap, TCPServerWrap, Timeout, …). */
function countResources(): ResourceCounts {
  const counts: ResourceCounts = new Map();
  for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

function sameOrFewer(now: ResourceCounts, before: ResourceCounts): boolean {
  return [...now].every(([kind, n]) => n <= (before.get(kind) ?? 0));
}
