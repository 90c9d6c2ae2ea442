import type { Kysely, Migration } from 'kysely';

/** Boxes that must authenticate with a client certificate; a password alone is refused. */
export const deviceCertificatesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('devices')
      .addColumn('require_certificate', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  },
};
