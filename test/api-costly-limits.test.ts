import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COSTLY_LIMITS } from '../services/platform/http/costly-limits.ts';
import { startTestBackend, type TestBackend } from './helpers/backend.ts';
import { ERROR_MESSAGES } from '../services/platform/http/error-messages.ts';

/*
 * Calls that make the backend or a box work hard (CSV import, backups, restores, live diffs)
 * are limited per account and per address. The clock here stands still unless moved, so
 * buckets refill only when a test says so.
 */

const PASSWORD = 'Vq7#rTz9!mWp2&Lk-tide';

describe('limits on costly calls', () => {
  let backend: TestBackend;
  let now = Date.UTC(2026, 10, 30, 2);
  let admin: Record<string, string>;
  let other: Record<string, string>;
  const serial = 'MTB26LIM00001';

  beforeAll(async () => {
    backend = await startTestBackend({}, { clock: () => now });
    admin = await backend.adminHeaders();
    await backend.app.provision([serial]);
    const created = await fetch(`${backend.api}/users`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench-tech', password: PASSWORD, role: 'technician' }),
    });
    expect(created.status).toBe(201);
    const login = await fetch(`${backend.api}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench-tech', password: PASSWORD }),
    });
    other = { authorization: `Bearer ${((await login.json()) as { token: string }).token}` };
  });
  afterAll(() => backend.stop());

  const backup = (headers: Record<string, string>) =>
    fetch(`${backend.api}/devices/${serial}/backups`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'manual' }),
    });

  it('answers 429 RATE_LIMITED with Retry-After once an account used up its backups, and lets others and later calls through', async () => {
    // The box is offline, so each backup fails fast with 502; it still counts.
    for (let i = 0; i < COSTLY_LIMITS.perAccount.capacity; i++) expect((await backup(admin)).status).toBe(502);
    const limited = await backup(admin);
    expect(limited.status).toBe(429);
    const body = (await limited.json()) as { error: string; details: { retryAfterS: number } };
    expect(body).toEqual({ error: 'RATE_LIMITED', message: ERROR_MESSAGES.RATE_LIMITED.en, details: { retryAfterS: 3 } });
    expect(limited.headers.get('retry-after')).toBe('3');

    // Another account from the same address still gets through.
    expect((await backup(other)).status).toBe(502);
    now += 3_000;
    expect((await backup(admin)).status).toBe(502);
  });

  it('limits the CSV import and the live diff with the same per-account budget', async () => {
    now += 10 * 60_000;
    const statuses: number[] = [];
    for (let i = 0; i < COSTLY_LIMITS.perAccount.capacity + 1; i++) {
      const res = await fetch(`${backend.api}/devices/import`, {
        method: 'POST',
        headers: { ...admin, 'content-type': 'text/csv' },
        body: 'serial,model\n',
      });
      statuses.push(res.status);
    }
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.slice(0, -1).every((s) => s !== 429)).toBe(true);
    const diff = await fetch(`${backend.api}/backups/1/diff/live`, { headers: admin });
    expect(diff.status).toBe(429);
  });
});
