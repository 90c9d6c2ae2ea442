import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './helpers/wait-for.ts';
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
    const points: Array<{ ts: number; metrics: Record<string, number> }> = [
      { ts: now - 2 * 3_600_000, metrics: { board_temp: 30 } },
      { ts: now - 30 * 60_000, metrics: { board_temp: 40, rssi: -70 } },
      { ts: now - 10 * 60_000, metrics: { board_temp: 42 } },
    ];
    points.forEach((p, seq) => api.telemetry.append({ deviceId: id, serial: A.serial, receivedAt: p.ts + 100, seq, ...p }));
    api.telemetry.flush();
    // The writer thread commits the batch on its own time.
    await waitFor(
      async () => (await api.telemetry.query({ deviceId: id, serial: A.serial, metric: 'board_temp', from: 0, to: now, limit: 10 })).length === 3,
      {
        what: 'the points in the store',
      },
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
      truncated: false,
      next: null,
    });
  });

  it('says a raw answer that hit its limit is truncated and where to continue, so pages from `next` cover every point once', async () => {
    const B = { serial: 'MTB2411000002', model: 'MT-BOX-4G' };
    const reg = await api.request('POST', '/api/devices', { headers: await api.headersFor('after-sales'), json: B });
    expect(reg.status).toBe(201);
    const id = await deviceId(B.serial);
    const to = api.now();
    const from = to - 60_000;
    // 25 points a second apart, two pairs sharing an instant across where pages of 5 end; every
    // third point lacks the metric and must not use up the limit.
    const stamps = Array.from({ length: 25 }, (_, i) => from + 1000 * i);
    stamps[5] = stamps[4]!;
    stamps[10] = stamps[9]!;
    stamps.forEach((ts, seq) => api.telemetry.append({ deviceId: id, serial: A.serial, ts, receivedAt: ts, seq, metrics: { rssi: -50 - seq } }));
    Array.from({ length: 8 }, (_, i) => from + 1000 * (3 * i) + 500).forEach((ts, i) =>
      api.telemetry.append({ deviceId: id, serial: A.serial, ts, receivedAt: ts, seq: 100 + i, metrics: { board_temp: 30 } }),
    );
    api.telemetry.flush();
    await waitFor(async () => (await api.telemetry.query({ deviceId: id, serial: A.serial, metric: 'rssi', from, to, limit: 100 })).length === 25, {
      what: 'the points in the store',
    });

    type Page = { points: Array<{ ts: number; value: number }>; truncated: boolean; next: number | null; from: number; to: number };
    const pages: Page[] = [];
    let cursor: number | null = from;
    while (cursor !== null && pages.length < 20) {
      const res = await api.request('GET', `/api/devices/${B.serial}/telemetry?metric=rssi&from=${cursor}&to=${to}&limit=5`, { headers: technician });
      expect(res.status).toBe(200);
      const page = (await res.json()) as Page;
      pages.push(page);
      cursor = page.next;
    }
    const values = pages.flatMap((p) => p.points.map((pt) => pt.value));
    expect(values).toEqual(Array.from({ length: 25 }, (_, seq) => -50 - seq));
    expect(pages.slice(0, -1).every((p) => p.truncated && p.next !== null && p.points.length > 0 && p.points.length <= 5)).toBe(true);
    expect(pages.at(-1)).toMatchObject({ truncated: false, next: null });
    // A page never splits the points of one instant.
    expect(pages[0]!.points.map((p) => p.ts)).toEqual(stamps.slice(0, 4));
    expect(pages[0]!.next).toBe(stamps[4]);

    const untruncated = await api.request('GET', `/api/devices/${B.serial}/telemetry?metric=rssi&from=${from}&to=${to}&limit=25`, {
      headers: technician,
    });
    expect(await untruncated.json()).toMatchObject({ truncated: false, next: null });
    const buckets = await api.request('GET', `/api/devices/${B.serial}/telemetry?metric=rssi&from=${from}&to=${to}&step=10s&limit=2`, {
      headers: technician,
    });
    expect(await buckets.json()).toMatchObject({ truncated: true, next: from + 20_000, points: [{ ts: from }, { ts: from + 10_000 }] });
  });

  it('accepts ISO 8601 or epoch-ms bounds and a step like 1h, answering hourly buckets of the range', async () => {
    const id = await deviceId(A.serial);
    const from = '2025-06-15T05:00:00Z';
    const to = String(api.now());
    const hour = Date.parse(from);
    const points: Array<{ ts: number; metrics: Record<string, number> }> = [
      { ts: hour + 10 * 60_000, metrics: { cpu_load: 20 } },
      { ts: hour + 50 * 60_000, metrics: { cpu_load: 30 } },
      { ts: hour + 70 * 60_000, metrics: { cpu_load: 50 } },
    ];
    points.forEach((p, seq) => api.telemetry.append({ deviceId: id, serial: A.serial, receivedAt: p.ts, seq: 100 + seq, ...p }));
    api.telemetry.flush();
    const url = `/api/devices/${A.serial}/telemetry?metric=cpu_load&from=${from}&to=${to}&step=1h&limit=50`;
    const body = await waitFor(
      async () => {
        const res = await api.request('GET', url, { headers: technician });
        expect(res.status).toBe(200);
        const b = (await res.json()) as {
          stepMs: number;
          from: number;
          to: number;
          points: Array<{ ts: number; value: number; min: number; max: number; count: number }>;
        };
        return b.points.length >= 2 ? b : null;
      },
      { what: 'hourly buckets' },
    );
    expect([body.from, body.to, body.stepMs]).toEqual([hour, api.now(), 3_600_000]);
    expect(body.points.slice(0, 2)).toEqual([
      { ts: hour, value: 25, min: 20, max: 30, count: 2 },
      { ts: hour + 3_600_000, value: 50, min: 50, max: 50, count: 1 },
    ]);
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
    await api.intake.saveFault({ deviceId: id, receivedAt: now - 900, id: 'f-1', ts: now - 1000, code: 'PLC_LINK_DOWN', severity: 'error' });
    await api.intake.saveEvent({ deviceId: id, receivedAt: now - 400, id: 'e-1', ts: now - 500, type: 'tamper', details: { lid: 'open' } });
    const faults = await api.request('GET', `/api/devices/${A.serial}/faults?limit=10`, { headers: technician });
    expect(await faults.json()).toEqual({
      serial: A.serial,
      faults: [{ id: 'f-1', ts: now - 1000, receivedAt: now - 900, code: 'PLC_LINK_DOWN', severity: 'error', state: 'raised' }],
      nextCursor: null,
    });
    const events = await api.request('GET', `/api/devices/${A.serial}/events?from=${now - 600}`, { headers: technician });
    expect(await events.json()).toEqual({
      serial: A.serial,
      events: [{ id: 'e-1', ts: now - 500, receivedAt: now - 400, type: 'tamper', details: { lid: 'open' } }],
      nextCursor: null,
    });
  });
});
