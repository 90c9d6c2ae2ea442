import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffRole as Role } from '../services/kernel/roles.ts';
import { PASSWORD, startApiFixture, type ApiFixture } from './helpers/http-fixture.ts';
import { ERROR_MESSAGES } from '../services/platform/http/error-messages.ts';

let api: ApiFixture;
let admin: Record<string, string>;
beforeAll(async () => {
  api = await startApiFixture();
  admin = await api.headersFor('admin');
});
afterAll(() => api.close());

describe('user management', () => {
  it('lets an admin create an account that can then sign in with its role', async () => {
    const res = await api.request('POST', '/api/users', {
      headers: admin,
      json: { username: 'li.lei', password: 'a long enough password', role: 'after-sales' },
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ username: 'li.lei', role: 'after-sales', enabled: true, createdAt: api.now() });

    const login = await api.login('li.lei', 'a long enough password');
    expect(login.status).toBe(200);
    expect(((await login.json()) as { user: unknown }).user).toEqual({ username: 'li.lei', role: 'after-sales', organisationId: null });
  });

  it('lists accounts without their password hashes', async () => {
    const res = await api.request('GET', '/api/users', { headers: admin });
    expect(res.status).toBe(200);
    const { users } = (await res.json()) as { users: Array<Record<string, unknown>> };
    expect(users.map((u) => u.username)).toContain('admin-user');
    for (const u of users) expect(Object.keys(u).sort()).toEqual(['createdAt', 'enabled', 'role', 'username']);
  });

  it.each<Role>(['engineer', 'after-sales', 'technician'])('refuses %s with 403 FORBIDDEN', async (role) => {
    const headers = await api.headersFor(role);
    const create = await api.request('POST', '/api/users', {
      headers,
      json: { username: 'intruder', password: 'a long enough password', role: 'admin' },
    });
    expect(create.status).toBe(403);
    expect(await create.json()).toEqual({ error: 'FORBIDDEN', message: ERROR_MESSAGES.FORBIDDEN.en, details: { action: 'users:manage', role } });
    expect((await api.request('GET', '/api/users', { headers })).status).toBe(403);
  });

  it('answers 400 naming each bad field: a short password and an unknown role', async () => {
    const res = await api.request('POST', '/api/users', {
      headers: admin,
      json: { username: 'wang', password: 'short', role: 'superuser' },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'VALIDATION_FAILED',
      message: ERROR_MESSAGES.VALIDATION_FAILED.en,
      details: [
        { in: 'body', path: 'password', message: 'password: at least 12 characters' },
        { in: 'body', path: 'role', message: expect.any(String) },
      ],
    });
  });

  it('answers 409 USER_EXISTS for a taken username', async () => {
    const body = { username: 'dup.user', password: 'a long enough password', role: 'engineer' };
    expect((await api.request('POST', '/api/users', { headers: admin, json: body })).status).toBe(201);
    const again = await api.request('POST', '/api/users', { headers: admin, json: body });
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ error: 'USER_EXISTS', message: ERROR_MESSAGES.USER_EXISTS.en, details: { username: 'dup.user' } });
  });
});

async function bearer(username: string, password = PASSWORD): Promise<Record<string, string>> {
  const res = await api.login(username, password);
  if (res.status !== 200) throw new Error(`login as ${username} answered ${res.status}`);
  return { authorization: `Bearer ${((await res.json()) as { token: string }).token}` };
}

async function listed(username: string): Promise<Record<string, unknown> | undefined> {
  const { users } = (await (await api.request('GET', '/api/users', { headers: admin })).json()) as { users: Array<Record<string, unknown>> };
  return users.find((u) => u.username === username);
}

describe('password policy on new accounts', () => {
  it.each(['aaaaaaaaaaaa', 'password1234', 'mtbox-admin-2026'])(
    'refuses %s with 400 PASSWORD_TOO_WEAK and zxcvbn feedback, creating nothing',
    async (password) => {
      const res = await api.request('POST', '/api/users', { headers: admin, json: { username: 'weak.one', password, role: 'engineer' } });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: string; details: Record<string, unknown> };
      expect(body).toEqual({
        error: 'PASSWORD_TOO_WEAK',
        message: ERROR_MESSAGES.PASSWORD_TOO_WEAK.en,
        details: { reason: 'guessable', score: expect.any(Number), minScore: 3, warning: expect.any(String), suggestions: expect.any(Array) },
      });
      expect(body.details.score).toBeLessThan(3);
      expect(await listed('weak.one')).toBeUndefined();
    },
  );

  it('refuses a password made of the new username', async () => {
    const res = await api.request('POST', '/api/users', {
      headers: admin,
      json: { username: 'zhao.min', password: 'zhao.min.zhao.min', role: 'engineer' },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('PASSWORD_TOO_WEAK');
  });
});

describe('disabling and enabling accounts', () => {
  it('ends the account at once: its session answers 401 at the next request, it cannot sign in, the list shows it disabled', async () => {
    await api.createUser('dis.one', PASSWORD, 'engineer');
    const headers = await bearer('dis.one');
    expect((await api.request('GET', '/api/auth/me', { headers })).status).toBe(200);

    const res = await api.request('POST', '/api/users/dis.one/disable', { headers: admin });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ username: 'dis.one', role: 'engineer', enabled: false, createdAt: api.now() });

    expect((await api.request('GET', '/api/auth/me', { headers })).status).toBe(401);
    expect(await (await api.login('dis.one', PASSWORD)).json()).toEqual({
      error: 'INVALID_CREDENTIALS',
      message: ERROR_MESSAGES.INVALID_CREDENTIALS.en,
      details: null,
    });
    expect(await listed('dis.one')).toMatchObject({ enabled: false });
    const rows = await api.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .where('users.username', '=', 'dis.one')
      .selectAll()
      .execute();
    expect(rows).toEqual([]);
  });

  it('lets a re-enabled account sign in again, while the sessions it had stay ended', async () => {
    await api.createUser('dis.two', PASSWORD, 'technician');
    const old = await bearer('dis.two');
    expect((await api.request('POST', '/api/users/dis.two/disable', { headers: admin })).status).toBe(200);

    const res = await api.request('POST', '/api/users/dis.two/enable', { headers: admin });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ username: 'dis.two', enabled: true });
    expect((await api.request('GET', '/api/auth/me', { headers: old })).status).toBe(401);
    expect((await api.request('GET', '/api/auth/me', { headers: await bearer('dis.two') })).status).toBe(200);
    expect(await listed('dis.two')).toMatchObject({ enabled: true });
  });

  it('refuses an admin disabling themself with 403 CANNOT_DISABLE_SELF', async () => {
    const res = await api.request('POST', '/api/users/admin-user/disable', { headers: admin });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: 'CANNOT_DISABLE_SELF',
      message: ERROR_MESSAGES.CANNOT_DISABLE_SELF.en,
      details: { username: 'admin-user' },
    });
    expect((await api.request('GET', '/api/auth/me', { headers: admin })).status).toBe(200);
  });

  it('lets one admin disable another while an enabled admin remains', async () => {
    await api.createUser('second.admin', PASSWORD, 'admin');
    const res = await api.request('POST', '/api/users/second.admin/disable', { headers: admin });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ username: 'second.admin', role: 'admin', enabled: false });
  });

  it('answers 404 USER_NOT_FOUND for an unknown account', async () => {
    for (const action of ['disable', 'enable']) {
      const res = await api.request('POST', `/api/users/no.such.user/${action}`, { headers: admin });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: 'USER_NOT_FOUND', message: ERROR_MESSAGES.USER_NOT_FOUND.en, details: { username: 'no.such.user' } });
    }
  });

  it.each<Role>(['engineer', 'after-sales', 'technician'])('refuses %s with 403 FORBIDDEN and leaves the account alone', async (role) => {
    await api.createUser(`target.${role}`, PASSWORD, 'engineer');
    const headers = await api.headersFor(role);
    const disable = await api.request('POST', `/api/users/target.${role}/disable`, { headers });
    expect(disable.status).toBe(403);
    expect(await disable.json()).toEqual({ error: 'FORBIDDEN', message: ERROR_MESSAGES.FORBIDDEN.en, details: { action: 'users:disable', role } });
    const reset = await api.request('POST', `/api/users/target.${role}/password-reset`, {
      headers,
      json: { newPassword: 'ochre lantern vestibule' },
    });
    expect(reset.status).toBe(403);
    expect(await reset.json()).toEqual({
      error: 'FORBIDDEN',
      message: ERROR_MESSAGES.FORBIDDEN.en,
      details: { action: 'users:reset-password', role },
    });
    expect((await api.login(`target.${role}`, PASSWORD)).status).toBe(200);
  });
});

describe('password reset by an admin', () => {
  it('sets the new password: the old one stops working, the new one signs in, every session of the account ends', async () => {
    await api.createUser('forgetful', PASSWORD, 'after-sales');
    const first = await bearer('forgetful');
    const second = await bearer('forgetful');

    const res = await api.request('POST', '/api/users/forgetful/password-reset', {
      headers: admin,
      json: { newPassword: 'ochre lantern vestibule' },
    });
    expect(res.status).toBe(204);

    for (const headers of [first, second]) expect((await api.request('GET', '/api/auth/me', { headers })).status).toBe(401);
    expect((await api.login('forgetful', PASSWORD)).status).toBe(401);
    expect((await api.login('forgetful', 'ochre lantern vestibule')).status).toBe(200);
  });

  it('refuses a guessable new password with 400 PASSWORD_TOO_WEAK and keeps the old one', async () => {
    await api.createUser('reset.weak', PASSWORD, 'engineer');
    const res = await api.request('POST', '/api/users/reset.weak/password-reset', { headers: admin, json: { newPassword: 'password1234' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: 'PASSWORD_TOO_WEAK',
      details: { reason: 'guessable', warning: 'This is similar to a commonly used password.' },
    });
    expect((await api.login('reset.weak', PASSWORD)).status).toBe(200);
  });

  it('refuses an admin resetting their own password (that needs the current one) with 403 CANNOT_RESET_OWN_PASSWORD', async () => {
    const res = await api.request('POST', '/api/users/admin-user/password-reset', {
      headers: admin,
      json: { newPassword: 'ochre lantern vestibule' },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: 'CANNOT_RESET_OWN_PASSWORD',
      message: ERROR_MESSAGES.CANNOT_RESET_OWN_PASSWORD.en,
      details: { username: 'admin-user' },
    });
    expect((await api.login('admin-user', PASSWORD)).status).toBe(200);
  });

  it('answers 404 USER_NOT_FOUND for an unknown account', async () => {
    const res = await api.request('POST', '/api/users/no.such.user/password-reset', {
      headers: admin,
      json: { newPassword: 'ochre lantern vestibule' },
    });
    expect(res.status).toBe(404);
  });
});
