import type { Kysely, Migration, MigrationProvider } from 'kysely';
import { afterSalesMigration } from './migration-0002-after-sales.ts';
import { commandsMigration } from './migration-0003-commands.ts';
import { remoteSessionsMigration } from './migration-0004-remote-sessions.ts';
import { parameterBackupsMigration } from './migration-0005-parameter-backups.ts';
import { deviceCertificatesMigration } from './migration-0006-device-certificates.ts';
import { listPagingMigration } from './migration-0007-list-paging.ts';
import { tunnelsMigration } from './migration-0008-tunnels.ts';
import { organisationsMigration } from './migration-0009-organisations.ts';
import { sessionInvitationsMigration } from './migration-0010-session-invitations.ts';
import { userPreferencesMigration } from './migration-0011-user-preferences.ts';
import { decisionReasonValuesMigration } from './migration-0012-decision-reason-values.ts';
import { workOwnersMigration } from './migration-0013-work-owners.ts';
import { calendarOverrideMigration } from './migration-0014-calendar-override.ts';
import { idColumn } from './migration-dialect.ts';

// Migrations are code in the repo, applied in name order at start-up. Column types are the
// portable subset Kysely maps for both SQLite and PostgreSQL; what must be written differently
// (numbered ids, append-only triggers) goes through migration-dialect.ts.
const migrations: Record<string, Migration> = {
  '0001_foundation': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('devices')
        .addColumn('id', 'integer', idColumn(db))
        .addColumn('serial', 'text', (c) => c.notNull().unique())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('firmware', 'text')
        .addColumn('production_date', 'text')
        .addColumn('sale_date', 'text')
        .addColumn('receipt_date', 'text')
        .addColumn('customer_name', 'text')
        .addColumn('customer_contacts', 'text')
        .addColumn('customer_phone', 'text')
        .addColumn('customer_address', 'text')
        .addColumn('business_line', 'text')
        .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('telemetry')
        .addColumn('device_id', 'integer', (c) => c.notNull())
        .addColumn('ts', 'bigint', (c) => c.notNull())
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('metrics', 'text', (c) => c.notNull())
        .execute();
      // The only secondary index on the hot table: queries are always per device and time range.
      await db.schema.createIndex('telemetry_device_ts').on('telemetry').columns(['device_id', 'ts']).execute();

      await db.schema
        .createTable('faults')
        .addColumn('id', 'integer', idColumn(db))
        .addColumn('device_id', 'integer', (c) => c.notNull().references('devices.id'))
        .addColumn('fault_id', 'text', (c) => c.notNull())
        .addColumn('ts', 'bigint', (c) => c.notNull())
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('message', 'text')
        .addColumn('context', 'text')
        .addUniqueConstraint('faults_device_fault_id', ['device_id', 'fault_id'])
        .execute();
      await db.schema.createIndex('faults_device_ts').on('faults').columns(['device_id', 'ts']).execute();

      await db.schema
        .createTable('events')
        .addColumn('id', 'integer', idColumn(db))
        .addColumn('device_id', 'integer', (c) => c.notNull().references('devices.id'))
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('ts', 'bigint', (c) => c.notNull())
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('details', 'text')
        .addUniqueConstraint('events_device_event_id', ['device_id', 'event_id'])
        .execute();
      await db.schema.createIndex('events_device_ts').on('events').columns(['device_id', 'ts']).execute();

      await db.schema
        .createTable('shadows')
        .addColumn('device_id', 'integer', (c) => c.primaryKey().references('devices.id'))
        .addColumn('online', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_seen', 'bigint')
        .addColumn('connected_at', 'bigint')
        .addColumn('disconnected_at', 'bigint')
        .addColumn('address', 'text')
        .addColumn('reported_fw', 'text')
        .addColumn('reported_model', 'text')
        .addColumn('metrics', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('metrics_ts', 'bigint')
        .addColumn('metrics_received_at', 'bigint')
        .addColumn('rejected', 'text', (c) => c.notNull().defaultTo('{}'))
        .execute();

      await db.schema
        .createTable('users')
        .addColumn('id', 'integer', idColumn(db))
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('sessions')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
  '0002_after_sales': afterSalesMigration,
  '0003_commands': commandsMigration,
  '0004_remote_sessions': remoteSessionsMigration,
  '0005_parameter_backups': parameterBackupsMigration,
  '0006_device_certificates': deviceCertificatesMigration,
  '0007_list_paging': listPagingMigration,
  '0008_tunnels': tunnelsMigration,
  '0009_organisations': organisationsMigration,
  '0010_session_invitations': sessionInvitationsMigration,
  '0011_user_preferences': userPreferencesMigration,
  '0012_decision_reason_values': decisionReasonValuesMigration,
  '0013_work_owners': workOwnersMigration,
  '0014_calendar_override': calendarOverrideMigration,
};

/** Every migration this version knows, by name; a database naming others was written by a newer one. */
export const knownMigrations: readonly string[] = Object.keys(migrations);

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
