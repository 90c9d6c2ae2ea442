import type { Kysely } from 'kysely';
import type { WorkingCalendar } from '../calendar/index.ts';
import type { EvidenceType } from '../../contract/payloads.ts';
import { type Database, locksRows } from '../../platform/db/index.ts';
import type { CatalogEntry } from '../diagnostics/index.ts';
import { AppError } from '../../kernel/app-error.ts';
import type { Logger } from '../../platform/logger.ts';
import type { LiveEvent } from '../../remote-support/realtime/index.ts';
import type { BusinessLine } from '../../kernel/business-line.ts';
import { queueFor } from '../support/index.ts';
import { suggestExclusions } from '../warranty/index.ts';
import { computeWarranty } from '../warranty/index.ts';
import { chinaDate } from '../../kernel/warranty-period.ts';
import type { RepairedPartsPort } from './domain/repaired-parts-port.ts';
import type { Actor, ServiceRegistrationForm } from './domain/rma-ticket.ts';
import { openTicket } from './domain/rma-transitions.ts';
import { runRmaEffects } from './rma-effects-runner.ts';
import { countPreviousRepairs, openTicketOfDevice, reserveTicketRow, saveTicket, type StoredTicket, type TicketOrigin } from './store/rma-store.ts';

type Tx = Kysely<Database>;

export interface NewTicketInput {
  serial: string;
  form?: ServiceRegistrationForm | undefined;
  customised?: boolean | undefined;
  repairCycleDays?: number | undefined;
}

// Without a warranty start, evidence from the last 13 months is considered.
const DEFAULT_EVIDENCE_LOOKBACK_MS = 400 * 86_400_000;

async function evidenceOf(tx: Tx, deviceId: number, since: number) {
  const rows = await tx
    .selectFrom('events')
    .select(['event_id', 'type', 'ts'])
    .where('device_id', '=', deviceId)
    .where('ts', '>=', since)
    .orderBy('ts')
    .execute();
  return rows.map((r) => ({ id: r.event_id, type: r.type as EvidenceType, ts: Number(r.ts) }));
}

/**
 * Opens a ticket inside `tx`: the Service Registration Form pre-filled from the registry,
 * the box's evidence since its warranty started turned into suggested exclusions.
 */
export async function openTicketIn(
  tx: Tx,
  env: {
    now: number;
    calendar: WorkingCalendar;
    firstResponseHours?: number | undefined;
    logger: Logger;
    repairedParts: RepairedPartsPort<Tx>;
    onBackupRequested?: ((serial: string, ticketId: number) => void) | undefined;
  },
  input: NewTicketInput,
  opener: Actor | 'diagnostics',
  origin: TicketOrigin,
  fault: { code: string; entry: CatalogEntry | null } | null,
): Promise<{ id: number; live: LiveEvent[]; after: Array<() => void> }> {
  const { now, calendar } = env;
  // One repair at a time per box: a second ticket would split the form, the deadlines and the
  // standby unit between two files. Inside the opening transaction, so two clicks cannot race:
  // on PostgreSQL the box's row is locked (NO KEY UPDATE: rows referencing the box may still
  // be written) until the commit, so a second opening waits and then finds this ticket.
  const device = await tx
    .selectFrom('devices')
    .selectAll()
    .where('serial', '=', input.serial)
    .$if(locksRows(tx), (q) => q.forNoKeyUpdate())
    .executeTakeFirst();
  if (!device) throw new AppError('DEVICE_NOT_FOUND', { serial: input.serial });
  const open = await openTicketOfDevice(tx, device.id);
  if (open) throw new AppError('RMA_ALREADY_OPEN', { serial: device.serial, ticketId: open.id, state: open.state });
  const businessLine = (device.business_line as BusinessLine | null) ?? null;
  const id = await reserveTicketRow(tx, {
    deviceId: device.id,
    serial: device.serial,
    queue: queueFor(businessLine),
    at: now,
    incidentId: origin.incidentId,
  });
  const warranty = computeWarranty(
    { receiptDate: device.receipt_date, saleDate: device.sale_date, repairedParts: await env.repairedParts.list(tx, device.id) },
    chinaDate(now),
  );
  // Seed, Service Registration Form: what the system knows is filled in; the rest after-sales asks.
  const known: ServiceRegistrationForm = {
    ...(device.customer_name ? { customerName: device.customer_name } : {}),
    ...(device.customer_contacts ? { contacts: device.customer_contacts } : {}),
    ...(device.customer_address ? { mailingAddress: device.customer_address } : {}),
    ...(device.customer_phone ? { contactNumber: device.customer_phone } : {}),
    productModel: device.model,
    serialNumber: device.serial,
    inWarranty: warranty.inWarranty,
    previousRepairs: await countPreviousRepairs(tx, device.serial, id),
    ...(fault ? { faultPhenomenon: fault.entry ? `${fault.code}: ${fault.entry.title}` : `${fault.code} (not in the fault catalog)` } : {}),
  };
  const r = openTicket(
    {
      id: String(id),
      serial: device.serial,
      form: { ...known, ...input.form },
      businessLine,
      ...(input.customised !== undefined ? { customised: input.customised } : {}),
      ...(input.repairCycleDays !== undefined ? { repairCycleDays: input.repairCycleDays } : {}),
    },
    { now, calendar, actor: opener, ...(env.firstResponseHours !== undefined ? { firstResponseHours: env.firstResponseHours } : {}) },
  );
  if (!r.ok) throw new AppError(r.error.code, r.error.details);
  const since = warranty.start ? calendar.startOfLocalDay(warranty.start) : now - DEFAULT_EVIDENCE_LOOKBACK_MS;
  const stored: StoredTicket = {
    ticket: r.ticket,
    exclusions: suggestExclusions(await evidenceOf(tx, device.id, since)),
    notes: [],
    notifications: [],
    origin,
    backup: null,
  };
  const ran = await runRmaEffects(tx, id, stored, r.effects, {
    now,
    logger: env.logger,
    ...(env.onBackupRequested ? { onBackupRequested: env.onBackupRequested } : {}),
  });
  await saveTicket(tx, id, ran.stored, now);
  return { id, live: ran.live, after: ran.after };
}
