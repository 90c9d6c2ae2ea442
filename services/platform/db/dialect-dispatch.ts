import { type Kysely, PostgresAdapter } from 'kysely';
import type { SqlDialect } from './migration-dialect.ts';
import type { Database } from './schema.ts';

/** The dialect the app's database speaks: the few statements that must differ dispatch on it. */
export function sqlDialectOf(db: Kysely<Database>): SqlDialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

export function isPostgres(db: Kysely<Database>): boolean {
  return sqlDialectOf(db) === 'postgres';
}

/**
 * Whether a read-modify-write must lock the rows it reads (`.forUpdate()` on its select):
 * PostgreSQL runs transactions concurrently, so without the lock two of them read the same
 * row and the later write loses the earlier one. SQLite runs one transaction at a time on its
 * single connection and has no FOR UPDATE (the clause is a syntax error there).
 *
 *   query.$if(locksRows(tx), (q) => q.forUpdate())
 */
export const locksRows: (db: Kysely<Database>) => boolean = isPostgres;
