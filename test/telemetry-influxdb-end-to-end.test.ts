import { statSync } from 'node:fs';
import path from 'node:path';
import type { MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { topicFor } from '../services/contract/topics.ts';
import { telemetryLine } from '../services/edge/telemetry/domain/influx-line-protocol.ts';
import { connectBox, publish, startTestBackend, type TestBackend } from './helpers/backend.ts';
import { startInfluxDb1, startVictoriaMetrics } from './helpers/time-series-servers.ts';
import { parseExposition, sampleValue } from './helpers/prometheus-text.ts';
import { waitFor } from './helpers/wait-for.ts';

// The whole backend with TELEMETRY_STORE=influxdb and real boxes over MQTT. No server here is
// both halves of InfluxDB, so writes go to VictoriaMetrics (InfluxDB 2's /api/v2/write, and an
// export that shows every sample it got, duplicates included) and reads go to InfluxDB 1.6
// (InfluxQL on /query) through INFLUX_QUERY_URL.
let vm: Awaited<ReturnType<typeof startVictoriaMetrics>>;
let influx: Awaited<ReturnType<typeof startInfluxDb1>>;
let backend: TestBackend | null = null;
const clients: MqttClient[] = [];

beforeAll(async () => {
  [vm, influx] = await Promise.all([startVictoriaMetrics(), startInfluxDb1()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([vm.remove(), influx.remove()]);
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
  if (!vm.running()) await vm.start();
  if (!influx.running()) await influx.start();
  await backend?.stop();
  backend = null;
});

async function influxBackend(env: Record<string, string> = {}): Promise<TestBackend> {
  backend = await startTestBackend({
    TELEMETRY_STORE: 'influxdb',
    INFLUX_URL: vm.url,
    INFLUX_TOKEN: 'test-token',
    INFLUX_ORG: 'vendor',
    INFLUX_BUCKET: 'fleet',
    INFLUX_QUERY_URL: influx.url,
    INFLUX_DATABASE: 'fleet',
    ...env,
  });
  return backend;
}

let nextBox = 1;
async function reportingBox(b: TestBackend) {
  const serial = `MTB26119${String(nextBox++).padStart(5, '0')}`;
  const [box] = await b.app.provision([serial]);
  let client = await connectBox(b.mqttUrl, serial, box!.secret);
  clients.push(client);
  let seq = 0;
  const acknowledged: number[] = [];
  return {
    serial,
    acknowledged,
    /** Publishes one QoS 1 message; resolves on its PUBACK. */
    async send(): Promise<void> {
      const s = ++seq;
      await publish(client, topicFor(serial, 'telemetry'), {
        ts: 1_790_000_000_000 + s * 1000,
        seq: s,
        metrics: { rssi: -60 - (s % 20), cpu_load: s % 100 },
      });
      acknowledged.push(s);
    },
    async reconnect(to: TestBackend) {
      client = await connectBox(to.mqttUrl, serial, box!.secret);
      clients.push(client);
    },
    /** How many times each acknowledged seq arrived in VictoriaMetrics. */
    async arrivals(): Promise<Map<number, number>> {
      const counts = new Map<number, number>();
      for (const series of await vm.exportLines(`telemetry_boxSeq{serial="${serial}"}`)) {
        for (const v of series.values) counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      return counts;
    },
  };
}

type Box = Awaited<ReturnType<typeof reportingBox>>;
const allOnce = async (box: Box) => {
  const counts = await box.arrivals();
  return counts.size === box.acknowledged.length && box.acknowledged.every((s) => counts.get(s) === 1);
};

type Health = {
  telemetry: {
    kind: string;
    spool: { points: number | null; full: boolean; oldestAgeS: number | null };
    forwarder: { state: string; lastError: string | null };
  };
};
const health = async (b: TestBackend) => ((await (await fetch(`${b.api}/health`)).json()) as Health).telemetry;

describe('telemetry in InfluxDB, end to end', () => {
  it('loses nothing while the time-series server is stopped under load, and stores each acknowledged message exactly once', async () => {
    const b = await influxBackend();
    const boxes = await Promise.all([1, 2, 3, 4].map(() => reportingBox(b)));
    let sending = true;
    const load = Promise.all(
      boxes.map(async (box) => {
        while (sending) await box.send();
      }),
    );
    await waitFor(() => boxes.every((box) => box.acknowledged.length >= 50), { what: 'the boxes to be reporting' });
    await vm.stop();
    const atStop = boxes.map((box) => box.acknowledged.length);
    await waitFor(() => boxes.every((box, i) => box.acknowledged.length >= atStop[i]! + 200), { what: 'acknowledgements while the server is away' });
    // Between retries the forwarder waits; each retry is a moment of `sending` that fails.
    const away = await waitFor(
      async () => {
        const h = await health(b);
        return h.forwarder.state === 'waiting' ? h : null;
      },
      { what: 'the forwarder waiting to retry' },
    );
    expect(away.kind).toBe('influxdb');
    expect(away.spool.points).toBeGreaterThan(0);
    expect(away.forwarder.lastError).toMatch(/InfluxDB unreachable/);
    await vm.start();
    await waitFor(() => boxes.every((box, i) => box.acknowledged.length >= atStop[i]! + 400), { what: 'more load after the server is back' });
    sending = false;
    await load;
    for (const box of boxes)
      await waitFor(() => allOnce(box), { what: `every acknowledged message of ${box.serial} exactly once`, timeoutMs: 30_000 });
    await waitFor(async () => (await health(b)).spool.points === 0, { what: 'the spool to drain' });
  });

  it('holds the PUBACKs once the spool is full, and delivers everything once the server is back', async () => {
    const b = await influxBackend({ TELEMETRY_SPOOL_MB: '1' });
    const box = await reportingBox(b);
    await vm.stop();
    // Unawaited publishes, many in flight, until the spool is full and the broker stops acknowledging.
    const inFlight: Array<Promise<void>> = [];
    await waitFor(
      async () => {
        for (let i = 0; i < 200; i++) inFlight.push(box.send());
        return (await health(b)).spool.full;
      },
      { what: 'a full spool', timeoutMs: 60_000, intervalMs: 1 },
    );
    const acknowledgedWhenFull = box.acknowledged.length;
    expect(acknowledgedWhenFull).toBeLessThan(inFlight.length);
    // A message sent now is not acknowledged while the spool stays full.
    let lateAcknowledged = false;
    inFlight.push(
      box.send().then(() => {
        lateAcknowledged = true;
      }),
    );
    await waitFor(async () => (await health(b)).forwarder.state === 'waiting', { what: 'the forwarder to be waiting for the server' });
    expect(lateAcknowledged).toBe(false);
    await vm.start();
    await Promise.all(inFlight);
    expect(box.acknowledged.length).toBe(inFlight.length);
    await waitFor(() => allOnce(box), { what: 'every message exactly once', timeoutMs: 30_000 });
  });

  it('drains a non-empty spool after the backend restarts, and keeps the spool file private', async () => {
    const b = await influxBackend();
    const box = await reportingBox(b);
    await vm.stop();
    for (let i = 0; i < 300; i++) await box.send();
    await b.restart();
    const mode = statSync(path.join(b.dataDir, 'telemetry-spool.sqlite')).mode & 0o777;
    expect(mode).toBe(0o600);
    await vm.start();
    await waitFor(() => allOnce(box), { what: 'the spooled messages after the restart', timeoutMs: 30_000 });
  });

  it('answers the history API from InfluxDB, and says so in words when it cannot be reached', async () => {
    const b = await influxBackend();
    const box = await reportingBox(b);
    const t0 = 1_790_000_000_000;
    await influx.write(
      'fleet',
      Array.from({ length: 6 }, (_, i) => telemetryLine(box.serial, t0 + i * 10_000, t0 + i * 10_000 + 50, i, { supply_voltage: 24 + i / 10 })),
    );
    const headers = await b.adminHeaders();
    const url = `${b.api}/devices/${box.serial}/telemetry?metric=supply_voltage&from=${t0}&to=${t0 + 60_000}`;
    const raw = (await (await fetch(url, { headers })).json()) as { points: Array<{ ts: number; value: number }> };
    expect(raw.points.map((p) => [p.ts, p.value])).toEqual(Array.from({ length: 6 }, (_, i) => [t0 + i * 10_000, 24 + i / 10]));
    const buckets = (await (await fetch(`${url}&step=30s`, { headers })).json()) as { points: Array<{ ts: number; count: number }> };
    expect(buckets.points.map((p) => [p.ts, p.count])).toEqual([
      [t0, 3],
      [t0 + 30_000, 3],
    ]);
    await influx.stop();
    const down = await fetch(url, { headers: { ...headers, 'accept-language': 'en' } });
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ error: 'TELEMETRY_STORE_UNAVAILABLE' });
  });
});

describe('the InfluxDB spool in the Prometheus metrics', () => {
  const TOKEN = 'influx-metrics-token-0123456789';
  const scrape = async (b: TestBackend) => {
    const res = await fetch(`${b.api.replace(/\/api$/, '')}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    return parseExposition(await res.text());
  };

  it('shows points forwarded, and points waiting in the spool while the server is away, with the node still ready', async () => {
    const b = await influxBackend({ METRICS_TOKEN: TOKEN });
    const box = await reportingBox(b);
    for (let i = 0; i < 20; i++) await box.send();
    await waitFor(async () => sampleValue(await scrape(b), 'mtbox_telemetry_forwarded_total') === 20, { what: '20 points forwarded' });
    const drained = await scrape(b);
    expect(sampleValue(drained, 'mtbox_telemetry_spool_points')).toBe(0);
    expect(sampleValue(drained, 'mtbox_telemetry_spool_oldest_age_seconds')).toBe(0);
    expect(sampleValue(drained, 'mtbox_telemetry_spool_bytes')).toBeGreaterThan(0);
    expect(drained.types.get('mtbox_telemetry_set_aside_total')).toBe('counter');
    // The SQLite writer thread's metrics exist only with that store.
    expect([...drained.types.keys()].filter((n) => /^mtbox_telemetry_(batch|write|queue)_/.test(n))).toEqual([]);

    await vm.stop();
    for (let i = 0; i < 5; i++) await box.send();
    b.app.flush();
    await waitFor(async () => (await health(b)).forwarder.lastError !== null, { what: 'a failed forward' });
    // The spool thread reports its figures after each step; the five points reach it in batches.
    const away = await waitFor(
      async () => {
        const e = await scrape(b);
        return sampleValue(e, 'mtbox_telemetry_spool_points') === 5 ? e : null;
      },
      { what: 'five points waiting in the spool' },
    );
    expect(sampleValue(away, 'mtbox_telemetry_forwarded_total')).toBe(20);
    // A short outage: the spool holds the points and the node stays in rotation.
    const ready = await fetch(`${b.api}/ready`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { checks: Record<string, unknown> }).checks.telemetry).toEqual({ ok: true });
  });
});
