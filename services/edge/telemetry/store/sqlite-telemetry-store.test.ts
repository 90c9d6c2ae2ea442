import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/helpers/temp-dir.ts';
import { waitFor } from '../../../../test/helpers/wait-for.ts';
import { openSqlite, type OpenedSqlite } from '../../../platform/db/database.ts';
import { createSqliteTelemetryStore } from './sqlite-telemetry-store.ts';

const SERIAL = 'MTB2411000001';

describe('SQLite telemetry store', () => {
  let dir: ReturnType<typeof tempDir>;
  let opened: OpenedSqlite;
  let deviceId: number;

  beforeEach(async () => {
    dir = tempDir();
    opened = await openSqlite(dir.path);
    const row = await opened.db
      .insertInto('devices')
      .values({ serial: SERIAL, model: 'MT-BOX-4G', enabled: 1, secret_hash: 'x', created_at: 0 })
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

  it('hands a full batch to the writer at once and keeps a partial one until flushed', async () => {
    const s = store(10);
    for (let i = 0; i < 15; i++) s.append({ deviceId, serial: SERIAL, ts: i * 1000, receivedAt: i * 1000, seq: i, metrics: { rssi: -70 - i } });
    const count = () => (opened.sqlite.prepare('select count(*) n from telemetry').get() as { n: number }).n;
    await waitFor(() => count() === 10, { what: 'the full batch written by the writer thread' });
    s.flush();
    // flush() returns once the writer has committed, so no waiting here.
    expect(count()).toBe(15);
    await s.close();
  });

  it('blocks appends while the writer is behind instead of queueing without bound', async () => {
    const s = store(1);
    const released = path.join(dir.path, 'released');
    // Another process holds SQLite's write lock for a moment, so the writer thread cannot commit.
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const D = require('better-sqlite3'); const fs = require('fs');
       const db = new D(process.argv[1]); db.exec('BEGIN IMMEDIATE'); process.stdout.write('locked\\n');
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
       fs.writeFileSync(process.argv[2], ''); db.exec('COMMIT');`,
        opened.sqlite.name,
        released,
      ],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const holderExited = new Promise((resolve) => holder.once('exit', resolve));
    await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
    // One row per batch, at most four pending: the sixth append can only return once the
    // writer got through, i.e. after the other process let go of the lock.
    for (let i = 0; i < 6; i++) s.append({ deviceId, serial: SERIAL, ts: i, receivedAt: i, seq: i, metrics: { uptime: i } });
    expect(existsSync(released)).toBe(true);
    s.flush();
    expect((opened.sqlite.prepare('select count(*) n from telemetry').get() as { n: number }).n).toBe(6);
    await s.close();
    await holderExited;
  });

  it('writes on its own thread when the writer thread dies, reporting nothing silently', async () => {
    const errors: string[] = [];
    const s = createSqliteTelemetryStore(opened.db, opened.sqlite, {
      batchSize: 2,
      flushIntervalMs: 60_000,
      writer: new URL('../../../../test/helpers/dying-writer.ts', import.meta.url),
      onFlushError: (err) => errors.push(String(err)),
    });
    await waitFor(() => errors.some((e) => e.includes('writing inline')), { what: 'the writer thread exit to be reported' });
    for (let i = 0; i < 3; i++) s.append({ deviceId, serial: SERIAL, ts: i, receivedAt: i, seq: i, metrics: { uptime: i } });
    s.flush();
    expect((opened.sqlite.prepare('select count(*) n from telemetry').get() as { n: number }).n).toBe(3);
    await s.close();
  });

  it('answers raw points of one metric in a time range, skipping messages without it', async () => {
    const s = store();
    s.append({ deviceId, serial: SERIAL, ts: 1000, receivedAt: 1000, seq: 1, metrics: { rssi: -70, board_temp: 40 } });
    s.append({ deviceId, serial: SERIAL, ts: 2000, receivedAt: 2000, seq: 2, metrics: { board_temp: 41 } });
    s.append({ deviceId, serial: SERIAL, ts: 3000, receivedAt: 3000, seq: 3, metrics: { rssi: -72 } });
    s.append({ deviceId, serial: SERIAL, ts: 9000, receivedAt: 9000, seq: 4, metrics: { rssi: -99 } });
    s.flush();
    const points = await s.query({ deviceId, serial: SERIAL, metric: 'rssi', from: 0, to: 5000, limit: 100 });
    expect(points.map((p) => [p.ts, p.value])).toEqual([
      [1000, -70],
      [3000, -72],
    ]);
    await s.close();
  });

  it('downsamples into buckets with average, min, max and count', async () => {
    const s = store();
    [10, 20, 30, 100, 110].forEach((v, i) =>
      s.append({ deviceId, serial: SERIAL, ts: [0, 20_000, 40_000, 60_000, 70_000][i]!, receivedAt: 0, seq: i, metrics: { cpu_load: v } }),
    );
    s.flush();
    const buckets = await s.query({ deviceId, serial: SERIAL, metric: 'cpu_load', from: 0, to: 120_000, stepMs: 60_000, limit: 100 });
    expect(buckets).toEqual([
      { ts: 0, value: 20, min: 10, max: 30, count: 3 },
      { ts: 60_000, value: 105, min: 100, max: 110, count: 2 },
    ]);
    await s.close();
  });

  it('prunes raw points received before the retention cutoff', async () => {
    const s = store();
    s.append({ deviceId, serial: SERIAL, ts: 1, receivedAt: 1_000, seq: 1, metrics: { uptime: 1 } });
    s.append({ deviceId, serial: SERIAL, ts: 2, receivedAt: 5_000, seq: 2, metrics: { uptime: 2 } });
    expect(await s.pruneBefore(2_000)).toBe(1);
    const left = await s.query({ deviceId, serial: SERIAL, metric: 'uptime', from: 0, to: 10, limit: 10 });
    expect(left.map((p) => p.value)).toEqual([2]);
    await s.close();
  });
});
