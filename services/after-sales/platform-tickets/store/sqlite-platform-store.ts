import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../platform/db/index.ts';
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

export interface PlatformTicketRow {
  id: number;
  stored: StoredPlatformTicket;
  updatedAt: number;
}

/** Reserves the row (and so the id) before the domain opens the ticket with it. */
export async function reservePlatformRow(db: Tx, at: number): Promise<number> {
  const res = await db
    .insertInto('platform_tickets')
    .values({ state: 'submitted', opened_at: at, updated_at: at, data: '{}' })
    .executeTakeFirstOrThrow();
  return Number(res.insertId);
}

export async function savePlatformTicket(db: Tx, id: number, stored: StoredPlatformTicket, at: number): Promise<void> {
  await db
    .updateTable('platform_tickets')
    .set({ state: stored.ticket.state, updated_at: at, data: JSON.stringify(stored) })
    .where('id', '=', id)
    .execute();
}

function toRow(r: { id: number; data: string; updated_at: number }): PlatformTicketRow {
  return { id: r.id, stored: StoredPlatformTicket.parse(JSON.parse(r.data)), updatedAt: Number(r.updated_at) };
}

export async function loadPlatformTicket(db: Tx, id: number): Promise<PlatformTicketRow | null> {
  const r = await db.selectFrom('platform_tickets').select(['id', 'data', 'updated_at']).where('id', '=', id).executeTakeFirst();
  return r ? toRow(r) : null;
}

/** Newest first; `beforeId` continues a page. */
export async function listPlatformRows(db: Tx, filter: { state?: string; beforeId?: number; limit: number }): Promise<PlatformTicketRow[]> {
  let q = db.selectFrom('platform_tickets').select(['id', 'data', 'updated_at']);
  if (filter.state) q = q.where('state', '=', filter.state);
  if (filter.beforeId !== undefined) q = q.where('id', '<', filter.beforeId);
  const rows = await q.orderBy('id', 'desc').limit(filter.limit).execute();
  return rows.map(toRow);
}
