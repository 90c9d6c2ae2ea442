import type { Kysely, Migration } from 'kysely';

/*
 * Indexes the paged lists walk newest first (keyset paging: `id < cursor`, or a (time, id)
 * row value below the cursor). In SQLite an index's entries end in the rowid, so an index on
 * (filter column) is also ordered by id within each value: `state` alone serves "this state,
 * newest first". Lists already served: faults and events by (device_id, ts), snapshots by
 * (device_id, id), RMA tickets by state.
 */
export const listPagingMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createIndex('triage_decisions_device_id').on('triage_decisions').columns(['device_id', 'id']).execute();
    await db.schema.createIndex('remote_cases_state').on('remote_cases').column('state').execute();
    await db.schema.createIndex('fleet_incidents_state').on('fleet_incidents').column('state').execute();
    await db.schema.createIndex('remote_sessions_state').on('remote_sessions').column('state').execute();
    await db.schema.createIndex('platform_tickets_state').on('platform_tickets').column('state').execute();
    // commands.id is text, not the rowid: the tie-break of the (requested_at, id) order is spelled out.
    await db.schema.createIndex('commands_device_requested_id').on('commands').columns(['device_id', 'requested_at', 'id']).execute();
    await db.schema.dropIndex('commands_device_requested').execute();
  },
};
