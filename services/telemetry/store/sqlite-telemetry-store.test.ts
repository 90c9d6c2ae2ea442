import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp-dir.ts';
import { openSqlite, type OpenedDatabase } from '../../db/database.ts';
import { createSqliteTelemetryStore } from './sqlite-telemetry-store.ts';

describe('SQLite telemetry store', () => {
  let dir: ReturnType<typeof tempDir>;
  let opened: OpenedDatabase;
  let deviceId: number;

  beforeEach(async () => {
    dir = tempDir();
    opened = await openSqlite(dir.path);
    const row = await opened.db
      .insertInto('devices')
      .values({ serial: 'MTB2411000001', model: 'MT-BOX-4G', enabled: 1, secret_hash: 'x', created_at: 0 })
      .returning('id')
      .executeTakeFirstOrThrow();
    deviceId = row.id;
  });
  afterEach(async () => {
    await opened.close();
    dir.remove();
  });

  const store = (batchSize = 1000) =>
    createSqliteTelemetryStore(opened.db, opened.sqlite, {
      batchSize,
      flushIntervalMs: 60_000,
      onFlushError: (err) => {
        throw err;
      },
    });

  it('writes a full batch in place and keeps a partial one until flushed', async () => {
    const s = store(10);
    for (let i = 0; i < 15; i++) s.append({ deviceId, ts: i * 1000, receivedAt: i * 1000, seq: i, metrics: { rssi: -70 - i } });
    const count = () => opened.sqlite.prepare('select count(*) n from telemetry').get() as { n: number };
    expect(count().n).toBe(10);
    s.flush();
    expect(count().n).toBe(15);
    s.close();
  });

  it('answers raw points of one metric in a time range, skipping messages without it', async () => {
    const s = store();
    s.append({ deviceId, ts: 1000, receivedAt: 1000, seq: 1, metrics: { rssi: -70, board_temp: 40 } });
    s.append({ deviceId, ts: 2000, receivedAt: 2000, seq: 2, metrics: { board_temp: 41 } });
    s.append({ deviceId, ts: 3000, receivedAt: 3000, seq: 3, metrics: { rssi: -72 } });
    s.append({ deviceId, ts: 9000, receivedAt: 9000, seq: 4, metrics: { rssi: -99 } });
    s.flush();
    const points = await s.query({ deviceId, metric: 'rssi', from: 0, to: 5000, limit: 100 });
    expect(points.map((p) => [p.ts, p.value])).toEqual([
      [1000, -70],
      [3000, -72],
    ]);
    s.close();
  });

  it('downsamples into buckets with average, min, max and count', async () => {
    const s = store();
    [10, 20, 30, 100, 110].forEach((v, i) =>
      s.append({ deviceId, ts: [0, 20_000, 40_000, 60_000, 70_000][i]!, receivedAt: 0, seq: i, metrics: { cpu_load: v } }),
    );
    s.flush();
    const buckets = await s.query({ deviceId, metric: 'cpu_load', from: 0, to: 120_000, stepMs: 60_000, limit: 100 });
    expect(buckets).toEqual([
      { ts: 0, value: 20, min: 10, max: 30, count: 3 },
      { ts: 60_000, value: 105, min: 100, max: 110, count: 2 },
    ]);
    s.close();
  });

  it('prunes raw points received before the retention cutoff', async () => {
    const s = store();
    s.append({ deviceId, ts: 1, receivedAt: 1_000, seq: 1, metrics: { uptime: 1 } });
    s.append({ deviceId, ts: 2, receivedAt: 5_000, seq: 2, metrics: { uptime: 2 } });
    expect(await s.pruneBefore(2_000)).toBe(1);
    const left = await s.query({ deviceId, metric: 'uptime', from: 0, to: 10, limit: 10 });
    expect(left.map((p) => p.value)).toEqual([2]);
    s.close();
  });
});
