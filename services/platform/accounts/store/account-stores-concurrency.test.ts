import { describe, expect, it } from 'vitest';
import { databaseEachTest } from '../../../../test/helpers/database-each-test.ts';
import { whileHeld } from '../../../../test/helpers/held-rows.ts';
import { createInvitationStore } from './invitation-store.ts';
import { createUserStore } from './user-store.ts';

/*
 * Two requests on two nodes changing the same accounts at once. On PostgreSQL (the postgres
 * project) a transaction holding the rows makes both requests wait at the same point, then
 * lets them go together; SQLite runs one write transaction at a time, so they queue.
 */

const NOW = Date.parse('2025-06-16T02:00:00Z');
const PASSWORD = 'correct horse battery staple';

const scratch = databaseEachTest();

describe('disabling admins at once', () => {
  it('leaves one enabled admin when two admins disable each other', async () => {
    const users = createUserStore(scratch.db);
    const made = await Promise.all(['ada', 'bob'].map((username) => users.create({ username, password: PASSWORD, role: 'admin' }, NOW)));
    const [ada, bob] = made.map((r) => {
      if (!r.ok) throw new Error('admin not created');
      return r.user;
    });
    const results = await whileHeld(
      scratch.opened,
      (tx) => tx.updateTable('users').set({ enabled: 1 }).where('role', '=', 'admin').execute(),
      2,
      () => [users.disable('bob', ada!.id), users.disable('ada', bob!.id)],
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ ok: false, error: { code: 'LAST_ENABLED_ADMIN' } });
    const enabled = await scratch.db.selectFrom('users').select('username').where('enabled', '=', 1).execute();
    expect(enabled).toHaveLength(1);
  });
});

describe('accepting one invitation twice at once', () => {
  it('makes one account and answers the other acceptance that the invitation was used', async () => {
    const org = await scratch.db
      .insertInto('organisations')
      .values({ name: 'Acme', business_line: null, contacts: '[]', created_at: NOW, updated_at: NOW })
      .returning('id')
      .executeTakeFirstOrThrow();
    const invitations = createInvitationStore(scratch.db);
    const { token } = await invitations.create({ organisationId: org.id, username: 'carol', createdBy: 'admin' }, NOW);
    const results = await whileHeld(
      scratch.opened,
      (tx) => tx.updateTable('invitations').set({ accepted_at: null }).execute(),
      2,
      () => [invitations.accept(token, PASSWORD, NOW + 1), invitations.accept(token, PASSWORD, NOW + 2)],
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toEqual({ ok: false, error: { code: 'INVITATION_INVALID', reason: 'accepted' } });
    const accounts = await scratch.db.selectFrom('users').select('username').execute();
    expect(accounts).toEqual([{ username: 'carol' }]);
  });
});
