import type BetterSqlite3 from 'better-sqlite3';
import type { Db } from '../../../platform/db/index.ts';
import { createBatchHandOver, FIELDS_PER_ROW } from './batch-hand-over.ts';
import { queryTelemetry } from './telemetry-query.ts';
import { INSERT_TELEMETRY_SQL, type WriterWritten } from './telemetry-writer-protocol.ts';
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
  /** The writer thread wrote a batch of `points` rows in `seconds` (its acknowledgement's figures). */
  onBatchWritten?: ((points: number, seconds: number) => void) | undefined;
}

const WRITER = new URL('./telemetry-writer.worker.ts', import.meta.url);

/**
 * Telemetry in SQLite, one row per message with the metrics packed as JSON: a single
 * (device_id, ts) index keeps inserts near SQLite's raw speed (see BENCHMARKS.md), while
 * per-metric queries unpack with json_extract. Inserts run on a writer thread with its own
 * connection; reads use the caller's.
 */
export function createSqliteTelemetryStore(db: Db, sqlite: BetterSqlite3.Database, opts: SqliteTelemetryOptions): TelemetryStore {
  // Rows the writer acknowledged, written or lost: handed over minus these is its queue.
  let settled = 0;
  const rows = createBatchHandOver({
    worker: opts.writer ?? WRITER,
    workerData: { file: sqlite.name },
    batchSize: opts.batchSize,
    flushIntervalMs: opts.flushIntervalMs,
    ...(opts.maxPendingBatches ? { maxPendingBatches: opts.maxPendingBatches } : {}),
    onMessage(m) {
      const w = m as WriterWritten;
      if (w.type !== 'written') return;
      settled += w.points;
      opts.onBatchWritten?.(w.points, w.seconds);
    },
    onError(err, lost) {
      settled += lost;
      opts.onFlushError(err, lost);
    },
    fallback() {
      const insert = sqlite.prepare(INSERT_TELEMETRY_SQL);
      return sqlite.transaction((flat: unknown[]) => {
        for (let i = 0; i < flat.length; i += FIELDS_PER_ROW) insert.run(flat.slice(i, i + FIELDS_PER_ROW));
      });
    },
  });
  return {
    append(point) {
      rows.push(point.deviceId, point.ts, point.receivedAt, point.seq, JSON.stringify(point.metrics));
      return true;
    },
    whenRoom: (ready) => ready(),
    health: () => ({ kind: 'sqlite' }),
    // Should the writer thread die, its lost rows are reported per batch, not exactly: never below 0.
    queuedPoints: () => rows.buffered() + Math.max(0, rows.handedOver() - settled),
    flush: () => rows.flush(),
    query: (q: TelemetryQuery): Promise<TelemetrySample[]> => queryTelemetry(db, q),
    async pruneBefore(cutoff) {
      rows.flush();
      const r = await db.deleteFrom('telemetry').where('received_at', '<', cutoff).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    close: () => rows.close(),
  };
}
