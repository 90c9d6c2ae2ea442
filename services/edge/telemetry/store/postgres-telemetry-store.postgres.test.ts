import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresServer, startPostgres } from '../../../../test/helpers/engines.ts';
import { insertTestDevice, openFreshPostgres } from '../../../../test/helpers/test-database.ts';
import { waitFor } from '../../../../test/helpers/wait-for.ts';
import { type OpenedPostgres, openPostgres } from '../../../platform/db/index.ts';
import type { TelemetryPoint } from '../domain/telemetry-port.ts';
import { createPostgresTelemetryStore } from './postgres-telemetry-store.ts';

const point = (deviceId: number, i: number): TelemetryPoint => ({
  deviceId,
  serial: 'MTB26TELEM001',
  ts: 1_000 + i,
  receivedAt: 2_000 + i,
  seq: i,
  metrics: { temp: i, rssi: -70 },
});

const addDevice = (opened: OpenedPostgres) => insertTestDevice(opened.db, 'MTB26TELEM001', 0);

describe('telemetry in PostgreSQL', () => {
  let opened: OpenedPostgres;
  afterEach(() => opened.close());

  it('answers a query with every point appended before it, raw and in buckets', async () => {
    opened = await openFreshPostgres();
    const deviceId = await addDevice(opened);
    const store = createPostgresTelemetryStore(opened.db, { batchSize: 4, flushIntervalMs: 60_000, onFlushError: () => {} });
    for (let i = 0; i < 10; i++) store.append(point(deviceId, i));
    const raw = await store.query({ deviceId, serial: 'MTB26TELEM001', metric: 'temp', from: 1_000, to: 2_000, limit: 100 });
    expect(raw.map((s) => s.value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const buckets = await store.query({ deviceId, serial: 'MTB26TELEM001', metric: 'temp', from: 1_000, to: 2_000, stepMs: 5, limit: 100 });
    expect(buckets).toEqual([
      { ts: 1_000, value: 2, min: 0, max: 4, count: 5 },
      { ts: 1_005, value: 7, min: 5, max: 9, count: 5 },
    ]);
    expect(await store.query({ deviceId, serial: 'MTB26TELEM001', metric: 'humidity', from: 1_000, to: 2_000, limit: 100 })).toEqual([]);
    expect(await store.pruneBefore(2_005)).toBe(5);
    await store.close();
  });
});

describe('telemetry in PostgreSQL while the server is away', () => {
  // A server of its own, to stop and start again.
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(() => server?.remove());

  it('keeps the batches, holds the boxes back once its bound is reached, and writes everything when the server is back', async () => {
    const opened = await openPostgres(await server.createDatabase(), { onIdleError: () => {} });
    const deviceId = await addDevice(opened);
    const outages: unknown[] = [];
    const lost: number[] = [];
    const store = createPostgresTelemetryStore(opened.db, {
      batchSize: 10,
      flushIntervalMs: 60_000,
      maxPendingBatches: 3,
      onFlushError: (err, n) => {
        outages.push(err);
        lost.push(n);
      },
    });
    await server.stop();
    let accepted = 0;
    while (store.append(point(deviceId, accepted))) accepted++;
    accepted++; // the refused append still took its point
    expect(accepted).toBe(30);
    let room = false;
    store.whenRoom(() => {
      room = true;
    });
    await waitFor(() => outages.length > 0, { timeoutMs: 10_000, what: 'a failed write' });
    expect(room).toBe(false);
    await server.start();
    await waitFor(() => room, { timeoutMs: 20_000, what: 'room again' });
    await store.close();
    expect(lost.every((n) => n === 0)).toBe(true);
    const count = await opened.db
      .selectFrom('telemetry')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(count.n).toBe(30);
    await opened.close();
  });
});
