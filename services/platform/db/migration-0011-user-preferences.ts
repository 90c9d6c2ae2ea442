import type { Kysely, Migration } from 'kysely';

/*
 * Each account's language and time zone, chosen in the header's switch and applied at every
 * sign-in on any browser. Null means "not chosen yet": the language then follows the browser
 * and times are shown in China's zone.
 */
export const userPreferencesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('users').addColumn('locale', 'text').execute();
    await db.schema.alterTable('users').addColumn('time_zone', 'text').execute();
  },
};
