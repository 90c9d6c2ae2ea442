import type { SelectQueryBuilder } from 'kysely';
import { dialectOf } from './migration-dialect.ts';

/** A database or transaction: only its adapter is read. */
type Executing = Parameters<typeof dialectOf>[0];

/**
 * Whether a read-modify-write must lock the rows it reads (`.forUpdate()` or
 * `.forNoKeyUpdate()` on its select): PostgreSQL runs transactions concurrently, so without the
 * lock two of them read the same row and the later write loses the earlier one. SQLite runs one
 * transaction at a time on its single connection and has no row locks (the clause is a syntax
 * error there).
 *
 *   query.$if(locksRows(tx), (q) => q.forUpdate())
 */
export function locksRows(db: Executing): boolean {
  return dialectOf(db) === 'postgres';
}

/**
 * Locks the rows `q` reads, FOR NO KEY UPDATE (rows referencing them may still be inserted), on
 * PostgreSQL; on SQLite it is not even run.
 */
export async function lockForWrite<DB, TB extends keyof DB, O>(tx: Executing, q: SelectQueryBuilder<DB, TB, O>): Promise<void> {
  if (locksRows(tx)) await q.forNoKeyUpdate().execute();
}
