import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import type { OpenedPostgres } from './opened-database.ts';
import { knownMigrations, migrationProvider } from './migrations.ts';
export type { OpenedPostgres } from './opened-database.ts';
import { DatabaseRefusedError, judgeSchema } from './schema-check.ts';
import type { Database } from './schema.ts';

export interface PostgresOptions {
  /** Connections in the pool (pg's default: 10). */
  poolSize?: number;
  /**
   * An idle connection that fails (the server restarted, a network cut) is reported here: pg
   * emits it on the pool, and an unheard `error` event would stop the process. The pool opens a
   * fresh connection for the next query.
   */
  onIdleError?: (err: Error) => void;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * pg returns int8 and numeric as strings (they may exceed 2^53); ours are counts, sums and
 * epoch milliseconds, which the stores use as numbers, as SQLite returns them. Set on this
 * pool only, not through pg.types, so no other pg user in the process is affected.
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    (oid === INT8_OID || oid === NUMERIC_OID) && format !== 'binary'
      ? Number
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

/** Where the database is, for messages: never the password. */
function describe(url: string): string {
  try {
    const u = new URL(url);
    return `PostgreSQL ${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'the PostgreSQL database';
  }
}

/** The user tables of the current schema and the migrations recorded there. */
async function readState(db: Kysely<Database>): Promise<{ tables: string[]; applied: string[] }> {
  const { rows } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db);
  const tables = rows.map((r) => r.table_name);
  const applied = tables.includes('kysely_migration')
    ? (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)).rows.map((r) => r.name)
    : [];
  return { tables, applied };
}

/** The same refusals as a SQLite file's (schema-check.ts), worded for a database server. */
async function checkDatabase(db: Kysely<Database>, where: string): Promise<void> {
  const verdict = judgeSchema(await readState(db), knownMigrations);
  if (verdict.ok) return;
  if (verdict.code === 'DATABASE_FOREIGN') {
    throw new DatabaseRefusedError(
      'DATABASE_FOREIGN',
      where,
      `${where}: this is not an MT-BOX Care database (it holds tables ${verdict.tables.slice(0, 5).join(', ')} but no record of MT-BOX Care's migrations); nothing was changed. Point the service at its own database, or at an empty one to start afresh.`,
    );
  }
  throw new DatabaseRefusedError(
    'DATABASE_NEWER',
    where,
    `${where}: this database was written by a newer MT-BOX Care (migration(s) ${verdict.unknown.join(', ')}, which this version does not know); run that version or restore a backup taken before the upgrade. Nothing was changed.`,
  );
}

/**
 * Connects to the PostgreSQL database at `url` and applies pending migrations, refusing
 * (DatabaseRefusedError) one written by a newer version or not ours before writing to it.
 * Nodes starting together are safe: Kysely's migrator holds an advisory lock and PostgreSQL
 * runs the migrations in one transaction, so a failed one leaves nothing behind.
 */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<OpenedPostgres> {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize, types });
  pool.on('error', options.onIdleError ?? (() => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const where = describe(url);
  try {
    await checkDatabase(db, where);
    const { error, results } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
    if (error) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
      throw new Error(`${where}: database migration ${failed} failed: ${String(error)}`);
    }
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return { dialect: 'postgres', db, pool, close: () => db.destroy() };
}
