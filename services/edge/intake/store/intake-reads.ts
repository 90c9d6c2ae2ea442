import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { FaultState } from '../../../contract/payloads.ts';
import type { Database, Db } from '../../../platform/db/index.ts';
import type { IntakeStore, ListRange, StoredEvent, StoredFault } from '../domain/intake-port.ts';
import { parseJson } from './intake-json.ts';

/**
 * The rows of `range`: within `from`..`to`, and after the cursor `(ts, id)` in (ts desc, id desc)
 * order, written as a row-value comparison so SQLite walks the (device_id, ts) index, whose
 * entries end in the row id, from that point.
 */
function inRange(range: ListRange) {
  return (eb: ExpressionBuilder<Database, 'faults' | 'events'>) => {
    const conditions: Expression<SqlBool>[] = [];
    if (range.from !== undefined) conditions.push(eb('ts', '>=', range.from));
    if (range.to !== undefined) conditions.push(eb('ts', '<=', range.to));
    if (range.before) conditions.push(eb(eb.refTuple('ts', 'id'), '<', eb.tuple(range.before[0], range.before[1])));
    return eb.and(conditions);
  };
}

/** A box's faults and events, newest first, on either database. */
export function intakeReads(db: Db): Pick<IntakeStore, 'listFaults' | 'listEvents'> {
  return {
    async listFaults(deviceId: number, range: ListRange) {
      const rows = await db
        .selectFrom('faults')
        .selectAll()
        .where('device_id', '=', deviceId)
        .where(inRange(range))
        .orderBy('ts', 'desc')
        .orderBy('id', 'desc')
        .limit(range.limit)
        .execute();
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
      const rows = await db
        .selectFrom('events')
        .selectAll()
        .where('device_id', '=', deviceId)
        .where(inRange(range))
        .orderBy('ts', 'desc')
        .orderBy('id', 'desc')
        .limit(range.limit)
        .execute();
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
