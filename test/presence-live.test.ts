import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import type { LiveEvent } from '../services/remote-support/realtime/live-events.ts';
import { connectBox } from './helpers/backend.ts';
import { type Account, type SessionClient, type SessionFixture, startSessionFixture } from './helpers/session-fixture.ts';
import { waitFor } from './helpers/wait-for.ts';

/*
 * Presence reaches the dashboard over socket.io: the whole backend on real ports, boxes as
 * plain MQTT clients, and socket.io clients subscribed to the `devices` channel.
 */

let f: SessionFixture;
let engineer: Account;
beforeAll(async () => {
  f = await startSessionFixture();
  engineer = await f.account('engineer');
});
afterAll(() => f.close());

async function subscribed(auth: { token: string } = engineer): Promise<SessionClient> {
  const client = f.connect({ token: auth.token });
  await client.connected();
  expect(await client.request('subscribe', { channel: 'devices' })).toEqual({ ok: true, channel: 'devices' });
  return client;
}

const presenceOf = (client: SessionClient, serial: string) => client.live.filter((e) => e.id === serial && e.type.startsWith('device.'));

async function presenceEvent(client: SessionClient, serial: string, type: string, nth = 1): Promise<LiveEvent> {
  return waitFor(() => presenceOf(client, serial).filter((e) => e.type === type)[nth - 1], { timeoutMs: 5000, what: `${type} of ${serial}` });
}

function endAbruptly(box: MqttClient): Promise<void> {
  return new Promise((resolve) => {
    box.once('close', () => resolve());
    // No DISCONNECT packet: the broker sees the socket die, as with a cut cable.
    box.stream.destroy();
  });
}

describe('presence over the live channel', () => {
  it('sends device.online when a box connects and device.offline when it disconnects', async () => {
    const client = await subscribed();
    const { serial, secret } = await f.register();
    const box = await connectBox(f.backend.mqttUrl, serial, secret);
    const online = await presenceEvent(client, serial, 'device.online');
    expect(online).toMatchObject({ channel: 'devices', type: 'device.online', id: serial, at: f.now() });
    expect(online.data).toEqual({ lastSeen: f.now(), address: expect.stringContaining('127.0.0.1') });

    await new Promise<void>((resolve) => box.end(false, {}, () => resolve()));
    const offline = await presenceEvent(client, serial, 'device.offline');
    expect(offline).toMatchObject({ channel: 'devices', id: serial, data: { lastSeen: f.now() } });
    expect(presenceOf(client, serial).map((e) => e.type)).toEqual(['device.online', 'device.offline']);
  });

  it('sends device.offline once when a box drops without DISCONNECT (its will says offline)', async () => {
    const client = await subscribed();
    const { serial, secret } = await f.register();
    const box = await connectBox(f.backend.mqttUrl, serial, secret);
    await presenceEvent(client, serial, 'device.online');
    await endAbruptly(box);
    await presenceEvent(client, serial, 'device.offline');
    // A marker box after it: the socket delivers in order, so anything more for the first box would be here by now.
    const marker = await f.register();
    const markerBox = await connectBox(f.backend.mqttUrl, marker.serial, marker.secret);
    await presenceEvent(client, marker.serial, 'device.online');
    markerBox.end(true);
    expect(presenceOf(client, serial).map((e) => e.type)).toEqual(['device.online', 'device.offline']);
  });

  it('paces a flapping box to one event a second, and the last state wins', async () => {
    const client = await subscribed();
    const arrivals: number[] = [];
    const { serial, secret } = await f.register();
    client.socket.on('live', (e) => {
      if (e.id === serial) arrivals.push(Date.now());
    });
    for (let i = 0; i < 4; i++) {
      const box = await connectBox(f.backend.mqttUrl, serial, secret, { announce: false });
      await new Promise<void>((resolve) => box.end(false, {}, () => resolve()));
    }
    await waitFor(() => presenceOf(client, serial).at(-1)?.type === 'device.offline', { timeoutMs: 5000, what: 'final offline' });
    const types = presenceOf(client, serial).map((e) => e.type);
    expect(types.length).toBeLessThan(8);
    // Alternating: a held change that returns to the state last sent is dropped, not repeated.
    types.forEach((t, i) => expect(t).toBe(i % 2 === 0 ? 'device.online' : 'device.offline'));
    for (let i = 1; i < arrivals.length; i++) expect(arrivals[i]! - arrivals[i - 1]!).toBeGreaterThanOrEqual(900);
  });

  it('sends nothing to a customer link, which may not subscribe to the channel', async () => {
    const watcher = await subscribed();
    const { serial, secret } = await f.register();
    const session = await f.api<{ id: number }>('POST', '/sessions', engineer.headers, { serial });
    expect(session.status).toBe(201);
    const link = await f.api<{ token: string }>('POST', `/sessions/${session.body.id}/links`, engineer.headers, {});
    const customer = f.connect({ sessionLink: link.body.token });
    await customer.connected();
    expect(await customer.request('subscribe', { channel: 'devices' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', details: { channel: 'devices', role: null } },
    });

    const box = await connectBox(f.backend.mqttUrl, serial, secret);
    await presenceEvent(watcher, serial, 'device.online');
    await new Promise<void>((resolve) => box.end(false, {}, () => resolve()));
    await presenceEvent(watcher, serial, 'device.offline');
    // The customer's socket is still open and answering, so nothing sent to it is still on its way.
    expect(await customer.request('session.join', { sessionId: session.body.id })).toMatchObject({ ok: true });
    expect(customer.live).toEqual([]);
  });
});
