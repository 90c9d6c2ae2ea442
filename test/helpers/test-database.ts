import pg from 'pg';
import { inject } from 'vitest';
import { type Db, type OpenedDatabase, type OpenedPostgres, openDatabase, openPostgres } from '../../services/platform/db/index.ts';

/*
 * The database a test's backend runs on. The default project runs on SQLite in the test's data
 * directory, as `npm start` does; the `postgres` project (vitest.config.ts) runs the same test
 * files again on PostgreSQL, each test on a fresh database of the server its setup started.
 */

export type TestDialect = 'sqlite' | 'postgres';

export const TEST_DIALECT: TestDialect = process.env.MTBOX_TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';

// Nodes sharing a database must share the box-secret key (config.ts refuses DATABASE_URL without one).
const SHARED_BOX_SECRET_KEY = Buffer.alloc(32, 7).toString('base64');

let created = 0;

/** A fresh, migrated PostgreSQL database on the project's server: its URL. */
export async function freshPostgresUrl(): Promise<string> {
  const { url, template } = inject('postgres');
  const name = `t_${process.pid}_${++created}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create database "${name}" template "${template}"`);
  } finally {
    await client.end();
  }
  const target = new URL(url);
  target.pathname = `/${name}`;
  return target.toString();
}

/**
 * The environment that puts a backend on this run's database: nothing for SQLite (DATA_DIR's
 * file), a fresh DATABASE_URL and the shared key for PostgreSQL.
 */
export async function testDatabaseEnv(): Promise<Record<string, string>> {
  if (TEST_DIALECT === 'sqlite') return {};
  return { DATABASE_URL: await freshPostgresUrl(), BOX_SECRET_KEY: SHARED_BOX_SECRET_KEY };
}

/** Opens the database `env` (from testDatabaseEnv) names, as the app would. */
export function openTestDatabase(dataDir: string, env: Record<string, string>): Promise<OpenedDatabase> {
  return openDatabase({ dataDir, databaseUrl: env.DATABASE_URL });
}

/** A fresh, migrated PostgreSQL database of the project's server, opened (postgres project only). */
export async function openFreshPostgres(): Promise<OpenedPostgres> {
  return openPostgres(await freshPostgresUrl());
}

/** A registered box with only what a store test needs; answers its id. */
export async function insertTestDevice(db: Db, serial: string, createdAt: number): Promise<number> {
  const row = await db
    .insertInto('devices')
    .values({ serial, model: 'MT-BOX', enabled: 1, secret_hash: 'x', created_at: createdAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
