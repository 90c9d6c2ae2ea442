import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, connectBox, startTestBackend, type TestBackend } from './helpers/backend.ts';
import { createLogger } from '../services/platform/logger.ts';

// Every log line the backend writes at its most talkative level, captured while the test creates
// and uses every kind of secret: none of them may appear in any line.
const lines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    lines.push(chunk.toString());
    done();
  },
});
const secrets = new Set<string>([ADMIN_PASSWORD]);
let backend: TestBackend;

beforeAll(async () => {
  backend = await startTestBackend({ LOG_LEVEL: 'trace' }, { logDestination: sink });
});
afterAll(() => backend.stop());

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${backend.api}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
}

describe('secrets in the logs', () => {
  it('logs no password, box secret, API token or customer-link token, whatever is done with them', async () => {
    const admin = await backend.adminHeaders();
    secrets.add(admin.authorization!.replace('Bearer ', ''));
    // A wrong password and a wrong box secret are secrets too: a typo of the real one.
    secrets.add('wrong-admin-password-typo');
    expect((await call('POST', '/auth/login', { username: 'admin', password: 'wrong-admin-password-typo' })).status).toBe(401);

    const userPassword = 'a long enough password for li.lei';
    secrets.add(userPassword);
    expect((await call('POST', '/users', { username: 'li.lei', password: userPassword, role: 'engineer' }, admin)).status).toBe(201);
    const login = await call('POST', '/auth/login', { username: 'li.lei', password: userPassword });
    secrets.add(login.body!.token as string);

    const [box] = await backend.app.provision(['MTB2611007001']);
    secrets.add(box!.secret);
    const c = await connectBox(backend.mqttUrl, box!.serial, box!.secret);
    await c.endAsync();
    secrets.add('wrong-box-secret-typo-1234');
    await expect(connectBox(backend.mqttUrl, box!.serial, 'wrong-box-secret-typo-1234')).rejects.toThrow();
    const rotated = await call('POST', `/devices/${box!.serial}/secret`, undefined, admin);
    expect(rotated.status).toBe(200);
    secrets.add(rotated.body!.secret as string);

    const session = await call('POST', '/sessions', { serial: box!.serial }, { authorization: `Bearer ${login.body!.token as string}` });
    expect(session.status).toBe(201);
    const link = await call(
      'POST',
      `/sessions/${session.body!.id as number}/links`,
      { label: 'site electrician' },
      { authorization: `Bearer ${login.body!.token as string}` },
    );
    expect(link.status).toBe(201);
    secrets.add(link.body!.token as string);

    // Logs are written asynchronously by pino only for transports; the sink here is synchronous.
    expect(lines.length).toBeGreaterThan(10);
    for (const secret of secrets) {
      const leaking = lines.filter((l) => l.includes(secret));
      expect(leaking, `a log line holds ${secret.slice(0, 4)}…`).toEqual([]);
    }
  });

  it('redacts secret-named keys wherever code logs them by mistake, at the top and one level down', () => {
    const captured: string[] = [];
    const logger = createLogger(
      'info',
      new Writable({
        write(chunk: Buffer, _enc, done) {
          captured.push(chunk.toString());
          done();
        },
      }),
    );
    logger.info({ password: 'p-1', body: { token: 't-2', secret: 's-3' }, headers: { authorization: 'Bearer a-4', cookie: 'c-5' } }, 'careless');
    expect(captured).toHaveLength(1);
    for (const value of ['p-1', 't-2', 's-3', 'a-4', 'c-5']) expect(captured[0]).not.toContain(value);
    expect(captured[0]).toContain('[redacted]');
  });

  it('gives every API request an id, answered in X-Request-Id and carried by the lines written while handling it', async () => {
    const admin = await backend.adminHeaders();
    expect((await call('POST', '/users', { username: 'han.mei', password: 'another long enough password', role: 'engineer' }, admin)).status).toBe(
      201,
    );
    const res = await fetch(`${backend.api}/users/han.mei/password-reset`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json', 'x-request-id': 'ops-trace-42' },
      body: JSON.stringify({ newPassword: 'a new long enough password for han.mei' }),
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('x-request-id')).toBe('ops-trace-42');
    const mine = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.requestId === 'ops-trace-42');
    expect(mine.map((l) => l.msg)).toEqual(['user password reset', 'request']);
    expect(mine[1]).toMatchObject({ method: 'POST', path: '/api/users/han.mei/password-reset', status: 204 });
    expect(lines.filter((l) => l.includes('a new long enough password for han.mei'))).toEqual([]);
    // An id that is not a plain token is replaced, not written into the logs.
    for (const odd of ['x'.repeat(200), '<script>', 'a b']) {
      const other = await fetch(`${backend.api}/auth/me`, { headers: { ...admin, 'x-request-id': odd } });
      expect(other.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
