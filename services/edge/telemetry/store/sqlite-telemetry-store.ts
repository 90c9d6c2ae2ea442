import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';
import type { Db } from '../../../platform/db/index.ts';
import { workerEntry } from '../../../platform/worker-entry.ts';
import { queryTelemetry } from './sqlite-telemetry-query.ts';
import { FIELDS_PER_ROW, INSERT_TELEMETRY_SQL, type WriterError, type WriterWorkerData } from './telemetry-writer-protocol.ts';
import type { TelemetryQuery, TelemetrySample, TelemetryStore } from '../domain/telemetry-port.ts';

export interface SqliteTelemetryOptions {
  /** Rows per batch handed to the writer thread. */
  batchSize: number;
  /** Longest a point waits in memory before it is handed over. */
  flushIntervalMs: number;
  /** Batches in the writer's hands before append() blocks: the bound on memory. */
  maxPendingBatches?: number;
  /** The writer thread's module; tests pass one that dies to exercise the fallback. */
  writer?: URL;
  onFlushError(err: unknown, lost: number): void;
}

const WRITER = new URL('./telemetry-writer.worker.ts', import.meta.url);
// flush() and close() wait for the writer at most this long; a stuck disk is reported, not hung on.
const DRAIN_TIMEOUT_MS = 30_000;

/**
 * Telemetry in SQLite, one row per message with the metrics packed as JSON: a single
 * (device_id, ts) index keeps inserts near SQLite's raw speed (see BENCHMARKS.md), while
 * per-metric queries unpack with json_extract. Inserts run on a writer thread with its own
 * connection; reads use the caller's.
 */
export function createSqliteTelemetryStore(db: Db, sqlite: BetterSqlite3.Database, opts: SqliteTelemetryOptions): TelemetryStore {
  const maxPending = opts.maxPendingBatches ?? 4;
  const pending = new Int32Array(new SharedArrayBuffer(4));
  const start = workerEntry(opts.writer ?? WRITER);
  const worker = new Worker(start.url, {
    workerData: { entry: start.entry, file: sqlite.name, pending } satisfies WriterWorkerData,
  });
  worker.on('message', (m: WriterError) => opts.onFlushError(new Error(m.error), m.lost));
  worker.on('error', (err) => opts.onFlushError(err, 0));
  let closing = false;
  let writeInline: ((flat: unknown[]) => void) | null = null;
  // Should the writer thread die, its unwritten batches are reported lost and later batches
  // are written on this thread, so the ingest path neither stalls nor drops on.
  worker.on('exit', (code) => {
    if (closing) return;
    const lostBatches = Atomics.exchange(pending, 0, 0);
    Atomics.notify(pending, 0);
    opts.onFlushError(new Error(`telemetry writer thread exited (${code}); writing inline`), lostBatches * opts.batchSize);
    const insert = sqlite.prepare(INSERT_TELEMETRY_SQL);
    writeInline = sqlite.transaction((flat: unknown[]) => {
      for (let i = 0; i < flat.length; i += FIELDS_PER_ROW) insert.run(flat.slice(i, i + FIELDS_PER_ROW));
    });
  });
  worker.unref();

  let buffer: unknown[] = [];
  const timer = setInterval(handOver, opts.flushIntervalMs);
  timer.unref();

  /** Blocks this thread until at most `limit` batches are pending; false on timeout. */
  function waitForWriter(limit: number, timeoutMs: number): boolean {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const n = Atomics.load(pending, 0);
      if (n <= limit) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      Atomics.wait(pending, 0, n, left);
    }
  }

  function handOver(): void {
    if (buffer.length === 0) return;
    const batch = buffer;
    buffer = [];
    if (writeInline) {
      try {
        writeInline(batch);
      } catch (err) {
        opts.onFlushError(err, batch.length / FIELDS_PER_ROW);
      }
      return;
    }
    Atomics.add(pending, 0, 1);
    worker.postMessage(batch);
    // Blocking here when the writer falls behind is the back-pressure: the event loop, and so
    // the broker's socket reads, wait for the disk instead of memory growing without bound.
    if (!waitForWriter(maxPending, DRAIN_TIMEOUT_MS)) {
      opts.onFlushError(new Error('telemetry writer is not keeping up'), 0);
    }
  }

  function flush(): void {
    handOver();
    if (!waitForWriter(0, DRAIN_TIMEOUT_MS)) opts.onFlushError(new Error('telemetry writer did not drain in time'), 0);
  }

  return {
    append(point) {
      buffer.push(point.deviceId, point.ts, point.receivedAt, point.seq, JSON.stringify(point.metrics));
      if (buffer.length >= opts.batchSize * FIELDS_PER_ROW) handOver();
    },

    flush,

    query: (q: TelemetryQuery): Promise<TelemetrySample[]> => queryTelemetry(db, q),

    async pruneBefore(cutoff) {
      flush();
      const r = await db.deleteFrom('telemetry').where('received_at', '<', cutoff).executeTakeFirst();
      return Number(r.numDeletedRows);
    },

    close() {
      clearInterval(timer);
      flush();
      closing = true;
      void worker.terminate();
    },
  };
}
