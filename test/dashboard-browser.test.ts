import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MqttClient } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './helpers/chromium.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicFor } from '../services/contract/topics.ts';
import { ADMIN_PASSWORD, connectBox, publish, startTestBackend, type TestBackend } from './helpers/backend.ts';
import { waitFor } from './helpers/wait-for.ts';

/*
 * The dashboard in a real Chromium against the whole backend: boxes are registered over
 * HTTP and report faults as raw MQTT clients; the page signs in through its form and reads
 * the API and the socket.io live channels with the session cookie.
 */

const SCREENSHOTS = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
const writeScreenshots = process.env.WRITE_SCREENSHOTS === '1';
// Every wait in the page is bounded by this, well inside vitest's 30 s test timeout.
const PAGE_TIMEOUT_MS = 10_000;
const DAY_MS = 86_400_000;
const isoDaysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString().slice(0, 10);

interface TicketView {
  id: number;
  ticket: { serial: string; state: string };
}

describe('dashboard in a real browser', () => {
  let backend: TestBackend;
  let headers: Record<string, string>;
  let browser: Browser;
  let page: Page;
  let base: string;
  const clients: MqttClient[] = [];
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];
  let serialSeq = 0;

  beforeAll(async () => {
    backend = await startTestBackend();
    headers = await backend.adminHeaders();
    base = `http://127.0.0.1:${backend.app.httpPort}`;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1360, height: 820 } });
    page.setDefaultTimeout(PAGE_TIMEOUT_MS);
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      if (msg.text().includes('Content Security Policy')) cspViolations.push(msg.text());
    });
  });
  afterAll(async () => {
    await browser?.close();
    for (const c of clients) c.end(true);
    await backend?.stop();
  });

  async function screenshot(name: string): Promise<void> {
    if (!writeScreenshots) return;
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: `${SCREENSHOTS}${name}` });
  }

  /** Registers a box over the API, connects it as a raw MQTT client and raises a hardware (rma) fault. */
  async function boxWithRmaFault(customerName: string): Promise<{ serial: string; ticketId: number }> {
    const serial = `MTB26DSH${String(++serialSeq).padStart(5, '0')}`;
    const res = await fetch(`${backend.api}/devices`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        serial,
        model: 'MT-BOX-4G',
        firmware: '2.4.1',
        receiptDate: isoDaysAgo(30),
        customer: { name: customerName, contacts: 'Li Wei', phone: '0510-8888-1234', address: '1 Canal Rd, Wuxi', businessLine: 'smart-logistics' },
      }),
    });
    expect(res.status).toBe(201);
    const { secret } = (await res.json()) as { secret: string };
    const client = await connectBox(backend.mqttUrl, serial, secret);
    clients.push(client);
    await publish(client, topicFor(serial, 'fault'), { id: `f-${serial}`, ts: Date.now(), code: 'FLASH_WRITE_FAILED', severity: 'error' });
    const ticket = await waitFor(
      async () => {
        const res = await fetch(`${backend.api}/tickets?serial=${serial}`, { headers });
        const list = (await res.json()) as TicketView[];
        return list[0] ?? null;
      },
      { what: `the RMA ticket of ${serial}` },
    );
    return { serial, ticketId: ticket.id };
  }

  let first: { serial: string; ticketId: number };
  const markupName = 'Wuxi Pump Works <b>Ltd</b>';

  it('serves the dashboard at / with a content security policy, while unknown /api paths stay JSON', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("connect-src 'self' ws: wss:");
    const client = await fetch(`${base}/socket.io/socket.io.esm.min.js`);
    expect(client.status).toBe(200);
    expect(client.headers.get('content-type')).toContain('javascript');
    const missing = await fetch(`${base}/api/index.html`, { headers });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'NOT_FOUND' });
  });

  it('signs in as admin through the login form and shows the user in the header', async () => {
    first = await boxWithRmaFault(markupName);
    await page.goto(`${base}/`);
    await page.locator('input[name="username"]').fill('admin');
    await page.locator('input[name="password"]').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#signed-in-user', { hasText: 'admin (admin)' }).waitFor();
    expect(page.url()).toBe(`${base}/#/fleet`);
  });

  it('lists the box on the fleet page, online and in warranty, with box text shown as text', async () => {
    const row = page.locator('tbody tr', { hasText: first.serial });
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    expect(cells.slice(0, 4)).toEqual([first.serial, 'MT-BOX-4G', '2.4.1', 'online']);
    expect(cells[4]).toMatch(/^until [A-Z][a-z]+ \d{1,2}, \d{4}$/);
    // Customer text is data: it shows literally and creates no element.
    expect(cells[5]).toBe(markupName);
    expect(await row.locator('b').count()).toBe(0);

    await page.locator('#fleet-filter').fill('no-such-box');
    await page.getByText('No boxes match.').waitFor();
    await page.locator('#fleet-filter').fill(first.serial.slice(-5));
    await row.waitFor();
    await screenshot('fleet.png');
  });

  it('turns a box offline in the fleet list when it disconnects, patching its row without a reload or refetch', async () => {
    await page.locator('#live-status', { hasText: /^live$/ }).waitFor();
    const presenceCell = page.locator('tbody tr', { hasText: first.serial }).locator('td').nth(3);
    expect(await presenceCell.textContent()).toBe('online');
    await page.evaluate(() => {
      (window as unknown as { stillTheSamePage: boolean }).stillTheSamePage = true;
    });
    const listFetches: string[] = [];
    const onRequest = (req: { url(): string }) => {
      if (new URL(req.url()).pathname === '/api/devices') listFetches.push(req.url());
    };
    page.on('request', onRequest);
    try {
      // The first box is the first raw client: it leaves without a word, as a box losing power does.
      const box = clients[0]!;
      await new Promise<void>((resolve) => {
        box.once('close', () => resolve());
        box.stream.destroy();
      });
      await page
        .locator('tbody tr', { hasText: first.serial })
        .locator('td', { hasText: /^offline$/ })
        .waitFor();
    } finally {
      page.off('request', onRequest);
    }
    expect(await page.evaluate(() => (window as unknown as { stillTheSamePage?: boolean }).stillTheSamePage)).toBe(true);
    expect(listFetches).toEqual([]);
    expect(await page.locator('#fleet-filter').inputValue()).toBe(first.serial.slice(-5));
  });

  it('shows the RMA ticket diagnostics opened, with its state, queue and running deadline', async () => {
    await page.getByRole('link', { name: 'Tickets' }).click();
    const card = page.locator('.rma-column[data-state="registered"] .rma-card', { hasText: first.serial });
    await card.waitFor();
    expect(await card.locator('.rma-card-head').textContent()).toBe(`#${first.ticketId}${first.serial}logistics`);
    expect(await card.locator('.rma-card-due').textContent()).toMatch(/^first response: .* left$/);
  });

  it('puts live events at the top of the feed and refreshes the open page when a new fault arrives', async () => {
    await page.locator('#live-status', { hasText: /^live$/ }).waitFor();
    const entries = page.locator('#live-feed > li');

    const second = await boxWithRmaFault('Suzhou Water Plant');
    // Plain language, linking to the ticket: not the event's name.
    await entries.filter({ hasText: `Repair ticket ${second.ticketId} opened for box ${second.serial}` }).waitFor();
    const third = await boxWithRmaFault('Ningbo Port Logistics');
    await entries.filter({ hasText: `Repair ticket ${third.ticketId} opened for box ${third.serial}` }).waitFor();
    expect(
      await entries
        .filter({ hasText: `opened for box ${third.serial}` })
        .locator('a')
        .getAttribute('href'),
    ).toBe(`#/tickets/${third.ticketId}`);
    expect(await entries.filter({ hasText: 'rma.opened' }).count()).toBe(0);

    const texts = await entries.allTextContents();
    const indexOf = (ticketId: number) => texts.findIndex((t) => t.includes(`Repair ticket ${ticketId} opened`));
    expect(indexOf(third.ticketId)).toBeLessThan(indexOf(second.ticketId));
    // The tickets page refetched on the live event, without a reload.
    await page.locator('.rma-card', { hasText: third.serial }).waitFor();
    await screenshot('live.png');

    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  });

  it('signs out: the session is revoked and the login form comes back', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('#login-form').waitFor();
    expect(await page.locator('#activity').isHidden()).toBe(true);
    const status = await page.evaluate(async () => (await fetch('/api/auth/me', { credentials: 'same-origin' })).status);
    expect(status).toBe(401);
  });
});
