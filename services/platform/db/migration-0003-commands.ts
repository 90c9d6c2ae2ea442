import { sql, type Kysely, type Migration } from 'kysely';

/** Remote commands: every request, who sent it, and what came back. */
export const commandsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('commands')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('device_id', 'integer', (c) => c.notNull().references('devices.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('args', 'text', (c) => c.notNull())
      .addColumn('requested_by', 'text', (c) => c.notNull())
      .addColumn('session_id', 'integer')
      .addColumn('requested_at', 'bigint', (c) => c.notNull())
      .addColumn('timeout_ms', 'integer', (c) => c.notNull())
      .addColumn('deadline', 'bigint', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'bigint')
      .addColumn('completed_at', 'bigint')
      .addColumn('result', 'text')
      .addColumn('error', 'text')
      .execute();
    await db.schema.createIndex('commands_device_requested').on('commands').columns(['device_id', 'requested_at']).execute();
    // Queued commands are looked up per box when it reconnects, and swept when they expire.
    await db.schema
      .createIndex('commands_queued')
      .on('commands')
      .columns(['device_id', 'deadline'])
      .where(sql.ref('status'), '=', 'queued')
      .execute();
    // At start, commands still marked sent lost their waiter; found without scanning history.
    await db.schema.createIndex('commands_sent').on('commands').column('status').where(sql.ref('status'), '=', 'sent').execute();
  },
};
