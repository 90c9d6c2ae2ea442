import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MONDAY_10_CST, startSessionFixture, type Account, type SessionFixture } from './helpers/session-fixture.ts';

/*
 * The customer link's url names the origin the engineer's request came to. Behind the
 * reverse proxy TRUST_PROXY names (the fixture's client, 127.0.0.1, plays it), that is the
 * proxy's forwarded scheme and host; without it, forwarded headers are the client's word and
 * are ignored.
 */

let behindProxy: SessionFixture;
let direct: SessionFixture;
beforeAll(async () => {
  [behindProxy, direct] = await Promise.all([startSessionFixture(MONDAY_10_CST, { TRUST_PROXY: 'loopback' }), startSessionFixture()]);
});
afterAll(() => Promise.all([behindProxy?.close(), direct?.close()]));

async function linkUrl(fixture: SessionFixture, forwarded: Record<string, string>): Promise<URL> {
  const engineer: Account = await fixture.account('engineer');
  const { serial } = await fixture.register();
  const session = await fixture.api<{ id: number }>('POST', '/sessions', engineer.headers, { serial });
  const link = await fixture.api<{ url: string; token: string }>(
    'POST',
    `/sessions/${session.body.id}/links`,
    { ...engineer.headers, ...forwarded },
    {},
  );
  expect(link.status).toBe(201);
  const url = new URL(link.body.url);
  expect(url.pathname).toBe('/customer.html');
  expect(new URLSearchParams(url.hash.slice(1)).get('link')).toBe(link.body.token);
  return url;
}

describe('the customer link url', () => {
  it("uses the trusted proxy's forwarded scheme and host", async () => {
    const url = await linkUrl(behindProxy, { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'care.example.com' });
    expect(url.origin).toBe('https://care.example.com');
  });

  it('ignores forwarded headers when no proxy is trusted', async () => {
    const url = await linkUrl(direct, { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' });
    expect(url.origin).toBe(`http://127.0.0.1:${direct.backend.app.httpPort}`);
  });
});
