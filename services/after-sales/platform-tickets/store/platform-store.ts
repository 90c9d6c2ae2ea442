import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Tenant } from '../../../kernel/tenant.ts';
import { type Database, locksRows } from '../../../platform/db/index.ts';
import { PlatformTicket } from '../domain/platform-ticket.ts';

type Tx = Kysely<Database>;

/** A message the workflow raised, e.g. the customer told a repair is scheduled, or staff that it is late. */
export const PlatformNotification = z.object({
  at: z.number().int(),
  audience: z.enum(['customer', 'after-sales', 'engineer']),
  topic: z.enum(['confirmed', 'out-of-scope', 'repair-scheduled', 'resolved', 'repair-overdue']),
  details: z.record(z.string(), z.unknown()),
});
export type PlatformNotification = z.infer<typeof PlatformNotification>;

/** Everything stored for one platform ticket: the domain object and the messages it raised. */
export const StoredPlatformTicket = z.object({
  ticket: PlatformTicket,
  notifications: z.array(PlatformNotification),
});
export type StoredPlatformTicket = z.infer<typeof StoredPlatformTicket>;

/** The customer organisation a ticket belongs to, null when staff entered it for nobody in particular. */
export const PlatformOrganisation = z.object({ id: z.number().int(), name: z.string() });
export type PlatformOrganisation = z.infer<typeof PlatformOrganisation>;

export interface PlatformTicketRow {
  id: number;
  stored: StoredPlatformTicket;
  updatedAt: number;
  organisation: PlatformOrganisation | null;
}

/**
 * Reserves the row (and so the id) before the domain opens the ticket with it; a customer's
 * ticket belongs to their organisation from its first write.
 */
export async function reservePlatformRow(db: Tx, at: number, organisationId: number | null = null): Promise<number> {
  const res = await db
    .insertInto('platform_tickets')
    .values({ state: 'submitted', opened_at: at, updated_at: at, data: '{}', organisation_id: organisationId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return res.id;
}

export async function savePlatformTicket(db: Tx, id: number, stored: StoredPlatformTicket, at: number): Promise<void> {
  await db
    .updateTable('platform_tickets')
    .set({ state: stored.ticket.state, updated_at: at, data: JSON.stringify(stored) })
    .where('id', '=', id)
    .execute();
}

function toRow(r: { id: number; data: string; updated_at: number; org_id: number | null; org_name: string | null }): PlatformTicketRow {
  return {
    id: r.id,
    stored: StoredPlatformTicket.parse(JSON.parse(r.data)),
    updatedAt: Number(r.updated_at),
    organisation: r.org_id !== null && r.org_name !== null ? { id: r.org_id, name: r.org_name } : null,
  };
}

/**
 * The tickets a tenant may read, with their organisation's name. A customer's tenant filters
 * in the query itself (kernel/tenant.ts), so another organisation's row is never read.
 */
function ticketsOf(db: Tx, tenant: Tenant) {
  const q = db
    .selectFrom('platform_tickets as t')
    .leftJoin('organisations as o', 'o.id', 't.organisation_id')
    .select(['t.id', 't.data', 't.updated_at', 'o.id as org_id', 'o.name as org_name']);
  return tenant.kind === 'vendor' ? q : q.where('t.organisation_id', '=', tenant.organisationId);
}

export async function loadPlatformTicket(db: Tx, id: number, tenant: Tenant = { kind: 'vendor' }): Promise<PlatformTicketRow | null> {
  const r = await ticketsOf(db, tenant).where('t.id', '=', id).executeTakeFirst();
  return r ? toRow(r) : null;
}

/**
 * The ticket a transaction is about to change and save back: on PostgreSQL its row (not its
 * organisation's) stays locked until the commit, so a concurrent change waits and then
 * decides on what this one wrote.
 */
export async function loadPlatformTicketForUpdate(tx: Tx, id: number, tenant: Tenant = { kind: 'vendor' }): Promise<PlatformTicketRow | null> {
  const r = await ticketsOf(tx, tenant)
    .where('t.id', '=', id)
    .$if(locksRows(tx), (q) => q.forUpdate('t'))
    .executeTakeFirst();
  return r ? toRow(r) : null;
}

/** Newest first; `beforeId` continues a page. */
export async function listPlatformRows(
  db: Tx,
  filter: { state?: string; beforeId?: number; limit: number },
  tenant: Tenant = { kind: 'vendor' },
): Promise<PlatformTicketRow[]> {
  let q = ticketsOf(db, tenant);
  if (filter.state) q = q.where('t.state', '=', filter.state);
  if (filter.beforeId !== undefined) q = q.where('t.id', '<', filter.beforeId);
  const rows = await q.orderBy('t.id', 'desc').limit(filter.limit).execute();
  return rows.map(toRow);
}

/** What an organisation's BUG Feedback Form starts from: its name and its first contact. */
export async function organisationForForm(db: Tx, organisationId: number): Promise<{ name: string; contacts: string } | null> {
  const r = await db.selectFrom('organisations').select(['name', 'contacts']).where('id', '=', organisationId).executeTakeFirst();
  return r ?? null;
}
