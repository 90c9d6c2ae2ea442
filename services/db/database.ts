import { mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type SqliteDatabase } from 'kysely';
import { migrationProvider } from './migrations.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

export interface OpenedDatabase {
  db: Db;
  /** The raw handle, for the few hot paths that prepare their own statements. */
  sqlite: BetterSqlite3.Database;
  close(): Promise<void>;
}

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

/** Opens (creating if needed) the SQLite file under dataDir and applies pending migrations. */
export async function openSqlite(dataDir: string, fileName = 'mtbox-care.sqlite'): Promise<OpenedDatabase> {
  mkdirSync(dataDir, { recursive: true });
  const sqlite = new BetterSqlite3(path.join(dataDir, fileName));
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
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  const { error, results } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  if (error) {
    await db.destroy();
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed: ${String(error)}`);
  }
  return { db, sqlite, close: () => db.destroy() };
}
