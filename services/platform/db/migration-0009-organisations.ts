import { type Kysely, type Migration, sql } from 'kysely';
import { dialectOf, idColumn } from './migration-dialect.ts';

/*
 * Customers: the organisations that own boxes, their portal accounts and invitations, the
 * notifications that need their action and the webhook deliveries that forward them.
 *
 * The registry's free-text customer fields become a link: every distinct customer name
 * becomes an organisation (its contacts and business line taken from its first box) and its
 * boxes point at it. The text columns stay, so what a box's record said is never lost.
 */
export const organisationsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('organisations')
      .addColumn('id', 'integer', idColumn(db))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('business_line', 'text')
      .addColumn('contacts', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    // Names are compared without case: "Acme Water" and "ACME WATER" are one customer.
    await sql`CREATE UNIQUE INDEX organisations_name ON organisations (lower(name))`.execute(db);

    await db.schema
      .alterTable('devices')
      .addColumn('organisation_id', 'integer', (c) => c.references('organisations.id'))
      .execute();
    await db.schema.createIndex('devices_organisation').on('devices').columns(['organisation_id', 'serial']).execute();
    await db.schema
      .alterTable('users')
      .addColumn('organisation_id', 'integer', (c) => c.references('organisations.id'))
      .execute();
    // A BUG Feedback Form comes from a customer; staff-entered reports may name one too.
    await db.schema
      .alterTable('platform_tickets')
      .addColumn('organisation_id', 'integer', (c) => c.references('organisations.id'))
      .execute();
    await db.schema.createIndex('platform_tickets_organisation').on('platform_tickets').column('organisation_id').execute();

    await db.schema
      .createTable('invitations')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('accepted_at', 'bigint')
      .addColumn('user_id', 'integer', (c) => c.references('users.id'))
      .execute();
    await db.schema.createIndex('invitations_organisation').on('invitations').column('organisation_id').execute();

    await db.schema
      .createTable('notifications')
      .addColumn('id', 'integer', idColumn(db))
      .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('subject_kind', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'integer', (c) => c.notNull())
      // One notification per reason: a retried effect or a restart does not notify twice.
      .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('read_at', 'bigint')
      .execute();
    await db.schema.createIndex('notifications_organisation').on('notifications').columns(['organisation_id', 'id']).execute();

    await db.schema
      .createTable('webhooks')
      .addColumn('organisation_id', 'integer', (c) => c.primaryKey().references('organisations.id'))
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('secret', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('id', 'integer', idColumn(db))
      .addColumn('notification_id', 'integer', (c) => c.notNull().references('notifications.id'))
      .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'bigint')
      .addColumn('last_attempt_at', 'bigint')
      .addColumn('last_status', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('delivered_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['state', 'next_attempt_at']).execute();
    await db.schema.createIndex('webhook_deliveries_organisation').on('webhook_deliveries').columns(['organisation_id', 'id']).execute();

    await linkRegisteredCustomers(db);
  },
};

/** The first box's contact fields as a one-element JSON array of contacts, stored as text. */
function firstContacts(db: Kysely<unknown>) {
  return dialectOf(db) === 'postgres'
    ? sql`json_build_array(json_build_object('name', d.customer_contacts, 'phone', d.customer_phone, 'address', d.customer_address))::text`
    : sql`json_array(json_object('name', d.customer_contacts, 'phone', d.customer_phone, 'address', d.customer_address))`;
}

async function linkRegisteredCustomers(db: Kysely<unknown>): Promise<void> {
  const now = Date.now();
  // PostgreSQL types a bare parameter in a select list as text, which a bigint column refuses.
  const at = dialectOf(db) === 'postgres' ? sql`cast(${now} as bigint)` : sql`${now}`;
  await sql`
    INSERT INTO organisations (name, business_line, contacts, created_at, updated_at)
    SELECT trim(d.customer_name), d.business_line,
           ${firstContacts(db)},
           ${at}, ${at}
    FROM devices d
    WHERE d.id IN (
      SELECT min(id) FROM devices
      WHERE customer_name IS NOT NULL AND trim(customer_name) <> ''
      GROUP BY lower(trim(customer_name))
    )`.execute(db);
  await sql`
    UPDATE devices SET organisation_id = (
      SELECT o.id FROM organisations o WHERE lower(o.name) = lower(trim(devices.customer_name))
    )
    WHERE customer_name IS NOT NULL AND trim(customer_name) <> ''`.execute(db);
}
