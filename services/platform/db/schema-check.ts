import BetterSqlite3 from 'better-sqlite3';

/**
 * The database file cannot be used by this version: written by a newer one, or not an MT-BOX
 * Care database at all. Thrown before anything is written to it; the message says what to do.
 */
export class DatabaseRefusedError extends Error {
  constructor(
    readonly code: 'DATABASE_NEWER' | 'DATABASE_FOREIGN',
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'DatabaseRefusedError';
  }
}

// Kysely's own bookkeeping; a database holding only these was left by a first start that failed.
const MIGRATION_TABLES = new Set(['kysely_migration', 'kysely_migration_lock']);
const FIRST_MIGRATION = '0001_foundation';

/** The user tables and recorded migrations, read through a read-only handle so nothing is written. */
function readState(file: string): { tables: string[]; applied: string[] } {
  const sqlite = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const tables = sqlite.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'").pluck().all() as string[];
    const applied = tables.includes('kysely_migration')
      ? (sqlite.prepare('select name from kysely_migration order by name').pluck().all() as string[])
      : [];
    return { tables, applied };
  } finally {
    sqlite.close();
  }
}

function foreign(file: string, what: string): DatabaseRefusedError {
  return new DatabaseRefusedError(
    'DATABASE_FOREIGN',
    file,
    `${file}: this is not an MT-BOX Care database (${what}); the file was left unchanged. Point DATA_DIR at the service's own data directory, or at an empty one to start afresh.`,
  );
}

/** What the user tables and recorded migrations of a database say about using it with this version. */
export type SchemaVerdict =
  | { ok: true }
  | { ok: false; code: 'DATABASE_FOREIGN'; tables: string[] }
  | { ok: false; code: 'DATABASE_NEWER'; unknown: string[] };

/**
 * Judges a database's state, whatever engine holds it: one whose migration table names
 * migrations this code does not know was written by a newer release (migrations are
 * forward-only, so migrating it would mix schemas); one with tables but no record of our first
 * migration is not ours. An empty database, or one holding only Kysely's tables, passes.
 */
export function judgeSchema(state: { tables: string[]; applied: string[] }, known: readonly string[]): SchemaVerdict {
  const userTables = state.tables.filter((t) => !MIGRATION_TABLES.has(t));
  if (userTables.length === 0) return { ok: true };
  if (!state.applied.includes(FIRST_MIGRATION)) return { ok: false, code: 'DATABASE_FOREIGN', tables: userTables };
  const knownSet = new Set(known);
  const unknown = state.applied.filter((name) => !knownSet.has(name));
  return unknown.length > 0 ? { ok: false, code: 'DATABASE_NEWER', unknown } : { ok: true };
}

/** Refuses a file this version must not migrate (see judgeSchema); an empty file passes. */
export function checkDatabaseFile(file: string, known: readonly string[]): void {
  let state: { tables: string[]; applied: string[] };
  try {
    state = readState(file);
  } catch (err) {
    // SQLITE_NOTADB and friends: not a SQLite file at all.
    throw foreign(file, `SQLite cannot read it: ${err instanceof Error ? err.message : String(err)}`);
  }
  const verdict = judgeSchema(state, known);
  if (verdict.ok) return;
  if (verdict.code === 'DATABASE_FOREIGN') {
    throw foreign(file, `it holds tables ${verdict.tables.slice(0, 5).join(', ')} but no record of MT-BOX Care's migrations`);
  }
  throw new DatabaseRefusedError(
    'DATABASE_NEWER',
    file,
    `${file}: this database was written by a newer MT-BOX Care (migration(s) ${verdict.unknown.join(', ')}, which this version does not know); run that version or restore a backup taken before the upgrade. The file was left unchanged.`,
  );
}
