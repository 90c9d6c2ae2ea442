import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startApiFixture, type ApiFixture } from './helpers/http-fixture.ts';

/*
 * A TLS-terminating reverse proxy on the same host forwards plain HTTP with X-Forwarded-Proto
 * and X-Forwarded-For. The fixture's client is 127.0.0.1, so it plays the proxy.
 */

let behindProxy: ApiFixture;
let direct: ApiFixture;
beforeAll(async () => {
  [behindProxy, direct] = await Promise.all([startApiFixture({ TRUST_PROXY: 'loopback' }), startApiFixture()]);
  await behindProxy.createUser('alice', PASSWORD, 'engineer');
  await direct.createUser('alice', PASSWORD, 'engineer');
});
afterAll(() => Promise.all([behindProxy?.close(), direct?.close()]));

function login(api: ApiFixture, password: string, headers: Record<string, string>): Promise<Response> {
  return api.request('POST', '/api/auth/login', { headers, json: { username: 'alice', password } });
}

describe('TRUST_PROXY', () => {
  it('gives the session cookie Secure when the trusted proxy forwards an HTTPS request', async () => {
    const res = await login(behindProxy, PASSWORD, { 'x-forwarded-proto': 'https' });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
  });

  it('leaves Secure off for a plain HTTP request through the proxy', async () => {
    const res = await login(behindProxy, PASSWORD, { 'x-forwarded-proto': 'http' });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).not.toMatch(/;\s*Secure/i);
  });

  it('is off by default: X-Forwarded-Proto from the client is ignored, no Secure', async () => {
    const res = await login(direct, PASSWORD, { 'x-forwarded-proto': 'https' });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).not.toMatch(/;\s*Secure/i);
  });

  it('counts failed logins per forwarded client address, so one client behind the proxy does not ban another', async () => {
    const attacker = { 'x-forwarded-for': '203.0.113.7' };
    for (let i = 0; i < behindProxy.config.LOGIN_FAILURES_BEFORE_BAN; i++) {
      expect((await login(behindProxy, `wrong guess ${i}`, attacker)).status).toBe(401);
    }
    expect((await login(behindProxy, PASSWORD, attacker)).status).toBe(429);
    expect((await login(behindProxy, PASSWORD, { 'x-forwarded-for': '198.51.100.20' })).status).toBe(200);
  });

  it('is off by default: a forged X-Forwarded-For does not escape a ban on the real address', async () => {
    for (let i = 0; i < direct.config.LOGIN_FAILURES_BEFORE_BAN; i++) {
      expect((await login(direct, `wrong guess ${i}`, { 'x-forwarded-for': '203.0.113.7' })).status).toBe(401);
    }
    expect((await login(direct, PASSWORD, { 'x-forwarded-for': '198.51.100.20' })).status).toBe(429);
  });
});
