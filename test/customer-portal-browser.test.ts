import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestBackend, type TestBackend } from './helpers/backend.ts';
import { launchChromium } from './helpers/chromium.ts';
import { portalCustomer } from './helpers/portal-customer.ts';

/*
 * The customer portal in a real Chromium against the whole backend: an invited customer signs
 * in and sees only their organisation's boxes (another organisation's box is registered too),
 * opens a repair request from a box with the pre-filled Service Registration Form, ships the
 * box, reads the Repair Report and accepts the cost, reports the payment, follows the box back
 * and confirms its receipt, while after-sales and the technician work the ticket over the API.
 * Once at desktop width and once on a 390 px phone, which must never scroll sideways.
 */

const PAGE_TIMEOUT_MS = 10_000;
const PASSWORD = 'correct horse battery';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1360, height: 820 };
// Out of warranty: the repair is charged and goes through the customer's decision.
const RECEIPT = '2023-01-10';
const OTHERS = 'MTB26PTB00001';
// Text the customer wrote, shown as text only.
const FAULT = 'Relay <b>clicks</b> <img src=x onerror="window.injected=1"> then reboots';

describe('the customer portal in a real browser', () => {
  let backend: TestBackend;
  let browser: Browser;
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];

  async function staff(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`${backend.api}${path}`, {
      method,
      headers: { ...(await backend.adminHeaders()), 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
    return res.json();
  }

  const register = (serial: string) =>
    staff('POST', '/devices', { serial, model: 'MT-BOX-4G', receiptDate: RECEIPT, customer: { name: 'Registry', businessLine: 'smart-factory' } });

  beforeAll(async () => {
    backend = await startTestBackend();
    browser = await launchChromium();
    await register(OTHERS);
    await portalCustomer(backend, { name: 'Taihu Water Works' }, [OTHERS], 'bob-portal', PASSWORD);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await backend?.stop();
  });

  async function signedIn(username: string, viewport: { width: number; height: number }, password = PASSWORD): Promise<Page> {
    const page = await (await browser.newContext({ viewport })).newPage();
    page.setDefaultTimeout(PAGE_TIMEOUT_MS);
    page.on('pageerror', (err) => pageErrors.push(`${username}: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.text().includes('Content Security Policy')) cspViolations.push(msg.text());
    });
    await page.goto(`http://127.0.0.1:${backend.app.httpPort}/`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#signed-in-user', { hasText: username }).waitFor();
    return page;
  }

  const dialog = (page: Page): Locator => page.locator('dialog[open]');
  async function fitsWidth(page: Page, width: number): Promise<void> {
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  }
  /** Reloads the page (the portal has no live feed) and waits until it has loaded. */
  async function reload(page: Page): Promise<void> {
    await page.reload();
    await page.waitForFunction(() => {
      const view = document.getElementById('view');
      return view !== null && view.childElementCount > 0 && !/Loading/.test(view.textContent ?? '');
    });
  }

  /** With WRITE_SCREENSHOTS=1, the README's pictures of the portal. */
  async function screenshot(page: Page, name: string): Promise<void> {
    if (process.env.WRITE_SCREENSHOTS !== '1') return;
    const dir = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: `${dir}${name}` });
  }

  it.each([
    { size: 'desktop', viewport: DESKTOP, prefix: 'MTB26PTD' },
    { size: 'phone', viewport: PHONE, prefix: 'MTB26PTP' },
  ])(
    'takes a repair from request to receipt at $size width',
    async ({ viewport, prefix }) => {
      const mine = `${prefix}00001`;
      const spare = `${prefix}00002`;
      const username = `alice-${prefix.toLowerCase()}`;
      await register(mine);
      await register(spare);
      await portalCustomer(
        backend,
        { name: `Acme Automation ${prefix}`, contacts: [{ name: 'Li Wei', phone: '+86 510 8823 0001', address: 'No. 8 Lake Road, Wuxi' }] },
        [mine, spare],
        username,
        PASSWORD,
      );
      const page = await signedIn(username, viewport);

      // My boxes: the organisation's own, never another organisation's.
      await page.locator('.portal-card[data-serial]').first().waitFor();
      await screenshot(page, `portal-boxes-${viewport.width}.png`);
      expect(await page.locator('.portal-card[data-serial]').evaluateAll((els) => els.map((e) => e.getAttribute('data-serial')))).toEqual([
        mine,
        spare,
      ]);
      expect(await page.locator('#portal-nav a').allTextContents()).toEqual([
        'My boxes',
        'Repairs',
        'Platform feedback',
        'Sessions',
        'Notifications',
        'Settings',
      ]);
      expect(await page.locator('#nav').isVisible()).toBe(false);
      await fitsWidth(page, viewport.width);

      // A box: warranty with its reasons; the Service Registration Form pre-filled.
      await page.locator(`.portal-card[data-serial="${mine}"]`).click();
      await page.getByText('Expired: the last covered day was 2024-01-09.').waitFor();
      await fitsWidth(page, viewport.width);
      await page.getByTestId('request-repair').click();
      const form = dialog(page);
      expect(await form.locator('[name="customerName"]').inputValue()).toBe(`Acme Automation ${prefix}`);
      expect(await form.locator('[name="contacts"]').inputValue()).toBe('Li Wei');
      expect(await form.locator('[name="contactNumber"]').inputValue()).toBe('+86 510 8823 0001');
      expect(await form.locator('[name="mailingAddress"]').inputValue()).toBe('No. 8 Lake Road, Wuxi');
      expect(await form.locator('[name="inWarranty"]').inputValue()).toBe('no');
      await form.locator('[name="faultPhenomenon"]').fill(FAULT);
      await form.locator('button[type="submit"]').click();
      await form.waitFor({ state: 'detached' });
      await page.getByText('We have your repair request.').waitFor();
      const id = Number(/#\/portal\/tickets\/(\d+)$/.exec(page.url())?.[1]);
      expect(id).toBeGreaterThan(0);
      await page.locator('.portal-facts dd', { hasText: 'Relay <b>clicks</b>' }).waitFor();
      await fitsWidth(page, viewport.width);

      // After-sales confirms the warranty and gives shipping instructions; the customer ships.
      await staff('POST', `/tickets/${id}/transitions`, { to: 'warranty-confirmed', reason: 'called the customer' });
      await staff('POST', `/tickets/${id}/transitions`, { to: 'awaiting-product', reason: 'instructions sent' });
      await reload(page);
      await page.getByText('Please send us the box.').waitFor();
      await page.getByTestId('ship-box').click();
      await dialog(page).locator('[name="carrier"]').fill('SF Express');
      await dialog(page).locator('[name="trackingNumber"]').fill(`SF${id}IN`);
      await dialog(page).locator('button[type="submit"]').click();
      await dialog(page).waitFor({ state: 'detached' });
      await page.getByTestId('inbound').getByText(`SF${id}IN`).waitFor();
      await page.getByText('The box is on its way to our repair centre.').waitFor();

      // The technician prices the repair; after-sales sends the Repair Report with the freight.
      await staff('POST', `/tickets/${id}/transitions`, { to: 'received', reason: 'arrived' });
      await staff('POST', `/tickets/${id}/repair-report`, {
        testResults: 'relay coil burnt',
        parts: [{ name: 'relay board', unitCostFen: 12_000, qty: 1 }],
        damageDegree: 'minor',
      });
      await staff('POST', `/tickets/${id}/cost-confirmation`, { freightFen: 2_500 });
      await reload(page);
      await page.getByText('The Repair Report and its cost are ready for you.').waitFor();
      const priced = (await staff('GET', `/tickets/${id}`)) as { ticket: { repairReport: { charges: { dueFen: number } } } };
      const yuan = new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY' }).format(priced.ticket.repairReport.charges.dueFen / 100);
      expect(await page.getByTestId('amount-due').textContent()).toBe(yuan);
      await page.locator('.portal-lines li', { hasText: 'relay board' }).waitFor();
      await fitsWidth(page, viewport.width);
      await screenshot(page, `portal-repair-report-${viewport.width}.png`);

      await page.getByTestId('accept-cost').click();
      await dialog(page).locator('button[type="submit"]').click();
      await page.getByText('You accepted the cost.').waitFor();

      // The customer reports the payment; staff see it on the ticket.
      await page.getByTestId('report-payment').click();
      await dialog(page).locator('[name="amount"]').fill('1000');
      await dialog(page).locator('[name="reference"]').fill(`ICBC-${id}`);
      await dialog(page).locator('button[type="submit"]').click();
      await page.locator('.portal-remittances', { hasText: `ICBC-${id}` }).waitFor();
      const ticket = (await staff('GET', `/tickets/${id}`)) as {
        ticket: { customerRemittances: { reference: string }[]; repairReport: { charges: { dueFen: number } } };
      };
      expect(ticket.ticket.customerRemittances.map((r) => r.reference)).toEqual([`ICBC-${id}`]);
      // After-sales sees the customer's word on the ticket page, beside the payment they confirm.
      const clerk = await signedIn('admin', DESKTOP, ADMIN_PASSWORD);
      await clerk.goto(`http://127.0.0.1:${backend.app.httpPort}/#/tickets/${id}`);
      await clerk.locator('#customer-remittances', { hasText: `reference ICBC-${id} (${username}` }).waitFor();
      await clerk.context().close();

      // After-sales confirms the money; repaired, tested, shipped back; the customer confirms receipt.
      await staff('POST', `/tickets/${id}/payments`, { amountFen: ticket.ticket.repairReport.charges.dueFen, reference: `ICBC-${id}` });
      await staff('POST', `/tickets/${id}/transitions`, { to: 'repaired', reason: 'relay replaced' });
      await staff('POST', `/tickets/${id}/transitions`, { to: 'tested', reason: 'ok', payload: { testResults: 'passes' } });
      await staff('POST', `/tickets/${id}/parameter-restore`, { action: 'waive', reason: 'customer reloads on site' });
      await staff('POST', `/tickets/${id}/shipping`, { direction: 'outbound', carrier: 'SF Express', trackingNumber: `SF${id}OUT` });
      await reload(page);
      await page.getByText('The box is on its way back to you.').waitFor();
      await page.getByTestId('outbound').getByText(`SF${id}OUT`).waitFor();
      await page.getByTestId('inbound').getByText(`SF${id}IN`).waitFor();
      await fitsWidth(page, viewport.width);
      await page.getByTestId('confirm-receipt').click();
      await dialog(page).locator('button[type="submit"]').click();
      await page.getByText('This repair is finished.').waitFor();

      // Repairs: the finished request listed; the other organisation's never.
      await page.locator('#portal-nav a', { hasText: 'Repairs' }).click();
      await page.locator(`.portal-card[data-ticket-id="${id}"]`).waitFor();
      expect(await page.getByText(OTHERS).count()).toBe(0);
      await fitsWidth(page, viewport.width);

      expect(await page.evaluate(() => (window as unknown as { injected?: number }).injected)).toBeUndefined();
      expect(pageErrors).toEqual([]);
      expect(cspViolations).toEqual([]);
    },
    90_000,
  );
});
