import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandRequest } from '../services/contract/payloads.ts';
import { topicFor } from '../services/contract/topics.ts';
import { connectBox, publish, startTestBackend, type TestBackend } from './helpers/backend.ts';
import { type Exposition, parseExposition, sampleValue } from './helpers/prometheus-text.ts';
import { waitFor } from './helpers/wait-for.ts';

const TOKEN = 'metrics-work-test-token-0123456789';
const HOUR = 3600_000;

/*
 * The metrics of the work the backend does for a fleet: commands by outcome, the telemetry
 * writer's batches and queue, the deadlines the tickets set, and which node answers.
 */
describe('metrics of commands, telemetry writes, deadlines and the node', () => {
  let backend: TestBackend;
  let headers: Record<string, string>;
  let box: { serial: string; secret: string };
  let client: MqttClient;
  // The backend's clock; a deadline is made overdue by moving it.
  let now = Date.UTC(2026, 10, 30, 2);

  beforeAll(async () => {
    // The scheduler's timer stays out of the way: the test fires deadlines itself with tick().
    backend = await startTestBackend({ METRICS_TOKEN: TOKEN, SCHEDULER_POLL_S: '3600' }, { clock: () => now });
    headers = await backend.adminHeaders();
    [box] = (await backend.app.provision(['MTB2611000951'])) as [typeof box];
    client = await connectBox(backend.mqttUrl, box.serial, box.secret);
  });
  afterAll(async () => {
    await client.endAsync();
    await backend.stop();
  });

  const scrape = async (): Promise<Exposition> => {
    const res = await fetch(`${backend.api.replace(/\/api$/, '')}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    return parseExposition(await res.text());
  };

  const command = async (body: unknown, serial = box.serial) => {
    const res = await fetch(`${backend.api}/devices/${serial}/commands`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await res.json()) as { status: string };
  };

  it('counts commands by final outcome: answered, refused by the box, timed out, and for a box offline', async () => {
    // The box answers ping, refuses diagnostics and stays silent on everything else.
    client.on('message', (_topic, payload) => {
      const req = CommandRequest.parse(JSON.parse(payload.toString()));
      const res = topicFor(box.serial, 'cmd/res');
      if (req.name === 'ping') void publish(client, res, { id: req.id, ok: true, result: { uptime: 1 } });
      if (req.name === 'diagnostics.run') void publish(client, res, { id: req.id, ok: false, error: { code: 'busy', message: 'a scan is running' } });
    });
    await client.subscribeAsync(topicFor(box.serial, 'cmd/req'), { qos: 1 });
    const before = await scrape();
    expect((await command({ name: 'ping' })).status).toBe('succeeded');
    expect((await command({ name: 'diagnostics.run' })).status).toBe('failed');
    expect((await command({ name: 'log.fetch', timeoutMs: 500 })).status).toBe('timed-out');
    const [away] = (await backend.app.provision(['MTB2611000952'])) as [typeof box];
    expect((await command({ name: 'ping' }, away.serial)).status).toBe('offline');
    const after = await scrape();
    expect(after.types.get('mtbox_commands_total')).toBe('counter');
    const grew = (outcome: string) =>
      sampleValue(after, 'mtbox_commands_total', { outcome }) - sampleValue(before, 'mtbox_commands_total', { outcome });
    expect(grew('succeeded')).toBe(1);
    expect(grew('failed')).toBe(1);
    expect(grew('timed-out')).toBe(1);
    expect(grew('offline')).toBe(1);
  });

  it('observes each telemetry batch the writer thread wrote, its size and time, and shows its queue', async () => {
    const before = await scrape();
    for (let seq = 1; seq <= 3; seq++) await publish(client, topicFor(box.serial, 'telemetry'), { ts: now, seq, metrics: { rssi: -70 } }, 1);
    await waitFor(async () => (await backend.app.storedTelemetryCount()) >= 3, { what: 'the points stored' });
    // The acknowledgement travels back from the writer thread as a message of its own.
    const after = await waitFor(
      async () => {
        const e = await scrape();
        return sampleValue(e, 'mtbox_telemetry_batch_points_sum') - sampleValue(before, 'mtbox_telemetry_batch_points_sum') >= 3 ? e : null;
      },
      { what: 'the batch acknowledgements counted' },
    );
    expect(after.types.get('mtbox_telemetry_batch_points')).toBe('histogram');
    expect(after.types.get('mtbox_telemetry_write_seconds')).toBe('histogram');
    expect(sampleValue(after, 'mtbox_telemetry_batch_points_sum') - sampleValue(before, 'mtbox_telemetry_batch_points_sum')).toBe(3);
    const batches = sampleValue(after, 'mtbox_telemetry_batch_points_count') - sampleValue(before, 'mtbox_telemetry_batch_points_count');
    expect(batches).toBeGreaterThanOrEqual(1);
    expect(batches).toBeLessThanOrEqual(3);
    // One write time per batch, each a real duration.
    expect(sampleValue(after, 'mtbox_telemetry_write_seconds_count')).toBe(sampleValue(after, 'mtbox_telemetry_batch_points_count'));
    expect(sampleValue(after, 'mtbox_telemetry_write_seconds_sum')).toBeGreaterThan(0);
    // Everything written: nothing waits for the writer.
    expect(after.types.get('mtbox_telemetry_queue_points')).toBe('gauge');
    expect(sampleValue(after, 'mtbox_telemetry_queue_points')).toBe(0);
  });

  it('shows a ticket’s deadline as due, then overdue once its time passed, and neither once fired', async () => {
    const empty = await scrape();
    expect(empty.types.get('mtbox_deadlines_due')).toBe('gauge');
    expect(empty.types.get('mtbox_deadlines_overdue')).toBe('gauge');
    // FLASH_WRITE_FAILED opens an RMA ticket, whose first answer is due within a working day or so.
    await publish(client, topicFor(box.serial, 'fault'), { id: 'f-deadline-1', ts: now, code: 'FLASH_WRITE_FAILED', severity: 'error' });
    await waitFor(() => backend.app.afterSales.diagnostics.stats().decided >= 1, { what: 'the fault decided' });
    const pending = await backend.app.db
      .selectFrom('deadlines')
      .select(['kind', 'due_at'])
      .where('fired_at', 'is', null)
      .where('cancelled_at', 'is', null)
      .execute();
    expect(pending.length).toBeGreaterThanOrEqual(1);
    const first = pending.reduce((a, b) => (Number(a.due_at) <= Number(b.due_at) ? a : b));
    const dueAt = Number(first.due_at);

    // Within 24 hours of its due time: due, not overdue.
    now = dueAt - HOUR;
    const due = await scrape();
    expect(sampleValue(due, 'mtbox_deadlines_due', { kind: first.kind })).toBe(1);
    expect(sampleValue(due, 'mtbox_deadlines_overdue', { kind: first.kind })).toBe(0);

    // Its time passed and the scheduler has not looked yet: overdue.
    now = dueAt + 1;
    const overdue = await scrape();
    expect(sampleValue(overdue, 'mtbox_deadlines_overdue', { kind: first.kind })).toBe(1);
    expect(sampleValue(overdue, 'mtbox_deadlines_due', { kind: first.kind })).toBe(0);

    // Fired: no longer pending, so in neither gauge.
    expect(await backend.app.afterSales.scheduler.tick()).toBeGreaterThanOrEqual(1);
    const fired = await scrape();
    expect(sampleValue(fired, 'mtbox_deadlines_overdue', { kind: first.kind })).toBe(0);
    expect(fired.samples.filter((s) => s.name === 'mtbox_deadlines_overdue' && s.labels.kind === first.kind)).toEqual([]);
  });

  it('names the node and the version it runs', async () => {
    const e = await scrape();
    expect(e.types.get('mtbox_node_info')).toBe('gauge');
    const info = e.samples.filter((s) => s.name === 'mtbox_node_info');
    expect(info).toEqual([
      { name: 'mtbox_node_info', labels: { node: expect.any(String), version: expect.stringMatching(/^\d+\.\d+\.\d+/) }, value: 1 },
    ]);
    expect(info[0]!.labels.node).not.toBe('');
  });
});
