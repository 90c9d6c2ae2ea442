import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startInfluxDb1 } from '../../../../test/helpers/time-series-servers.ts';
import { AppError } from '../../../kernel/app-error.ts';
import { telemetryLine } from '../domain/influx-line-protocol.ts';
import type { TelemetryQuery } from '../domain/telemetry-port.ts';
import { createInfluxQlReader, type InfluxQlReaderOptions } from './influxql-telemetry-query.ts';

const SERIAL = 'MTB2411000001';
const T0 = 1_764_000_000_000;

describe('InfluxQL telemetry reader (InfluxDB 1.6)', () => {
  let influx: Awaited<ReturnType<typeof startInfluxDb1>>;
  let databases = 0;

  beforeAll(async () => {
    influx = await startInfluxDb1();
  });
  afterAll(async () => {
    await influx?.remove();
  });

  /** A fresh database holding `points` (serial, ts, metrics), and a reader of it. */
  async function seeded(points: [string, number, Record<string, number>][], opts: Partial<InfluxQlReaderOptions> = {}) {
    const database = `reader_${++databases}`;
    await influx.write(
      database,
      points.map(([serial, ts, metrics], i) => telemetryLine(serial, ts, ts + 5, i, metrics)),
    );
    return createInfluxQlReader({ url: influx.url, token: 'not-checked-by-1.6', database, ...opts });
  }

  const query = (q: Partial<TelemetryQuery>): TelemetryQuery => ({
    deviceId: 1,
    serial: SERIAL,
    metric: 'rssi',
    from: T0,
    to: T0 + 3_600_000,
    limit: 1000,
    ...q,
  });

  async function failure(p: Promise<unknown>): Promise<AppError> {
    const err = await p.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }

  it('answers raw points in time order, skipping messages without the metric before the limit counts', async () => {
    const reader = await seeded([
      [SERIAL, T0 + 3000, { rssi: -71.5, temp: 20 }],
      [SERIAL, T0 + 1000, { temp: 21 }],
      [SERIAL, T0 + 2000, { rssi: -70 }],
      [SERIAL, T0 + 4000, { temp: 22 }],
      [SERIAL, T0 + 5000, { rssi: -69 }],
    ]);
    expect(await reader.query(query({ limit: 2 }))).toEqual([
      { ts: T0 + 2000, value: -70, min: -70, max: -70, count: 1 },
      { ts: T0 + 3000, value: -71.5, min: -71.5, max: -71.5, count: 1 },
    ]);
    expect((await reader.query(query({}))).map((s) => s.ts)).toEqual([T0 + 2000, T0 + 3000, T0 + 5000]);
  });

  it('stores and reads metrics named `time` and `serial`, which InfluxDB cannot take as field names, under names of their own', async () => {
    const reader = await seeded([[SERIAL, T0 + 1000, { time: 12.5, serial: 7, rssi: -70 }]]);
    expect(await reader.query(query({ metric: 'time' }))).toEqual([{ ts: T0 + 1000, value: 12.5, min: 12.5, max: 12.5, count: 1 }]);
    expect((await reader.query(query({ metric: 'serial' }))).map((s) => s.value)).toEqual([7]);
    expect((await reader.query(query({ metric: 'rssi' }))).map((s) => s.value)).toEqual([-70]);
  });

  it('keeps both bounds inclusive and other boxes out', async () => {
    const reader = await seeded([
      [SERIAL, T0 - 1, { rssi: 1 }],
      [SERIAL, T0, { rssi: 2 }],
      ['MTB2411000002', T0 + 10, { rssi: 3 }],
      [SERIAL, T0 + 100, { rssi: 4 }],
      [SERIAL, T0 + 101, { rssi: 5 }],
    ]);
    expect((await reader.query(query({ to: T0 + 100 }))).map((s) => s.value)).toEqual([2, 4]);
  });

  it('starts the first bucket at `from`, not at the epoch-aligned boundary before it', async () => {
    // from is 250 ms past a whole second: InfluxQL's default buckets would start at T0 and T0 + 1000.
    const from = T0 + 250;
    const reader = await seeded([
      [SERIAL, from - 1, { rssi: 100 }],
      [SERIAL, from, { rssi: 1 }],
      [SERIAL, from + 999, { rssi: 3 }],
      [SERIAL, from + 1000, { rssi: 10 }],
      [SERIAL, from + 3500, { rssi: 20 }],
      [SERIAL, from + 3600, { rssi: 21.5 }],
    ]);
    expect(await reader.query(query({ from, stepMs: 1000 }))).toEqual([
      { ts: from, value: 2, min: 1, max: 3, count: 2 },
      { ts: from + 1000, value: 10, min: 10, max: 10, count: 1 },
      // The empty buckets between are left out (fill(none)), as SQLite has no row for them.
      { ts: from + 3000, value: 20.75, min: 20, max: 21.5, count: 2 },
    ]);
  });

  it('counts only buckets holding points towards the limit', async () => {
    const reader = await seeded([
      [SERIAL, T0, { rssi: 1 }],
      [SERIAL, T0 + 5 * 60_000, { rssi: 2 }],
      [SERIAL, T0 + 9 * 60_000, { rssi: 3 }],
    ]);
    expect((await reader.query(query({ stepMs: 60_000, limit: 2 }))).map((s) => s.ts)).toEqual([T0, T0 + 5 * 60_000]);
  });

  it('answers no points for a metric the box never sent or a range without points', async () => {
    const reader = await seeded([[SERIAL, T0, { rssi: 1 }]]);
    expect(await reader.query(query({ metric: 'humidity' }))).toEqual([]);
    expect(await reader.query(query({ metric: 'humidity', stepMs: 60_000 }))).toEqual([]);
    expect(await reader.query(query({ from: T0 + 1, stepMs: 60_000 }))).toEqual([]);
  });

  it('reads a serial with quotes as data, and a quote or backslash in a query never as InfluxQL', async () => {
    // Serials are upper-case letters and digits; this one is not, to try the quoting.
    const odd = `MTB'24"11`;
    const reader = await seeded([
      [odd, T0, { rssi: 1 }],
      [SERIAL, T0 + 1, { rssi: 2 }],
    ]);
    expect((await reader.query(query({ serial: odd }))).map((s) => s.value)).toEqual([1]);
    // Unescaped, this would close the string and select every box.
    const injection = `x' OR "serial" =~ /.*/ OR "serial" = '`;
    expect(await reader.query(query({ serial: injection }))).toEqual([]);
    expect(await reader.query(query({ serial: `x\\${injection}` }))).toEqual([]);
  });

  it('reads from the retention policy it is given', async () => {
    const reader = await seeded([[SERIAL, T0, { rssi: 1 }]], { retentionPolicy: 'autogen' });
    expect((await reader.query(query({}))).map((s) => s.value)).toEqual([1]);
    const missing = await seeded([[SERIAL, T0, { rssi: 1 }]], { retentionPolicy: 'none_such' });
    const err = await failure(missing.query(query({})));
    expect(err.code).toBe('TELEMETRY_STORE_UNAVAILABLE');
    expect(err.details).toEqual({ reason: 'InfluxDB: retention policy not found: none_such' });
  });

  it('reports a database that does not exist as the store being unavailable', async () => {
    const reader = createInfluxQlReader({ url: influx.url, token: 't', database: 'none_such' });
    const err = await failure(reader.query(query({})));
    expect(err.code).toBe('TELEMETRY_STORE_UNAVAILABLE');
    expect(err.details).toEqual({ reason: 'InfluxDB: database not found: none_such' });
  });

  it('reports an error status of the server (here 404 for a wrong path) as the store being unavailable', async () => {
    const reader = createInfluxQlReader({ url: `${influx.url}/not-influx/`, token: 't', database: 'reader_1' });
    const err = await failure(reader.query(query({})));
    expect(err.code).toBe('TELEMETRY_STORE_UNAVAILABLE');
    expect(err.details).toEqual({ reason: 'InfluxDB answered 404: 404 page not found' });
  });

  it('gives up on a server that takes the connection but does not answer', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    const port = await freePort();
    await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve));
    try {
      const reader = createInfluxQlReader({ url: `http://127.0.0.1:${port}`, token: 't', database: 'd', timeoutMs: 200 });
      const started = Date.now();
      const err = await failure(reader.query(query({})));
      expect(err.code).toBe('TELEMETRY_STORE_UNAVAILABLE');
      expect(err.details).toEqual({ reason: 'InfluxDB did not answer within 200 ms' });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  // Last: it stops the server.
  it('reports a stopped server as the store being unavailable', async () => {
    const reader = await seeded([[SERIAL, T0, { rssi: 1 }]]);
    expect(await reader.query(query({}))).toHaveLength(1);
    await influx.stop();
    const err = await failure(reader.query(query({})));
    expect(err.code).toBe('TELEMETRY_STORE_UNAVAILABLE');
    expect(err.details).toEqual({ reason: 'InfluxDB cannot be reached: ECONNREFUSED' });
  });
});
