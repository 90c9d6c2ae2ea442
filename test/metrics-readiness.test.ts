import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicFor } from '../services/contract/topics.ts';
import { connectBox, publish, startTestBackend, type TestBackend } from './helpers/backend.ts';
import { startApiFixture } from './helpers/http-fixture.ts';
import { type Exposition, parseExposition, sampleValue } from './helpers/prometheus-text.ts';
import { waitFor } from './helpers/wait-for.ts';

const TOKEN = 'metrics-test-token-0123456789';

describe('Prometheus metrics at /metrics', () => {
  let backend: TestBackend;
  let origin: string;
  let box: { serial: string; secret: string };

  beforeAll(async () => {
    backend = await startTestBackend({ METRICS_TOKEN: TOKEN });
    origin = backend.api.replace(/\/api$/, '');
    [box] = (await backend.app.provision(['MTB2611000901'])) as [typeof box];
  });
  afterAll(() => backend.stop());

  const scrape = async (): Promise<Exposition> => {
    const res = await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    return parseExposition(await res.text());
  };

  it('serves every documented metric as Prometheus text exposition, with process figures prefixed mtbox_', async () => {
    const e = await scrape();
    expect(Object.fromEntries(e.types)).toMatchObject({
      mtbox_boxes_connected: 'gauge',
      mtbox_mqtt_connects_total: 'counter',
      mtbox_messages_total: 'counter',
      mtbox_payloads_rejected_total: 'counter',
      mtbox_triage_decisions_total: 'counter',
      mtbox_triage_pending: 'gauge',
      mtbox_fault_decision_seconds: 'histogram',
      mtbox_tickets_open: 'gauge',
      mtbox_socketio_clients: 'gauge',
      mtbox_process_resident_memory_bytes: 'gauge',
      mtbox_nodejs_heap_size_used_bytes: 'gauge',
      mtbox_nodejs_eventloop_lag_seconds: 'gauge',
    });
    // The InfluxDB spool's metrics exist only with that store.
    expect([...e.types.keys()].filter((n) => /^mtbox_telemetry_(spool|forwarded|set_aside)/.test(n))).toEqual([]);
    // Counters end in _total; nothing outside the prefix.
    for (const [name, type] of e.types) {
      expect(name.startsWith('mtbox_')).toBe(true);
      if (type === 'counter') expect(name.endsWith('_total')).toBe(true);
    }
  });

  it('moves its counters as a box connects, reports telemetry, raises a fault and sends a bad payload', async () => {
    const before = await scrape();
    const c = await connectBox(backend.mqttUrl, box.serial, box.secret);
    await publish(c, topicFor(box.serial, 'telemetry'), { ts: Date.now(), seq: 1, metrics: { rssi: -70 } }, 0);
    await publish(c, topicFor(box.serial, 'telemetry'), { ts: Date.now(), seq: 2, metrics: { rssi: -71 } }, 1);
    await publish(c, topicFor(box.serial, 'fault'), { id: 'f-metrics-1', ts: Date.now(), code: 'FLASH_WRITE_FAILED', severity: 'error' });
    await publish(c, topicFor(box.serial, 'telemetry'), '{not json', 1);
    await waitFor(() => backend.app.afterSales.diagnostics.stats().decided >= 1, { what: 'the fault decided' });
    const after = await scrape();

    expect(sampleValue(after, 'mtbox_boxes_connected')).toBe(1);
    const grew = (name: string, labels: Record<string, string>) => sampleValue(after, name, labels) - sampleValue(before, name, labels);
    expect(grew('mtbox_mqtt_connects_total', { result: 'accepted' })).toBe(1);
    expect(grew('mtbox_messages_total', { channel: 'telemetry', qos: '0' })).toBe(1);
    expect(grew('mtbox_messages_total', { channel: 'telemetry', qos: '1' })).toBe(1);
    expect(grew('mtbox_messages_total', { channel: 'fault', qos: '1' })).toBe(1);
    // The retained online status connectBox announces.
    expect(grew('mtbox_messages_total', { channel: 'status', qos: '1' })).toBe(1);
    expect(grew('mtbox_payloads_rejected_total', { reason: 'invalid-json' })).toBe(1);
    expect(grew('mtbox_triage_decisions_total', { result: 'decided' })).toBe(1);
    expect(grew('mtbox_fault_decision_seconds_count', {})).toBe(1);
    expect(sampleValue(after, 'mtbox_fault_decision_seconds_bucket', { le: '+Inf' })).toBe(sampleValue(after, 'mtbox_fault_decision_seconds_count'));
    // FLASH_WRITE_FAILED opens an RMA ticket; it is counted under its state.
    const open = after.samples.filter((s) => s.name === 'mtbox_tickets_open' && s.labels.process === 'rma');
    expect(open.reduce((n, s) => n + s.value, 0)).toBe(1);
    await c.endAsync();
  });

  it('counts a refused CONNECT under its reason', async () => {
    const before = await scrape();
    await expect(connectBox(backend.mqttUrl, box.serial, 'not-the-secret')).rejects.toThrow();
    const after = await scrape();
    expect(
      sampleValue(after, 'mtbox_mqtt_connects_total', { result: 'wrong-secret' }) -
        sampleValue(before, 'mtbox_mqtt_connects_total', { result: 'wrong-secret' }),
    ).toBe(1);
  });

  it('refuses a scrape without the token or with a wrong one (401)', async () => {
    const none = await fetch(`${origin}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    const wrong = await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain('mtbox_');
  });
});

describe('/metrics without METRICS_TOKEN', () => {
  it('answers 404: metrics are off until the operator sets a token', async () => {
    const backend = await startTestBackend();
    try {
      const res = await fetch(`${backend.api.replace(/\/api$/, '')}/metrics`, { headers: { authorization: 'Bearer anything-at-all-here' } });
      expect(res.status).toBe(404);
    } finally {
      await backend.stop();
    }
  });
});

describe('readiness at /api/ready', () => {
  it('is 200 with its checks named once started, and not ready once stop() began', async () => {
    const backend = await startTestBackend();
    let stopping: Promise<void> | null = null;
    try {
      const res = await fetch(`${backend.api}/ready`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        ready: true,
        checks: { lifecycle: { ok: true }, database: { ok: true }, mqtt: { ok: true } },
      });
      // /api/health stays the cheap liveness answer.
      expect((await fetch(`${backend.api}/health`)).status).toBe(200);

      // The same answer the route gives, asked while stop() runs (its HTTP server closes within it).
      stopping = backend.app.stop();
      const during = await backend.app.ready();
      expect(during.ready).toBe(false);
      expect(during.checks.lifecycle).toEqual({ ok: false, detail: 'shutting down' });
    } finally {
      await stopping;
      await backend.stop();
    }
  });

  it('answers 503 NOT_READY with the failing checks named while starting or without its MQTT listener', async () => {
    let phase: 'starting' | 'ready' = 'starting';
    let listening = true;
    const api = await startApiFixture({}, { readiness: { lifecycle: () => phase, mqttListening: () => listening } });
    try {
      const starting = await fetch(`${api.url}/api/ready`);
      expect(starting.status).toBe(503);
      expect(await starting.json()).toMatchObject({
        error: 'NOT_READY',
        details: { ready: false, checks: { lifecycle: { ok: false, detail: 'still starting' }, database: { ok: true }, mqtt: { ok: true } } },
      });
      phase = 'ready';
      expect((await fetch(`${api.url}/api/ready`)).status).toBe(200);
      listening = false;
      const noBroker = await fetch(`${api.url}/api/ready`);
      expect(noBroker.status).toBe(503);
      expect(await noBroker.json()).toMatchObject({
        details: { ready: false, checks: { lifecycle: { ok: true }, mqtt: { ok: false, detail: 'the MQTT listener is not listening' } } },
      });
    } finally {
      await api.close();
    }
  });
});
