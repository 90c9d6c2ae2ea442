import type { Selectable } from 'kysely';
import { type Db, lockForWrite } from '../../db/index.ts';
import type { UserTable } from '../../db/index.ts';
import { hashSecret, SCRYPT_COST } from '../../security/index.ts';
import { checkDisable } from '../domain/account-rules.ts';
import type { User, UserWithHash } from '../domain/account.ts';
import type { UserStore } from '../domain/account-ports.ts';
import { Role } from '../../../kernel/roles.ts';

function toUser(row: Selectable<UserTable>): UserWithHash {
  return {
    id: row.id,
    username: row.username,
    // A role the code no longer knows must not grant anything; parse rather than cast.
    role: Role.parse(row.role),
    enabled: row.enabled === 1,
    createdAt: Number(row.created_at),
    organisationId: row.organisation_id,
    passwordHash: row.password_hash,
  };
}

function withoutHash({ passwordHash: _, ...user }: UserWithHash): User {
  return user;
}

export function createUserStore(db: Db): UserStore {
  return {
    async create(input, now) {
      const passwordHash = await hashSecret(input.password, SCRYPT_COST.password);
      const row = await db
        .insertInto('users')
        .values({
          username: input.username,
          password_hash: passwordHash,
          role: input.role,
          organisation_id: input.organisationId ?? null,
          enabled: 1,
          created_at: now,
        })
        .onConflict((oc) => oc.column('username').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!row) return { ok: false, error: { code: 'USER_EXISTS', username: input.username } };
      return { ok: true, user: withoutHash(toUser(row)) };
    },

    async findByUsername(username) {
      const row = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
      return row ? toUser(row) : null;
    },

    async list() {
      const rows = await db.selectFrom('users').selectAll().orderBy('username').execute();
      return rows.map((r) => withoutHash(toUser(r)));
    },

    async setPassword(userId, password) {
      const passwordHash = await hashSecret(password, SCRYPT_COST.password);
      await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
    },

    async setPreferences(userId, { locale, timeZone }) {
      const changes = { ...(locale !== undefined && { locale }), ...(timeZone !== undefined && { time_zone: timeZone }) };
      if (Object.keys(changes).length === 0) return;
      await db.updateTable('users').set(changes).where('id', '=', userId).execute();
    },

    disable(username, actorId) {
      return db.transaction().execute(async (tx) => {
        const row = await tx.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
        if (!row) return { ok: false, error: { code: 'USER_NOT_FOUND', username } };
        // Two admins disabled at once on two nodes must not leave none: the second waits
        // for the first's commit and counts without it.
        await lockForWrite(tx, tx.selectFrom('users').select('id').where('role', '=', 'admin').where('enabled', '=', 1));
        const { n } = await tx
          .selectFrom('users')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('role', '=', 'admin')
          .where('enabled', '=', 1)
          .executeTakeFirstOrThrow();
        const target = toUser(row);
        const verdict = checkDisable({ actorId, target, enabledAdmins: Number(n) });
        if (!verdict.ok) return verdict;
        await tx.updateTable('users').set({ enabled: 0 }).where('id', '=', target.id).execute();
        await tx.deleteFrom('sessions').where('user_id', '=', target.id).execute();
        return { ok: true, user: withoutHash({ ...target, enabled: false }) };
      });
    },

    async enable(username) {
      const row = await db.updateTable('users').set({ enabled: 1 }).where('username', '=', username).returningAll().executeTakeFirst();
      if (!row) return { ok: false, error: { code: 'USER_NOT_FOUND', username } };
      return { ok: true, user: withoutHash(toUser(row)) };
    },

    async count() {
      const { n } = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(n);
    },
  };
}
