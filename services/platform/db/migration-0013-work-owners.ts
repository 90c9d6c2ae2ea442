import { type Kysely, type Migration, sql } from 'kysely';

/*
 * Which node holds the live part of a row: the waiter of a sent command, the relay of an open
 * tunnel, the connection of a participant in a room. A node that starts while others run
 * recovers only rows of nodes that are gone; null is a single node (or a row from before).
 */
export const workOwnersMigration: Migration = {
  async up(db: Kysely<unknown>) {
    for (const table of ['commands', 'tunnels', 'remote_session_participants']) {
      await db.schema.alterTable(table).addColumn('node_id', 'text').execute();
    }
    // Each node's sweep asks every few seconds which nodes hold live work: only the live rows
    // are read (sent commands have their partial index since 0003).
    await db.schema.createIndex('tunnels_live_owner').on('tunnels').column('node_id').where(sql.ref('state'), '!=', 'closed').execute();
    await db.schema
      .createIndex('remote_session_participants_live_owner')
      .on('remote_session_participants')
      .column('node_id')
      .where(sql.ref('left_at'), 'is', null)
      .execute();
  },
};
