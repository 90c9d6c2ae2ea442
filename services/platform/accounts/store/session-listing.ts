import type { Db } from '../../db/index.ts';

/** A login session as an operator sees it: never the token, and only a prefix of its hash. */
export interface SessionListing {
  /** The first 12 hex digits of the token's sha256: enough to tell sessions apart, useless to sign in. */
  id: string;
  username: string;
  createdAt: number;
  expiresAt: number;
}

export const SESSION_ID_LENGTH = 12;

/** Sessions not yet expired at `now`, of one account or all, oldest first. */
export async function listSessions(db: Db, filter: { userId?: number; now: number }): Promise<SessionListing[]> {
  let q = db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.token_hash', 'users.username', 'sessions.created_at', 'sessions.expires_at'])
    .where('sessions.expires_at', '>', filter.now);
  if (filter.userId !== undefined) q = q.where('sessions.user_id', '=', filter.userId);
  const rows = await q.orderBy('sessions.created_at').orderBy('users.username').execute();
  return rows.map((r) => ({
    id: r.token_hash.slice(0, SESSION_ID_LENGTH),
    username: r.username,
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
  }));
}

/** Ends every login session of every account; answers how many. */
export async function revokeEverySession(db: Db): Promise<number> {
  const result = await db.deleteFrom('sessions').executeTakeFirst();
  return Number(result.numDeletedRows);
}
