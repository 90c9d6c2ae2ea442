import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { launchChromium } from './helpers/chromium.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestBackend, type TestBackend } from './helpers/backend.ts';
import { waitFor } from './helpers/wait-for.ts';
import { ERROR_MESSAGES } from '../services/platform/http/error-messages.ts';

/*
 * Cross-site request forgery from "same-site" origins: a page on another port of the same
 * host, or on a sibling subdomain, gets the SameSite=Strict cookie attached to its fetch().
 * Unsafe requests authenticated by the cookie must come from the backend's own origin.
 */

const SERIAL = 'MTB26CSR00001';

describe('cross-site protection of cookie-authenticated changes', () => {
  let backend: TestBackend;
  let own: string;
  let cookie: string;

  beforeAll(async () => {
    backend = await startTestBackend({ ALLOWED_ORIGINS: 'https://ops.example.com' });
    own = `http://127.0.0.1:${backend.app.httpPort}`;
    await backend.app.provision([SERIAL]);
    // A login without Origin and without a cookie is what a script does: admitted.
    const res = await fetch(`${backend.api}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    expect(res.status).toBe(200);
    cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  });
  afterAll(() => backend.stop());

  const secretHash = async () => (await backend.app.registry.credentials(SERIAL))!.secretHash;
  const rotate = (extra: Record<string, string>) =>
    fetch(`${backend.api}/devices/${SERIAL}/secret`, { method: 'POST', headers: { cookie, ...extra } });

  it.each([
    ['another port of the same host', () => `http://127.0.0.1:${backend.app.httpPort + 1}`],
    ['a sibling subdomain', () => `http://evil.localhost:${backend.app.httpPort}`],
    ['another scheme and host', () => 'https://attacker.example'],
  ])('refuses a cookie POST from %s and changes nothing', async (_name, origin) => {
    const before = await secretHash();
    const res = await rotate({ origin: origin() });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'CROSS_SITE_REQUEST', message: ERROR_MESSAGES.CROSS_SITE_REQUEST.en, details: { origin: origin() } });
    expect(await secretHash()).toBe(before);
  });

  it('refuses a cookie POST that carries no origin information at all', async () => {
    const before = await secretHash();
    const res = await rotate({});
    expect(res.status).toBe(403);
    expect(await secretHash()).toBe(before);
  });

  it('refuses a cookie POST whose Fetch Metadata says same-site rather than same-origin', async () => {
    const res = await rotate({ 'sec-fetch-site': 'same-site' });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: 'CROSS_SITE_REQUEST',
      message: ERROR_MESSAGES.CROSS_SITE_REQUEST.en,
      details: { secFetchSite: 'same-site' },
    });
  });

  it('accepts the same POST from the backend’s own origin', async () => {
    const before = await secretHash();
    const res = await rotate({ origin: own });
    expect(res.status).toBe(200);
    expect(await secretHash()).not.toBe(before);
  });

  it('accepts the same POST from an origin listed in ALLOWED_ORIGINS, and by Fetch Metadata same-origin', async () => {
    expect((await rotate({ origin: 'https://ops.example.com' })).status).toBe(200);
    expect((await rotate({ 'sec-fetch-site': 'same-origin' })).status).toBe(200);
  });

  it('does not check bearer-token clients, whatever Origin they send', async () => {
    const headers = await backend.adminHeaders();
    const res = await fetch(`${backend.api}/devices/${SERIAL}/secret`, {
      method: 'POST',
      headers: { ...headers, origin: 'https://attacker.example' },
    });
    expect(res.status).toBe(200);
  });

  it('refuses a login posted from a foreign page (login CSRF)', async () => {
    const res = await fetch(`${backend.api}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://attacker.example' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    expect(res.status).toBe(403);
  });

  it('leaves safe methods alone', async () => {
    const res = await fetch(`${backend.api}/devices/${SERIAL}`, { headers: { cookie, origin: 'https://attacker.example' } });
    expect(res.status).toBe(200);
  });
});

describe('a sibling page in a real browser', () => {
  let backend: TestBackend;
  let browser: Browser;
  let sibling: http.Server;

  beforeAll(async () => {
    backend = await startTestBackend();
    await backend.app.provision([SERIAL]);
    // The attacker's page: same host, another port, so the browser treats it as same-site.
    sibling = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>sibling</title>'));
    await new Promise<void>((resolve) => sibling.listen(0, '127.0.0.1', resolve));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => sibling?.close(resolve));
    await backend?.stop();
  });

  it('cannot rotate a box secret with the signed-in admin’s cookie', async () => {
    const api = `http://127.0.0.1:${backend.app.httpPort}/api`;
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    // The admin signs in on the backend's own page, so the browser holds the session cookie.
    await page.goto(`http://127.0.0.1:${backend.app.httpPort}/`);
    const login = await page.evaluate(
      async ([url, password]) =>
        (
          await fetch(`${url}/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username: 'admin', password }),
          })
        ).status,
      [api, ADMIN_PASSWORD] as const,
    );
    expect(login).toBe(200);
    const before = (await backend.app.registry.credentials(SERIAL))!.secretHash;

    await page.goto(`http://127.0.0.1:${(sibling.address() as AddressInfo).port}/`);
    const attempted = await page.evaluate(async (url) => {
      // no-cors: the attacker does not need to read the answer, only to have the request sent.
      await fetch(url, { method: 'POST', credentials: 'include', mode: 'no-cors' });
      return true;
    }, `${api}/devices/${SERIAL}/secret`);
    expect(attempted).toBe(true);
    // The request was sent and answered (fetch resolved): nothing changed.
    expect((await backend.app.registry.credentials(SERIAL))!.secretHash).toBe(before);
    // The same request from the backend's own page works.
    await page.goto(`http://127.0.0.1:${backend.app.httpPort}/`);
    const ownStatus = await page.evaluate(
      async (url) => (await fetch(url, { method: 'POST', credentials: 'include' })).status,
      `${api}/devices/${SERIAL}/secret`,
    );
    expect(ownStatus).toBe(200);
    await waitFor(async () => (await backend.app.registry.credentials(SERIAL))!.secretHash !== before, { what: 'the own-origin rotation' });
    await page.close();
  });
});
