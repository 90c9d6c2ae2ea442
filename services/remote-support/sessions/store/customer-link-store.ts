import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/index.ts';
import type { StoredLink } from '../domain/customer-link.ts';

type Tx = Kysely<Database>;

export interface LinkRow extends StoredLink {
  label: string | null;
}

export async function insertLink(
  db: Tx,
  l: { sessionId: number; tokenHash: string; label: string | null; createdAt: number; createdBy: string; expiresAt: number },
): Promise<number> {
  // The link invites the organisation that owns the session's box now (migration 0010).
  const owner = await db
    .selectFrom('remote_sessions as s')
    .innerJoin('devices as d', 'd.id', 's.device_id')
    .select('d.organisation_id')
    .where('s.id', '=', l.sessionId)
    .executeTakeFirst();
  const r = await db
    .insertInto('remote_session_links')
    .values({
      organisation_id: owner?.organisation_id ?? null,
      session_id: l.sessionId,
      token_hash: l.tokenHash,
      label: l.label,
      created_at: l.createdAt,
      created_by: l.createdBy,
      expires_at: l.expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function findLink(db: Tx, by: { tokenHash: string } | { id: number }): Promise<LinkRow | null> {
  const q = db.selectFrom('remote_session_links').selectAll();
  const r = await ('id' in by ? q.where('id', '=', by.id) : q.where('token_hash', '=', by.tokenHash)).executeTakeFirst();
  if (!r) return null;
  return {
    id: r.id,
    sessionId: r.session_id,
    label: r.label,
    expiresAt: Number(r.expires_at),
    redeemedAt: r.redeemed_at === null ? null : Number(r.redeemed_at),
    holderHash: r.holder_hash,
  };
}

/** Redeems the link for one holder; false when another browser redeemed it first. */
export async function redeemLink(db: Tx, id: number, holderHash: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('remote_session_links')
    .set({ redeemed_at: now, holder_hash: holderHash })
    .where('id', '=', id)
    .where('redeemed_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
