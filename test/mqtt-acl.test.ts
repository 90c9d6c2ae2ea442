import net from 'node:net';
import mqttPacket from 'mqtt-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicFor } from '../services/contract/topics.ts';
import { connectBox, publish, startTestBackend, type TestBackend } from './helpers/backend.ts';
import { waitFor } from './helpers/wait-for.ts';

/** CONNACK return code of a connection attempt (0 = accepted). */
async function connackCode(url: string, opts: { clientId: string; username: string; password: string }): Promise<number> {
  try {
    const c = await connectBox(url, opts.username, opts.password, { clientId: opts.clientId, announce: false });
    await c.endAsync();
    return 0;
  } catch (err) {
    return (err as { code?: number }).code ?? -1;
  }
}

function rawSocket(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

const closed = (s: net.Socket) => new Promise<void>((resolve) => (s.destroyed ? resolve() : s.once('close', () => resolve())));

describe('broker authentication and topic ACL', () => {
  let backend: TestBackend;
  let a: { serial: string; secret: string };
  let b: { serial: string; secret: string };
  const refusals = () => backend.app.broker.stats().refusals;

  beforeAll(async () => {
    backend = await startTestBackend({ LOGIN_FAILURES_BEFORE_BAN: '3' });
    [a, b] = (await backend.app.provision(['MTB2611000101', 'MTB2611000102', 'MTB2611000103'])) as [typeof a, typeof b];
  });
  afterAll(() => backend.stop());

  it('refuses a wrong secret with "bad username or password" and counts it', async () => {
    const before = refusals()['wrong-secret'];
    expect(await connackCode(backend.mqttUrl, { clientId: a.serial, username: a.serial, password: 'not-the-secret' })).toBe(4);
    expect(refusals()['wrong-secret']).toBe(before + 1);
  });

  it('refuses an unknown serial', async () => {
    expect(await connackCode(backend.mqttUrl, { clientId: 'MTB2699999999', username: 'MTB2699999999', password: 'x' })).toBe(4);
    expect(refusals()['unknown-serial']).toBeGreaterThan(0);
  });

  it('refuses a client id that is not the authenticated serial (no session takeover)', async () => {
    expect(await connackCode(backend.mqttUrl, { clientId: b.serial, username: a.serial, password: a.secret })).toBe(2);
    expect(refusals()['client-id-mismatch']).toBe(1);
  });

  it('refuses a disabled box even with the right secret, and disconnects it when disabled', async () => {
    const c = await connectBox(backend.mqttUrl, b.serial, b.secret);
    const res = await fetch(`${backend.api}/devices/${b.serial}`, {
      method: 'PATCH',
      headers: { ...(await backend.adminHeaders()), 'content-type': 'application/json' },
      body: JSON.stringify({ enabled: false }),
    });
    expect(res.status).toBe(200);
    await waitFor(() => !c.connected, { what: 'disabled box to be disconnected' });
    c.end(true);
    expect(await connackCode(backend.mqttUrl, { clientId: b.serial, username: b.serial, password: b.secret })).toBe(5);
    expect(refusals().disabled).toBe(1);
  });

  it('disconnects a box that publishes under another serial, and stores nothing for the victim', async () => {
    const c = await connectBox(backend.mqttUrl, a.serial, a.secret);
    const before = refusals()['publish-denied'];
    c.publish(topicFor(b.serial, 'fault'), JSON.stringify({ id: 'f-x', ts: Date.now(), code: 'FLASH_FAIL', severity: 'error' }), { qos: 1 });
    await waitFor(() => !c.connected, { what: 'impersonating box to be disconnected' });
    expect(refusals()['publish-denied']).toBe(before + 1);
    const victim = await backend.app.registry.findBySerial(b.serial);
    const faults = await backend.app.db.selectFrom('faults').selectAll().where('device_id', '=', victim!.id).execute();
    expect(faults).toEqual([]);
    c.end(true);
  });

  it('does not let a box publish command requests, even to itself', async () => {
    const c = await connectBox(backend.mqttUrl, a.serial, a.secret);
    c.publish(topicFor(a.serial, 'cmd/req'), JSON.stringify({ id: 'c1', name: 'reboot', args: {}, deadline: Date.now() }), { qos: 1 });
    await waitFor(() => !c.connected, { what: 'disconnect' });
    c.end(true);
  });

  it("lets a box subscribe to its own commands but answers failure for another box's", async () => {
    const c = await connectBox(backend.mqttUrl, a.serial, a.secret);
    const own = await c.subscribeAsync(topicFor(a.serial, 'cmd/req'), { qos: 1 });
    expect(own[0]?.qos).toBe(1);
    // mqtt.js turns a SUBACK failure code into an error carrying the packet.
    const granted = (topic: string) =>
      c.subscribeAsync(topic, { qos: 1 }).then(
        () => 'granted',
        (err: { packet?: { granted?: number[] } }) => err.packet?.granted?.[0],
      );
    expect(await granted(topicFor(b.serial, 'cmd/req'))).toBe(128);
    expect(await granted('mtbox/#')).toBe(128);
    expect(c.connected).toBe(true);
    expect(refusals()['subscribe-denied']).toBe(2);
    await c.endAsync();
  });

  it('closes a socket whose first packet is not a CONNECT', async () => {
    const s = await rawSocket(backend.app.mqttPort);
    s.write(mqttPacket.generate({ cmd: 'publish', topic: topicFor(a.serial, 'telemetry'), payload: '{}', qos: 0, dup: false, retain: false }));
    await closed(s);
    expect(refusals()['first-packet-not-connect']).toBe(1);
  });

  it('closes a socket that declares a 200 MB packet without buffering it', async () => {
    const rssBefore = process.memoryUsage().rss;
    const s = await rawSocket(backend.app.mqttPort);
    // CONNECT, remaining length 200,000,000, then a trickle of body bytes.
    s.write(Buffer.from([0x10, 0x80, 0x84, 0xaf, 0x5f]));
    s.write(Buffer.alloc(64 * 1024));
    await closed(s);
    expect(refusals()['packet-too-large']).toBe(1);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(50 * 1024 * 1024);
  });

  it('bans a serial after repeated wrong secrets, even when the right one follows', async () => {
    const serial = 'MTB2611000103';
    const [box] = await backend.app.db.selectFrom('devices').select('serial').where('serial', '=', serial).execute();
    expect(box).toBeDefined();
    for (let i = 0; i < 3; i++) await connackCode(backend.mqttUrl, { clientId: serial, username: serial, password: `guess-${i}` });
    const before = refusals().banned;
    expect(await connackCode(backend.mqttUrl, { clientId: serial, username: serial, password: 'still-guessing' })).toBe(5);
    expect(refusals().banned).toBe(before + 1);
  });

  it('keeps serving good boxes while refusing bad ones', async () => {
    const c = await connectBox(backend.mqttUrl, a.serial, a.secret);
    await publish(c, topicFor(a.serial, 'event'), { id: 'ev-ok', ts: Date.now(), type: 'tamper' });
    const device = await backend.app.registry.findBySerial(a.serial);
    const events = await backend.app.db.selectFrom('events').select('event_id').where('device_id', '=', device!.id).execute();
    expect(events.map((e) => e.event_id)).toEqual(['ev-ok']);
    await c.endAsync();
  });
});
