import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  Migrator,
  SqliteDialect,
  type SqliteDatabase,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';
import { knownMigrations, migrationProvider } from './migrations.ts';
import type { OpenedSqlite, TightenedPath } from './opened-database.ts';
import { checkDatabaseFile } from './schema-check.ts';
import type { Database } from './schema.ts';

export type { Db, OpenedDatabase, OpenedSqlite, TightenedPath } from './opened-database.ts';

/** The database's file in DATA_DIR; backups and the admin CLI name it through this. */
export const DATABASE_FILE = 'mtbox-care.sqlite';

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver prepares every statement anew; with triage running a dozen small
 * queries per fault, preparing was a third of its CPU (BENCHMARKS.md). Statements are reused
 * by SQL text (SQLite re-prepares them itself after a schema change). Safe because Kysely
 * runs one query at a time on this single connection.
 */
function withStatementCache(sqlite: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (stmt) {
        // Most recently used last, so the oldest is evicted first.
        cache.delete(sql);
      } else {
        stmt = sqlite.prepare(sql);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}

/**
 * Every transaction takes SQLite's write lock at BEGIN. Kysely begins DEFERRED: a transaction
 * that reads first and writes later then fails at once with SQLITE_BUSY (the busy timeout does
 * not apply to that upgrade) when the telemetry writer's connection committed in between;
 * IMMEDIATE waits for the lock (busy_timeout) instead. Triage batches found it first, but any
 * read-then-write transaction (an RMA move) could meet it.
 */
class ImmediateTransactions extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateTransactions(this.#config);
  }
}

// The database holds password hashes, box secret hashes and customers' data: only the
// service's own user may read it, whatever umask it was started with.
const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;
const octal = (mode: number) => mode.toString(8);

/** Narrows an existing path to its owner's bits (0644 → 0600); null when nothing was open. */
function tighten(target: string): TightenedPath | null {
  const mode = statSync(target).mode & 0o777;
  if ((mode & 0o077) === 0) return null;
  chmodSync(target, mode & 0o700);
  return { path: target, from: octal(mode), to: octal(mode & 0o700) };
}

/**
 * The directory is narrowed if possible; one the service may not chmod (DATA_DIR pointed at
 * a shared directory) is reported instead of stopping start-up, as the files in it are private.
 */
function tightenDir(dir: string): TightenedPath | null {
  try {
    return tighten(dir);
  } catch (err) {
    const mode = octal(statSync(dir).mode & 0o777);
    return { path: dir, from: mode, to: mode, error: (err as NodeJS.ErrnoException).code ?? String(err) };
  }
}

/** Creates a path with exactly this mode (the umask may have cleared bits of it). */
function createPrivate(target: string, kind: 'dir' | 'file'): void {
  const mode = kind === 'dir' ? PRIVATE_DIR : PRIVATE_FILE;
  if (kind === 'dir') mkdirSync(target, { recursive: true, mode });
  else closeSync(openSync(target, 'a', mode));
  chmodSync(target, mode);
}

/**
 * The data directory 0700 and the database 0600, before SQLite opens it. SQLite gives the
 * -wal and -shm files it creates the database file's own mode, so those follow; ones left
 * by an earlier run are narrowed here with the rest.
 */
function preparePrivateFiles(dataDir: string, dbFile: string): TightenedPath[] {
  const found: Array<TightenedPath | null> = [];
  if (existsSync(dataDir)) found.push(tightenDir(dataDir));
  else createPrivate(dataDir, 'dir');
  if (!existsSync(dbFile)) createPrivate(dbFile, 'file');
  for (const file of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`, `${dbFile}-journal`]) {
    if (existsSync(file)) found.push(tighten(file));
  }
  return found.filter((t) => t !== null);
}

/**
 * Opens (creating if needed) the SQLite file under dataDir, private to the service's user,
 * and applies pending migrations. A file written by a newer version, or not ours, is refused
 * (DatabaseRefusedError) before anything is written to it.
 */
export async function openSqlite(dataDir: string, fileName = DATABASE_FILE): Promise<OpenedSqlite> {
  const dbFile = path.join(dataDir, fileName);
  const tightened = preparePrivateFiles(dataDir, dbFile);
  // Check first, then migrate: even setting WAL mode below rewrites the file's header.
  checkDatabaseFile(dbFile, knownMigrations);
  const sqlite = new BetterSqlite3(dbFile);
  // WAL + synchronous=NORMAL: a committed transaction survives a killed process
  // (kill -9); only an OS crash or power cut can lose the last commits.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  // Checkpoint every 32k pages (128 MiB of WAL) instead of SQLite's 1k: telemetry index pages
  // rewritten many times between checkpoints are then copied back once, which measured 2.4×
  // the sustained insert rate of the default (see BENCHMARKS.md). The WAL is truncated back
  // to that size after each checkpoint, and a 64 MiB page cache keeps the index's hot pages.
  sqlite.pragma('wal_autocheckpoint = 32768');
  sqlite.pragma('journal_size_limit = 134217728');
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }) });
  const { error, results } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  if (error) {
    await db.destroy();
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed: ${String(error)}`);
  }
  return { dialect: 'sqlite', db, sqlite, tightened, close: () => db.destroy() };
}
