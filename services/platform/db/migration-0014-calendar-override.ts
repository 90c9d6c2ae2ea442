import type { Kysely, Migration } from 'kysely';

/*
 * The holiday years an admin added, shared by every node on PostgreSQL: one row holding what a
 * single node keeps in its calendar file (the same JSON). A single node on SQLite keeps the
 * file, backed up with its data directory, and leaves this table empty.
 */
export const calendarOverrideMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('calendar_override')
      // Always 1: there is one calendar; a key makes the row lockable and its insert idempotent.
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_by', 'text')
      .execute();
  },
};
