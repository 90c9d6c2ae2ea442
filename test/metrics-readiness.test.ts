import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicFor } from '../services/contract/topics.ts';
import { connectBox, publish, startTestBackend, type TestBackend } from './helpers/backend.ts';
import { startApiFixture } from './helpers/http-fixture.ts';
import { waitFor } from './helpers/wait-for.ts';

const TOKEN = 'metrics-test-token-0123456789';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

interface Exposition {
  types: Map<string, string>;
  samples: Sample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const SAMPLE_LINE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: -?\\d+)?$`);
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\\\|\\"|\\n)*)"(?:,|$)/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
/** Sample names a family of each type may use (the exposition format's suffixes). */
const SUFFIXES: Record<string, string[]> = { histogram: ['_bucket', '_sum', '_count'], summary: ['', '_sum', '_count'] };

/**
 * The Prometheus text exposition format (version 0.0.4), strictly: HELP and TYPE lines once
 * per family and before its samples, each sample of a declared family, labels quoted and
 * escaped, values floats or ±Inf/NaN. Throws on the first line that breaks it.
 */
function parseExposition(text: string): Exposition {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  const familyOf = (name: string) => {
    for (const [family, type] of types) {
      if ((SUFFIXES[type] ?? ['']).some((suffix) => name === family + suffix)) return family;
    }
    return null;
  };
  expect(text.endsWith('\n')).toBe(true);
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta as unknown as [string, string, string, string];
      expect(name).toMatch(new RegExp(`^${NAME}$`));
      if (kind === 'TYPE') {
        if (types.has(name) || !TYPES.has(rest)) throw new Error(`bad TYPE line: ${line}`);
        types.set(name, rest);
      }
      continue;
    }
    if (line.startsWith('#')) continue;
    const m = SAMPLE_LINE.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const [, name, labelText = '', valueText] = m as unknown as [string, string, string | undefined, string];
    if (familyOf(name) === null) throw new Error(`sample of an undeclared family: ${line}`);
    const labels: Record<string, string> = {};
    let rest = labelText;
    while (rest !== '') {
      const l = LABEL.exec(rest);
      if (!l) throw new Error(`bad labels: ${line}`);
      labels[l[1]!] = l[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
      rest = rest.slice(l[0].length);
    }
    const value = parseValue(valueText);
    if (value === null) throw new Error(`bad value: ${line}`);
    samples.push({ name, labels, value });
  }
  return { types, samples };
}

/**
 * A sample value as Prometheus reads it (Go's strconv.ParseFloat): a decimal float, or Inf,
 * Infinity and NaN in any case with an optional sign (prom-client writes NaN as `Nan`).
 */
function parseValue(text: string): number | null {
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(text);
  if (special) return special[2]!.toLowerCase() === 'nan' ? Number.NaN : special[1] === '-' ? -Infinity : Infinity;
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : null;
}

/** The value of one sample; 0 when absent (a counter not yet moved). */
function sampleValue(e: Exposition, name: string, labels: Record<string, string> = {}): number {
  const s = e.samples.find((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v));
  return s?.value ?? 0;
}

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
    expect([...e.types.keys()].filter((n) => n.startsWith('mtbox_telemetry_'))).toEqual([]);
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
