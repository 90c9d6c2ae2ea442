import { randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import { type Db, type InvitationTable, locksRows } from '../../db/index.ts';
import { hashSecret, SCRYPT_COST } from '../../security/index.ts';
import type { InvitationStore } from '../domain/account-ports.ts';
import { type Invitation, INVITATION_TTL_MS, invitationRefusal } from '../domain/invitation.ts';
import { hashToken } from './session-store.ts';

function toInvitation(row: Selectable<InvitationTable>): Invitation {
  return {
    organisationId: row.organisation_id,
    username: row.username,
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    acceptedAt: row.accepted_at === null ? null : Number(row.accepted_at),
  };
}

export function createInvitationStore(db: Db): InvitationStore {
  return {
    async create(input, now) {
      const token = randomBytes(32).toString('base64url');
      const expiresAt = now + INVITATION_TTL_MS;
      await db
        .insertInto('invitations')
        .values({
          token_hash: hashToken(token),
          organisation_id: input.organisationId,
          username: input.username,
          created_by: input.createdBy,
          created_at: now,
          expires_at: expiresAt,
        })
        .execute();
      return { token, expiresAt };
    },

    async find(token) {
      const row = await db.selectFrom('invitations').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst();
      return row ? toInvitation(row) : null;
    },

    async accept(token, password, now) {
      // scrypt before the transaction: SQLite has one writer, and hashing takes a while.
      const passwordHash = await hashSecret(password, SCRYPT_COST.password);
      const tokenHash = hashToken(token);
      return db.transaction().execute(async (tx) => {
        // A second acceptance of the token (another node) waits here and reads it accepted.
        const row = await tx
          .selectFrom('invitations')
          .selectAll()
          .where('token_hash', '=', tokenHash)
          .$if(locksRows(tx), (q) => q.forNoKeyUpdate())
          .executeTakeFirst();
        const invitation = row ? toInvitation(row) : null;
        const refusal = invitationRefusal(invitation, now);
        if (refusal || !invitation) return { ok: false, error: { code: 'INVITATION_INVALID', reason: refusal ?? 'unknown' } };
        const user = await tx
          .insertInto('users')
          .values({
            username: invitation.username,
            password_hash: passwordHash,
            role: 'customer',
            organisation_id: invitation.organisationId,
            enabled: 1,
            created_at: now,
          })
          .onConflict((oc) => oc.column('username').doNothing())
          .returning(['id', 'username', 'created_at'])
          .executeTakeFirst();
        if (!user) return { ok: false, error: { code: 'USER_EXISTS', username: invitation.username } };
        await tx.updateTable('invitations').set({ accepted_at: now, user_id: user.id }).where('token_hash', '=', tokenHash).execute();
        return {
          ok: true,
          user: {
            id: user.id,
            username: user.username,
            role: 'customer',
            enabled: true,
            createdAt: Number(user.created_at),
            organisationId: invitation.organisationId,
          },
        };
      });
    },

    async pending(organisationId, now) {
      const rows = await db
        .selectFrom('invitations')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where('accepted_at', 'is', null)
        .where('expires_at', '>', now)
        .orderBy('created_at', 'desc')
        .execute();
      return rows.map(toInvitation);
    },
  };
}
