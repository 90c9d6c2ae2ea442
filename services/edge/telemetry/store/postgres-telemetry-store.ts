import { sql } from 'kysely';
import type { Db } from '../../../platform/db/index.ts';
import type { TelemetryPoint, TelemetryQuery, TelemetrySample, TelemetryStore } from '../domain/telemetry-port.ts';
import { queryTelemetry } from './telemetry-query.ts';

export interface PostgresTelemetryOptions {
  /** Rows per insert. */
  batchSize: number;
  /** Longest a point waits in memory before its batch is written. */
  flushIntervalMs: number;
  /** Batches waiting to be written before append() refuses: the bound on memory. */
  maxPendingBatches?: number;
  /** A batch PostgreSQL refused (not an outage: those are retried) is reported and dropped. */
  onFlushError(err: unknown, lost: number): void;
  onBatchWritten?: ((points: number, seconds: number) => void) | undefined;
}

interface Batch {
  deviceIds: number[];
  ts: number[];
  receivedAt: number[];
  seq: number[];
  metrics: string[];
}

const emptyBatch = (): Batch => ({ deviceIds: [], ts: [], receivedAt: [], seq: [], metrics: [] });

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5000;

/**
 * Connection and server-state failures (SQLSTATE classes 08, 53, 57, or no SQLSTATE at all: a
 * refused socket) pass once PostgreSQL is back; anything else is about the rows themselves.
 */
function isOutage(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code) || /^(08|53|57)/.test(code);
}

/**
 * Telemetry in PostgreSQL's `telemetry` table (the same rows as on SQLite), written from memory
 * in batches of column arrays (`unnest`), one statement per batch. While PostgreSQL is away the
 * batches wait and are retried; once `maxPendingBatches` wait, append() refuses and the broker
 * holds the boxes back until there is room, as with the InfluxDB spool.
 */
export function createPostgresTelemetryStore(db: Db, opts: PostgresTelemetryOptions): TelemetryStore {
  const maxPending = opts.maxPendingBatches ?? 8;
  let filling = emptyBatch();
  const pending: Batch[] = [];
  const waitingForRoom: Array<() => void> = [];
  let writing: Promise<void> | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let closed = false;
  let idleWaiters: Array<() => void> = [];

  const pendingRows = () => pending.reduce((n, b) => n + b.ts.length, 0);

  async function insert(b: Batch): Promise<void> {
    await sql`insert into telemetry (device_id, ts, received_at, seq, metrics)
      select * from unnest(${b.deviceIds}::int4[], ${b.ts}::int8[], ${b.receivedAt}::int8[], ${b.seq}::int8[], ${b.metrics}::text[])`.execute(db);
  }

  function settled(): void {
    while (pending.length < maxPending && waitingForRoom.length > 0) waitingForRoom.shift()!();
    if (pending.length === 0 && !writing) for (const done of idleWaiters.splice(0)) done();
  }

  function drain(backoffMs = RETRY_MIN_MS): void {
    if (writing || retryTimer || pending.length === 0) return;
    const batch = pending[0]!;
    const started = performance.now();
    writing = insert(batch).then(
      () => {
        pending.shift();
        writing = null;
        opts.onBatchWritten?.(batch.ts.length, (performance.now() - started) / 1000);
        settled();
        drain();
      },
      (err: unknown) => {
        writing = null;
        if (isOutage(err) && !closed) {
          opts.onFlushError(err, 0);
          retryTimer = setTimeout(() => {
            retryTimer = null;
            drain(Math.min(backoffMs * 2, RETRY_MAX_MS));
          }, backoffMs);
          return;
        }
        pending.shift();
        opts.onFlushError(err, batch.ts.length);
        settled();
        drain();
      },
    );
  }

  function flush(): void {
    if (filling.ts.length > 0) {
      pending.push(filling);
      filling = emptyBatch();
    }
    drain();
  }

  /** Resolves once everything appended so far is written (or given up). */
  function idle(): Promise<void> {
    flush();
    if (pending.length === 0 && !writing) return Promise.resolve();
    return new Promise((resolve) => idleWaiters.push(resolve));
  }

  const timer = setInterval(flush, opts.flushIntervalMs);
  timer.unref();

  return {
    append(point: TelemetryPoint) {
      filling.deviceIds.push(point.deviceId);
      filling.ts.push(point.ts);
      filling.receivedAt.push(point.receivedAt);
      filling.seq.push(point.seq);
      filling.metrics.push(JSON.stringify(point.metrics));
      if (filling.ts.length >= opts.batchSize) flush();
      return pending.length < maxPending;
    },
    whenRoom(ready) {
      if (pending.length < maxPending) ready();
      else waitingForRoom.push(ready);
    },
    health: () => ({ kind: 'postgres' }),
    queuedPoints: () => filling.ts.length + pendingRows(),
    // Hands the points to the writer; reads and close() wait until they are written.
    flush,
    // Reads see every point appended before them.
    async query(q: TelemetryQuery): Promise<TelemetrySample[]> {
      await idle();
      return queryTelemetry(db, q);
    },
    async pruneBefore(cutoff) {
      await idle();
      const r = await db.deleteFrom('telemetry').where('received_at', '<', cutoff).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    async close() {
      clearInterval(timer);
      await idle();
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      idleWaiters = [];
    },
  };
}
