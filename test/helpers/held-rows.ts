import { sql } from 'kysely';
import type { Db, OpenedDatabase } from '../../services/platform/db/index.ts';
import { waitFor } from './wait-for.ts';

/*
 * Requests of several nodes arriving at once, made to meet at the same point: on PostgreSQL a
 * transaction holds the rows they need, and lets go only when all of them wait for it. SQLite
 * runs one write transaction at a time: there they simply queue.
 */

/**
 * Runs `requests` while `hold` keeps rows locked (PostgreSQL), releasing them once `waiting`
 * statements wait for a lock: the requests have all come to the held rows by then.
 */
export async function whileHeld<T>(
  opened: OpenedDatabase,
  hold: (tx: Db) => Promise<unknown>,
  waiting: number,
  requests: () => Promise<T>[],
): Promise<T[]> {
  if (opened.dialect === 'sqlite') return Promise.all(requests());
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let held!: () => void;
  const holding = new Promise<void>((resolve) => {
    held = resolve;
  });
  const holder = opened.db.transaction().execute(async (tx) => {
    await hold(tx);
    held();
    await released;
  });
  await holding;
  const results = Promise.allSettled(requests());
  try {
    await waitFor(
      async () => {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'`.execute(opened.db);
        return rows[0]!.n >= waiting;
      },
      { what: `${waiting} statements waiting for a lock` },
    );
  } finally {
    release();
    await holder;
  }
  return (await results).map((r) => {
    if (r.status === 'rejected') throw r.reason;
    return r.value;
  });
}
