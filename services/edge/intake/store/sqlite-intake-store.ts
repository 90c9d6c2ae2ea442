import type BetterSqlite3 from 'better-sqlite3';
import type { ExpressionBuilder } from 'kysely';
import type { FaultState } from '../../../contract/payloads.ts';
import type { Database, Db } from '../../../platform/db/index.ts';
import { createGroupCommit } from './group-commit.ts';
import type { IntakeStore, ListRange, SaveResult, StoredEvent, StoredFault } from '../domain/intake-port.ts';

function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

function parseJson(text: string | null): Record<string, unknown> | undefined {
  return text === null ? undefined : (JSON.parse(text) as Record<string, unknown>);
}

/**
 * Rows after `(ts, id)` in (ts desc, id desc) order, written as a row-value comparison so
 * SQLite walks the (device_id, ts) index, whose entries end in the row id, from that point.
 */
function beforeKey([ts, id]: readonly [number, number]) {
  return (eb: ExpressionBuilder<Database, 'faults' | 'events'>) => eb(eb.refTuple('ts', 'id'), '<', eb.tuple(ts, id));
}

// Same statements as Kysely would build; SQLite-only is the raw handle, not the SQL.
const INSERT_FAULT_SQL = `INSERT INTO "faults" ("device_id", "fault_id", "ts", "received_at", "code", "severity", "message", "context", "state")
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT ("device_id", "fault_id") DO NOTHING`;
const INSERT_EVENT_SQL = `INSERT INTO "events" ("device_id", "event_id", "ts", "received_at", "type", "details")
  VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT ("device_id", "event_id") DO NOTHING`;

function stored(r: BetterSqlite3.RunResult): SaveResult {
  return r.changes > 0 ? { stored: true, rowId: Number(r.lastInsertRowid) } : { stored: false };
}

/**
 * Faults and evidence events; the unique (device, box message id) key makes redelivery a no-op,
 * also for a redelivery in the same group commit (the second insert sees the first).
 */
export function createSqliteIntakeStore(db: Db, sqlite: BetterSqlite3.Database): IntakeStore {
  const group = createGroupCommit(db, sqlite);
  const insertFault = sqlite.prepare(INSERT_FAULT_SQL);
  const insertEvent = sqlite.prepare(INSERT_EVENT_SQL);
  return {
    saveFault(f: StoredFault) {
      return group.run(() =>
        stored(insertFault.run(f.deviceId, f.id, f.ts, f.receivedAt, f.code, f.severity, f.message ?? null, json(f.context), f.state ?? 'raised')),
      );
    },

    saveEvent(e: StoredEvent) {
      return group.run(() => stored(insertEvent.run(e.deviceId, e.id, e.ts, e.receivedAt, e.type, json(e.details))));
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
