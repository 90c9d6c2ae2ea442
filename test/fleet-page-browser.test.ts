import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './helpers/chromium.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBox, startTestBackend, type TestBackend } from './helpers/backend.ts';

/*
 * The fleet page in a real Chromium against the whole backend, with more boxes than one page:
 * the server pages, searches and filters; after-sales registers a box and imports a CSV file
 * with progress; an engineer is not offered either.
 */

const PAGE_TIMEOUT_MS = 10_000;
const FLEET = 130;
const PAGE_SIZE = 100;
const serialOf = (i: number) => `MTB26FL${String(i).padStart(5, '0')}`;

async function call(backend: TestBackend, method: string, path: string, body?: unknown, headers?: Record<string, string>) {
  const res = await fetch(`${backend.api}${path}`, {
    method,
    headers: { ...(headers ?? (await backend.adminHeaders())), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

describe('fleet page in a real browser', () => {
  let backend: TestBackend;
  let browser: Browser;
  let page: Page;
  let base: string;
  const pageErrors: string[] = [];
  const deviceQueries: string[] = [];
  const closers: Array<() => void> = [];

  async function signIn(p: Page, username: string, password: string) {
    await p.goto(`${base}/`);
    await p.getByLabel('Username').fill(username);
    await p.getByLabel('Password').fill(password);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.locator('#signed-in-user', { hasText: username }).waitFor();
  }

  beforeAll(async () => {
    backend = await startTestBackend();
    base = `http://127.0.0.1:${backend.app.httpPort}`;
    const csv = ['serial,model,firmware', ...Array.from({ length: FLEET }, (_, i) => `${serialOf(i + 1)},MT-BOX-4G,2.4.1`)].join('\n');
    const headers = await backend.adminHeaders();
    const imported = await fetch(`${backend.api}/devices/import`, { method: 'POST', headers: { ...headers, 'content-type': 'text/csv' }, body: csv });
    expect(imported.status).toBe(201);
    const { devices } = (await imported.json()) as { devices: Array<{ serial: string; secret: string }> };
    const box = await connectBox(backend.mqttUrl, serialOf(42), devices[41]!.secret);
    closers.push(() => box.end(true));
    for (const role of ['after-sales', 'engineer']) {
      const created = await call(backend, 'POST', '/users', { username: `${role}-1`, password: `${role}-Pass-2026!x`, role });
      expect(created.status).toBe(201);
    }

    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1360, height: 820 } });
    page.setDefaultTimeout(PAGE_TIMEOUT_MS);
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('request', (req) => {
      const url = new URL(req.url());
      if (url.pathname === '/api/devices' && req.method() === 'GET') deviceQueries.push(url.search);
    });
    await signIn(page, 'after-sales-1', 'after-sales-Pass-2026!x');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    for (const close of closers) close();
    await backend?.stop();
  });

  const rows = () => page.locator('#view tbody tr');

  it('shows the first page of boxes, and the next page on "Load more"', async () => {
    await page.locator('#fleet-count', { hasText: `${PAGE_SIZE} boxes, more below` }).waitFor();
    expect(await rows().count()).toBe(PAGE_SIZE);
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.locator('#fleet-count', { hasText: new RegExp(`^${FLEET} boxes$`) }).waitFor();
    expect(await rows().count()).toBe(FLEET);
    expect(await page.getByRole('button', { name: 'Load more' }).isHidden()).toBe(true);
  });

  it('searches and filters on the server', async () => {
    deviceQueries.length = 0;
    await page.locator('#fleet-filter').fill('00042');
    await page.locator('#fleet-count', { hasText: /^1 box$/ }).waitFor();
    expect(await rows().first().locator('td').first().textContent()).toBe(serialOf(42));
    expect(deviceQueries.some((q) => new URLSearchParams(q).get('q') === '00042')).toBe(true);

    await page.locator('#fleet-filter').fill('');
    await page.locator('#fleet-online').selectOption('true');
    await page.locator('#fleet-count', { hasText: /^1 box$/ }).waitFor();
    expect(await rows().first().locator('td').nth(3).textContent()).toBe('online');
    expect(deviceQueries.some((q) => new URLSearchParams(q).get('online') === 'true')).toBe(true);

    await page.locator('#fleet-filter').fill('no-such-box');
    await page.getByText('No boxes match.').waitFor();
    await page.locator('#fleet-filter').fill('');
    await page.locator('#fleet-online').selectOption('');
    await page.locator('#fleet-count', { hasText: 'more below' }).waitFor();
  });

  it('registers a box from the dialog and shows its secret once; the customer name is text', async () => {
    const name = 'Acme <img src=x onerror=alert(1)>';
    await page.getByRole('button', { name: 'Register box' }).click();
    const dialog = page.locator('dialog');
    await dialog.getByLabel('Serial').fill('MTB26FLNEW01');
    await dialog.getByLabel('Customer', { exact: true }).fill(name);
    await dialog.getByRole('button', { name: 'Register' }).click();
    // The customer needs a business line: the refusal is in words and the input stays.
    await dialog.locator('.error', { hasText: 'Some of the input is not valid.' }).waitFor();
    expect(await dialog.getByLabel('Serial').inputValue()).toBe('MTB26FLNEW01');
    await dialog.getByLabel('Business line').selectOption('smart-factory');
    await dialog.getByRole('button', { name: 'Register' }).click();
    const secret = page.getByTestId('new-secret');
    await secret.waitFor();
    expect((await secret.textContent())?.length).toBeGreaterThan(10);
    await page.locator('dialog').getByRole('button', { name: 'Done' }).click();

    await page.locator('#fleet-filter').fill('FLNEW01');
    const row = rows().filter({ hasText: 'MTB26FLNEW01' });
    await row.waitFor();
    expect(await row.locator('td').nth(5).textContent()).toBe(name);
    expect(await row.locator('img').count()).toBe(0);
  });

  it('imports a CSV file with progress, and says in words which rows are wrong', async () => {
    const input = page.locator('#fleet-import-file');
    await input.setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('serial,model\nMTB26FLIMP01,\n') });
    await page.locator('#fleet-import-progress', { hasText: /^Nothing was imported: Some rows of the import are not valid.*row 2: model/ }).waitFor();

    const csv = ['serial,model', 'MTB26FLIMP01,MT-BOX-4G', 'MTB26FLIMP02,MT-BOX-4G', 'MTB26FLIMP03,MT-BOX-S1'].join('\n');
    await input.setInputFiles({ name: 'fleet.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.locator('dialog', { hasText: '3 boxes registered' }).waitFor();
    expect(await page.locator('dialog a[download]').getAttribute('href')).toMatch(/^blob:/);
    await page.locator('dialog').getByRole('button', { name: 'Done' }).click();
    expect(await page.locator('#fleet-import-progress').textContent()).toBe('3 boxes registered.');
    const listed = await call(backend, 'GET', '/devices?q=FLIMP');
    expect((listed.body as { devices: unknown[] }).devices).toHaveLength(3);
    expect(pageErrors).toEqual([]);
  });

  it('offers an engineer neither registering nor importing', async () => {
    const context = await browser.newContext({ viewport: { width: 1360, height: 820 } });
    const p = await context.newPage();
    p.setDefaultTimeout(PAGE_TIMEOUT_MS);
    await signIn(p, 'engineer-1', 'engineer-Pass-2026!x');
    await p.locator('#fleet-count', { hasText: 'more below' }).waitFor();
    expect(await p.getByRole('button', { name: 'Register box' }).count()).toBe(0);
    expect(await p.getByRole('button', { name: 'Import CSV' }).count()).toBe(0);
    await context.close();
  });
});
