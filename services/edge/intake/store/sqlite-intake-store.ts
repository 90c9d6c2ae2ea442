import type { ExpressionBuilder, InsertResult } from 'kysely';
import type { FaultState } from '../../../contract/payloads.ts';
import type { Database, Db } from '../../../platform/db/index.ts';
import type { IntakeStore, ListRange, SaveResult, StoredEvent, StoredFault } from '../domain/intake-port.ts';

function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

function parseJson(text: string | null): Record<string, unknown> | undefined {
  return text === null ? undefined : (JSON.parse(text) as Record<string, unknown>);
}

function stored(r: InsertResult): SaveResult {
  const inserted = Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  return inserted ? { stored: true, rowId: Number(r.insertId) } : { stored: false };
}

/**
 * Rows after `(ts, id)` in (ts desc, id desc) order, written as a row-value comparison so
 * SQLite walks the (device_id, ts) index, whose entries end in the row id, from that point.
 */
function beforeKey([ts, id]: readonly [number, number]) {
  return (eb: ExpressionBuilder<Database, 'faults' | 'events'>) => eb(eb.refTuple('ts', 'id'), '<', eb.tuple(ts, id));
}

/** Faults and evidence events; the unique (device, box message id) key makes redelivery a no-op. */
export function createSqliteIntakeStore(db: Db): IntakeStore {
  return {
    async saveFault(f: StoredFault) {
      const r = await db
        .insertInto('faults')
        .values({
          device_id: f.deviceId,
          fault_id: f.id,
          ts: f.ts,
          received_at: f.receivedAt,
          code: f.code,
          severity: f.severity,
          message: f.message ?? null,
          context: json(f.context),
          state: f.state ?? 'raised',
        })
        .onConflict((oc) => oc.columns(['device_id', 'fault_id']).doNothing())
        .executeTakeFirst();
      return stored(r);
    },

    async saveEvent(e: StoredEvent) {
      const r = await db
        .insertInto('events')
        .values({
          device_id: e.deviceId,
          event_id: e.id,
          ts: e.ts,
          received_at: e.receivedAt,
          type: e.type,
          details: json(e.details),
        })
        .onConflict((oc) => oc.columns(['device_id', 'event_id']).doNothing())
        .executeTakeFirst();
      return stored(r);
    },

    async listFaults(deviceId: number, range: ListRange) {
      let q = db.selectFrom('faults').selectAll().where('device_id', '=', deviceId);
      if (range.from !== undefined) q = q.where('ts', '>=', range.from);
      if (range.to !== undefined) q = q.where('ts', '<=', range.to);
      if (range.before) q = q.where(beforeKey(range.before));
      const rows = await q.orderBy('ts', 'desc').orderBy('id', 'desc').limit(range.limit).execute();
      return rows.map((r) => ({
        rowId: r.id,
        deviceId: r.device_id,
        id: r.fault_id,
        ts: Number(r.ts),
        receivedAt: Number(r.received_at),
        code: r.code,
        severity: r.severity as StoredFault['severity'],
        state: r.state as FaultState,
        ...(r.message !== null ? { message: r.message } : {}),
        ...(r.context !== null ? { context: parseJson(r.context) } : {}),
      }));
    },

    async listEvents(deviceId: number, range: ListRange) {
      let q = db.selectFrom('events').selectAll().where('device_id', '=', deviceId);
      if (range.from !== undefined) q = q.where('ts', '>=', range.from);
      if (range.to !== undefined) q = q.where('ts', '<=', range.to);
      if (range.before) q = q.where(beforeKey(range.before));
      const rows = await q.orderBy('ts', 'desc').orderBy('id', 'desc').limit(range.limit).execute();
      return rows.map((r) => ({
        rowId: r.id,
        deviceId: r.device_id,
        id: r.event_id,
        ts: Number(r.ts),
        receivedAt: Number(r.received_at),
        type: r.type as StoredEvent['type'],
        ...(r.details !== null ? { details: parseJson(r.details) } : {}),
      }));
    },
  };
}
