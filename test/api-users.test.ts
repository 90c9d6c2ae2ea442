import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../services/accounts/domain/roles.ts';
import { startApiFixture, type ApiFixture } from './helpers/http-fixture.ts';

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
    expect(((await login.json()) as { user: unknown }).user).toEqual({ username: 'li.lei', role: 'after-sales' });
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
    expect(await create.json()).toEqual({ error: 'FORBIDDEN', details: { action: 'users:manage', role } });
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
      details: [
        { in: 'body', path: 'password', message: 'password: at least 10 characters' },
        { in: 'body', path: 'role', message: expect.any(String) },
      ],
    });
  });

  it('answers 409 USER_EXISTS for a taken username', async () => {
    const body = { username: 'dup.user', password: 'a long enough password', role: 'engineer' };
    expect((await api.request('POST', '/api/users', { headers: admin, json: body })).status).toBe(201);
    const again = await api.request('POST', '/api/users', { headers: admin, json: body });
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ error: 'USER_EXISTS', details: { username: 'dup.user' } });
  });
});
