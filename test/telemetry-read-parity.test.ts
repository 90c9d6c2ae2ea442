import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../device-sim/prng.ts';
import { openSqlite, type OpenedSqlite } from '../services/platform/db/database.ts';
import { telemetryLine } from '../services/edge/telemetry/domain/influx-line-protocol.ts';
import type {
  TelemetryPoint,
  TelemetryQuery,
  TelemetryReader,
  TelemetrySample,
  TelemetryStore,
} from '../services/edge/telemetry/domain/telemetry-port.ts';
import { createInfluxQlReader } from '../services/edge/telemetry/store/influxql-telemetry-query.ts';
import { createSqliteTelemetryStore } from '../services/edge/telemetry/store/sqlite-telemetry-store.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { startInfluxDb1 } from './helpers/time-series-servers.ts';

/*
 * The InfluxDB reader must answer exactly what the SQLite store answers for the same points:
 * the same seeded random messages go into both, and a table of queries is asked of both.
 */

const SERIALS = ['MTB2411000001', 'MTB2411000002'] as const;
/** A box of its own for the one case where the two stores differ. */
const TWIN_SERIAL = 'MTB2411000003';
const DATABASE = 'parity';
const T0 = 1_764_000_000_000;
const POINTS_PER_BOX = 250;

/**
 * Messages of one box at strictly increasing box timestamps (InfluxDB keeps one point per
 * series and timestamp, SQLite keeps both: that case has its own test below). Integer and
 * fractional metrics, each missing from some messages.
 */
function randomPoints(random: () => number, deviceId: number, serial: string): TelemetryPoint[] {
  const points: TelemetryPoint[] = [];
  let ts = T0 + Math.floor(random() * 1000);
  for (let seq = 0; seq < POINTS_PER_BOX; seq++) {
    const metrics: Record<string, number> = {};
    if (random() < 0.85) metrics.rssi = -95 + Math.floor(random() * 56);
    if (random() < 0.7) metrics.board_temp = Math.round((30 + random() * 25) * 10) / 10;
    if (random() < 0.6) metrics.cpu_load = random() * 100;
    points.push({ deviceId, serial, ts, receivedAt: ts + 40 + Math.floor(random() * 200), seq, metrics });
    ts += 1 + Math.floor(random() * 15_000);
  }
  return points;
}

interface ParityCase {
  name: string;
  q: Partial<TelemetryQuery>;
  /** Whether the answer holds points: a case that expects some and gets none proves nothing. */
  empty: boolean;
}

const WHOLE = { from: T0 - 1000, to: T0 + 4_000_000 };
const CASES: ParityCase[] = [
  { name: 'raw points of an integer metric over the whole range', q: { metric: 'rssi', ...WHOLE }, empty: false },
  { name: 'raw points of a fractional metric', q: { metric: 'cpu_load', ...WHOLE }, empty: false },
  { name: 'raw points with a limit', q: { metric: 'board_temp', ...WHOLE, limit: 17 }, empty: false },
  { name: 'raw points between two instants that are not points', q: { metric: 'rssi', from: T0 + 123_457, to: T0 + 987_651 }, empty: false },
  { name: '10-second buckets', q: { metric: 'rssi', ...WHOLE, stepMs: 10_000 }, empty: false },
  { name: '1-minute buckets of a fractional metric', q: { metric: 'cpu_load', ...WHOLE, stepMs: 60_000 }, empty: false },
  { name: '10-minute buckets', q: { metric: 'board_temp', ...WHOLE, stepMs: 600_000 }, empty: false },
  { name: 'buckets of an odd width (7,777 ms)', q: { metric: 'cpu_load', ...WHOLE, stepMs: 7_777 }, empty: false },
  { name: 'one bucket wider than the range', q: { metric: 'rssi', ...WHOLE, stepMs: 86_400_000 }, empty: false },
  {
    name: 'buckets from a `from` not aligned to the step',
    q: { metric: 'board_temp', from: T0 + 12_345, to: T0 + 2_000_000, stepMs: 60_000 },
    empty: false,
  },
  { name: 'buckets with a limit', q: { metric: 'rssi', ...WHOLE, stepMs: 30_000, limit: 5 }, empty: false },
  { name: 'a range with no points', q: { metric: 'rssi', from: T0 - 3_600_000, to: T0 - 1001 }, empty: true },
  { name: 'buckets of a range with no points', q: { metric: 'rssi', from: T0 + 5_000_000, to: T0 + 9_000_000, stepMs: 60_000 }, empty: true },
  { name: 'a metric no box sent', q: { metric: 'humidity', ...WHOLE }, empty: true },
  { name: 'buckets of a metric no box sent', q: { metric: 'humidity', ...WHOLE, stepMs: 60_000 }, empty: true },
];

/**
 * Equal answers, but for the last bits of an average: SQLite's avg() sums with compensation
 * (Kahan-Babuska-Neumaier, since SQLite 3.43), InfluxDB's mean() sums plainly, so an average of
 * many fractions may differ in its last place. Timestamps, counts, minima and maxima are exact.
 */
function expectSameSamples(actual: TelemetrySample[], expected: TelemetrySample[]): void {
  expect(actual.map(({ value: _, ...exact }) => exact)).toEqual(expected.map(({ value: _, ...exact }) => exact));
  actual.forEach((s, i) => {
    const want = expected[i]!.value;
    expect(Math.abs(s.value - want)).toBeLessThanOrEqual(Math.abs(want) * 1e-14);
  });
}

describe('telemetry read parity: InfluxDB (InfluxQL) answers what SQLite answers', () => {
  const dir = tempDir('mtbox-parity-');
  let opened: OpenedSqlite;
  let sqlite: TelemetryStore;
  let influx: Awaited<ReturnType<typeof startInfluxDb1>>;
  let reader: TelemetryReader;
  const deviceIds = new Map<string, number>();

  beforeAll(async () => {
    opened = await openSqlite(dir.path);
    for (const serial of [...SERIALS, TWIN_SERIAL]) {
      const row = await opened.db
        .insertInto('devices')
        .values({ serial, model: 'MT-BOX-4G', enabled: 1, secret_hash: 'x', created_at: 0 })
        .returning('id')
        .executeTakeFirstOrThrow();
      deviceIds.set(serial, row.id);
    }
    sqlite = createSqliteTelemetryStore(opened.db, opened.sqlite, {
      batchSize: 500,
      flushIntervalMs: 60_000,
      onFlushError: (err) => {
        throw err;
      },
    });
    influx = await startInfluxDb1();
    reader = createInfluxQlReader({ url: influx.url, token: 'not-checked-by-1.6', database: DATABASE });

    const random = mulberry32(20_241_114);
    const points = SERIALS.flatMap((serial) => randomPoints(random, deviceIds.get(serial)!, serial));
    for (const p of points) sqlite.append(p);
    sqlite.flush();
    await influx.write(
      DATABASE,
      points.map((p) => telemetryLine(p.serial, p.ts, p.receivedAt, p.seq, p.metrics)),
    );
  });
  afterAll(async () => {
    await sqlite?.close();
    await opened?.close();
    await influx?.remove();
    dir.remove();
  });

  const ask = (serial: string, q: Partial<TelemetryQuery>): TelemetryQuery => ({
    deviceId: deviceIds.get(serial)!,
    serial,
    metric: 'rssi',
    ...WHOLE,
    limit: 100_000,
    ...q,
  });

  for (const c of CASES) {
    it(`answers alike: ${c.name}`, async () => {
      for (const serial of SERIALS) {
        const q = ask(serial, c.q);
        const [fromSqlite, fromInflux] = await Promise.all([sqlite.query(q), reader.query(q)]);
        expect(fromSqlite.length === 0).toBe(c.empty);
        if (q.limit < 100_000 && !c.empty) expect(fromSqlite).toHaveLength(q.limit);
        expectSameSamples(fromInflux, fromSqlite);
      }
    });
  }

  it('differs on two messages with the same box timestamp: InfluxDB keeps one point, merging fields, the last write winning', async () => {
    const deviceId = deviceIds.get(TWIN_SERIAL)!;
    const first: TelemetryPoint = { deviceId, serial: TWIN_SERIAL, ts: T0, receivedAt: T0 + 50, seq: 1, metrics: { rssi: -70, board_temp: 40 } };
    const second: TelemetryPoint = { deviceId, serial: TWIN_SERIAL, ts: T0, receivedAt: T0 + 90, seq: 2, metrics: { rssi: -60 } };
    for (const p of [first, second]) {
      sqlite.append(p);
      sqlite.flush();
      await influx.write(DATABASE, [telemetryLine(p.serial, p.ts, p.receivedAt, p.seq, p.metrics)]);
    }
    const rssi = ask(TWIN_SERIAL, { metric: 'rssi' });
    expect((await sqlite.query(rssi)).map((s) => s.value).sort((a, b) => a - b)).toEqual([-70, -60]);
    expect(await reader.query(rssi)).toEqual([{ ts: T0, value: -60, min: -60, max: -60, count: 1 }]);
    // The first message's other metric survives in the merged point.
    const temp = ask(TWIN_SERIAL, { metric: 'board_temp' });
    expect(await reader.query(temp)).toEqual(await sqlite.query(temp));
    const bucket = { ...rssi, stepMs: 60_000 };
    expect(await sqlite.query(bucket)).toEqual([{ ts: rssi.from, value: -65, min: -70, max: -60, count: 2 }]);
    expect(await reader.query(bucket)).toEqual([{ ts: rssi.from, value: -60, min: -60, max: -60, count: 1 }]);
  });
});
