import { sql, type Selectable, type Updateable } from 'kysely';
import { containsText, type Db, type DeviceTable, dialectOf } from '../../../platform/db/index.ts';
import { earliestStartInWarranty } from '../../../kernel/warranty-period.ts';
import type { Device, NewDevice } from '../domain/device.ts';
import type { DeviceCredentials, DeviceFilter, DeviceRegistry } from '../domain/registry-port.ts';
import { createCredentialsCache, createUncachedCredentials, type CredentialsSource } from './credentials-cache.ts';
import { jsonIntegers, jsonTexts } from './json-list.ts';
import { organisationExists, organisationName, resolveOrganisations } from './organisation-links.ts';

type DeviceRow = Selectable<DeviceTable> & { organisation_name: string | null };

function toDevice(row: DeviceRow): Device {
  return {
    id: row.id,
    serial: row.serial,
    model: row.model,
    firmware: row.firmware,
    productionDate: row.production_date,
    saleDate: row.sale_date,
    receiptDate: row.receipt_date,
    customer:
      row.customer_name && row.business_line
        ? {
            name: row.customer_name,
            ...(row.customer_contacts ? { contacts: row.customer_contacts } : {}),
            ...(row.customer_phone ? { phone: row.customer_phone } : {}),
            ...(row.customer_address ? { address: row.customer_address } : {}),
            businessLine: row.business_line as NonNullable<Device['customer']>['businessLine'],
          }
        : null,
    enabled: row.enabled === 1,
    requireCertificate: row.require_certificate === 1,
    createdAt: Number(row.created_at),
    organisation: row.organisation_id !== null && row.organisation_name !== null ? { id: row.organisation_id, name: row.organisation_name } : null,
  };
}

/**
 * A box's row with its organisation's name. A subquery rather than a join, so the filters'
 * bare column names (id, created_at, business_line) stay the box's own.
 */
function devicesWithOrganisation(db: Db) {
  return db
    .selectFrom('devices')
    .selectAll()
    .select((eb) =>
      eb
        .selectFrom('organisations')
        .select('organisations.name')
        .whereRef('organisations.id', '=', 'devices.organisation_id')
        .as('organisation_name'),
    );
}

function toRow(input: NewDevice, secretHash: string, now: number) {
  return {
    serial: input.serial,
    model: input.model,
    firmware: input.firmware ?? null,
    production_date: input.productionDate ?? null,
    sale_date: input.saleDate ?? null,
    receipt_date: input.receiptDate ?? null,
    customer_name: input.customer?.name ?? null,
    customer_contacts: input.customer?.contacts ?? null,
    customer_phone: input.customer?.phone ?? null,
    customer_address: input.customer?.address ?? null,
    business_line: input.customer?.businessLine ?? null,
    enabled: 1,
    require_certificate: input.requireCertificate ? 1 : 0,
    secret_hash: secretHash,
    created_at: now,
    organisation_id: input.organisationId ?? null,
  };
}

/**
 * Every filter in SQL, so LIMIT counts only matching boxes. Lists of ids or serials travel as
 * one JSON parameter (json-list.ts), whatever the fleet size.
 */
function listQuery(db: Db, filter: DeviceFilter) {
  const dialect = dialectOf(db);
  let q = devicesWithOrganisation(db).orderBy('serial');
  if (filter.organisationId !== undefined) q = q.where('organisation_id', '=', filter.organisationId);
  if (filter.model) q = q.where('model', '=', filter.model);
  if (filter.customer) q = q.where(containsText('customer_name', filter.customer, dialect));
  if (filter.search) {
    const text = filter.search;
    q = q.where((eb) => eb.or(['serial', 'model', 'firmware', 'customer_name'].map((column) => containsText(column, text, dialect))));
  }
  if (filter.serials) q = q.where('serial', 'in', jsonTexts(db, filter.serials));
  if (filter.presence) q = q.where('id', filter.presence.online ? 'in' : 'not in', jsonIntegers(db, filter.presence.onlineIds));
  // The warranty starts on the receipt date, else the sale date (boxWarranty's fallback): the
  // filter compares the same start, so it agrees with the status each row shows.
  const start = sql<string | null>`coalesce(receipt_date, sale_date)`;
  if (filter.warranty === 'unknown') q = q.where(start, 'is', null);
  else if (filter.warranty) q = q.where(start, filter.warranty === 'in-warranty' ? '>=' : '<', earliestStartInWarranty(filter.today));
  if (filter.afterSerial !== undefined) q = q.where('serial', '>', filter.afterSerial);
  if (filter.limit !== undefined) q = q.limit(filter.limit);
  return q;
}

// Above the fleet sizes measured (10,000 boxes per node): a reconnect storm reads no row twice.
const CACHED_CREDENTIALS = 50_000;

const credentialsQuery = (db: Db) => db.selectFrom('devices').select(['id', 'serial', 'enabled', 'secret_hash', 'require_certificate']);

function toCredentials(row: Pick<Selectable<DeviceTable>, 'id' | 'serial' | 'enabled' | 'secret_hash' | 'require_certificate'>): DeviceCredentials {
  return {
    id: row.id,
    serial: row.serial,
    enabled: row.enabled === 1,
    secretHash: row.secret_hash,
    requireCertificate: row.require_certificate === 1,
  };
}

/**
 * `devices` is written only here (organisation links aside, which CONNECT does not read), so the
 * credentials cache stays true on SQLite, where this process is the only writer.
 */
export function createDeviceRegistry(db: Db): DeviceRegistry {
  const source: CredentialsSource = {
    one: async (serial) => {
      const row = await credentialsQuery(db).where('serial', '=', serial).executeTakeFirst();
      return row ? toCredentials(row) : null;
    },
    all: async (limit) => (await credentialsQuery(db).limit(limit).execute()).map(toCredentials),
  };
  // On PostgreSQL other nodes write `devices` too, which this node's cache would not hear of.
  const cache = dialectOf(db) === 'postgres' ? createUncachedCredentials(source) : createCredentialsCache(source, CACHED_CREDENTIALS);

  /** Changes one box's row; answers whether the serial exists. */
  async function update(serial: string, set: Updateable<DeviceTable>, whileHash?: string): Promise<boolean> {
    cache.forget(serial);
    try {
      let q = db.updateTable('devices').set(set).where('serial', '=', serial);
      if (whileHash !== undefined) q = q.where('secret_hash', '=', whileHash);
      const r = await q.executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    } finally {
      cache.forget(serial);
    }
  }

  return {
    async create(input, secretHash, now) {
      if (input.organisationId !== undefined && !(await organisationExists(db, input.organisationId))) {
        return { ok: false, error: { code: 'ORGANISATION_NOT_FOUND', organisationId: input.organisationId } };
      }
      const row = await db
        .insertInto('devices')
        .values(toRow(input, secretHash, now))
        .onConflict((oc) => oc.column('serial').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!row) return { ok: false, error: { code: 'DEVICE_EXISTS', serial: input.serial } };
      const name = row.organisation_id === null ? null : await organisationName(db, row.organisation_id);
      return { ok: true, device: toDevice({ ...row, organisation_name: name }) };
    },

    createMany: (rows, now) => createMany(db, rows, now),

    async findBySerial(serial) {
      const row = await devicesWithOrganisation(db).where('serial', '=', serial).executeTakeFirst();
      return row ? toDevice(row) : null;
    },

    async findById(id) {
      const row = await devicesWithOrganisation(db).where('id', '=', id).executeTakeFirst();
      return row ? toDevice(row) : null;
    },

    credentials: (serial) => cache.get(serial),

    async serialOf(deviceId) {
      const cached = cache.serialOf(deviceId);
      if (cached !== undefined) return cached;
      const row = await db.selectFrom('devices').select('serial').where('id', '=', deviceId).executeTakeFirst();
      return row?.serial ?? null;
    },

    async list(filter) {
      return (await listQuery(db, filter).execute()).map(toDevice);
    },

    setEnabled: (serial, enabled) => update(serial, { enabled: enabled ? 1 : 0 }),
    setRequireCertificate: (serial, required) => update(serial, { require_certificate: required ? 1 : 0 }),
    setSecretHash: (serial, secretHash) => update(serial, { secret_hash: secretHash }),
    replaceSecretHash: (serial, from, to) => update(serial, { secret_hash: to }, from),

    async setOrganisation(serial, organisationId) {
      if (organisationId !== null && !(await organisationExists(db, organisationId))) return 'ORGANISATION_NOT_FOUND';
      return (await update(serial, { organisation_id: organisationId })) ? 'linked' : 'DEVICE_NOT_FOUND';
    },
  };
}

// Takes the transaction: SQLite has one connection, so a query on `db` inside a
// transaction would wait for the transaction forever.
async function existing(trx: Db, serials: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  // Chunked to stay under SQLite's bound-parameter limit on large imports.
  for (let i = 0; i < serials.length; i += 500) {
    const rows = await trx
      .selectFrom('devices')
      .select('serial')
      .where('serial', 'in', serials.slice(i, i + 500))
      .execute();
    found.push(...rows.map((r) => r.serial));
  }
  return found;
}

/** PostgreSQL's unique_violation (SQLite serialises transactions, so there the check before the insert holds). */
function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === '23505';
}

// Each retry follows a transaction that lost a race, so it finds what the winner committed.
const IMPORT_ATTEMPTS = 3;

/**
 * All or nothing, organisations the rows name included. On PostgreSQL two imports run at once:
 * one that loses the race for a serial or an organisation name is run again, and then answers
 * DEVICE_EXISTS or links to the organisation the other created, as it would have in turn.
 */
async function createMany(db: Db, rows: Parameters<DeviceRegistry['createMany']>[0], now: number) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await createManyOnce(db, rows, now);
    } catch (err) {
      if (attempt >= IMPORT_ATTEMPTS || !isUniqueViolation(err)) throw err;
    }
  }
}

function createManyOnce(db: Db, rows: Parameters<DeviceRegistry['createMany']>[0], now: number) {
  return db.transaction().execute(async (trx) => {
    const clash = await existing(
      trx,
      rows.map((r) => r.input.serial),
    );
    if (clash.length > 0) return { ok: false as const, error: { code: 'DEVICE_EXISTS' as const, serials: clash } };
    const { byName, created } = await resolveOrganisations(
      trx,
      rows.map((r) => r.input),
      now,
    );
    const linked = (input: NewDevice): NewDevice => {
      if (input.organisationId !== undefined) return input;
      const organisation = input.customer ? byName.get(input.customer.name.toLowerCase()) : undefined;
      return organisation ? { ...input, organisationId: organisation.id } : input;
    };
    const names = new Map([...byName.values()].map((o) => [o.id, o.name]));
    const devices: Device[] = [];
    for (let i = 0; i < rows.length; i += 200) {
      const inserted = await trx
        .insertInto('devices')
        .values(rows.slice(i, i + 200).map((r) => toRow(linked(r.input), r.secretHash, now)))
        .returningAll()
        .execute();
      devices.push(...inserted.map((row) => toDevice({ ...row, organisation_name: names.get(row.organisation_id ?? -1) ?? null })));
    }
    return { ok: true as const, devices, organisationsCreated: created };
  });
}
