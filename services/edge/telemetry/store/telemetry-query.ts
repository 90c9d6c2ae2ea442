import { sql } from 'kysely';
import { dialectOf, type Db } from '../../../platform/db/index.ts';
import type { TelemetryQuery, TelemetrySample } from '../domain/telemetry-port.ts';

/**
 * One metric of one box over a time range: the raw points, or with `stepMs` one bucket per
 * step (avg, min, max, count). Metrics are packed as JSON per row, so json_extract (PostgreSQL:
 * `->>`) unpacks the one asked for; rows without it are left out before the limit counts, so a
 * full answer means more points may follow.
 */
export async function queryTelemetry(db: Db, q: TelemetryQuery): Promise<TelemetrySample[]> {
  const value =
    dialectOf(db) === 'postgres'
      ? sql<number | null>`(metrics::jsonb ->> ${q.metric})::float8`
      : sql<number | null>`json_extract(metrics, ${`$.${q.metric}`})`;
  if (q.stepMs === undefined) {
    const rows = await db
      .selectFrom('telemetry')
      .select(['ts', value.as('value')])
      .where('device_id', '=', q.deviceId)
      .where('ts', '>=', q.from)
      .where('ts', '<=', q.to)
      .where(value, 'is not', null)
      .orderBy('ts')
      .limit(q.limit)
      .execute();
    return rows.map((r) => ({ ts: Number(r.ts), value: Number(r.value), min: Number(r.value), max: Number(r.value), count: 1 }));
  }
  // Bound numbers arrive as REAL in SQLite; the cast makes the bucket an integer index.
  const bucket = sql<number>`cast((ts - ${q.from}) / ${q.stepMs} as ${sql.raw(dialectOf(db) === 'postgres' ? 'bigint' : 'integer')})`;
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
    .where(value, 'is not', null)
    .groupBy('bucket')
    .orderBy('bucket')
    .limit(q.limit)
    .execute();
  return rows.map((r) => ({
    ts: q.from + Number(r.bucket) * q.stepMs!,
    value: Number(r.value),
    min: Number(r.min),
    max: Number(r.max),
    count: Number(r.count),
  }));
}
