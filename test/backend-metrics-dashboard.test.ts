import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CommandRequest } from '../services/contract/payloads.ts';
import { topicFor } from '../services/contract/topics.ts';
import { connectBox, publish, startTestBackend, type TestBackend } from './helpers/backend.ts';
import { type Exposition, parseExposition } from './helpers/prometheus-text.ts';
import { waitFor } from './helpers/wait-for.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const TOKEN = 'dashboard-test-token-0123456789';

interface Dashboard {
  panels: Array<{ title: string; datasource: { uid: string }; targets: Array<{ expr: string; datasource: { uid: string } }> }>;
}
const dashboard = JSON.parse(read('deploy/grafana/dashboards/mtbox-backend-metrics.json')) as Dashboard;
const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => ({ panel: p.title, expr: t.expr })));

/** The metric names a PromQL expression reads (ours all start with mtbox_). */
const metricNames = (expr: string) => [...expr.matchAll(/\bmtbox_[a-zA-Z0-9_]+/g)].map((m) => m[0]);
/** The labels an expression aggregates or filters by. */
const labelNames = (expr: string) => [
  ...[...expr.matchAll(/\bby \(([^)]*)\)/g)].flatMap((m) => m[1]!.split(',').map((l) => l.trim())),
  ...[...expr.matchAll(/\{([a-z_]+)!?=~?"/g)].map((m) => m[1]!),
];

describe('the backend-metrics Grafana dashboard', () => {
  let backend: TestBackend;
  let client: MqttClient;
  let scraped: Exposition;

  /*
   * A fleet that does everything the dashboard charts: a box connects and reports telemetry,
   * raises a fault (triage, an RMA ticket and its deadlines), sends a bad payload, answers a
   * command; another connects with a wrong secret.
   */
  beforeAll(async () => {
    backend = await startTestBackend({ METRICS_TOKEN: TOKEN });
    const headers = await backend.adminHeaders();
    const [box] = (await backend.app.provision(['MTB2611000971'])) as [{ serial: string; secret: string }];
    client = await connectBox(backend.mqttUrl, box.serial, box.secret);
    client.on('message', (_topic, payload) => {
      const req = CommandRequest.parse(JSON.parse(payload.toString()));
      void publish(client, topicFor(box.serial, 'cmd/res'), { id: req.id, ok: true, result: {} });
    });
    await client.subscribeAsync(topicFor(box.serial, 'cmd/req'), { qos: 1 });
    await publish(client, topicFor(box.serial, 'telemetry'), { ts: Date.now(), seq: 1, metrics: { rssi: -70 } }, 1);
    await publish(client, topicFor(box.serial, 'fault'), { id: 'f-dash-1', ts: Date.now(), code: 'FLASH_WRITE_FAILED', severity: 'error' });
    await publish(client, topicFor(box.serial, 'telemetry'), '{not json', 1);
    await expect(connectBox(backend.mqttUrl, box.serial, 'not-the-secret')).rejects.toThrow();
    const res = await fetch(`${backend.api}/devices/${box.serial}/commands`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'ping' }),
    });
    expect(((await res.json()) as { status: string }).status).toBe('succeeded');
    await waitFor(() => backend.app.afterSales.diagnostics.stats().decided >= 1, { what: 'the fault decided' });
    const origin = backend.api.replace(/\/api$/, '');
    scraped = await waitFor(
      async () => {
        const e = parseExposition(await (await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text());
        return e.samples.some((s) => s.name === 'mtbox_telemetry_batch_points_count' && s.value > 0) ? e : null;
      },
      { what: 'the telemetry batch acknowledged' },
    );
  });
  afterAll(async () => {
    await client.endAsync();
    await backend.stop();
  });

  it('queries only metrics the backend exports, each with samples once a fleet has done its work', () => {
    expect(exprs.length).toBeGreaterThan(10);
    for (const { panel, expr } of exprs) {
      const names = metricNames(expr);
      expect(names.length, `${panel}: ${expr}`).toBeGreaterThan(0);
      for (const name of names) {
        const family = name.replace(/_(bucket|sum|count)$/, '');
        const type = scraped.types.get(name) ?? scraped.types.get(family);
        expect(type, `${panel}: ${name} is exported`).toBeDefined();
        // A histogram is read through its series, never by its bare family name.
        if (scraped.types.get(family) === 'histogram') expect(name, `${panel}: ${name}`).not.toBe(family);
        expect(
          scraped.samples.some((s) => s.name === name),
          `${panel}: ${name} has samples`,
        ).toBe(true);
      }
    }
  });

  it('groups and filters only by labels those metrics carry', () => {
    for (const { panel, expr } of exprs) {
      const samples = scraped.samples.filter((s) => metricNames(expr).includes(s.name));
      for (const label of labelNames(expr)) {
        if (label === 'le') continue;
        expect(
          samples.some((s) => label in s.labels),
          `${panel}: label ${label} in ${expr}`,
        ).toBe(true);
      }
    }
  });

  it('reads the Prometheus data source that compose.yml provisions, which scrapes the backend with its token', () => {
    const source = (
      parse(read('deploy/grafana/provisioning/datasources/prometheus.yml')) as { datasources: Array<{ uid: string; url: string; type: string }> }
    ).datasources[0]!;
    expect(source.type).toBe('prometheus');
    for (const p of dashboard.panels) {
      expect(p.datasource.uid, p.title).toBe(source.uid);
      for (const t of p.targets) expect(t.datasource.uid, p.title).toBe(source.uid);
    }
    const compose = parse(read('deploy/grafana/compose.yml')) as {
      services: Record<string, { entrypoint?: string[]; volumes?: string[]; environment?: Record<string, string> }>;
    };
    const prometheus = compose.services.prometheus!;
    expect(new URL(source.url).host).toBe('prometheus:9090');
    const config = parse(read('deploy/grafana/prometheus.yml')) as {
      scrape_configs: Array<{
        metrics_path: string;
        authorization: { type: string; credentials_file: string };
        static_configs: Array<{ targets: string[] }>;
      }>;
    };
    const [job] = config.scrape_configs;
    expect(job!.metrics_path).toBe('/metrics');
    expect(job!.static_configs[0]!.targets).toEqual(['mtbox-care:8080']);
    expect(job!.authorization.type).toBe('Bearer');
    // The entrypoint writes the token where the scrape config reads it, then runs Prometheus on the mounted config.
    const script = prometheus.entrypoint!.join(' ');
    expect(script).toContain(`> ${job!.authorization.credentials_file} `);
    expect(script).toContain('exec /bin/prometheus --config.file=/etc/prometheus/prometheus.yml');
    expect(prometheus.volumes).toContain('./deploy/grafana/prometheus.yml:/etc/prometheus/prometheus.yml:ro');
    expect(Object.keys(prometheus.environment!)).toEqual(['METRICS_TOKEN']);
  });
});
