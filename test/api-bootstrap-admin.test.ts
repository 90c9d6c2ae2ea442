import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { Logger } from '../services/platform/logger.ts';
import { bootstrapAdmin } from '../services/platform/accounts/bootstrap-admin.ts';
import { startApiFixture, type ApiFixture } from './helpers/http-fixture.ts';

interface Captured {
  logs: Array<{ level: number; msg: string; password?: string }>;
  stderr: string[];
}

function capture(): Captured & { logger: Logger } {
  const logs: Captured['logs'] = [];
  const stderr: string[] = [];
  const logger: Logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  return { logs, stderr, logger };
}

let api: ApiFixture;
beforeEach(async () => {
  api = await startApiFixture();
});
afterEach(() => api.close());

describe('bootstrapAdmin', () => {
  it('creates admin with ADMIN_PASSWORD on an empty database and prints no password', async () => {
    const out = capture();
    const result = await bootstrapAdmin({
      db: api.db,
      adminPassword: 'first-start-password',
      logger: out.logger,
      clock: api.now,
      stderr: (t) => out.stderr.push(t),
    });
    expect(result).toEqual({ created: true, username: 'admin', passwordSource: 'ADMIN_PASSWORD' });
    expect(out.stderr).toEqual([]);
    expect(JSON.stringify(out.logs)).not.toContain('first-start-password');
    const login = await api.login('admin', 'first-start-password');
    expect(login.status).toBe(200);
    expect(((await login.json()) as { user: unknown }).user).toEqual({ username: 'admin', role: 'admin', organisationId: null });
  });

  it('without ADMIN_PASSWORD generates a strong password, prints it once, and it works for login', async () => {
    const out = capture();
    const first = await bootstrapAdmin({
      db: api.db,
      adminPassword: undefined,
      logger: out.logger,
      clock: api.now,
      stderr: (t) => out.stderr.push(t),
    });
    expect(first).toEqual({ created: true, username: 'admin', passwordSource: 'generated' });
    expect(out.stderr).toHaveLength(1);
    const password = /password: (\S+)/.exec(out.stderr[0]!)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const warnings = out.logs.filter((l) => l.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ msg: expect.stringContaining('ADMIN_PASSWORD is not set') });
    expect(JSON.stringify(out.logs)).not.toContain(password);
    expect((await api.login('admin', password!)).status).toBe(200);

    const again = capture();
    const second = await bootstrapAdmin({
      db: api.db,
      adminPassword: undefined,
      logger: again.logger,
      clock: api.now,
      stderr: (t) => again.stderr.push(t),
    });
    expect(second).toEqual({ created: false });
    expect(again.stderr).toEqual([]);
    expect(again.logs).toEqual([]);
    expect(await api.db.selectFrom('users').select('username').execute()).toEqual([{ username: 'admin' }]);
  });

  it('ignores ADMIN_PASSWORD once any account exists, so it cannot reset the admin password', async () => {
    const out = capture();
    await bootstrapAdmin({
      db: api.db,
      adminPassword: 'first-start-password',
      logger: out.logger,
      clock: api.now,
      stderr: (t) => out.stderr.push(t),
    });
    const second = await bootstrapAdmin({
      db: api.db,
      adminPassword: 'a-new-env-password',
      logger: out.logger,
      clock: api.now,
      stderr: (t) => out.stderr.push(t),
    });
    expect(second).toEqual({ created: false });
    expect((await api.login('admin', 'a-new-env-password')).status).toBe(401);
    expect((await api.login('admin', 'first-start-password')).status).toBe(200);
  });

  it('refuses a guessable ADMIN_PASSWORD and creates no account, even when called without the config check', async () => {
    const out = capture();
    await expect(
      bootstrapAdmin({ db: api.db, adminPassword: 'mtbox-admin-2026', logger: out.logger, clock: api.now, stderr: (t) => out.stderr.push(t) }),
    ).rejects.toThrow(/^ADMIN_PASSWORD: too easy to guess/);
    expect(await api.db.selectFrom('users').selectAll().execute()).toEqual([]);
  });
});
