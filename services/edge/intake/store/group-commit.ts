import type BetterSqlite3 from 'better-sqlite3';
import type { Db } from '../../../platform/db/index.ts';

/** Writes collected while the event loop polls, committed together. */
export interface GroupCommit {
  /**
   * Runs `write` (synchronous statements on the raw handle) in the next group's transaction
   * and answers its result once that transaction has committed. A write that throws fails
   * alone: SQLite rolls back just that statement and the rest of the group commits.
   */
  run<T>(write: () => T): Promise<T>;
}

interface Pending {
  write: () => unknown;
  resolve: (value: never) => void;
  reject: (err: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; err: unknown };

/**
 * Group commit on the single SQLite connection: one `BEGIN … COMMIT` per turn of the event
 * loop instead of one autocommit (one WAL append) per fault, and no wait in Kysely's
 * connection queue behind triage's transactions.
 *
 * The writes run synchronously on the raw handle, which Kysely shares. A Kysely transaction
 * spans awaits, so a raw write while one is open would join it and could be rolled back with
 * it after the box got its PUBACK. When one is open (`sqlite.inTransaction`), the group waits
 * for Kysely's connection, which its transaction holds until COMMIT or ROLLBACK.
 */
export function createGroupCommit(db: Db, sqlite: BetterSqlite3.Database): GroupCommit {
  const begin = sqlite.prepare('BEGIN IMMEDIATE');
  const commit = sqlite.prepare('COMMIT');
  const rollback = sqlite.prepare('ROLLBACK');
  let queued: Pending[] = [];
  let scheduled = false;

  function commitGroup(group: Pending[]): Outcome[] {
    begin.run();
    const outcomes = group.map((p): Outcome => {
      try {
        return { ok: true, value: p.write() };
      } catch (err) {
        return { ok: false, err };
      }
    });
    try {
      commit.run();
    } catch (err) {
      if (sqlite.inTransaction) rollback.run();
      return group.map(() => ({ ok: false, err }));
    }
    return outcomes;
  }

  function settle(group: Pending[], outcomes: Outcome[]): void {
    group.forEach((p, i) => {
      const o = outcomes[i]!;
      if (o.ok) p.resolve(o.value as never);
      else p.reject(o.err);
    });
  }

  function flush(): void {
    scheduled = false;
    const group = queued;
    queued = [];
    if (!sqlite.inTransaction) {
      try {
        settle(group, commitGroup(group));
      } catch (err) {
        // BEGIN itself failed (e.g. the database is closed): nothing of the group is stored.
        settle(
          group,
          group.map(() => ({ ok: false, err })),
        );
      }
      return;
    }
    db.connection()
      .execute(async () => {
        // Holding Kysely's connection: its transactions are done; anything else still open
        // is not ours to join, so the group tries again on the next turn.
        if (sqlite.inTransaction) {
          queued = [...group, ...queued];
          schedule();
          return;
        }
        settle(group, commitGroup(group));
      })
      .catch((err: unknown) =>
        settle(
          group,
          group.map(() => ({ ok: false, err })),
        ),
      );
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    // After the poll phase: every PUBLISH read from every socket in this turn joins the group.
    setImmediate(flush);
  }

  return {
    run<T>(write: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queued.push({ write, resolve: resolve as (value: never) => void, reject });
        schedule();
      });
    },
  };
}
