import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { Database } from './schema.ts';

/* What an opened database is, on either engine; database.ts opens SQLite, postgres.ts PostgreSQL. */

export type Db = Kysely<Database>;

/** A file or directory found open to group or others at start and narrowed to its owner. */
export interface TightenedPath {
  path: string;
  /** Octal modes, e.g. `644` → `600`. */
  from: string;
  to: string;
  /** Set when the directory could not be narrowed (e.g. owned by another user); the files still are. */
  error?: string;
}

/** The embedded default: one SQLite file in DATA_DIR. */
export interface OpenedSqlite {
  dialect: 'sqlite';
  db: Db;
  /** What start-up had to narrow, for the caller to log; empty on a fresh or healthy data directory. */
  tightened: TightenedPath[];
  /** The raw handle, for the few hot paths that prepare their own statements. */
  sqlite: BetterSqlite3.Database;
  close(): Promise<void>;
}

/**
 * The relational state, on SQLite or PostgreSQL (DATABASE_URL). Most stores need only `db`;
 * the few hot paths that bypass Kysely (group commit, triage, shadows, the telemetry writer)
 * take the dialect's own handle.
 */
export type OpenedDatabase = OpenedSqlite | OpenedPostgres;

/** A migrated PostgreSQL database, for the stores that run on one. */
export interface OpenedPostgres {
  dialect: 'postgres';
  db: Db;
  /** The pool behind `db`, for the hot paths that write their own multi-row statements. */
  pool: pg.Pool;
  close(): Promise<void>;
}
