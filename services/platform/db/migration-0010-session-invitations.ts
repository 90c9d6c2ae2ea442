import type { Kysely, Migration } from 'kysely';

/*
 * A customer link invites the organisation that owned the session's box when the link was
 * created: the portal lists a session to that organisation only, so a box that later passes to
 * another organisation does not carry its old sessions along. Links made before this have none
 * and invite nobody in the portal (they still open the customer page).
 */
export const sessionInvitationsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('remote_session_links')
      .addColumn('organisation_id', 'integer', (c) => c.references('organisations.id'))
      .execute();
    await db.schema.createIndex('remote_session_links_organisation').on('remote_session_links').columns(['organisation_id', 'session_id']).execute();
  },
};
