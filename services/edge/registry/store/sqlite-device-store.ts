import { sql, type Selectable, type Updateable } from 'kysely';
import { containsText, type Db, type DeviceTable } from '../../../platform/db/index.ts';
import { earliestStartInWarranty } from '../../../kernel/warranty-period.ts';
import type { Device, NewDevice } from '../domain/device.ts';
import type { DeviceFilter, DeviceRegistry } from '../domain/registry-port.ts';

function toDevice(row: Selectable<DeviceTable>): Device {
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
  };
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
  };
}

/**
 * Every filter in SQL, so LIMIT counts only matching boxes. Lists of ids or serials travel as
 * one JSON parameter (json_each), whatever the fleet size.
 */
function listQuery(db: Db, filter: DeviceFilter) {
  let q = db.selectFrom('devices').selectAll().orderBy('serial');
  if (filter.model) q = q.where('model', '=', filter.model);
  if (filter.customer) q = q.where(containsText('customer_name', filter.customer));
  if (filter.search) {
    const text = filter.search;
    q = q.where((eb) => eb.or(['serial', 'model', 'firmware', 'customer_name'].map((column) => containsText(column, text))));
  }
  if (filter.serials) q = q.where('serial', 'in', sql<string>`(select value from json_each(${JSON.stringify(filter.serials)}))`);
  if (filter.presence) {
    const online = sql<number>`(select value from json_each(${JSON.stringify(filter.presence.onlineIds)}))`;
    q = q.where('id', filter.presence.online ? 'in' : 'not in', online);
  }
  // The warranty starts on the receipt date, else the sale date (boxWarranty's fallback): the
  // filter compares the same start, so it agrees with the status each row shows.
  const start = sql<string | null>`coalesce(receipt_date, sale_date)`;
  if (filter.warranty === 'unknown') q = q.where(start, 'is', null);
  else if (filter.warranty) q = q.where(start, filter.warranty === 'in-warranty' ? '>=' : '<', earliestStartInWarranty(filter.today));
  if (filter.afterSerial !== undefined) q = q.where('serial', '>', filter.afterSerial);
  if (filter.limit !== undefined) q = q.limit(filter.limit);
  return q;
}

export function createSqliteDeviceRegistry(db: Db): DeviceRegistry {
  /** Changes one box's row; answers whether the serial exists. */
  async function update(serial: string, set: Updateable<DeviceTable>): Promise<boolean> {
    const r = await db.updateTable('devices').set(set).where('serial', '=', serial).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
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

  return {
    async create(input, secretHash, now) {
      const row = await db
        .insertInto('devices')
        .values(toRow(input, secretHash, now))
        .onConflict((oc) => oc.column('serial').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!row) return { ok: false, error: { code: 'DEVICE_EXISTS', serial: input.serial } };
      return { ok: true, device: toDevice(row) };
    },

    async createMany(rows, now) {
      return db.transaction().execute(async (trx) => {
        const clash = await existing(
          trx,
          rows.map((r) => r.input.serial),
        );
        if (clash.length > 0) return { ok: false as const, error: { code: 'DEVICE_EXISTS' as const, serials: clash } };
        const devices: Device[] = [];
        for (let i = 0; i < rows.length; i += 200) {
          const inserted = await trx
            .insertInto('devices')
            .values(rows.slice(i, i + 200).map((r) => toRow(r.input, r.secretHash, now)))
            .returningAll()
            .execute();
          devices.push(...inserted.map(toDevice));
        }
        return { ok: true as const, devices };
      });
    },

    async findBySerial(serial) {
      const row = await db.selectFrom('devices').selectAll().where('serial', '=', serial).executeTakeFirst();
      return row ? toDevice(row) : null;
    },

    async findById(id) {
      const row = await db.selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toDevice(row) : null;
    },

    async credentials(serial) {
      const row = await db
        .selectFrom('devices')
        .select(['id', 'serial', 'enabled', 'secret_hash', 'require_certificate'])
        .where('serial', '=', serial)
        .executeTakeFirst();
      if (!row) return null;
      return {
        id: row.id,
        serial: row.serial,
        enabled: row.enabled === 1,
        secretHash: row.secret_hash,
        requireCertificate: row.require_certificate === 1,
      };
    },

    async list(filter) {
      return (await listQuery(db, filter).execute()).map(toDevice);
    },

    setEnabled: (serial, enabled) => update(serial, { enabled: enabled ? 1 : 0 }),
    setRequireCertificate: (serial, required) => update(serial, { require_certificate: required ? 1 : 0 }),
    setSecretHash: (serial, secretHash) => update(serial, { secret_hash: secretHash }),
  };
}
