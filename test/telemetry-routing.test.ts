import type { AedesPublishPacket } from 'aedes';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicFor } from '../services/contract/topics.ts';
import { connectBox, publish, startTestBackend, type TestBackend } from './helpers/backend.ts';
import { waitFor } from './helpers/wait-for.ts';

describe('routing of box telemetry nothing subscribes to', () => {
  let backend: TestBackend;
  let box: { serial: string; secret: string };
  let deviceId: number;
  let c: MqttClient;
  let seq = 0;

  beforeAll(async () => {
    backend = await startTestBackend();
    [box] = (await backend.app.provision(['MTB2611000301'])) as [typeof box];
    deviceId = (await backend.app.registry.findBySerial(box.serial))!.id;
    c = await connectBox(backend.mqttUrl, box.serial, box.secret);
  });
  afterAll(async () => {
    await c.endAsync();
    await backend.stop();
  });

  const routing = () => backend.app.broker.aedes.telemetryRouting();
  const storedRows = async () => {
    backend.app.flush();
    const rows = await backend.app.db.selectFrom('telemetry').select('seq').where('device_id', '=', deviceId).execute();
    return rows.length;
  };
  /** Sends `n` telemetry messages and waits until the shadow holds the last one. */
  async function send(n: number, qos: 0 | 1) {
    for (let i = 0; i < n; i++) {
      seq++;
      await publish(c, topicFor(box.serial, 'telemetry'), { ts: Date.now(), seq, metrics: { rssi: -70 - (seq % 10), plc_link: 1 } }, qos);
    }
    const last = seq;
    await waitFor(() => backend.app.shadows.get(deviceId)?.metrics.rssi === -70 - (last % 10), { what: 'the last message in the shadow' });
  }

  it('stores telemetry at QoS 0 and 1 without routing it, and still tells publish listeners', async () => {
    const heard: string[] = [];
    const onPublish = (packet: AedesPublishPacket) => {
      if (packet.topic === topicFor(box.serial, 'telemetry')) heard.push(packet.payload.toString());
    };
    backend.app.broker.aedes.on('publish', onPublish);
    const before = routing();
    const rowsBefore = await storedRows();
    try {
      await send(5, 0);
      await send(5, 1);
    } finally {
      backend.app.broker.aedes.removeListener('publish', onPublish);
    }
    expect(routing()).toEqual({ routed: before.routed, unrouted: before.unrouted + 10 });
    await waitFor(async () => (await storedRows()) === rowsBefore + 10, { what: 'ten stored rows' });
    expect(heard).toHaveLength(10);
  });

  it('routes telemetry again while an in-process subscriber listens to mtbox/+/telemetry', async () => {
    const received: string[] = [];
    const deliver = (packet: AedesPublishPacket, done: () => void) => {
      received.push(packet.topic);
      done();
    };
    const aedes = backend.app.broker.aedes;
    await new Promise<void>((resolve) => aedes.subscribe('mtbox/+/telemetry', deliver, resolve));
    const before = routing();
    await send(3, 0);
    await send(2, 1);
    await waitFor(() => received.length === 5, { what: 'five deliveries' });
    expect(received).toEqual(Array(5).fill(topicFor(box.serial, 'telemetry')));
    expect(routing()).toEqual({ routed: before.routed + 5, unrouted: before.unrouted });

    await new Promise<void>((resolve) => aedes.unsubscribe('mtbox/+/telemetry', deliver, resolve));
    const after = routing();
    await send(2, 1);
    expect(routing()).toEqual({ routed: after.routed, unrouted: after.unrouted + 2 });
    expect(received).toHaveLength(5);
  });

  it('keeps skipping when a box is refused a subscription to other boxes’ telemetry', async () => {
    const denied = backend.app.broker.stats().refusals['subscribe-denied'];
    // SUBACK 0x80, which mqtt.js reports as an error.
    await expect(c.subscribeAsync('mtbox/+/telemetry', { qos: 1 })).rejects.toThrow(/Subscribe error/);
    expect(backend.app.broker.stats().refusals['subscribe-denied']).toBe(denied + 1);
    const before = routing();
    await send(2, 1);
    expect(routing()).toEqual({ routed: before.routed, unrouted: before.unrouted + 2 });
  });
});
