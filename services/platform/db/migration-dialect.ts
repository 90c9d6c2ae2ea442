import { type ColumnDefinitionBuilder, type DialectAdapter, type Kysely, PostgresAdapter, SqliteAdapter, sql } from 'kysely';

/*
 * What the migrations write differently on SQLite and PostgreSQL. The SQLite side of each
 * helper emits exactly the statements the migrations wrote before they were shared
 * (test/fixtures/sqlite-schema.sql pins them); only PostgreSQL gets new SQL.
 */

export type SqlDialect = 'sqlite' | 'postgres';

/** The dialect a Kysely instance (or a migration's transaction) speaks, read from its adapter. */
export function dialectOf(db: { getExecutor(): { readonly adapter: DialectAdapter } }): SqlDialect {
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof SqliteAdapter) return 'sqlite';
  if (adapter instanceof PostgresAdapter) return 'postgres';
  throw new Error(`unsupported database adapter ${adapter.constructor.name}`);
}

/**
 * An integer primary key numbered by the database. Kysely's `autoIncrement()` compiles to
 * `auto_increment` on PostgreSQL, a syntax error there; an identity column is its equivalent
 * (and still lets a row be inserted with its id given, as SQLite does).
 */
export function idColumn(db: Kysely<unknown>): (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder {
  return dialectOf(db) === 'postgres' ? (c) => c.generatedByDefaultAsIdentity().primaryKey() : (c) => c.primaryKey().autoIncrement();
}

/** A single-quoted SQL string literal; DDL takes no bound parameters. */
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

// Created once, shared by every append-only table: the table's own message is the trigger's argument.
const POSTGRES_REFUSE_FUNCTION = `CREATE OR REPLACE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%', TG_ARGV[0];
END
$$`;

/**
 * Makes the database itself refuse any UPDATE or DELETE of the table's rows with `message`
 * (and, on PostgreSQL, a TRUNCATE, which skips row triggers): evidence is kept by the
 * database, not just by the absence of an API.
 */
export async function appendOnly(db: Kysely<unknown>, table: string, message: string): Promise<void> {
  if (dialectOf(db) === 'sqlite') {
    for (const [suffix, operation] of [
      ['no_update', 'UPDATE'],
      ['no_delete', 'DELETE'],
    ]) {
      await sql
        .raw(`CREATE TRIGGER ${table}_${suffix} BEFORE ${operation} ON ${table} BEGIN SELECT RAISE(ABORT, ${literal(message)}); END`)
        .execute(db);
    }
    return;
  }
  await sql.raw(POSTGRES_REFUSE_FUNCTION).execute(db);
  await sql
    .raw(`CREATE TRIGGER ${table}_no_change BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_change(${literal(message)})`)
    .execute(db);
  await sql
    .raw(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION refuse_change(${literal(message)})`)
    .execute(db);
}
