import type { Kysely } from 'kysely';
import { type Database, locksRows } from '../../platform/db/index.ts';

export interface PendingDeadline {
  id: number;
  entityKind: string;
  entityId: number;
  kind: string;
  dueAt: number;
}

/**
 * Replaces the entity's pending deadline of this kind. Called inside the transaction that
 * changed the entity, so the database always holds the deadlines its state implies.
 */
export async function scheduleDeadline(
  db: Kysely<Database>,
  d: { entityKind: string; entityId: number; kind: string; dueAt: number },
  now: number,
): Promise<void> {
  await cancelDeadline(db, d.entityKind, d.entityId, d.kind, now);
  await db
    .insertInto('deadlines')
    .values({ entity_kind: d.entityKind, entity_id: d.entityId, kind: d.kind, due_at: d.dueAt, fired_at: null, cancelled_at: null })
    .execute();
}

export async function cancelDeadline(db: Kysely<Database>, entityKind: string, entityId: number, kind: string, now: number): Promise<void> {
  await db
    .updateTable('deadlines')
    .set({ cancelled_at: now })
    .where('entity_kind', '=', entityKind)
    .where('entity_id', '=', entityId)
    .where('kind', '=', kind)
    .where('fired_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .execute();
}

/**
 * Marks a deadline fired; false when it was already fired or cancelled (fire exactly once).
 * Called in the transaction that runs the deadline's effects: the update's affected rows are
 * the claim. On PostgreSQL, where several nodes' schedulers see the same due rows, the row is
 * first claimed with SKIP LOCKED, so a node leaves one another node is firing rather than
 * queueing behind it (it would then find it fired anyway).
 */
export async function markFired(db: Kysely<Database>, id: number, now: number): Promise<boolean> {
  if (locksRows(db)) {
    const claimed = await db
      .selectFrom('deadlines')
      .select('id')
      .where('id', '=', id)
      .where('fired_at', 'is', null)
      .where('cancelled_at', 'is', null)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!claimed) return false;
  }
  const r = await db
    .updateTable('deadlines')
    .set({ fired_at: now })
    .where('id', '=', id)
    .where('fired_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function dueDeadlines(db: Kysely<Database>, now: number, limit: number): Promise<PendingDeadline[]> {
  const rows = await db
    .selectFrom('deadlines')
    .select(['id', 'entity_kind', 'entity_id', 'kind', 'due_at'])
    .where('fired_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .where('due_at', '<=', now)
    .orderBy('due_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, entityKind: r.entity_kind, entityId: r.entity_id, kind: r.kind, dueAt: Number(r.due_at) }));
}

/** How far ahead a pending deadline counts as due (/metrics `mtbox_deadlines_due`). */
export const DUE_HORIZON_MS = 24 * 3600_000;

/**
 * Pending deadlines (neither fired nor cancelled) by kind: `due` falls due within the next
 * DUE_HORIZON_MS, `overdue` has passed its time without the scheduler firing it yet. One range
 * scan of the deadlines_pending index, cheap enough for every scrape.
 */
export async function deadlineCounts(db: Kysely<Database>, now: number): Promise<Array<{ kind: string; due: number; overdue: number }>> {
  const rows = await db
    .selectFrom('deadlines')
    .select((eb) => [
      'kind',
      eb.fn.sum<number>(eb.case().when('due_at', '<=', now).then(0).else(1).end()).as('due'),
      eb.fn.sum<number>(eb.case().when('due_at', '<=', now).then(1).else(0).end()).as('overdue'),
    ])
    .where('fired_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .where('due_at', '<=', now + DUE_HORIZON_MS)
    .groupBy('kind')
    .execute();
  return rows.map((r) => ({ kind: r.kind, due: Number(r.due), overdue: Number(r.overdue) }));
}
