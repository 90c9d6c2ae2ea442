import { createHmac } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from './helpers/backend.ts';
import { launchChromium } from './helpers/chromium.ts';
import { invitationToken } from './helpers/customer-kit.ts';
import { type WebhookReceiver, webhookReceiver } from './helpers/webhook-receiver.ts';

/*
 * The customer's notifications and webhook settings in a real Chromium on a phone-sized
 * screen, against the whole backend (its delivery worker running on its own timer) and a
 * local webhook receiver.
 */

const PAGE_TIMEOUT_MS = 10_000;
const PHONE = { width: 390, height: 844 };
const PASSWORD = 'correct horse battery';
const SERIAL = 'MTB26NOTE0001';
const DAY_MS = 86_400_000;

describe('notifications and the webhook in the portal', () => {
  let backend: TestBackend;
  let browser: Browser;
  let page: Page;
  let base: string;
  let ticketId: number;
  let secret = '';
  let hook: WebhookReceiver;
  const pageErrors: string[] = [];

  // Answers are asserted field by field against literal values.
  // biome-ignore lint/suspicious/noExplicitAny: the body of a call that succeeded
  async function call(headers: Record<string, string>, method: string, path: string, json?: unknown, status = 200): Promise<any> {
    const res = await fetch(`${backend.api}${path}`, {
      method,
      headers: { ...headers, 'content-type': 'application/json' },
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
    });
    const body = res.status === 204 ? null : await res.json();
    if (res.status !== status) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(body)}`);
    return body;
  }

  async function signIn(username: string, password: string): Promise<Record<string, string>> {
    const { token } = await call({}, 'POST', '/auth/login', { username, password });
    return { authorization: `Bearer ${token}` };
  }

  const noSideScroll = async () => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

  beforeAll(async () => {
    backend = await startTestBackend({ WEBHOOK_ALLOW_PRIVATE: 'true' });
    base = `http://127.0.0.1:${backend.app.httpPort}`;
    hook = await webhookReceiver([204]);
    const admin = await backend.adminHeaders();
    for (const [username, role] of [
      ['clerk', 'after-sales'],
      ['bench', 'technician'],
    ]) {
      await call(admin, 'POST', '/users', { username, password: PASSWORD, role }, 201);
    }
    const receiptDate = new Date(Date.now() - 800 * DAY_MS).toISOString().slice(0, 10);
    await call(admin, 'POST', '/devices', { serial: SERIAL, model: 'MT-BOX-4G', receiptDate }, 201);
    const clerk = await signIn('clerk', PASSWORD);
    const bench = await signIn('bench', PASSWORD);
    const org = await call(clerk, 'POST', '/organisations', { name: 'Huadong Water Works' }, 201);
    await call(clerk, 'POST', `/organisations/${org.id}/devices`, { serials: [SERIAL] });
    const { url } = await call(clerk, 'POST', `/organisations/${org.id}/invitations`, { username: 'wang.fang' }, 201);
    await call({}, 'POST', `/invitations/${invitationToken(url)}/accept`, { password: PASSWORD });

    const move = (who: Record<string, string>, to: string) => call(who, 'POST', `/tickets/${ticketId}/transitions`, { to, reason: 'next step' });
    ({ id: ticketId } = await call(clerk, 'POST', '/tickets', { serial: SERIAL }, 201));
    await move(clerk, 'warranty-confirmed');
    await move(clerk, 'awaiting-product');
    await call(clerk, 'POST', `/tickets/${ticketId}/shipping`, { direction: 'inbound', carrier: 'SF Express', trackingNumber: 'SF1' });
    await move(bench, 'received');
    const parts = [{ name: 'power board', unitCostFen: 8_550, qty: 1 }];
    await call(bench, 'POST', `/tickets/${ticketId}/repair-report`, { testResults: 'power board burnt', parts, damageDegree: 'minor' });
    await call(clerk, 'POST', `/tickets/${ticketId}/cost-confirmation`, {});

    browser = await launchChromium();
    const context = await browser.newContext({ viewport: PHONE });
    page = await context.newPage();
    page.setDefaultTimeout(PAGE_TIMEOUT_MS);
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(`${base}/`);
    await page.locator('input[name="username"]').fill('wang.fang');
    await page.locator('input[name="password"]').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#signed-in-user', { hasText: 'wang.fang' }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await backend?.stop();
    await hook?.close();
  });

  it('lists what needs the customer’s action, links it to the repair and marks it read', async () => {
    await page.locator('#portal-nav').getByRole('link', { name: 'Notifications' }).click();
    const item = page.getByTestId('notification');
    await item.first().waitFor();
    expect(await item.count()).toBe(1);
    expect(await item.locator('h3').textContent()).toBe(`Repair cost to confirm for box ${SERIAL}`);
    expect(await item.locator('.badge').textContent()).toBe('Repair cost to confirm');
    expect(await item.getByRole('link', { name: 'Open the repair' }).getAttribute('href')).toBe(`#/portal/tickets/${ticketId}`);
    expect(await page.getByTestId('unread-count').textContent()).toBe('1 unread');
    await noSideScroll();

    await item.getByRole('button', { name: 'Mark read' }).click();
    await page.getByTestId('unread-count').filter({ hasText: 'All read' }).waitFor();
    expect(await item.getByRole('button', { name: 'Mark read' }).count()).toBe(0);
    expect(await page.locator('.notification.unread').count()).toBe(0);
  });

  it('sets up the webhook, shows its secret once, and logs the signed delivery of the next notification', async () => {
    await page.locator('#portal-nav').getByRole('link', { name: 'Settings' }).click();
    await page.getByText('No webhook is set up').waitFor();
    await page.getByText('Nothing has been sent to the webhook yet.').waitFor();
    await noSideScroll();

    await page.getByRole('button', { name: 'Set up a webhook' }).click();
    const dialog = page.locator('dialog[open]');
    await dialog.locator('[name="url"]').fill(hook.url);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    secret = await page.getByTestId('webhook-secret').inputValue();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await noSideScroll();

    // The customer accepts the cost (recorded by after-sales here): a payment-due notification follows.
    await call(await signIn('clerk', PASSWORD), 'POST', `/tickets/${ticketId}/transitions`, { to: 'awaiting-payment', reason: 'accepted' });
    await expect.poll(() => hook.received.length, { timeout: PAGE_TIMEOUT_MS }).toBe(1);
    const [r] = hook.received;
    expect(JSON.parse(r!.body)).toMatchObject({ kind: 'payment-due', subject: { kind: 'rma', id: ticketId } });
    const expected = `sha256=${createHmac('sha256', secret).update(`${r!.headers['x-mtbox-timestamp']}.${r!.body}`).digest('hex')}`;
    expect(r!.headers['x-mtbox-signature']).toBe(expected);

    await page.reload();
    await page.locator('table').getByText('Delivered').waitFor();
    expect(await page.locator('table').getByText('Payment due').count()).toBe(1);
    // Shown once: after a reload the secret is gone.
    expect(await page.getByTestId('webhook-secret').count()).toBe(0);
    await noSideScroll();
    expect(pageErrors).toEqual([]);
  });
});
