import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../platform/db/index.ts';

type Tx = Kysely<Database>;

/**
 * A transaction that takes SQLite's write lock at BEGIN. Kysely's `transaction()` begins
 * DEFERRED: one that reads first and writes later fails at once with SQLITE_BUSY (no busy
 * wait) when the telemetry writer's connection committed in between; IMMEDIATE waits for the
 * lock (busy_timeout) instead. SQLite-only: PostgreSQL has no equivalent to ask for.
 */
export async function writeTransaction<T>(db: Tx, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await work(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (err) {
      await sql`rollback`.execute(conn);
      throw err;
    }
  });
}
