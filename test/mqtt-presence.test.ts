import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBox, startTestBackend, type TestBackend } from './helpers/backend.ts';
import { rawConnect } from './helpers/raw-connect.ts';
import { waitFor } from './helpers/wait-for.ts';

describe('presence of boxes over MQTT', () => {
  let backend: TestBackend;
  let boxes: Array<{ serial: string; secret: string }>;
  const deviceId = async (serial: string) => (await backend.app.registry.findBySerial(serial))!.id;
  const shadow = async (serial: string) => backend.app.shadows.get(await deviceId(serial));

  beforeAll(async () => {
    backend = await startTestBackend();
    boxes = await backend.app.provision(['MTB2611000001', 'MTB2611000002', 'MTB2611000003', 'MTB2611000004']);
  });
  afterAll(() => backend.stop());

  it('shows a box online with its reported firmware once it connects, and in the API', async () => {
    const { serial, secret } = boxes[0]!;
    const client = await connectBox(backend.mqttUrl, serial, secret);
    await waitFor(async () => (await shadow(serial))?.reportedFw === '2.4.1', { what: 'status to reach the shadow' });
    expect((await shadow(serial))?.online).toBe(true);
    const res = await fetch(`${backend.api}/devices/${serial}`, { headers: await backend.adminHeaders() });
    const body = (await res.json()) as { presence: { online: boolean } };
    expect(body.presence.online).toBe(true);
    await client.endAsync();
    await waitFor(async () => (await shadow(serial))?.online === false, { what: 'graceful disconnect to go offline' });
  });

  it('marks a box offline when its connection dies and the broker publishes its will', async () => {
    const { serial, secret } = boxes[1]!;
    const client = await connectBox(backend.mqttUrl, serial, secret);
    await waitFor(async () => (await shadow(serial))?.online, { what: 'online' });
    (client.stream as net.Socket).destroy();
    await waitFor(async () => (await shadow(serial))?.online === false, { what: 'offline after socket death' });
    client.end(true);
  });

  it('marks a box offline when it goes silent without closing its socket (keep-alive)', async () => {
    const { serial, secret } = boxes[2]!;
    // A raw socket that sends CONNECT with a 1 s keep-alive and then nothing, like a box
    // whose cellular link dropped: no FIN, no will from the box's side.
    const kept: net.Socket[] = [];
    expect(await rawConnect(backend.app.mqttPort, serial, secret, { keepalive: 1, keep: kept })).toBe(0);
    await waitFor(async () => (await shadow(serial))?.online, { what: 'online' });
    await waitFor(async () => (await shadow(serial))?.online === false, { timeoutMs: 5000, what: 'keep-alive expiry' });
    kept[0]?.destroy();
  });

  it('keeps a box online when it reconnects and its old connection is taken over', async () => {
    const { serial, secret } = boxes[3]!;
    const first = await connectBox(backend.mqttUrl, serial, secret);
    const second = await connectBox(backend.mqttUrl, serial, secret);
    await waitFor(() => first.connected === false, { what: 'old connection closed by takeover' });
    expect((await shadow(serial))?.online).toBe(true);
    await second.endAsync();
    first.end(true);
  });

  it('persists shadows so a restarted backend shows last-seen values, with every box offline', async () => {
    const { serial, secret } = boxes[0]!;
    const client = await connectBox(backend.mqttUrl, serial, secret);
    await waitFor(async () => (await shadow(serial))?.online, { what: 'online' });
    const id = await deviceId(serial);
    await backend.restart();
    const after = backend.app.shadows.get(id);
    expect(after?.reportedFw).toBe('2.4.1');
    expect(after?.online).toBe(false);
    expect(after?.lastSeen).toBeGreaterThan(0);
    client.end(true);
  });
});
