import type BetterSqlite3 from 'better-sqlite3';
import type { Db } from '../../../platform/db/index.ts';
import { createGroupCommit } from './group-commit.ts';
import { json } from './intake-json.ts';
import { intakeReads } from './intake-reads.ts';
import type { IntakeStore, SaveResult, StoredEvent, StoredFault } from '../domain/intake-port.ts';

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

    ...intakeReads(db),
  };
}
