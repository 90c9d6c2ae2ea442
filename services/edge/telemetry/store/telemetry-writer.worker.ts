import BetterSqlite3 from 'better-sqlite3';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { FIELDS_PER_ROW, type WriterError } from './batch-hand-over.ts';
import { INSERT_TELEMETRY_SQL, type WriterWorkerData, type WriterWritten } from './telemetry-writer-protocol.ts';

// Writes telemetry batches on its own thread and connection, so the broker's thread spends
// no time in SQLite.
const { file, pending } = workerData as WriterWorkerData;
const db = new BetterSqlite3(file);
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');
db.pragma('wal_autocheckpoint = 32768');
db.pragma('cache_size = -65536');
const insert = db.prepare(INSERT_TELEMETRY_SQL);
const insertBatch = db.transaction((flat: unknown[]) => {
  for (let i = 0; i < flat.length; i += FIELDS_PER_ROW) {
    insert.run(flat[i], flat[i + 1], flat[i + 2], flat[i + 3], flat[i + 4]);
  }
});

parentPort!.on('message', (flat: unknown[] | { type: 'close' }) => {
  if (!Array.isArray(flat)) {
    db.close();
    parentPort!.close();
    return;
  }
  try {
    const started = performance.now();
    insertBatch(flat);
    // One acknowledgement per batch carries its figures, so the broker's thread measures nothing itself.
    const seconds = (performance.now() - started) / 1000;
    parentPort!.postMessage({ type: 'written', points: flat.length / FIELDS_PER_ROW, seconds } satisfies WriterWritten);
  } catch (err) {
    parentPort!.postMessage({ type: 'error', error: String(err), lost: flat.length / FIELDS_PER_ROW } satisfies WriterError);
  } finally {
    Atomics.sub(pending, 0, 1);
    Atomics.notify(pending, 0);
  }
});
