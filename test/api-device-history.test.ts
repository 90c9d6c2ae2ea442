import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiFixture, type ApiFixture } from './helpers/http-fixture.ts';

const A = { serial: 'MTB2411000001', model: 'MT-BOX-4G' };

let api: ApiFixture;
let technician: Record<string, string>;

async function deviceId(serial: string): Promise<number> {
  return (await api.registry.findBySerial(serial))!.id;
}

beforeAll(async () => {
  api = await startApiFixture();
  technician = await api.headersFor('technician');
  const res = await api.request('POST', '/api/devices', { headers: await api.headersFor('after-sales'), json: A });
  if (res.status !== 201) throw new Error(`register ${A.serial}: ${res.status}`);
});
afterAll(() => api.close());

describe('history', () => {
  it('answers one metric with default range: the hour before now', async () => {
    const id = await deviceId(A.serial);
    const now = api.now();
    api.telemetry.points.push(
      { deviceId: id, ts: now - 2 * 3_600_000, metrics: { board_temp: 30 } },
      { deviceId: id, ts: now - 30 * 60_000, metrics: { board_temp: 40, rssi: -70 } },
      { deviceId: id, ts: now - 10 * 60_000, metrics: { board_temp: 42 } },
    );
    const res = await api.request('GET', `/api/devices/${A.serial}/telemetry?metric=board_temp`, { headers: technician });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      serial: A.serial,
      metric: 'board_temp',
      from: now - 3_600_000,
      to: now,
      stepMs: null,
      points: [
        { ts: now - 30 * 60_000, value: 40, min: 40, max: 40, count: 1 },
        { ts: now - 10 * 60_000, value: 42, min: 42, max: 42, count: 1 },
      ],
    });
  });

  it('accepts ISO 8601 or epoch-ms bounds and a step like 1h, passing them to the telemetry store', async () => {
    const from = '2025-06-15T05:00:00Z';
    const to = String(api.now());
    const res = await api.request('GET', `/api/devices/${A.serial}/telemetry?metric=board_temp&from=${from}&to=${to}&step=1h&limit=50`, {
      headers: technician,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { stepMs: number; points: unknown[] };
    expect(body.stepMs).toBe(3_600_000);
    expect(api.telemetry.queries.at(-1)).toEqual({
      deviceId: await deviceId(A.serial),
      metric: 'board_temp',
      from: Date.parse(from),
      to: api.now(),
      stepMs: 3_600_000,
      limit: 50,
    });
  });

  it('answers 400 without a metric, with from after to, or with a step giving too many points', async () => {
    const path = `/api/devices/${A.serial}/telemetry`;
    const noMetric = await api.request('GET', path, { headers: technician });
    expect(noMetric.status).toBe(400);
    expect(((await noMetric.json()) as { details: Array<{ path: string }> }).details.map((d) => d.path)).toEqual(['metric']);

    const backwards = await api.request('GET', `${path}?metric=rssi&from=2025-06-15T09:00:00Z&to=2025-06-15T08:00:00Z`, { headers: technician });
    expect(((await backwards.json()) as { details: Array<{ path: string }> }).details.map((d) => d.path)).toEqual(['from']);

    const tooFine = await api.request('GET', `${path}?metric=rssi&from=0&step=1ms`, { headers: technician });
    expect(tooFine.status).toBe(400);
    expect(((await tooFine.json()) as { details: Array<{ path: string }> }).details.map((d) => d.path)).toEqual(['step']);

    const badDate = await api.request('GET', `${path}?metric=rssi&from=2025-02-30`, { headers: technician });
    expect(badDate.status).toBe(400);
  });

  it('lists faults and events of a box without internal ids', async () => {
    const id = await deviceId(A.serial);
    const now = api.now();
    api.intake.faults.push({ deviceId: id, receivedAt: now - 900, id: 'f-1', ts: now - 1000, code: 'PLC_LINK_DOWN', severity: 'error' });
    api.intake.events.push({ deviceId: id, receivedAt: now - 400, id: 'e-1', ts: now - 500, type: 'tamper', details: { lid: 'open' } });
    const faults = await api.request('GET', `/api/devices/${A.serial}/faults?limit=10`, { headers: technician });
    expect(await faults.json()).toEqual({
      serial: A.serial,
      faults: [{ id: 'f-1', ts: now - 1000, receivedAt: now - 900, code: 'PLC_LINK_DOWN', severity: 'error' }],
    });
    const events = await api.request('GET', `/api/devices/${A.serial}/events?from=${now - 600}`, { headers: technician });
    expect(await events.json()).toEqual({
      serial: A.serial,
      events: [{ id: 'e-1', ts: now - 500, receivedAt: now - 400, type: 'tamper', details: { lid: 'open' } }],
    });
  });
});
