import type { Db } from '../../../platform/db/index.ts';
import type { IntakeStore, SaveResult, StoredEvent, StoredFault } from '../domain/intake-port.ts';
import { intakeReads } from './intake-reads.ts';
import { json } from './intake-json.ts';

/** What one multi-row insert stored: the new row ids by (device, box message id). */
type Inserted = Map<string, number>;

type Outcome = { ok: true; result: SaveResult } | { ok: false; err: unknown };

/** One kind of row: how a group of them is inserted, and how a row is found in what came back. */
interface RowKind<R> {
  insert(rows: R[]): Promise<Inserted>;
  key(row: R): string;
}

// 9 parameters a fault: well under PostgreSQL's 65,535 bind parameters a statement.
const MAX_ROWS_PER_INSERT = 1000;

const keyOf = (deviceId: number, messageId: string) => `${deviceId}\u0000${messageId}`;

/**
 * Inserts `rows` as one statement and answers each row's outcome, in order. A redelivery (also
 * one within the same statement) is not returned and answers "not stored". A group the database
 * refuses is retried row by row, so one bad row fails alone, as on SQLite.
 */
async function insertGroup<R>(kind: RowKind<R>, rows: R[]): Promise<Outcome[]> {
  let inserted: Inserted;
  try {
    inserted = await kind.insert(rows);
  } catch (err) {
    if (rows.length === 1) return [{ ok: false, err }];
    const one: Outcome[] = [];
    for (const row of rows) one.push(...(await insertGroup(kind, [row])));
    return one;
  }
  return rows.map((row) => {
    const id = inserted.get(kind.key(row));
    // The first of two identical rows in one group is the one stored.
    inserted.delete(kind.key(row));
    return { ok: true, result: id === undefined ? { stored: false } : { stored: true, rowId: id } };
  });
}

async function insertAll<R>(kind: RowKind<R>, rows: R[]): Promise<Outcome[]> {
  const chunks: Promise<Outcome[]>[] = [];
  for (let i = 0; i < rows.length; i += MAX_ROWS_PER_INSERT) chunks.push(insertGroup(kind, rows.slice(i, i + MAX_ROWS_PER_INSERT)));
  return (await Promise.all(chunks)).flat();
}

type Queued = { kind: 'fault'; row: StoredFault } | { kind: 'event'; row: StoredEvent };

/**
 * The group commit's PostgreSQL form: the faults and events that arrive in one turn of the event
 * loop go in one multi-row `INSERT … ON CONFLICT DO NOTHING RETURNING` per table, and each caller
 * is answered once its row committed. Answers go out in the order the rows came, across the two
 * tables and across turns, although the statements run side by side on the pool: a box's fault
 * and the event it sent next reach a session's timeline in that order, as on SQLite.
 */
function createOrderedGroups(kinds: { fault: RowKind<StoredFault>; event: RowKind<StoredEvent> }) {
  let queued: Array<Queued & { answer: (outcome: Outcome) => void }> = [];
  let scheduled = false;
  let answered: Promise<void> = Promise.resolve();

  function flush(): void {
    scheduled = false;
    const group = queued;
    queued = [];
    const faults: StoredFault[] = [];
    const events: StoredEvent[] = [];
    for (const q of group) {
      if (q.kind === 'fault') faults.push(q.row);
      else events.push(q.row);
    }
    const written = Promise.all([insertAll(kinds.fault, faults), insertAll(kinds.event, events)]);
    answered = answered
      .then(() => written)
      .then(
        ([faultOutcomes, eventOutcomes]) => {
          let f = 0;
          let e = 0;
          for (const q of group) q.answer((q.kind === 'fault' ? faultOutcomes[f++] : eventOutcomes[e++])!);
        },
        // insertGroup answers failures per row; should anything else fail, no caller is left waiting.
        (err: unknown) => {
          for (const q of group) q.answer({ ok: false, err });
        },
      );
  }

  return (item: Queued): Promise<SaveResult> =>
    new Promise((resolve, reject) => {
      queued.push({ ...item, answer: (o) => (o.ok ? resolve(o.result) : reject(o.err)) });
      if (scheduled) return;
      scheduled = true;
      // After the poll phase: every PUBLISH read from every socket in this turn joins the group.
      setImmediate(flush);
    });
}

/** Faults and evidence events on PostgreSQL; the unique (device, box message id) key makes redelivery a no-op. */
export function createPostgresIntakeStore(db: Db): IntakeStore {
  const save = createOrderedGroups({
    fault: {
      async insert(faults) {
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
      key: (f) => keyOf(f.deviceId, f.id),
    },
    event: {
      async insert(events) {
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
      key: (e) => keyOf(e.deviceId, e.id),
    },
  });
  return { saveFault: (row) => save({ kind: 'fault', row }), saveEvent: (row) => save({ kind: 'event', row }), ...intakeReads(db) };
}
