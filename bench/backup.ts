import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { startApp, type App } from '../services/app.ts';
import { systemClock } from '../services/kernel/clock.ts';
import { takeBackup } from '../services/platform/backup/index.ts';
import { loadConfig } from '../services/platform/config.ts';
import { DATABASE_FILE } from '../services/platform/db/index.ts';
import { createLogger } from '../services/platform/logger.ts';
import { machine, writeSection } from './benchmarks-md.ts';

/**
 * `npm run bench:backup`: what an online backup costs the running server. A database with
 * `--rows` telemetry rows; the backup is taken in the server's own process, as the schedule
 * does. Side by side in one run, alternating, `--reps` times:
 *  (a) a reference window as long as the backup, with nothing running: event-loop delay and
 *      GET /api/health latency (one request every 20 ms);
 *  (b) the same while a backup is taken: the same figures, plus the backup's time and size.
 * Flags: --rows 2000000 --boxes 100 --reps 3 --no-write
 */

const { values: a } = parseArgs({
  options: {
    rows: { type: 'string', default: '2000000' },
    boxes: { type: 'string', default: '100' },
    reps: { type: 'string', default: '3' },
    'no-write': { type: 'boolean', default: false },
  },
});
const ROWS = Number(a.rows);
const BOXES = Number(a.boxes);
const REPS = Number(a.reps);

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? Number.NaN;
const pct = (xs: number[], p: number) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? Number.NaN;

/** Fills the telemetry table directly: the backup's cost depends on the file, not on how it was written. */
function fill(dataDir: string, deviceIds: number[]): void {
  const db = new BetterSqlite3(path.join(dataDir, DATABASE_FILE));
  const insert = db.prepare('insert into telemetry (device_id, ts, received_at, seq, metrics) values (?, ?, ?, ?, ?)');
  const start = Date.UTC(2026, 9, 1);
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const ts = start + Math.floor(i / deviceIds.length) * 1000;
      insert.run(
        deviceIds[i % deviceIds.length],
        ts,
        ts + 40,
        i,
        `{"temp_c":${(20 + (i % 97) / 10).toFixed(1)},"rssi_dbm":-${60 + (i % 30)},"di_1":${i % 2}}`,
      );
    }
  });
  for (let i = 0; i < ROWS; i += 50_000) batch(i, Math.min(ROWS, i + 50_000));
  db.close();
}

interface Window {
  ms: number;
  loopP99Ms: number;
  loopMaxMs: number;
  healthMedianMs: number;
  healthP99Ms: number;
}

/** Event-loop delay and health latency while `work` runs (or for `ms` when there is none). */
async function observe(app: App, work: () => Promise<unknown>): Promise<Window> {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  const health: number[] = [];
  let done = false;
  loop.enable();
  const probe = (async () => {
    while (!done) {
      const t = performance.now();
      await (await fetch(`http://127.0.0.1:${app.httpPort}/api/health`)).arrayBuffer();
      health.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const t0 = performance.now();
  await work();
  const ms = performance.now() - t0;
  done = true;
  await probe;
  loop.disable();
  return {
    ms,
    loopP99Ms: loop.percentile(99) / 1e6,
    loopMaxMs: loop.max / 1e6,
    healthMedianMs: median(health),
    healthP99Ms: pct(health, 99),
  };
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-backup-'));
const config = loadConfig({
  MQTT_PORT: '0',
  HTTP_PORT: '0',
  MQTT_HOST: '127.0.0.1',
  HTTP_HOST: '127.0.0.1',
  DATA_DIR: dataDir,
  LOG_LEVEL: 'silent',
  BACKUP_INTERVAL_H: '0',
  // Set, so the first start prints no generated password.
  ADMIN_PASSWORD: 'bench-backup-admin-password-1',
});
const logger = createLogger('silent');
try {
  let app = await startApp(config, { logger });
  const serials = Array.from({ length: BOXES }, (_, i) => `MTB26BKUP${String(i).padStart(4, '0')}`);
  await app.provision(serials, 'bench-backup-shared-secret');
  const ids = (await app.db.selectFrom('devices').select('id').execute()).map((r) => r.id);
  await app.stop();
  const t = performance.now();
  fill(dataDir, ids);
  console.log(`filled ${ROWS} telemetry rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  app = await startApp(config, { logger });

  const reference: Window[] = [];
  const during: Array<Window & { sizeBytes: number }> = [];
  for (let rep = 0; rep < REPS; rep++) {
    let sizeBytes = 0;
    const w = await observe(app, async () => {
      const outcome = await takeBackup({
        dataDir,
        backupDir: path.join(dataDir, 'backups'),
        keep: 1,
        boxSecretKeyConfigured: false,
        calendarFile: path.join(dataDir, 'calendar.json'),
        trigger: 'on-demand',
        clock: systemClock,
      });
      if (!outcome.ok) throw new Error(outcome.reason);
      sizeBytes = outcome.backup.manifest.database.sizeBytes;
    });
    during.push({ ...w, sizeBytes });
    reference.push(await observe(app, () => new Promise((r) => setTimeout(r, w.ms))));
    console.log(
      `rep ${rep + 1}: backup ${(w.ms / 1000).toFixed(1)} s, loop p99 ${w.loopP99Ms.toFixed(1)} ms (reference ${reference.at(-1)?.loopP99Ms.toFixed(1)} ms)`,
    );
  }
  await app.stop();

  const m = (xs: Window[], k: keyof Window) => median(xs.map((x) => x[k]));
  const mib = median(during.map((d) => d.sizeBytes)) / 1_048_576;
  const section = [
    '## Online backup (`npm run bench:backup`)',
    '',
    `${machine()}. Command: \`npm run bench:backup -- --rows ${ROWS} --boxes ${BOXES} --reps ${REPS}\`. A database of ${ROWS.toLocaleString('en')} telemetry rows from ${BOXES} boxes (${mib.toFixed(0)} MiB as backed up); the backup taken in the server's process as the schedule takes it (VACUUM INTO on its own thread, then integrity_check, sha256 and the manifest), alternated with a reference window of the same length. Medians of ${REPS} runs.`,
    '',
    '| | reference (idle) | during the backup | ratio |',
    '| --- | --- | --- | --- |',
    `| event-loop delay p99 | ${m(reference, 'loopP99Ms').toFixed(1)} ms | ${m(during, 'loopP99Ms').toFixed(1)} ms | ${(m(during, 'loopP99Ms') / m(reference, 'loopP99Ms')).toFixed(2)} × |`,
    `| event-loop delay max | ${m(reference, 'loopMaxMs').toFixed(1)} ms | ${m(during, 'loopMaxMs').toFixed(1)} ms | ${(m(during, 'loopMaxMs') / m(reference, 'loopMaxMs')).toFixed(2)} × |`,
    `| GET /api/health median | ${m(reference, 'healthMedianMs').toFixed(2)} ms | ${m(during, 'healthMedianMs').toFixed(2)} ms | ${(m(during, 'healthMedianMs') / m(reference, 'healthMedianMs')).toFixed(2)} × |`,
    `| GET /api/health p99 | ${m(reference, 'healthP99Ms').toFixed(2)} ms | ${m(during, 'healthP99Ms').toFixed(2)} ms | ${(m(during, 'healthP99Ms') / m(reference, 'healthP99Ms')).toFixed(2)} × |`,
    '',
    `Backup time: ${(m(during, 'ms') / 1000).toFixed(1)} s for ${mib.toFixed(0)} MiB, ${(mib / (m(during, 'ms') / 1000)).toFixed(0)} MiB/s including the check.`,
    '',
    '<!-- end: online backup -->',
  ].join('\n');
  console.log(`\n${section}`);
  if (!a['no-write']) await writeSection('## Online backup (`npm run bench:backup`)', '<!-- end: online backup -->', section);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
