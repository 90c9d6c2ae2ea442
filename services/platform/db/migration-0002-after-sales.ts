import { sql, type Kysely, type Migration } from 'kysely';
import { appendOnly, idColumn } from './migration-dialect.ts';

/** Fault and event columns triage needs, and the indexes its fact queries use. */
async function triageColumns(db: Kysely<unknown>): Promise<void> {
  // `state` lets a box say a condition cleared itself; `triaged_at` null marks a fault the
  // diagnostics step has not decided yet, so a crash between commit and triage is resumed.
  await db.schema
    .alterTable('faults')
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('raised'))
    .execute();
  await db.schema.alterTable('faults').addColumn('triaged_at', 'bigint').execute();
  await db.schema.alterTable('faults').addColumn('model', 'text').execute();
  await db.schema.alterTable('faults').addColumn('firmware', 'text').execute();
  await db.schema.alterTable('events').addColumn('triaged_at', 'bigint').execute();
  // Triage counts repeats per box and code, and boxes per code, model and firmware, in
  // recent windows; these make both an index range instead of a scan.
  await db.schema.createIndex('faults_device_code_received').on('faults').columns(['device_id', 'code', 'received_at']).execute();
  await db.schema.createIndex('faults_code_model_fw_received').on('faults').columns(['code', 'model', 'firmware', 'received_at']).execute();
  await db.schema.createIndex('faults_untriaged').on('faults').column('triaged_at').where(sql.ref('triaged_at'), 'is', null).execute();
  await db.schema.createIndex('events_untriaged').on('events').column('triaged_at').where(sql.ref('triaged_at'), 'is', null).execute();
}

/** One row per decision, unique per source message. */
async function triageDecisions(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('triage_decisions')
    .addColumn('id', 'integer', idColumn(db))
    .addColumn('device_id', 'integer', (c) => c.notNull().references('devices.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_id', 'integer', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_kind', 'text')
    .addColumn('target_id', 'integer')
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('rules_version', 'text', (c) => c.notNull())
    .addColumn('catalog_version', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('facts', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('triage_decisions_source', ['source', 'source_id'])
    .execute();
  await db.schema.createIndex('triage_decisions_device').on('triage_decisions').columns(['device_id', 'decided_at']).execute();
  await db.schema.createIndex('triage_decisions_target').on('triage_decisions').columns(['target_kind', 'target_id']).execute();
}

async function remoteCases(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('remote_cases')
    .addColumn('id', 'integer', idColumn(db))
    .addColumn('device_id', 'integer', (c) => c.notNull().references('devices.id'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('queue', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'bigint', (c) => c.notNull())
    .addColumn('opened_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('closed_at', 'bigint')
    .addColumn('incident_id', 'integer')
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('remote_cases_device_state').on('remote_cases').columns(['device_id', 'state']).execute();
}

/** Incidents and the boxes that belong to them. */
async function fleetIncidents(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('fleet_incidents')
    .addColumn('id', 'integer', idColumn(db))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('firmware', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('fleet_incidents_key').on('fleet_incidents').columns(['code', 'model', 'firmware', 'state']).execute();
  await db.schema
    .createTable('incident_devices')
    .addColumn('incident_id', 'integer', (c) => c.notNull().references('fleet_incidents.id'))
    .addColumn('device_id', 'integer', (c) => c.notNull().references('devices.id'))
    .addColumn('first_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_devices_pk', ['incident_id', 'device_id'])
    .execute();
}

async function rmaTickets(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rma_tickets')
    .addColumn('id', 'integer', idColumn(db))
    .addColumn('device_id', 'integer', (c) => c.references('devices.id'))
    .addColumn('serial', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('queue', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('incident_id', 'integer')
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rma_tickets_serial_state').on('rma_tickets').columns(['serial', 'state']).execute();
  await db.schema.createIndex('rma_tickets_state').on('rma_tickets').column('state').execute();
}

async function platformTickets(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('platform_tickets')
    .addColumn('id', 'integer', idColumn(db))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();
}

async function deadlines(db: Kysely<unknown>): Promise<void> {
  // The scheduler's index: one row per pending deadline, fired or cancelled exactly once.
  await db.schema
    .createTable('deadlines')
    .addColumn('id', 'integer', idColumn(db))
    .addColumn('entity_kind', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('fired_at', 'bigint')
    .addColumn('cancelled_at', 'bigint')
    .execute();
  await db.schema.createIndex('deadlines_pending').on('deadlines').column('due_at').where(sql.ref('fired_at'), 'is', null).execute();
  await db.schema.createIndex('deadlines_entity').on('deadlines').columns(['entity_kind', 'entity_id', 'kind']).execute();
}

async function repairedParts(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('repaired_parts')
    .addColumn('id', 'integer', idColumn(db))
    .addColumn('device_id', 'integer', (c) => c.notNull().references('devices.id'))
    .addColumn('ticket_id', 'integer', (c) => c.notNull())
    .addColumn('part', 'text', (c) => c.notNull())
    .addColumn('repaired_on', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('repaired_parts_device').on('repaired_parts').column('device_id').execute();
}

async function auditLog(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'integer', idColumn(db))
    .addColumn('entity_kind', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'integer', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('data', 'text')
    .execute();
  await db.schema.createIndex('audit_log_entity').on('audit_log').columns(['entity_kind', 'entity_id', 'id']).execute();
  // Append-only is enforced by the database, not just by the absence of an API.
  await appendOnly(db, 'audit_log', 'audit_log is append-only');
}

/**
 * Diagnostics and after-sales: triage decisions, remote-guidance cases, fleet incidents,
 * RMA and platform tickets, their deadlines and the append-only audit log. Tickets keep
 * their domain object as JSON (`data`) next to the columns the queries filter on.
 */
export const afterSalesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    // In this order: later tables reference earlier ones (incident_devices → fleet_incidents).
    for (const step of [triageColumns, triageDecisions, remoteCases, fleetIncidents, rmaTickets, platformTickets, deadlines, repairedParts, auditLog])
      await step(db);
  },
};
