import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import type { AuditEntry, AuditedEntity, NewAuditEntry } from '../domain/audit-entry.ts';

/**
 * Appends within the caller's transaction, so a transition and its audit line commit
 * together. The table refuses UPDATE and DELETE (triggers in the migration).
 */
export async function appendAudit(db: Kysely<Database>, entry: NewAuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      entity_kind: entry.entityKind,
      entity_id: entry.entityId,
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      from_state: entry.from,
      to_state: entry.to,
      reason: entry.reason,
      data: entry.data === null ? null : JSON.stringify(entry.data),
    })
    .execute();
}

export async function listAudit(db: Kysely<Database>, kind: AuditedEntity, id: number): Promise<AuditEntry[]> {
  const rows = await db.selectFrom('audit_log').selectAll().where('entity_kind', '=', kind).where('entity_id', '=', id).orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    entityKind: r.entity_kind as AuditedEntity,
    entityId: r.entity_id,
    at: Number(r.at),
    actor: r.actor,
    action: r.action,
    from: r.from_state,
    to: r.to_state,
    reason: r.reason,
    data: r.data === null ? null : (JSON.parse(r.data) as Record<string, unknown>),
  }));
}
