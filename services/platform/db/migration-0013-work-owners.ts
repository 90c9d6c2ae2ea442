import type { Kysely, Migration } from 'kysely';

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
  },
};
