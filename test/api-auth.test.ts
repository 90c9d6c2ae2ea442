import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES } from '../services/compose-routes.ts';
import { PASSWORD, startApiFixture, type ApiFixture } from './helpers/http-fixture.ts';
import { ERROR_MESSAGES } from '../services/platform/http/error-messages.ts';

const HOUR_MS = 3_600_000;
const SAMPLE_PARAMS: Record<string, string> = { sn: 'MTB2411000001' };

function samplePath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => SAMPLE_PARAMS[name] ?? 'x');
}

const protectedRoutes = API_ROUTES.filter((r) => r.access !== 'public').map((r) => [r.method.toUpperCase(), r.path] as const);

let api: ApiFixture;
beforeAll(async () => {
  api = await startApiFixture();
  await api.createUser('alice', PASSWORD, 'engineer');
});
afterAll(() => api.close());

describe('without a valid session', () => {
  it.each(protectedRoutes)('%s %s answers 401 UNAUTHENTICATED', async (method, path) => {
    const res = await api.request(method, samplePath(path));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await res.json()).toEqual({ error: 'UNAUTHENTICATED', message: ERROR_MESSAGES.UNAUTHENTICATED.en, details: null });
  });

  it('refuses a made-up bearer token and a malformed Authorization header', async () => {
    const madeUp = await api.request('GET', '/api/devices', { headers: { authorization: `Bearer ${'a'.repeat(43)}` } });
    expect(madeUp.status).toBe(401);
    const basic = await api.request('GET', '/api/devices', { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } });
    expect(basic.status).toBe(401);
  });

  it('keeps health and the API description public', async () => {
    expect((await api.request('GET', '/api/health')).status).toBe(200);
    expect((await api.request('GET', '/api/openapi.json')).status).toBe(200);
  });
});

describe('login', () => {
  it('answers a token, the account and the expiry, and sets an HttpOnly SameSite=Strict cookie', async () => {
    const res = await api.login('alice', PASSWORD);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string };
    expect(body).toEqual({
      token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      user: { username: 'alice', role: 'engineer', organisationId: null },
      expiresAt: api.now() + api.config.SESSION_TTL_H * HOUR_MS,
    });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toContain(`mtbox_session=${body.token}`);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\//);
  });

  it('lets the session cookie alone authenticate a GET', async () => {
    const { token } = (await (await api.login('alice', PASSWORD)).json()) as { token: string };
    const res = await api.request('GET', '/api/auth/me', { headers: { cookie: `theme=dark; mtbox_session=${token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      user: { username: 'alice', role: 'engineer', organisationId: null },
      expiresAt: api.now() + api.config.SESSION_TTL_H * HOUR_MS,
      permissions: [
        'devices:read',
        'aftersales:read',
        'tickets:write',
        'cases:write',
        'incidents:write',
        'platform-tickets:write',
        'commands:send',
        'params:read',
        'params:write',
        'sessions:write',
        'organisations:read',
      ],
      preferences: { locale: null, timeZone: 'Asia/Shanghai', timeZoneChosen: false },
    });
  });

  it('answers the same 401 INVALID_CREDENTIALS for a wrong password and an unknown user', async () => {
    const wrong = await api.login('alice', 'not the password');
    const unknown = await api.login('nobody', 'not the password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: 'INVALID_CREDENTIALS', message: ERROR_MESSAGES.INVALID_CREDENTIALS.en, details: null });
    expect(await unknown.json()).toEqual({ error: 'INVALID_CREDENTIALS', message: ERROR_MESSAGES.INVALID_CREDENTIALS.en, details: null });
  });

  it('refuses a disabled account with the right password, and ends its open sessions', async () => {
    await api.createUser('bob', PASSWORD, 'technician');
    const { token } = (await (await api.login('bob', PASSWORD)).json()) as { token: string };
    await api.db.updateTable('users').set({ enabled: 0 }).where('username', '=', 'bob').execute();
    expect((await api.login('bob', PASSWORD)).status).toBe(401);
    expect((await api.request('GET', '/api/auth/me', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it('answers 400 VALIDATION_FAILED for a login body without a password', async () => {
    const res = await api.request('POST', '/api/auth/login', { json: { username: 'alice' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'VALIDATION_FAILED',
      message: ERROR_MESSAGES.VALIDATION_FAILED.en,
      details: [{ in: 'body', path: 'password', message: expect.any(String) }],
    });
  });
});

describe('sessions', () => {
  it('stops accepting the token after logout and clears the cookie', async () => {
    const { token } = (await (await api.login('alice', PASSWORD)).json()) as { token: string };
    const headers = { authorization: `Bearer ${token}` };
    const out = await api.request('POST', '/api/auth/logout', { headers });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/mtbox_session=;/);
    expect((await api.request('GET', '/api/auth/me', { headers })).status).toBe(401);
  });

  it('stores only a hash of the token', async () => {
    const { token } = (await (await api.login('alice', PASSWORD)).json()) as { token: string };
    const rows = await api.db.selectFrom('sessions').select('token_hash').execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.token_hash)).not.toContain(token);
  });

  it('expires a session SESSION_TTL_H hours after login', async () => {
    const { token } = (await (await api.login('alice', PASSWORD)).json()) as { token: string };
    const headers = { authorization: `Bearer ${token}` };
    api.advance(api.config.SESSION_TTL_H * HOUR_MS - 1);
    expect((await api.request('GET', '/api/auth/me', { headers })).status).toBe(200);
    api.advance(1);
    expect((await api.request('GET', '/api/auth/me', { headers })).status).toBe(401);
  });
});

describe('failed-login throttle', () => {
  it('answers 429 TOO_MANY_ATTEMPTS after 10 failures, even with the right password, until the ban ends', async () => {
    await api.createUser('carol', PASSWORD, 'engineer');
    for (let i = 0; i < api.config.LOGIN_FAILURES_BEFORE_BAN; i++) {
      api.advance(1000);
      expect((await api.login('carol', `wrong guess ${i}`)).status).toBe(401);
    }
    const banned = await api.login('carol', PASSWORD);
    expect(banned.status).toBe(429);
    expect(banned.headers.get('retry-after')).toBe(String(api.config.LOGIN_BAN_S));
    expect(await banned.json()).toEqual({
      error: 'TOO_MANY_ATTEMPTS',
      message: ERROR_MESSAGES.TOO_MANY_ATTEMPTS.en,
      details: { retryAfterS: api.config.LOGIN_BAN_S },
    });

    // Another account from the same address is not locked out.
    expect((await api.login('alice', PASSWORD)).status).toBe(200);

    api.advance(api.config.LOGIN_BAN_S * 1000);
    expect((await api.login('carol', PASSWORD)).status).toBe(200);
  });
});

describe("changing one's own password", () => {
  const NEW_PASSWORD = 'ochre lantern vestibule';

  async function signIn(username: string, password = PASSWORD): Promise<Record<string, string>> {
    const res = await api.login(username, password);
    expect(res.status).toBe(200);
    return { authorization: `Bearer ${((await res.json()) as { token: string }).token}` };
  }

  it('needs the current password, ends the other sessions and keeps this one', async () => {
    await api.createUser('dave', PASSWORD, 'technician');
    const here = await signIn('dave');
    const elsewhere = await signIn('dave');

    const res = await api.request('POST', '/api/auth/password', { headers: here, json: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } });
    expect(res.status).toBe(204);

    expect((await api.request('GET', '/api/auth/me', { headers: here })).status).toBe(200);
    expect((await api.request('GET', '/api/auth/me', { headers: elsewhere })).status).toBe(401);
    expect((await api.login('dave', PASSWORD)).status).toBe(401);
    expect((await api.login('dave', NEW_PASSWORD)).status).toBe(200);
  });

  it('refuses a wrong current password with 403 CURRENT_PASSWORD_INVALID and changes nothing', async () => {
    await api.createUser('erin', PASSWORD, 'engineer');
    const here = await signIn('erin');
    const elsewhere = await signIn('erin');
    const res = await api.request('POST', '/api/auth/password', {
      headers: here,
      json: { currentPassword: 'not the password', newPassword: NEW_PASSWORD },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'CURRENT_PASSWORD_INVALID', message: ERROR_MESSAGES.CURRENT_PASSWORD_INVALID.en, details: null });
    expect((await api.request('GET', '/api/auth/me', { headers: elsewhere })).status).toBe(200);
    expect((await api.login('erin', PASSWORD)).status).toBe(200);
  });

  it('counts wrong current passwords like failed logins, so a borrowed session cannot guess without limit', async () => {
    await api.createUser('frank', PASSWORD, 'engineer');
    const here = await signIn('frank');
    for (let i = 0; i < api.config.LOGIN_FAILURES_BEFORE_BAN; i++) {
      const res = await api.request('POST', '/api/auth/password', {
        headers: here,
        json: { currentPassword: `guess number ${i}`, newPassword: NEW_PASSWORD },
      });
      expect(res.status).toBe(403);
    }
    const banned = await api.request('POST', '/api/auth/password', { headers: here, json: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } });
    expect(banned.status).toBe(429);
    expect((await api.login('frank', PASSWORD)).status).toBe(429);
  });

  it.each(['aaaaaaaaaaaa', 'password1234', 'mtbox-admin-2026'])(
    'refuses the guessable %s with 400 PASSWORD_TOO_WEAK and feedback',
    async (newPassword) => {
      const here = await signIn('alice');
      const res = await api.request('POST', '/api/auth/password', { headers: here, json: { currentPassword: PASSWORD, newPassword } });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: string; details: { reason: string; warning: string | null; suggestions: string[] } };
      expect(body.error).toBe('PASSWORD_TOO_WEAK');
      expect(body.details.reason).toBe('guessable');
      expect([body.details.warning, ...body.details.suggestions].filter(Boolean).length).toBeGreaterThan(0);
      expect((await api.login('alice', PASSWORD)).status).toBe(200);
    },
  );

  it('answers 400 VALIDATION_FAILED for a new password under 12 characters', async () => {
    const here = await signIn('alice');
    const res = await api.request('POST', '/api/auth/password', { headers: here, json: { currentPassword: PASSWORD, newPassword: 'x7#Kq!p2Zr9' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'VALIDATION_FAILED',
      message: ERROR_MESSAGES.VALIDATION_FAILED.en,
      details: [{ in: 'body', path: 'newPassword', message: 'password: at least 12 characters' }],
    });
  });
});
