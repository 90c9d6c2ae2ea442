import { sql } from 'kysely';
import type { Db, OpenedDatabase } from '../../services/platform/db/index.ts';
import { waitFor } from './wait-for.ts';

/*
 * Requests of several nodes arriving at once, made to meet at the same point: on PostgreSQL a
 * transaction holds the rows they need, and lets go only when all of them wait for it. SQLite
 * runs one write transaction at a time: there they simply queue.
 */

export interface HeldRows {
  /** Resolves once `n` statements of this database wait for a lock. */
  waiters(n: number): Promise<void>;
  /** Commits the holding transaction and waits for it. */
  release(): Promise<void>;
}

/** Opens a PostgreSQL transaction that runs `hold` (locking or writing rows) and keeps it open until release(). */
export async function holdRows(db: Db, hold: (tx: Db) => Promise<unknown>): Promise<HeldRows> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let held!: () => void;
  const holding = new Promise<void>((resolve) => {
    held = resolve;
  });
  const holder = db.transaction().execute(async (tx) => {
    await hold(tx);
    held();
    await released;
  });
  await Promise.race([holding, holder]);
  return {
    async waiters(n) {
      await waitFor(
        async () => {
          const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
          return rows[0]!.n >= n;
        },
        { what: `${n} statements waiting for a lock` },
      );
    },
    async release() {
      release();
      await holder;
    },
  };
}

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
  const held = await holdRows(opened.db, hold);
  const results = Promise.allSettled(requests());
  try {
    await held.waiters(waiting);
  } finally {
    await held.release();
  }
  return (await results).map((r) => {
    if (r.status === 'rejected') throw r.reason;
    return r.value;
  });
}
