import type { Kysely, Migration } from 'kysely';

/*
 * The values a triage decision's reason was filled with (JSON), so the reason can be said in
 * the reader's language from the rule's template. `reason` keeps the English as it was said;
 * decisions stored before this column have only that.
 */
export const decisionReasonValuesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('triage_decisions').addColumn('reason_values', 'text').execute();
  },
};
