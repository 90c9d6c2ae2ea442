import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/index.ts';
import type { SessionStore } from '../domain/account-ports.ts';
import { Role } from '../../../kernel/roles.ts';
import { Locale, TimeZone } from '../../../kernel/locale.ts';

/** sha256 is enough here: the token is 256 random bits, so there is nothing to brute-force. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function createSessionStore(db: Db, ttlMs: number): SessionStore {
  return {
    async create(userId, now) {
      const token = randomBytes(32).toString('base64url');
      const expiresAt = now + ttlMs;
      // Expired rows are swept at login time: logins are rare, and no timer is needed.
      await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
      await db
        .insertInto('sessions')
        .values({ token_hash: hashToken(token), user_id: userId, created_at: now, expires_at: expiresAt })
        .execute();
      return { token, expiresAt };
    },

    async lookup(token, now) {
      const tokenHash = hashToken(token);
      const row = await db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .select(['users.id', 'users.username', 'users.role', 'users.organisation_id', 'users.locale', 'users.time_zone', 'sessions.expires_at'])
        .where('sessions.token_hash', '=', tokenHash)
        .where('sessions.expires_at', '>', now)
        .where('users.enabled', '=', 1)
        .executeTakeFirst();
      if (!row) return null;
      const role = Role.safeParse(row.role);
      if (!role.success) return null;
      return {
        userId: row.id,
        username: row.username,
        role: role.data,
        organisationId: row.organisation_id,
        expiresAt: Number(row.expires_at),
        // A value an older or newer version wrote that this one does not offer counts as unchosen.
        preferences: { locale: Locale.safeParse(row.locale).data ?? null, timeZone: TimeZone.safeParse(row.time_zone).data ?? null },
        tokenHash,
      };
    },

    async revoke(tokenHash) {
      await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
    },

    async revokeAllOf(userId, exceptTokenHash) {
      let query = db.deleteFrom('sessions').where('user_id', '=', userId);
      if (exceptTokenHash !== undefined) query = query.where('token_hash', '!=', exceptTokenHash);
      const result = await query.executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
