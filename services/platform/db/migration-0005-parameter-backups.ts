import type { Kysely, Migration } from 'kysely';
import { appendOnly, idColumn } from './migration-dialect.ts';

/** Parameter backups: immutable snapshots of boxes' parameter sets, and when each box was last read. */
export const parameterBackupsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('parameter_snapshots')
      .addColumn('id', 'integer', idColumn(db))
      .addColumn('device_id', 'integer', (c) => c.notNull().references('devices.id'))
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('size', 'integer', (c) => c.notNull())
      .addColumn('param_count', 'integer', (c) => c.notNull())
      .addColumn('params', 'text', (c) => c.notNull())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('firmware', 'text')
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('ticket_id', 'integer', (c) => c.references('rma_tickets.id'))
      .execute();
    await db.schema.createIndex('parameter_snapshots_device').on('parameter_snapshots').columns(['device_id', 'id']).execute();
    // A snapshot is evidence of what a box held: enforced by the database, not just by the absence of an API.
    await appendOnly(db, 'parameter_snapshots', 'parameter_snapshots are immutable');

    // A read that matched the newest snapshot stores nothing new, so the snapshot's own time
    // cannot say when the box was last backed up; the schedule reads this instead.
    await db.schema
      .createTable('parameter_backup_checks')
      .addColumn('device_id', 'integer', (c) => c.primaryKey().references('devices.id'))
      .addColumn('checked_at', 'bigint', (c) => c.notNull())
      .addColumn('snapshot_id', 'integer', (c) => c.notNull().references('parameter_snapshots.id'))
      .execute();
  },
};
