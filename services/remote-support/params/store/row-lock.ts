import { PostgresAdapter, type QueryExecutor, type SelectQueryBuilder } from 'kysely';

/*
 * Row locks for read-modify-writes. On PostgreSQL the transactions of several nodes run at
 * once: rows read FOR NO KEY UPDATE stay locked until the transaction ends, so another's
 * read-modify-write of them waits. SQLite runs one write transaction at a time and has no row
 * locks: nothing is added there. NO KEY UPDATE still lets rows that reference the locked ones
 * be inserted meanwhile.
 */

/** The transaction (or database) the query runs in: only its adapter is read. */
interface Executing {
  getExecutor(): QueryExecutor;
}

const onPostgres = (tx: Executing) => tx.getExecutor().adapter instanceof PostgresAdapter;

/** `q`, locking the rows it reads on PostgreSQL. */
export function lockedForWrite<DB, TB extends keyof DB, O>(tx: Executing, q: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O> {
  return onPostgres(tx) ? q.forNoKeyUpdate() : q;
}

/** Locks the rows `q` reads on PostgreSQL; on SQLite it is not even run. */
export async function lockForWrite<DB, TB extends keyof DB, O>(tx: Executing, q: SelectQueryBuilder<DB, TB, O>): Promise<void> {
  if (onPostgres(tx)) await q.forNoKeyUpdate().execute();
}
