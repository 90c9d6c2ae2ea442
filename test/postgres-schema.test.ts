import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Database, type Db, DatabaseRefusedError, knownMigrations, openPostgres, openSqlite } from '../services/platform/db/index.ts';
import { migrationProvider } from '../services/platform/db/migrations.ts';
import { type PostgresServer, startPostgres } from './helpers/engines.ts';
import { tempDir } from './helpers/temp-dir.ts';

/*
 * The same migrations on PostgreSQL as on SQLite (issue 15): the same tables and columns, the
 * same append-only refusals and data step, the same refusal of a database this version must not
 * touch, and numbers where SQLite gives numbers.
 */

type Dialect = 'sqlite' | 'postgres';
const DIALECTS: Dialect[] = ['sqlite', 'postgres'];

let postgres: PostgresServer;
beforeAll(async () => {
  postgres = await startPostgres();
});
afterAll(async () => {
  await postgres?.remove();
});

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function freshPostgres(): Promise<Db> {
  const opened = await openPostgres(await postgres.createDatabase());
  cleanups.push(() => opened.close());
  return opened.db;
}

async function freshSqlite(): Promise<{ db: Db; sqlite: BetterSqlite3.Database }> {
  const dir = tempDir('pgschema-sqlite-');
  cleanups.push(() => dir.remove());
  const opened = await openSqlite(dir.path);
  cleanups.push(() => opened.close());
  return opened;
}

const fresh = async (dialect: Dialect): Promise<Db> => (dialect === 'sqlite' ? (await freshSqlite()).db : freshPostgres());

/** Runs one statement on a plain pg client, outside the code under test. */
async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

const SQLITE_TYPES: Record<string, string> = { INTEGER: 'int4', bigint: 'int8', TEXT: 'text' };

describe('the migrations on PostgreSQL', () => {
  it('all apply to a fresh database', async () => {
    const db = await freshPostgres();
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
    expect(applied.rows.map((r) => r.name)).toEqual([...knownMigrations]);
  });

  it("make SQLite's tables and columns: names, types, nullability, defaults and numbered ids", async () => {
    const lite = await freshSqlite();
    const pgTables = await (await freshPostgres()).introspection.getTables();
    const liteTables = await lite.db.introspection.getTables();
    // SQLite lets a primary key other than an integer one hold NULL (a legacy quirk); nothing we
    // write relies on it, and PostgreSQL's primary keys are NOT NULL: compared as not null.
    const inPrimaryKey = (table: string, column: string) =>
      (lite.sqlite.prepare('select pk from pragma_table_info(?) where name = ?').pluck().get(table, column) as number) > 0;
    // Any INTEGER PRIMARY KEY is SQLite's rowid, numbered when left out; only the `autoincrement`
    // ones are ids we let the database number (the others are given: shadows.device_id, …).
    const declaredNumbered = (table: string) =>
      /autoincrement/i.test(lite.sqlite.prepare("select sql from sqlite_master where type = 'table' and name = ?").pluck().get(table) as string);
    const shape = (t: (typeof pgTables)[number], sqlite: boolean) => ({
      table: t.name,
      columns: t.columns.map((c) => ({
        name: c.name,
        type: sqlite ? SQLITE_TYPES[c.dataType] : c.dataType,
        nullable: sqlite ? c.isNullable && !inPrimaryKey(t.name, c.name) : c.isNullable,
        default: c.hasDefaultValue,
        numbered: sqlite ? c.isAutoIncrementing && declaredNumbered(t.name) : c.isAutoIncrementing,
      })),
    });
    expect(pgTables.map((t) => shape(t, false))).toEqual(liteTables.map((t) => shape(t, true)));
    expect(pgTables).toHaveLength(30);
  });

  it('make every index SQLite has, under the same name', async () => {
    const lite = await freshSqlite();
    const url = await postgres.createDatabase();
    const opened = await openPostgres(url);
    cleanups.push(() => opened.close());
    const liteIndexes = lite.sqlite.prepare("select name from sqlite_master where type = 'index' and sql is not null order by name").pluck().all();
    const pgIndexes = (await query<{ indexname: string }>(url, 'select indexname from pg_indexes where schemaname = current_schema()')).map(
      (r) => r.indexname,
    );
    expect(liteIndexes.length).toBeGreaterThan(30);
    expect(pgIndexes).toEqual(expect.arrayContaining(liteIndexes));
  });
});

/** One row in each append-only table (and what they reference), ids numbered by the database. */
async function seedEvidence(db: Db): Promise<void> {
  const device = await db
    .insertInto('devices')
    .values({ serial: 'MTB-1', model: 'M1', enabled: 1, secret_hash: 'h', created_at: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  expect(device.id).toBe(1);
  const session = await db
    .insertInto('remote_sessions')
    .values({ device_id: device.id, serial: 'MTB-1', queue: 'q', state: 'active', requested_at: 1, requested_by: 'eng' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('remote_session_timeline').values({ session_id: session.id, seq: 1, at: 1, kind: 'note', author: '{}', data: '{}' }).execute();
  await db
    .insertInto('parameter_snapshots')
    .values({
      device_id: device.id,
      hash: 'x',
      size: 2,
      param_count: 0,
      params: '{}',
      model: 'M1',
      reason: 'manual',
      created_by: 'eng',
      created_at: 1,
    })
    .execute();
  await db.insertInto('audit_log').values({ entity_kind: 'rma', entity_id: 1, at: 1, actor: 'eng', action: 'open', reason: 'r' }).execute();
}

const APPEND_ONLY = [
  ['audit_log', 'audit_log is append-only'],
  ['remote_session_timeline', 'remote_session_timeline is append-only'],
  ['parameter_snapshots', 'parameter_snapshots are immutable'],
] as const;

describe.each(DIALECTS)('the append-only tables on %s', (dialect) => {
  it.each(APPEND_ONLY)('%s refuses UPDATE and DELETE with "%s"', async (table, message) => {
    const db = await fresh(dialect);
    await seedEvidence(db);
    await expect(
      sql`update ${sql.table(table)} set ${sql.ref(table === 'remote_session_timeline' ? 'at' : 'id')} = 7`.execute(db),
    ).rejects.toMatchObject({
      message,
    });
    await expect(sql`delete from ${sql.table(table)}`.execute(db)).rejects.toMatchObject({ message });
    const rows = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db);
    expect(rows.rows[0]?.n).toBe(1);
  });
});

it.each(APPEND_ONLY)('on PostgreSQL, %s refuses TRUNCATE, which skips row triggers', async (table, message) => {
  const db = await freshPostgres();
  await seedEvidence(db);
  await expect(sql`truncate ${sql.table(table)} cascade`.execute(db)).rejects.toMatchObject({ message });
});

describe('opening a PostgreSQL database', () => {
  it('opens a database it migrated before without applying anything again', async () => {
    const url = await postgres.createDatabase();
    await (await openPostgres(url)).close();
    const again = await openPostgres(url);
    cleanups.push(() => again.close());
    const applied = await query<{ name: string }>(url, 'select name from kysely_migration');
    expect(applied).toHaveLength(knownMigrations.length);
  });

  it('refuses a database written by a newer version (DATABASE_NEWER), changing nothing', async () => {
    const url = await postgres.createDatabase();
    await (await openPostgres(url)).close();
    await query(url, "insert into kysely_migration (name, timestamp) values ('9999_from_the_future', 'later')");
    const err = await openPostgres(url).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DatabaseRefusedError);
    expect(err).toMatchObject({ code: 'DATABASE_NEWER', message: expect.stringContaining('9999_from_the_future') });
    expect(await query(url, 'select name from kysely_migration')).toHaveLength(knownMigrations.length + 1);
  });

  it('refuses a database holding tables that are not ours (DATABASE_FOREIGN), creating nothing in it', async () => {
    const url = await postgres.createDatabase();
    await query(url, 'create table customers (id integer primary key, name text)');
    const err = await openPostgres(url).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DatabaseRefusedError);
    expect(err).toMatchObject({ code: 'DATABASE_FOREIGN', message: expect.stringContaining('customers') });
    const tables = await query<{ table_name: string }>(url, "select table_name from information_schema.tables where table_schema = 'public'");
    expect(tables.map((t) => t.table_name)).toEqual(['customers']);
  });

  it('answers int8 columns, counts, sums and averages as numbers, as SQLite does', async () => {
    const db = await freshPostgres();
    const later = 1_767_225_600_000; // beyond 32 bits, as every stored time is
    await db.insertInto('devices').values({ serial: 'MTB-1', model: 'M1', enabled: 1, secret_hash: 'h', created_at: later }).execute();
    await db.insertInto('devices').values({ serial: 'MTB-2', model: 'M1', enabled: 1, secret_hash: 'h', created_at: 2 }).execute();
    const row = await db
      .selectFrom('devices')
      .select((eb) => [
        eb.fn.countAll<number>().as('n'),
        eb.fn.sum<number>('created_at').as('total'),
        eb.fn.avg<number>('enabled').as('mean'),
        eb.fn.max('created_at').as('newest'),
      ])
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ n: 2, total: later + 2, mean: 1, newest: later });
  });
});

/** A bare Kysely over the dialect, migrated only as far as `target`. */
async function migratedTo(dialect: Dialect, target: string): Promise<Kysely<Database>> {
  let db: Kysely<Database>;
  if (dialect === 'sqlite') {
    const dir = tempDir('pgschema-0008-');
    cleanups.push(() => dir.remove());
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(path.join(dir.path, 'db.sqlite')) }) });
  } else {
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: await postgres.createDatabase() }) }) });
  }
  cleanups.push(() => db.destroy());
  const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo(target);
  expect(error).toBeUndefined();
  return db;
}

describe.each(DIALECTS)('migration 0009 on %s', (dialect) => {
  it('makes one organisation per registered customer name, its contacts from the first box, and links the boxes', async () => {
    const db = await migratedTo(dialect, '0008_tunnels');
    const box = (serial: string, customer_name: string | null, contact: string | null) => ({
      serial,
      model: 'M1',
      enabled: 1,
      secret_hash: 'h',
      created_at: 1,
      customer_name,
      customer_contacts: contact,
      customer_phone: contact && '138',
      customer_address: contact && 'Pudong',
      business_line: 'water',
    });
    await db
      .insertInto('devices')
      .values([
        box('A-1', 'Acme Water', 'Li'),
        box('A-2', ' ACME WATER ', 'Wang'),
        box('B-1', 'Blue Lake', null),
        box('N-1', null, 'x'),
        box('N-2', '  ', 'y'),
      ])
      .execute();
    const { error } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
    expect(error).toBeUndefined();

    const organisations = await db.selectFrom('organisations').select(['id', 'name', 'business_line', 'contacts']).orderBy('id').execute();
    expect(organisations.map((o) => ({ ...o, contacts: JSON.parse(o.contacts) }))).toEqual([
      { id: 1, name: 'Acme Water', business_line: 'water', contacts: [{ name: 'Li', phone: '138', address: 'Pudong' }] },
      { id: 2, name: 'Blue Lake', business_line: 'water', contacts: [{ name: null, phone: null, address: null }] },
    ]);
    const links = await db.selectFrom('devices').select(['serial', 'organisation_id']).orderBy('serial').execute();
    expect(links).toEqual([
      { serial: 'A-1', organisation_id: 1 },
      { serial: 'A-2', organisation_id: 1 },
      { serial: 'B-1', organisation_id: 2 },
      { serial: 'N-1', organisation_id: null },
      { serial: 'N-2', organisation_id: null },
    ]);
  });
});
