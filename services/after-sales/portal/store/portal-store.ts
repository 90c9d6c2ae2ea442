import type { Selectable } from 'kysely';
import { containsText, type Db, dialectOf, type DeviceTable } from '../../../platform/db/index.ts';
import { Contact } from '../../organisations/index.ts';
import type { PortalBox, PortalStore } from '../domain/portal-ports.ts';

const TERMINAL = ['closed', 'cancelled'];

function toBox(
  r: Pick<Selectable<DeviceTable>, 'id' | 'serial' | 'model' | 'firmware' | 'production_date' | 'sale_date' | 'receipt_date'>,
): PortalBox {
  return {
    id: r.id,
    serial: r.serial,
    model: r.model,
    firmware: r.firmware,
    productionDate: r.production_date,
    saleDate: r.sale_date,
    receiptDate: r.receipt_date,
  };
}

const BOX_COLUMNS = ['id', 'serial', 'model', 'firmware', 'production_date', 'sale_date', 'receipt_date'] as const;

/**
 * The portal's reads over SQLite. Every query carries `devices.organisation_id = ?` (tickets by
 * a join on their box), so the tenant rule is part of the SQL, not a check after the read.
 */
export function createPortalStore(db: Db): PortalStore {
  return {
    async devices(organisationId, { q, afterSerial, limit }) {
      let query = db.selectFrom('devices').select(BOX_COLUMNS).where('organisation_id', '=', organisationId);
      if (q) {
        const dialect = dialectOf(db);
        query = query.where((eb) => eb.or(['serial', 'model', 'firmware'].map((column) => containsText(column, q, dialect))));
      }
      if (afterSerial !== undefined) query = query.where('serial', '>', afterSerial);
      const rows = await query.orderBy('serial').limit(limit).execute();
      return rows.map(toBox);
    },

    async device(organisationId, serial) {
      const row = await db
        .selectFrom('devices')
        .select(BOX_COLUMNS)
        .where('organisation_id', '=', organisationId)
        .where('serial', '=', serial)
        .executeTakeFirst();
      return row ? toBox(row) : null;
    },

    async ticketIds(organisationId, { open, serial, beforeId, limit }) {
      let query = db
        .selectFrom('rma_tickets')
        .innerJoin('devices', 'devices.id', 'rma_tickets.device_id')
        .select('rma_tickets.id')
        .where('devices.organisation_id', '=', organisationId);
      if (open !== undefined) query = query.where('rma_tickets.state', open ? 'not in' : 'in', TERMINAL);
      if (serial !== undefined) query = query.where('devices.serial', '=', serial);
      if (beforeId !== undefined) query = query.where('rma_tickets.id', '<', beforeId);
      const rows = await query.orderBy('rma_tickets.id', 'desc').limit(limit).execute();
      return rows.map((r) => r.id);
    },

    async ownsTicket(organisationId, ticketId) {
      const row = await db
        .selectFrom('rma_tickets')
        .innerJoin('devices', 'devices.id', 'rma_tickets.device_id')
        .select('rma_tickets.id')
        .where('devices.organisation_id', '=', organisationId)
        .where('rma_tickets.id', '=', ticketId)
        .executeTakeFirst();
      return row !== undefined;
    },

    async organisation(organisationId) {
      const row = await db.selectFrom('organisations').select(['name', 'contacts']).where('id', '=', organisationId).executeTakeFirst();
      if (!row) return null;
      const parsed = Contact.array().safeParse(JSON.parse(row.contacts));
      return { name: row.name, contacts: parsed.success ? parsed.data : [] };
    },
  };
}
