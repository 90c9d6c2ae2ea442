import type { Kysely, Migration } from 'kysely';

/**
 * PLC tunnels: one row per tunnel a box opened (OPENED), closed with its reason, duration and
 * bytes. The tunnels themselves live in memory; this is what lists them after a restart.
 */
export const tunnelsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('tunnels')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('session_id', 'integer', (c) => c.notNull().references('remote_sessions.id'))
      .addColumn('device_id', 'integer', (c) => c.notNull().references('devices.id'))
      .addColumn('host', 'text', (c) => c.notNull())
      .addColumn('port', 'integer', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('opened_by', 'text', (c) => c.notNull())
      .addColumn('opened_at', 'bigint', (c) => c.notNull())
      .addColumn('closed_at', 'bigint')
      .addColumn('close_reason', 'text')
      .addColumn('bytes_up', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('bytes_down', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.createIndex('tunnels_session').on('tunnels').columns(['session_id', 'opened_at']).execute();
    await db.schema.createIndex('tunnels_state').on('tunnels').column('state').execute();
  },
};
