import { sql, type Kysely } from 'kysely';
import { type Database, dialectOf, locksRows } from '../../../platform/db/index.ts';
import { ExclusionFinding } from '../../warranty/index.ts';
import { z } from 'zod';
import { RmaTicket, TERMINAL_STATES } from '../domain/rma-ticket.ts';

type Tx = Kysely<Database>;

export const TicketNote = z.object({ at: z.number().int(), by: z.string(), text: z.string() });
export type TicketNote = z.infer<typeof TicketNote>;

export const TicketNotification = z.object({
  at: z.number().int(),
  audience: z.string(),
  topic: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export type TicketNotification = z.infer<typeof TicketNotification>;

/** Where a ticket came from: a phone call, a triage decision, an escalated remote case. */
export const TicketOrigin = z.object({
  kind: z.enum(['manual', 'diagnostics', 'case']),
  code: z.string().nullable(),
  reason: z.string().nullable(),
  caseId: z.number().int().nullable(),
  incidentId: z.number().int().nullable(),
});
export type TicketOrigin = z.infer<typeof TicketOrigin>;

/** Everything stored for one RMA ticket: the domain object plus the after-sales record around it. */
export const StoredTicket = z.object({
  ticket: RmaTicket,
  exclusions: z.array(ExclusionFinding),
  notes: z.array(TicketNote),
  notifications: z.array(TicketNotification),
  origin: TicketOrigin,
  /** Parameter backup status, set when the ticket asks for one before the box ships. */
  backup: z.object({ requestedAt: z.number().int(), snapshotId: z.number().int().nullable() }).nullable(),
});
export type StoredTicket = z.infer<typeof StoredTicket>;

export interface TicketRow {
  id: number;
  deviceId: number | null;
  queue: string;
  stored: StoredTicket;
  updatedAt: number;
}

const ROW_COLUMNS = ['id', 'device_id', 'queue', 'data', 'updated_at'] as const;

function toRow(r: { id: number; device_id: number | null; queue: string; data: string; updated_at: number }): TicketRow {
  return { id: r.id, deviceId: r.device_id, queue: r.queue, stored: StoredTicket.parse(JSON.parse(r.data)), updatedAt: Number(r.updated_at) };
}

/** Reserves the row (and so the id) before the domain opens the ticket with it. */
export async function reserveTicketRow(
  db: Tx,
  r: { deviceId: number | null; serial: string; queue: string; at: number; incidentId: number | null },
): Promise<number> {
  const res = await db
    .insertInto('rma_tickets')
    .values({
      device_id: r.deviceId,
      serial: r.serial,
      state: 'registered',
      queue: r.queue,
      opened_at: r.at,
      updated_at: r.at,
      incident_id: r.incidentId,
      data: '{}',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return res.id;
}

export async function saveTicket(db: Tx, id: number, stored: StoredTicket, at: number): Promise<void> {
  await db
    .updateTable('rma_tickets')
    .set({ state: stored.ticket.state, updated_at: at, incident_id: stored.origin.incidentId, data: JSON.stringify(stored) })
    .where('id', '=', id)
    .execute();
}

export async function loadTicket(db: Tx, id: number): Promise<TicketRow | null> {
  const r = await db.selectFrom('rma_tickets').select(ROW_COLUMNS).where('id', '=', id).executeTakeFirst();
  return r ? toRow(r) : null;
}

/**
 * The ticket a transaction is about to change and save back: on PostgreSQL its row stays
 * locked until the commit, so a concurrent change waits and then decides on what this one wrote.
 */
export async function loadTicketForUpdate(tx: Tx, id: number): Promise<TicketRow | null> {
  const r = await tx
    .selectFrom('rma_tickets')
    .select(ROW_COLUMNS)
    .where('id', '=', id)
    .$if(locksRows(tx), (q) => q.forUpdate())
    .executeTakeFirst();
  return r ? toRow(r) : null;
}

/** Newest first (by id); `beforeId` pages on from the last ticket of the page before; `open` splits off closed and cancelled ones. */
export async function listTicketRows(
  db: Tx,
  filter: { serial?: string; state?: string; queue?: string; open?: boolean; beforeId?: number; limit: number },
): Promise<TicketRow[]> {
  let q = db.selectFrom('rma_tickets').select(ROW_COLUMNS);
  if (filter.serial) q = q.where('serial', '=', filter.serial);
  if (filter.state) q = q.where('state', '=', filter.state);
  if (filter.queue) q = q.where('queue', '=', filter.queue);
  if (filter.open !== undefined) q = q.where('state', filter.open ? 'not in' : 'in', TERMINAL_STATES);
  if (filter.beforeId !== undefined) q = q.where('id', '<', filter.beforeId);
  const rows = await q.orderBy('id', 'desc').limit(filter.limit).execute();
  return rows.map(toRow);
}

/**
 * Repairs this box went through before, for the registration form's "number of previous
 * repairs": tickets on which it was actually repaired, not ones cancelled or returned unrepaired.
 */
export async function countPreviousRepairs(db: Tx, serial: string, excludeId: number): Promise<number> {
  const r = await db
    .selectFrom('rma_tickets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('serial', '=', serial)
    .where('id', '!=', excludeId)
    .where(
      dialectOf(db) === 'postgres' ? sql`data::jsonb -> 'ticket' ->> 'repairedAt'` : sql`json_extract(data, '$.ticket.repairedAt')`,
      'is not',
      null,
    )
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The box's ticket that is neither closed nor cancelled, if any (a box has at most one). */
export async function openTicketOfDevice(db: Tx, deviceId: number): Promise<{ id: number; state: string } | null> {
  const row = await db
    .selectFrom('rma_tickets')
    .select(['id', 'state'])
    .where('device_id', '=', deviceId)
    .where('state', 'not in', TERMINAL_STATES)
    .executeTakeFirst();
  return row ?? null;
}
