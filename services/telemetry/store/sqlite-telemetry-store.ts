import type BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { TelemetryPoint, TelemetryQuery, TelemetrySample, TelemetryStore } from '../domain/telemetry-port.ts';

export interface SqliteTelemetryOptions {
  /** Rows per transaction; also the most points held in memory. */
  batchSize: number;
  /** Longest a point waits in memory before it is written. */
  flushIntervalMs: number;
  onFlushError(err: unknown, lost: number): void;
}

/**
 * Telemetry in SQLite, one row per message with the metrics packed as JSON: a single
 * (device_id, ts) index keeps inserts near SQLite's raw speed (see BENCHMARKS.md), while
 * per-metric queries unpack with json_extract.
 */
export function createSqliteTelemetryStore(
  db: Db,
  sqlite: BetterSqlite3.Database,
  opts: SqliteTelemetryOptions,
): TelemetryStore {
  const insert = sqlite.prepare(
    'INSERT INTO telemetry (device_id, ts, received_at, seq, metrics) VALUES (?, ?, ?, ?, ?)',
  );
  const insertBatch = sqlite.transaction((points: TelemetryPoint[]) => {
    for (const p of points) insert.run(p.deviceId, p.ts, p.receivedAt, p.seq, JSON.stringify(p.metrics));
  });

  let buffer: TelemetryPoint[] = [];
  const timer = setInterval(flush, opts.flushIntervalMs);
  timer.unref();

  function flush(): void {
    if (buffer.length === 0) return;
    const batch = buffer;
    buffer = [];
    try {
      insertBatch(batch);
    } catch (err) {
      opts.onFlushError(err, batch.length);
    }
  }

  return {
    append(point) {
      buffer.push(point);
      // Writing in place when the batch is full is the back-pressure: the event loop, and so
      // the broker's socket reads, wait for the disk instead of memory growing without bound.
      if (buffer.length >= opts.batchSize) flush();
    },

    flush,

    async query(q: TelemetryQuery): Promise<TelemetrySample[]> {
      const path = `$.${q.metric}`;
      const value = sql<number | null>`json_extract(metrics, ${path})`;
      if (q.stepMs === undefined) {
        const rows = await db
          .selectFrom('telemetry')
          .select(['ts', value.as('value')])
          .where('device_id', '=', q.deviceId)
          .where('ts', '>=', q.from)
          .where('ts', '<=', q.to)
          .orderBy('ts')
          .limit(q.limit)
          .execute();
        return rows
          .filter((r) => r.value !== null)
          .map((r) => ({ ts: Number(r.ts), value: Number(r.value), min: Number(r.value), max: Number(r.value), count: 1 }));
      }
      // Bound numbers arrive as REAL in SQLite; the cast makes the bucket an integer index.
      const bucket = sql<number>`cast((ts - ${q.from}) / ${q.stepMs} as integer)`;
      const rows = await db
        .selectFrom('telemetry')
        .select([
          bucket.as('bucket'),
          sql<number>`avg(${value})`.as('value'),
          sql<number>`min(${value})`.as('min'),
          sql<number>`max(${value})`.as('max'),
          sql<number>`count(${value})`.as('count'),
        ])
        .where('device_id', '=', q.deviceId)
        .where('ts', '>=', q.from)
        .where('ts', '<=', q.to)
        .groupBy('bucket')
        .orderBy('bucket')
        .limit(q.limit)
        .execute();
      return rows
        .filter((r) => Number(r.count) > 0)
        .map((r) => ({
          ts: q.from + Number(r.bucket) * q.stepMs!,
          value: Number(r.value),
          min: Number(r.min),
          max: Number(r.max),
          count: Number(r.count),
        }));
    },

    async pruneBefore(cutoff) {
      flush();
      const r = await db.deleteFrom('telemetry').where('received_at', '<', cutoff).executeTakeFirst();
      return Number(r.numDeletedRows);
    },

    close() {
      clearInterval(timer);
      flush();
    },
  };
}
