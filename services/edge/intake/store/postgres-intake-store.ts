import type { Db } from '../../../platform/db/index.ts';
import type { IntakeStore, SaveResult, StoredEvent, StoredFault } from '../domain/intake-port.ts';
import { intakeReads } from './intake-reads.ts';
import { json } from './intake-json.ts';

interface Pending<R> {
  row: R;
  resolve: (result: SaveResult) => void;
  reject: (err: unknown) => void;
}

/** What one multi-row insert stored: the new row ids by (device, box message id). */
type Inserted = Map<string, number>;

// 9 parameters a fault: well under PostgreSQL's 65,535 bind parameters a statement.
const MAX_ROWS_PER_INSERT = 1000;

const keyOf = (deviceId: number, messageId: string) => `${deviceId}\u0000${messageId}`;

/**
 * The group commit's PostgreSQL form: the rows that arrive in one turn of the event loop go in
 * one multi-row `INSERT … ON CONFLICT DO NOTHING RETURNING`, committed as one statement, and each
 * caller is answered once it committed. A redelivery (also one within the same statement) is
 * not returned and answers "not stored". A group the database refuses is retried row by row, so
 * one bad row fails alone, as on SQLite.
 */
function createInsertGroups<R>(insert: (rows: R[]) => Promise<Inserted>, key: (row: R) => string) {
  let queued: Pending<R>[] = [];
  let scheduled = false;

  async function write(group: Pending<R>[]): Promise<void> {
    let inserted: Inserted;
    try {
      inserted = await insert(group.map((p) => p.row));
    } catch (err) {
      if (group.length === 1) group[0]!.reject(err);
      else for (const p of group) await write([p]);
      return;
    }
    for (const p of group) {
      const id = inserted.get(key(p.row));
      // The first of two identical rows in one group is the one stored.
      inserted.delete(key(p.row));
      p.resolve(id === undefined ? { stored: false } : { stored: true, rowId: id });
    }
  }

  function flush(): void {
    scheduled = false;
    const group = queued;
    queued = [];
    for (let i = 0; i < group.length; i += MAX_ROWS_PER_INSERT) void write(group.slice(i, i + MAX_ROWS_PER_INSERT));
  }

  return (row: R): Promise<SaveResult> =>
    new Promise((resolve, reject) => {
      queued.push({ row, resolve, reject });
      if (scheduled) return;
      scheduled = true;
      // After the poll phase: every PUBLISH read from every socket in this turn joins the group.
      setImmediate(flush);
    });
}

/** Faults and evidence events on PostgreSQL; the unique (device, box message id) key makes redelivery a no-op. */
export function createPostgresIntakeStore(db: Db): IntakeStore {
  const saveFault = createInsertGroups<StoredFault>(
    async (faults) => {
      const rows = await db
        .insertInto('faults')
        .values(
          faults.map((f) => ({
            device_id: f.deviceId,
            fault_id: f.id,
            ts: f.ts,
            received_at: f.receivedAt,
            code: f.code,
            severity: f.severity,
            message: f.message ?? null,
            context: json(f.context),
            state: f.state ?? 'raised',
          })),
        )
        .onConflict((oc) => oc.columns(['device_id', 'fault_id']).doNothing())
        .returning(['id', 'device_id', 'fault_id'])
        .execute();
      return new Map(rows.map((r) => [keyOf(r.device_id, r.fault_id), r.id]));
    },
    (f) => keyOf(f.deviceId, f.id),
  );
  const saveEvent = createInsertGroups<StoredEvent>(
    async (events) => {
      const rows = await db
        .insertInto('events')
        .values(
          events.map((e) => ({
            device_id: e.deviceId,
            event_id: e.id,
            ts: e.ts,
            received_at: e.receivedAt,
            type: e.type,
            details: json(e.details),
          })),
        )
        .onConflict((oc) => oc.columns(['device_id', 'event_id']).doNothing())
        .returning(['id', 'device_id', 'event_id'])
        .execute();
      return new Map(rows.map((r) => [keyOf(r.device_id, r.event_id), r.id]));
    },
    (e) => keyOf(e.deviceId, e.id),
  );
  return { saveFault, saveEvent, ...intakeReads(db) };
}
