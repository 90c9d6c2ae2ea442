import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from './helpers/backend.ts';
import { launchChromium } from './helpers/chromium.ts';
import { otherLanguageText, type PageLocale } from './helpers/language-check.ts';
import { deadlineText } from './helpers/deadline-text.ts';

/*
 * The customer portal and the invitation page in Chinese and in English, in a real Chromium
 * against the whole backend. Each language has its own organisation, box and customer, who
 * accepts the invitation in a browser of that language (no choice saved on the account: the
 * browser's language is what the portal speaks). After-sales prices a repair over the API, so
 * the customer sees a Repair Report that waits for their decision, with amounts and a deadline.
 * Every page of the portal must show no text of the other language, apart from:
 * - the header and the portal's navigation (the page frame's own test covers them): checks are
 *   scoped to the view (`#view`);
 * - the webhook panel on Settings, which is the webhook area's: only the portal's introduction is
 *   checked there.
 */

const PAGE_TIMEOUT_MS = 10_000;
const PASSWORD = 'correct horse battery';
const DESKTOP = { width: 1360, height: 820 };
const PHONE = { width: 390, height: 844 };
const DAY_MS = 86_400_000;

interface Locale {
  browser: 'zh-CN' | 'en-US';
  page: PageLocale;
  prefix: string;
}

const LOCALES: Locale[] = [
  { browser: 'zh-CN', page: 'zh-CN', prefix: 'MTB26I18Z' },
  { browser: 'en-US', page: 'en', prefix: 'MTB26I18E' },
];

describe('the customer portal speaks the customer’s language', () => {
  let backend: TestBackend;
  let browser: Browser;
  let base: string;
  const pageErrors: string[] = [];

  // The bodies of calls that succeeded, read field by field.
  // biome-ignore lint/suspicious/noExplicitAny: the body of a call that succeeded
  async function call(headers: Record<string, string>, method: string, path: string, json?: unknown, status = 200, language = 'en'): Promise<any> {
    const res = await fetch(`${backend.api}${path}`, {
      method,
      headers: { ...headers, 'content-type': 'application/json', 'accept-language': language },
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
    });
    const body = res.status === 204 ? null : await res.json();
    if (res.status !== status) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(body)}`);
    return body;
  }

  beforeAll(async () => {
    backend = await startTestBackend();
    base = `http://127.0.0.1:${backend.app.httpPort}`;
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await backend?.stop();
  });

  async function open(locale: Locale, viewport = DESKTOP): Promise<Page> {
    const context = await browser.newContext({ locale: locale.browser, timezoneId: 'Europe/Berlin', viewport });
    const page = await context.newPage();
    page.setDefaultTimeout(PAGE_TIMEOUT_MS);
    page.on('pageerror', (err) => pageErrors.push(`${locale.browser}: ${err.message}`));
    return page;
  }

  /** What the other language shows in the view (or under `root`). */
  async function strayText(page: Page, locale: Locale, root = '#view'): Promise<string[]> {
    return otherLanguageText(page, locale.page, { root, limit: 50 });
  }

  /** Waits until the view has rendered and nothing in it is still loading. */
  async function settled(page: Page): Promise<void> {
    await page.waitForFunction(() => {
      const view = document.getElementById('view');
      return view !== null && view.childElementCount > 0 && !/Loading|加载中|正在加载/.test(view.textContent ?? '');
    });
  }

  const fitsPhone = async (page: Page) => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

  /** The deadline as the page must write it: date, time and zone in Asia/Shanghai, whatever the browser's zone. */
  const deadline = (ms: number, locale: PageLocale) => deadlineText({ ms, locale, timeZone: 'Asia/Shanghai' });
  const money = (fen: number, locale: PageLocale) =>
    new Intl.NumberFormat(locale, { style: 'currency', currency: 'CNY', currencyDisplay: 'narrowSymbol' }).format(fen / 100);

  describe.each(LOCALES)('in $browser', (locale) => {
    const serial = `${locale.prefix}0001`;
    const username = `li.${locale.prefix.toLowerCase()}`;
    let admin: Record<string, string>;
    let customer: Record<string, string>;
    let inviteUrl: string;
    let ticketId: number;
    let page: Page;

    beforeAll(async () => {
      admin = await backend.adminHeaders();
      // Out of warranty: the repair is charged and waits for the customer's decision.
      const receiptDate = new Date(Date.now() - 800 * DAY_MS).toISOString().slice(0, 10);
      await call(admin, 'POST', '/devices', { serial, model: 'MT-BOX-4G', receiptDate }, 201);
      const org = await call(admin, 'POST', '/organisations', { name: `Huadong Water Works ${locale.prefix}` }, 201);
      await call(admin, 'POST', `/organisations/${org.id}/devices`, { serials: [serial] });
      ({ url: inviteUrl } = await call(admin, 'POST', `/organisations/${org.id}/invitations`, { username }, 201));
    });

    it('shows the invitation page in the browser’s language and signs the customer in', async () => {
      page = await open(locale);
      await page.goto(inviteUrl);
      await page.locator('#invite-who').waitFor();
      expect(await strayText(page, locale, 'body')).toEqual([]);
      if (locale.page === 'zh-CN') {
        expect(await page.locator('#invite-form button[type="submit"]').textContent()).toBe('设置密码并登录');
        expect(await page.locator('#invite-who').textContent()).toMatch(new RegExp(`^您受邀以 ${username} 的身份`));
      }
      await page.locator('#invite-password').fill('short');
      await page.locator('#invite-repeat').fill('short');
      await page.locator('#invite-form button[type="submit"]').click();
      await page.locator('#invite-error').filter({ hasText: /\S/ }).waitFor();
      expect(await page.locator('#invite-error').textContent()).toBe(
        locale.page === 'zh-CN' ? '密码太短：请至少设置 12 个字符。' : 'The password is too short: choose at least 12 characters.',
      );
      await page.locator('#invite-password').fill(PASSWORD);
      await page.locator('#invite-repeat').fill(PASSWORD);
      await page.locator('#invite-form button[type="submit"]').click();
      await page.locator('#signed-in-user', { hasText: username }).waitFor();
      const { token } = await call({}, 'POST', '/auth/login', { username, password: PASSWORD });
      customer = { authorization: `Bearer ${token}` };
    });

    it('shows My boxes and a box with no text of the other language', async () => {
      await page.locator(`.portal-card[data-serial="${serial}"]`).waitFor();
      await settled(page);
      expect(await strayText(page, locale)).toEqual([]);
      if (locale.page === 'zh-CN') expect(await page.locator('#view h1').textContent()).toBe('我的云盒');

      await page.locator(`.portal-card[data-serial="${serial}"]`).click();
      await page.getByTestId('request-repair').waitFor();
      await settled(page);
      // The warranty's reasons are the server's sentences, in the page's language too.
      const box = await call(customer, 'GET', `/portal/devices/${serial}`, undefined, 200, locale.page);
      expect(box.warranty.reasons.length).toBeGreaterThan(0);
      for (const reason of box.warranty.reasons) await page.locator('#view', { hasText: reason }).waitFor();
      expect(await strayText(page, locale)).toEqual([]);
      if (locale.page === 'zh-CN') expect(await page.getByTestId('request-repair').textContent()).toBe('申请维修');
    });

    it('shows a repair waiting for the customer’s decision with its amounts and deadline in the page’s language', async () => {
      const bench = admin;
      ({ id: ticketId } = await call(admin, 'POST', '/tickets', { serial }, 201));
      const move = (to: string) => call(admin, 'POST', `/tickets/${ticketId}/transitions`, { to, reason: 'next step' });
      await move('warranty-confirmed');
      await move('awaiting-product');
      await call(admin, 'POST', `/tickets/${ticketId}/shipping`, { direction: 'inbound', carrier: 'SF Express', trackingNumber: `SF${ticketId}` });
      await move('received');
      await call(bench, 'POST', `/tickets/${ticketId}/repair-report`, {
        testResults: 'power board burnt',
        parts: [{ name: 'power board', unitCostFen: 8_550, qty: 1 }],
        damageDegree: 'minor',
      });
      await call(admin, 'POST', `/tickets/${ticketId}/cost-confirmation`, { freightFen: 2_500 });
      const ticket = await call(customer, 'GET', `/portal/tickets/${ticketId}`);
      expect(ticket.state).toBe('awaiting-decision');
      const decision = ticket.deadlines.find((d: { kind: string }) => d.kind === 'decision');
      expect(decision).toBeDefined();

      await page.locator('#portal-nav a[href="#/portal/tickets"]').click();
      await page.locator(`.portal-card[data-ticket-id="${ticketId}"]`).waitFor();
      await settled(page);
      expect(await strayText(page, locale)).toEqual([]);

      await page.locator(`.portal-card[data-ticket-id="${ticketId}"]`).click();
      await page.getByTestId('accept-cost').waitFor();
      await settled(page);
      expect(await strayText(page, locale)).toEqual([]);
      const due = await page.getByTestId('amount-due').textContent();
      expect(due).toBe(money(ticket.report.charges.dueFen, locale.page));
      const deadlineLine = page.locator('.portal-deadline.yours[data-kind="decision"]');
      if (locale.page === 'zh-CN') {
        expect(due).toMatch(/^¥[\d,]+\.\d\d$/);
        expect(await page.getByTestId('accept-cost').textContent()).toBe('接受维修费用');
        expect(await page.locator('.portal-now .badge').textContent()).toBe('待您处理');
        expect(await page.locator('.portal-now strong').textContent()).toBe('维修报告及费用已出，请您确认。');
        expect(await deadlineLine.evaluate((li) => li.firstChild?.textContent)).toBe(
          `请于 ${deadline(decision.dueAt, 'zh-CN')} 前确认是否接受维修费用`,
        );
        expect(await deadlineLine.locator('.countdown').textContent()).toMatch(/^剩余 \d+ 天 \d+ 小时$/);
      } else {
        expect(await page.getByTestId('accept-cost').textContent()).toBe('Accept the cost');
        expect(await deadlineLine.evaluate((li) => li.firstChild?.textContent)).toBe(
          `Please decide on the cost by ${deadline(decision.dueAt, 'en')}`,
        );
        expect(await deadlineLine.locator('.countdown').textContent()).toMatch(/^\d+ d \d+ h left$/);
      }
      // The deadline says Asia/Shanghai's time although the browser is in Berlin.
      expect(await deadlineLine.textContent()).toContain(deadline(decision.dueAt, locale.page));

      // The confirmation asks in the same language.
      await page.getByTestId('accept-cost').click();
      await page.locator('dialog[open]').waitFor();
      expect(await strayText(page, locale, 'dialog[open]')).toEqual([]);
      await page
        .locator('dialog[open]')
        .getByRole('button', { name: locale.page === 'zh-CN' ? '取消' : 'Cancel' })
        .click();
      await page.locator('dialog[open]').waitFor({ state: 'detached' });
    });

    it('shows platform feedback, a report, sessions, notifications and settings with no text of the other language', async () => {
      const report = await call(
        customer,
        'POST',
        '/portal/platform-tickets',
        {
          form: {
            project: 'Wuxi smart water PMS',
            reporter: 'Li Wei',
            contact: '0510-12345678',
            description: 'Dashboard shows no data since 08:00',
            severity: 'high',
            occurredAt: Date.now() - 3_600_000,
          },
        },
        201,
      );
      await page.locator('#portal-nav a[href="#/portal/feedback"]').click();
      await page.locator(`.feedback-item[data-ticket="${report.id}"]`).waitFor();
      await settled(page);
      expect(await strayText(page, locale)).toEqual([]);
      await page.locator(`.feedback-item[data-ticket="${report.id}"] a`).click();
      await page.locator('#feedback-form').waitFor();
      await settled(page);
      expect(await strayText(page, locale)).toEqual([]);
      if (locale.page === 'zh-CN') expect(await page.locator('#feedback-state').textContent()).toBe('已收到');

      // An engineer opens a remote-guidance session on the box and invites the customer.
      const session = await call(admin, 'POST', '/sessions', { serial }, 201);
      await call(admin, 'POST', `/sessions/${session.id}/links`, { label: 'plant operator' }, 201);
      await page.locator('#portal-nav a[href="#/portal/sessions"]').click();
      const item = page.locator(`.portal-session[data-session="${session.id}"]`);
      await item.getByTestId(`join-${session.id}`).waitFor();
      expect(await strayText(page, locale)).toEqual([]);
      if (locale.page === 'zh-CN') expect(await item.getByTestId(`join-${session.id}`).textContent()).toBe('加入');

      // The cost waiting for the customer's answer is notified once the backend has derived it.
      await expect
        .poll(async () => (await call(customer, 'GET', '/portal/notifications?limit=20')).notifications.length, { timeout: PAGE_TIMEOUT_MS })
        .toBeGreaterThan(0);
      await page.locator('#portal-nav a[href="#/portal/notifications"]').click();
      await page.getByTestId('notification').first().waitFor();
      await settled(page);
      const cost = page.getByTestId('notification').filter({ has: page.locator(`a[href="#/portal/tickets/${ticketId}"]`) });
      expect(await cost.locator('.badge').textContent()).toBe(locale.page === 'zh-CN' ? '维修费用待确认' : 'Repair cost to confirm');
      const title = await cost.locator('.notification-title').textContent();
      if (locale.page === 'zh-CN') expect(title).toBe(`请确认维修申请 #${ticketId} 的维修费用`);
      else expect(title).toMatch(/^Repair cost to confirm for box /);
      expect(await strayText(page, locale)).toEqual([]);

      await page.locator('#portal-nav a[href="#/portal/settings"]').click();
      await page.locator('.portal-settings-intro').waitFor();
      expect(await strayText(page, locale, '.portal-settings-intro')).toEqual([]);
    });

    it('keeps My boxes and a repair within a phone’s width, and switches the repair to the other language in place', async () => {
      const phone = await open(locale, PHONE);
      await phone.goto(`${base}/`);
      await phone.locator('input[name="username"]').fill(username);
      await phone.locator('input[name="password"]').fill(PASSWORD);
      await phone.locator('#login-form button[type="submit"]').click();
      await phone.locator(`.portal-card[data-serial="${serial}"]`).waitFor();
      await fitsPhone(phone);
      await phone.goto(`${base}/#/portal/tickets/${ticketId}`);
      await phone.getByTestId('accept-cost').waitFor();
      await settled(phone);
      await fitsPhone(phone);
      expect(await strayText(phone, locale)).toEqual([]);

      // The header's switch puts the repair in the other language in place, within the width too.
      const other: PageLocale = locale.page === 'zh-CN' ? 'en' : 'zh-CN';
      await phone.locator('#language').selectOption(other);
      await expect.poll(() => phone.getByTestId('accept-cost').textContent()).toBe(other === 'zh-CN' ? '接受维修费用' : 'Accept the cost');
      await settled(phone);
      expect(await otherLanguageText(phone, other, { root: '#view' })).toEqual([]);
      await fitsPhone(phone);
      await phone.context().close();
      await page.context().close();
      expect(pageErrors).toEqual([]);
    });
  });
});
