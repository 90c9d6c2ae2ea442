import net from 'node:net';
import mqttPacket from 'mqtt-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicFor } from '../services/contract/topics.ts';
import { connectBox, publish, startTestBackend, type TestBackend } from './helpers/backend.ts';
import { waitFor } from './helpers/wait-for.ts';

describe('telemetry, fault and event intake', () => {
  let backend: TestBackend;
  let box: { serial: string; secret: string };
  let deviceId: number;

  beforeAll(async () => {
    backend = await startTestBackend({ MAX_PAYLOAD_BYTES: '4096', MAX_FUTURE_SKEW_S: '3600' });
    [box] = (await backend.app.provision(['MTB2611000201'])) as [typeof box];
    deviceId = (await backend.app.registry.findBySerial(box.serial))!.id;
  });
  afterAll(() => backend.stop());

  const faultRows = () => backend.app.db.selectFrom('faults').selectAll().where('device_id', '=', deviceId).execute();

  it('stores telemetry and answers it, raw and downsampled, through the API', async () => {
    const c = await connectBox(backend.mqttUrl, box.serial, box.secret);
    const t0 = Date.now() - 60_000;
    for (let i = 0; i < 30; i++) {
      await publish(c, topicFor(box.serial, 'telemetry'), { ts: t0 + i * 1000, seq: i, metrics: { supply_voltage: 24 + i / 100, rssi: -70 } }, 0);
    }
    await waitFor(() => backend.app.shadows.get(deviceId)?.metrics.supply_voltage === 24.29, { what: 'latest metric in the shadow' });
    backend.app.flush();
    const headers = await backend.adminHeaders();
    const raw = await fetch(`${backend.api}/devices/${box.serial}/telemetry?metric=supply_voltage&from=${t0}&to=${t0 + 60_000}`, { headers });
    expect(raw.status).toBe(200);
    const rawBody = (await raw.json()) as { points: Array<{ ts: number; value: number }> };
    expect(rawBody.points).toHaveLength(30);
    expect(rawBody.points[0]).toMatchObject({ ts: t0, value: 24 });
    const down = await fetch(`${backend.api}/devices/${box.serial}/telemetry?metric=supply_voltage&from=${t0}&to=${t0 + 60_000}&step=10s`, {
      headers,
    });
    const downBody = (await down.json()) as { points: Array<{ count: number }> };
    expect(downBody.points.map((p) => p.count)).toEqual([10, 10, 10]);
    const detail = (await (await fetch(`${backend.api}/devices/${box.serial}`, { headers })).json()) as Record<string, unknown>;
    expect(JSON.stringify(detail)).toContain('24.29');
    await c.endAsync();
  });

  it('has a fault committed by the time the box receives its PUBACK', async () => {
    const c = await connectBox(backend.mqttUrl, box.serial, box.secret);
    await publish(c, topicFor(box.serial, 'fault'), { id: 'f-ack-1', ts: Date.now(), code: 'FLASH_WRITE_FAIL', severity: 'error' });
    // No waiting: publish() resolved on PUBACK, so the row must already be there.
    expect((await faultRows()).map((f) => f.fault_id)).toContain('f-ack-1');
    await c.endAsync();
  });

  it('stores a fault once when the box redelivers it (same id, DUP flag, new connection)', async () => {
    const fault = { id: 'f-dup-1', ts: Date.now(), code: 'PLC_LINK_DOWN', severity: 'warning', context: { port: 'RS485-1' } };
    const c = await connectBox(backend.mqttUrl, box.serial, box.secret);
    await publish(c, topicFor(box.serial, 'fault'), fault);
    await c.endAsync();
    // A redelivery after reconnect, with the DUP flag set, over raw bytes.
    const s = net.connect(backend.app.mqttPort, '127.0.0.1');
    const parser = mqttPacket.parser();
    const acked = new Promise<void>((resolve) => parser.on('packet', (p) => p.cmd === 'puback' && resolve()));
    s.on('data', (d) => parser.parse(d));
    s.write(
      mqttPacket.generate({
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion: 4,
        clientId: box.serial,
        username: box.serial,
        password: Buffer.from(box.secret),
        clean: true,
        keepalive: 30,
      }),
    );
    s.write(
      mqttPacket.generate({
        cmd: 'publish',
        topic: topicFor(box.serial, 'fault'),
        payload: JSON.stringify(fault),
        qos: 1,
        messageId: 42,
        dup: true,
        retain: false,
      }),
    );
    await acked;
    s.destroy();
    const rows = (await faultRows()).filter((f) => f.fault_id === 'f-dup-1');
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.context!)).toEqual({ port: 'RS485-1' });
    expect(backend.app.broker.stats().messages.duplicates).toBeGreaterThanOrEqual(1);
    const api = await fetch(`${backend.api}/devices/${box.serial}/faults`, { headers: await backend.adminHeaders() });
    const listed = (await api.json()) as unknown;
    expect(JSON.stringify(listed)).toContain('f-dup-1');
  });

  it('stores evidence events once and lists them', async () => {
    const c = await connectBox(backend.mqttUrl, box.serial, box.secret);
    const ev = { id: 'ev-1', ts: Date.now(), type: 'water', details: { sensor: 'IN3' } };
    await publish(c, topicFor(box.serial, 'event'), ev);
    await publish(c, topicFor(box.serial, 'event'), ev);
    const res = await fetch(`${backend.api}/devices/${box.serial}/events`, { headers: await backend.adminHeaders() });
    const text = await res.text();
    expect(text.match(/"ev-1"/g)).toHaveLength(1);
    await c.endAsync();
  });

  it('rejects bad payloads, counts each per box, and keeps every valid message around them', async () => {
    const c = await connectBox(backend.mqttUrl, box.serial, box.secret);
    const now = Date.now();
    const bad: Array<[string, unknown]> = [
      ['fault', '{"id": "broken'],
      ['fault', { id: 'f-bad-1', ts: now, code: 'lowercase', severity: 'error' }],
      ['event', { id: 'ev-bad-1', ts: now + 86_400_000, type: 'surge' }],
      ['event', JSON.stringify({ id: 'ev-bad-2', ts: now, type: 'surge', details: { pad: 'x'.repeat(5000) } })],
      ['telemetry', { ts: now, seq: 1, metrics: { rssi: 'strong' } }],
    ];
    for (let i = 0; i < bad.length; i++) {
      await publish(c, topicFor(box.serial, 'fault'), { id: `f-good-${i}`, ts: now, code: 'CELL_REG_FAIL', severity: 'warning' });
      const [channel, payload] = bad[i]!;
      await publish(c, topicFor(box.serial, channel as 'fault'), payload, channel === 'telemetry' ? 0 : 1);
    }
    await publish(c, topicFor(box.serial, 'fault'), { id: 'f-good-last', ts: now, code: 'CELL_REG_FAIL', severity: 'warning' });
    expect(c.connected).toBe(true);
    const ids = (await faultRows()).map((f) => f.fault_id);
    for (const id of ['f-good-0', 'f-good-1', 'f-good-2', 'f-good-3', 'f-good-4', 'f-good-last']) expect(ids).toContain(id);
    expect(ids).not.toContain('f-bad-1');
    await waitFor(() => backend.app.shadows.get(deviceId)?.rejected.schema === 2, { what: 'schema rejections counted' });
    expect(backend.app.shadows.get(deviceId)?.rejected).toEqual({ 'invalid-json': 1, schema: 2, 'future-timestamp': 1, 'too-large': 1 });
    await c.endAsync();
  });
});
