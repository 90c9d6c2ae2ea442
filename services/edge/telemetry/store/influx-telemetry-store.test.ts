import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/helpers/temp-dir.ts';
import { startVictoriaMetrics } from '../../../../test/helpers/time-series-servers.ts';
import { waitFor } from '../../../../test/helpers/wait-for.ts';
import type { TelemetryStore } from '../domain/telemetry-port.ts';
import { createInfluxTelemetryStore, type InfluxTelemetryOptions } from './influx-telemetry-store.ts';

// VictoriaMetrics stands in for InfluxDB's write half: it takes /api/v2/write exactly as
// InfluxDB 2 does and keeps every sample it is sent, duplicates included, so its export shows
// whether a point arrived once, twice or not at all.
let vm: Awaited<ReturnType<typeof startVictoriaMetrics>>;
let dir: ReturnType<typeof tempDir>;
let stores: TelemetryStore[] = [];

beforeAll(async () => {
  vm = await startVictoriaMetrics();
}, 60_000);
afterAll(() => vm.remove());
beforeEach(() => {
  dir = tempDir();
});
afterEach(async () => {
  await Promise.all(stores.map((s) => s.close()));
  stores = [];
  if (!vm.running()) await vm.start();
  dir.remove();
});

function store(overrides: Partial<InfluxTelemetryOptions> = {}): TelemetryStore {
  const s = createInfluxTelemetryStore({
    spoolFile: path.join(dir.path, 'telemetry-spool.sqlite'),
    spoolLimitBytes: 64 * 1024 * 1024,
    target: { url: vm.url, token: 'test-token', org: 'vendor', bucket: 'fleet' },
    reader: {
      query: () => Promise.reject(new Error('reads are tested against InfluxDB 1.6 in influxql-telemetry-query.test.ts')),
    },
    batchSize: 50,
    flushIntervalMs: 20,
    forwardBatchLines: 200,
    writeTimeoutMs: 2000,
    retry: { minDelayMs: 50, maxDelayMs: 400 },
    clock: Date.now,
    onError: (err) => {
      throw err;
    },
    onSetAside: () => {},
    ...overrides,
  });
  stores.push(s);
  return s;
}

let nextSerial = 1;
/** A box of its own per test, so the export of one test never sees another's points. */
function box() {
  const serial = `MTB26110${String(nextSerial++).padStart(5, '0')}`;
  let seq = 0;
  return {
    serial,
    point: () => {
      seq++;
      return {
        deviceId: 1,
        serial,
        ts: 1_790_000_000_000 + seq * 1000,
        receivedAt: Date.now(),
        seq,
        metrics: { rssi: -60 - (seq % 30), board_temp: 35.5 },
      };
    },
    /** How many times each boxSeq arrived, by seq. */
    async arrivals(): Promise<Map<number, number>> {
      const series = await vm.exportLines(`telemetry_boxSeq{serial="${serial}"}`);
      const counts = new Map<number, number>();
      for (const s of series) for (const v of s.values) counts.set(v, (counts.get(v) ?? 0) + 1);
      return counts;
    },
  };
}

/** Appends `n` points the way the intake does: when append() answers false, waits for room. */
async function feed(s: TelemetryStore, b: ReturnType<typeof box>, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    if (!s.append(b.point())) await new Promise<void>((resolve) => s.whenRoom(resolve));
  }
}

const everyOnce = (counts: Map<number, number>, n: number) => counts.size === n && [...counts.values()].every((c) => c === 1);

type Health = {
  spool: { points: number; full: boolean; oldestAgeS: number | null };
  forwarder: { state: string; forwarded: number; lastError: string | null };
};
const health = (s: TelemetryStore) => s.health() as unknown as Health;

describe('InfluxDB telemetry store (spool and forwarder) against real VictoriaMetrics', () => {
  it('writes one point per message with the serial tag, metrics as fields and both timestamps', async () => {
    const s = store();
    const b = box();
    const p = b.point();
    expect(s.append(p)).toBe(true);
    s.flush();
    await waitFor(async () => everyOnce(await b.arrivals(), 1), { what: 'the point in VictoriaMetrics' });
    const [rssi] = await vm.exportLines(`telemetry_rssi{serial="${b.serial}"}`);
    expect(rssi).toMatchObject({ metric: { serial: b.serial }, values: [p.metrics.rssi], timestamps: [p.ts] });
    const [received] = await vm.exportLines(`telemetry_receivedAt{serial="${b.serial}"}`);
    expect(received!.values).toEqual([p.receivedAt]);
    await waitFor(() => health(s).spool.points === 0 && health(s).forwarder.state === 'idle', { what: 'an empty spool' });
    expect(health(s).forwarder.forwarded).toBe(1);
  });

  it('keeps acknowledging while the server is stopped, and delivers every point exactly once after it returns', async () => {
    const s = store();
    const b = box();
    await feed(s, b, 300);
    await vm.stop();
    await feed(s, b, 700);
    s.flush();
    expect(health(s).spool.full).toBe(false);
    await waitFor(() => health(s).forwarder.state === 'waiting' && health(s).spool.points > 0, {
      what: 'the forwarder to wait with a non-empty spool',
    });
    expect(health(s).forwarder.lastError).toMatch(/InfluxDB unreachable/);
    await vm.start();
    await waitFor(async () => everyOnce(await b.arrivals(), 1000), { what: 'all 1000 points exactly once', timeoutMs: 20_000 });
    await waitFor(() => health(s).spool.points === 0, { what: 'the spool to drain' });
  });

  it('reports itself full at the spool limit, holds back until the server takes points again, and loses none', async () => {
    const s = store({ spoolLimitBytes: 96 * 1024 });
    const b = box();
    await vm.stop();
    let appended = 0;
    while (s.append(b.point())) {
      appended++;
      if (appended % 50 === 0) s.flush();
      if (appended > 20_000) throw new Error('the spool never filled');
    }
    appended++;
    s.flush();
    expect(health(s).spool.full).toBe(true);
    let released = false;
    s.whenRoom(() => {
      released = true;
    });
    expect(released).toBe(false);
    await vm.start();
    await waitFor(() => released, { what: 'room in the spool once the server is back', timeoutMs: 20_000 });
    await waitFor(async () => everyOnce(await b.arrivals(), appended), { what: `all ${appended} points exactly once`, timeoutMs: 20_000 });
  });

  it('resumes forwarding from the spool after a restart of the backend', async () => {
    const b = box();
    await vm.stop();
    const first = store();
    await feed(first, b, 400);
    await first.close();
    stores = [];
    await vm.start();
    const second = store();
    await waitFor(async () => everyOnce(await b.arrivals(), 400), { what: 'the spooled points after the restart', timeoutMs: 20_000 });
    await waitFor(() => health(second).spool.points === 0, { what: 'the spool to drain' });
  });

  it('runs the spool and its forwarder on the broker thread when the spool thread dies, reporting it', async () => {
    const errors: string[] = [];
    const s = store({
      spoolWorker: new URL('../../../../test/helpers/dying-writer.ts', import.meta.url),
      onError: (err) => errors.push(String(err)),
    });
    await waitFor(() => errors.some((e) => e.includes('writing inline')), { what: 'the spool thread exit to be reported' });
    const b = box();
    for (let i = 0; i < 120; i++) expect(s.append(b.point())).toBe(true);
    s.flush();
    await waitFor(async () => everyOnce(await b.arrivals(), 120), { what: 'the points forwarded from the broker thread' });
    await waitFor(() => health(s).spool.points === 0 && health(s).forwarder.state === 'idle', { what: 'an empty spool' });
  });

  it('holds producers through append() while the spool thread is behind, without blocking the broker thread', async () => {
    const spoolFile = path.join(dir.path, 'telemetry-spool.sqlite');
    const s = store({ spoolFile });
    const b = box();
    s.append(b.point());
    s.flush();
    // Another process holds the spool file's write lock until told to let go over stdin, so the
    // spool thread cannot append. Were append() to block this thread, the release below would
    // never be sent and the test would time out.
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const D = require('better-sqlite3'); const db = new D(process.argv[1]); db.pragma('busy_timeout = 5000');
         db.exec('BEGIN IMMEDIATE'); process.stdout.write('locked\\n');
         process.stdin.once('data', () => { db.exec('COMMIT'); db.close(); process.exit(0); });`,
        spoolFile,
      ],
      { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const holderExited = new Promise((resolve) => holder.once('exit', resolve));
    await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
    let appended = 1;
    while (s.append(b.point())) {
      appended++;
      if (appended > 5000) throw new Error('append() never reported the spool thread behind');
    }
    appended++;
    let released = false;
    s.whenRoom(() => {
      released = true;
    });
    expect(released).toBe(false);
    holder.stdin!.write('release\n');
    await holderExited;
    await waitFor(() => released, { what: 'room once the spool thread caught up' });
    s.flush();
    await waitFor(async () => everyOnce(await b.arrivals(), appended), { what: `all ${appended} points exactly once` });
  });
});
