import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './helpers/chromium.ts';
import { customerOrg } from './helpers/customer-kit.ts';
import { PASSWORD } from './helpers/http-fixture.ts';
import { asCustomerKitApi } from './helpers/portal-session-kit.ts';
import { startSessionFixture, type Account, type SessionFixture } from './helpers/session-fixture.ts';

/*
 * The customer's platform feedback and remote-guidance sessions in a real Chromium against the
 * whole backend: a customer fills in the seed's BUG Feedback Form, follows it in words,
 * after-sales sees it in the platform queue with the organisation, and the customer confirms
 * the repair; an engineer's invitation shows on the sessions page, whose Join button opens the
 * customer page. On a desktop and on a 390-px phone.
 */

const PAGE_TIMEOUT_MS = 10_000;
const HOUR = 3_600_000;
const DESKTOP = { width: 1360, height: 820 };
const PHONE = { width: 390, height: 844 };
const ORGANISATION = 'Wuxi <b>Water</b> Works';
const CUSTOMER = 'li.wei';
// The backend's clock stands at Monday 16 June 2025, 10:00 in Beijing; this lies before it in every time zone.
const OCCURRED = '2025-06-15T12:00';

describe('platform feedback and sessions in the portal, in a real browser', () => {
  let f: SessionFixture;
  let browser: Browser;
  let staff: Account;
  let engineer: Account;
  let serial: string;
  let ticketId: number;
  let sessionId: number;
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];

  async function signedInPage(username: string, viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    page.setDefaultTimeout(PAGE_TIMEOUT_MS);
    page.on('pageerror', (err) => pageErrors.push(`${username}: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.text().includes('Content Security Policy')) cspViolations.push(msg.text());
    });
    await page.goto(`http://127.0.0.1:${f.backend.app.httpPort}/`);
    await page.locator('input[name="username"]').fill(username);
    await page.locator('input[name="password"]').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#signed-in-user', { hasText: username }).waitFor();
    return page;
  }

  const dialog = (page: Page): Locator => page.locator('dialog[open]');
  const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

  async function staffMove(to: string, payload: Record<string, unknown>, by: Account) {
    const res = await f.api('POST', `/platform-tickets/${ticketId}/transitions`, by.headers, { to, reason: `to ${to}`, payload });
    expect(res.status).toBe(200);
  }

  beforeAll(async () => {
    f = await startSessionFixture();
    [staff, engineer] = await Promise.all([f.account('after-sales'), f.account('engineer')]);
    serial = (await f.register()).serial;
    await customerOrg(asCustomerKitApi(f), ORGANISATION, [serial], CUSTOMER);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await f?.close();
  });

  describe('on a desktop', () => {
    let customer: Page;

    beforeAll(async () => {
      customer = await signedInPage(CUSTOMER, DESKTOP);
    });

    it('lets the customer fill in the BUG Feedback Form, started from the organisation and the account, and shows it in words', async () => {
      await customer.locator('#portal-nav').getByRole('link', { name: 'Platform feedback' }).click();
      await customer.getByText('You have not reported any platform problem yet.').waitFor();
      await customer.getByRole('button', { name: 'Report a platform problem' }).click();
      const d = dialog(customer);
      await expect(d.locator('[name="project"]').inputValue()).resolves.toBe(ORGANISATION);
      await expect(d.locator('[name="reporter"]').inputValue()).resolves.toBe(CUSTOMER);
      await d.locator('[name="contact"]').fill('0510-8888 1234');
      await d.locator('[name="description"]').fill('The PMS dashboard shows <i>no data</i> since 08:00');
      await d.locator('[name="severity"]').selectOption('high');
      await d.locator('[name="occurredAt"]').fill(OCCURRED);
      await d.locator('button[type="submit"]').click();
      await d.waitFor({ state: 'detached' });

      await customer.waitForURL(/#\/portal\/feedback\/\d+$/);
      ticketId = Number(customer.url().split('/').at(-1));
      await customer.locator('#feedback-state', { hasText: 'Received' }).waitFor();
      await customer.locator('#feedback-sentence', { hasText: 'After-sales checks whether platform maintenance covers it.' }).waitFor();
      await customer.locator('#feedback-form', { hasText: 'The PMS dashboard shows <i>no data</i> since 08:00' }).waitFor();
      expect(await customer.locator('#feedback-form i').count()).toBe(0);

      await customer.getByRole('link', { name: '← Platform feedback' }).click();
      const item = customer.locator(`.feedback-item[data-ticket="${ticketId}"]`);
      await item.getByText('Received', { exact: true }).waitFor();
      await item.getByText('We received your report.', { exact: false }).waitFor();
      expect(await item.textContent()).not.toContain('submitted');
    });

    it("shows after-sales the report in the platform queue with the customer's organisation", async () => {
      const clerk = await signedInPage(staff.username, DESKTOP);
      await clerk.goto(`http://127.0.0.1:${f.backend.app.httpPort}/#/platform-tickets`);
      const row = clerk.locator('tr', { hasText: `Platform #${ticketId}` });
      // The third column is the organisation (the project was pre-filled with its name too).
      await row.locator('td').nth(2).getByText(ORGANISATION, { exact: true }).waitFor();
      await row.locator('a').click();
      await clerk.locator('#platform-form', { hasText: ORGANISATION }).waitFor();
      expect(await clerk.locator('#platform-form b').count()).toBe(0);
      await clerk.context().close();
    });

    it('asks the customer once the repair is resolved, and closes the report when they confirm it is fixed', async () => {
      await staffMove('confirmed', { service: 'remote-technical-support' }, staff);
      await staffMove('repairing', { solution: 'restart the collector service', agreedBy: f.now() + 4 * HOUR }, engineer);
      await customer.goto(`http://127.0.0.1:${f.backend.app.httpPort}/#/portal/feedback/${ticketId}`);
      await customer.locator('#feedback-state', { hasText: 'Being repaired' }).waitFor();
      await customer.locator('#feedback-progress', { hasText: 'To be done by' }).waitFor();
      await customer.locator('#feedback-progress', { hasText: 'Remote technical support' }).waitFor();
      expect(await customer.getByRole('button', { name: 'Yes, it is fixed' }).count()).toBe(0);

      await staffMove('resolved', { summary: 'collector restarted; data flows again' }, engineer);
      await customer.reload();
      await customer.locator('#feedback-state', { hasText: 'Repaired: please confirm' }).waitFor();
      await customer.locator('#feedback-progress', { hasText: 'collector restarted; data flows again' }).waitFor();
      await customer.getByRole('button', { name: 'Yes, it is fixed' }).click();
      await customer.locator('#feedback-state', { hasText: 'Closed' }).waitFor();
      await customer.locator('#feedback-sentence', { hasText: 'This report is closed.' }).waitFor();
      expect(await customer.getByRole('button', { name: 'Yes, it is fixed' }).count()).toBe(0);
      const staffView = await f.api<{ ticket: { state: string } }>('GET', `/platform-tickets/${ticketId}`, staff.headers);
      expect(staffView.body.ticket.state).toBe('closed');
    });

    it('lists the session an engineer invited the customer to, and Join opens the customer page', async () => {
      const opened = await f.api<{ id: number }>('POST', '/sessions', engineer.headers, { serial });
      sessionId = opened.body.id;
      expect((await f.api('POST', `/sessions/${sessionId}/links`, engineer.headers, { label: 'plant operator' })).status).toBe(201);
      await customer.locator('#portal-nav').getByRole('link', { name: 'Sessions' }).click();
      const item = customer.locator(`.portal-session[data-session="${sessionId}"]`);
      await item.getByText(`Box ${serial}`).waitFor();
      await item.getByText('Running now').waitFor();
      await item.getByText(`${engineer.username} is guiding this session.`, { exact: false }).waitFor();
      await item.getByRole('button', { name: 'Join' }).click();
      await customer.waitForURL(/\/customer\.html#/);
      await customer.locator('#connection', { hasText: 'connected' }).waitFor();
      await customer.locator('#session-state', { hasText: 'in progress' }).waitFor();
      await customer.locator('#serial', { hasText: serial }).waitFor();
      await customer.locator('#timeline li', { hasText: `created a customer link for ${CUSTOMER}` }).waitFor();
    });
  });

  describe('on a 390-px phone', () => {
    let phone: Page;

    beforeAll(async () => {
      phone = await signedInPage(CUSTOMER, PHONE);
    });

    it('shows the feedback list, a report and the form without sideways scrolling', async () => {
      await phone.goto(`http://127.0.0.1:${f.backend.app.httpPort}/#/portal/feedback`);
      await phone.locator(`.feedback-item[data-ticket="${ticketId}"]`).getByText('Closed', { exact: true }).waitFor();
      expect(await fitsWidth(phone)).toBeLessThanOrEqual(PHONE.width);
      await phone.getByRole('button', { name: 'Report a platform problem' }).click();
      await dialog(phone).locator('[name="description"]').waitFor();
      expect(await fitsWidth(phone)).toBeLessThanOrEqual(PHONE.width);
      await dialog(phone).getByRole('button', { name: 'Cancel' }).click();
      await phone.goto(`http://127.0.0.1:${f.backend.app.httpPort}/#/portal/feedback/${ticketId}`);
      await phone.locator('#feedback-progress', { hasText: 'collector restarted' }).waitFor();
      expect(await fitsWidth(phone)).toBeLessThanOrEqual(PHONE.width);
    });

    it('shows the sessions page with its Join button without sideways scrolling', async () => {
      await phone.goto(`http://127.0.0.1:${f.backend.app.httpPort}/#/portal/sessions`);
      await phone.locator(`.portal-session[data-session="${sessionId}"]`).getByRole('button', { name: 'Join' }).waitFor();
      expect(await fitsWidth(phone)).toBeLessThanOrEqual(PHONE.width);
    });

    it("answers another organisation's report like a missing one, in words", async () => {
      await phone.goto(`http://127.0.0.1:${f.backend.app.httpPort}/#/portal/feedback/999999`);
      await phone.getByText('There is no report #999999 of your organisation.').waitFor();
      expect(await fitsWidth(phone)).toBeLessThanOrEqual(PHONE.width);
    });
  });

  it('raised no page errors and no CSP violations', () => {
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});
