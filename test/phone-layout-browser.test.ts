import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './helpers/chromium.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestBackend, type TestBackend } from './helpers/backend.ts';
import { otherLanguageText } from './helpers/language-check.ts';
import { portalCustomer } from './helpers/portal-customer.ts';
import { seedWorkbench, type WorkbenchSeed } from './helpers/workbench-seed.ts';

/*
 * Every page of the workbench on a 390 × 844 phone, in a real Chromium against the whole
 * backend with a seeded plant, in English and in Chinese (English is longer, Chinese taller):
 * no page scrolls sideways, and the header keeps navigation and "Sign out" on screen. The pages are read from the dashboard's route tables, so a new page is
 * checked as soon as it is routed (and this test asks for its example URL): the staff's pages
 * signed in as admin, the customer portal's signed in as a customer of the seeded plant.
 */

const PAGE_TIMEOUT_MS = 10_000;
const PHONE = { width: 390, height: 844 };
const SCREENSHOTS = process.env.WRITE_SCREENSHOTS === '1';

type Locale = 'en' | 'zh-CN';
const LOCALES: Locale[] = ['en', 'zh-CN'];
const BROWSER_LOCALE: Record<Locale, string> = { en: 'en-US', 'zh-CN': 'zh-CN' };

const CUSTOMER = 'phone-customer';
const CUSTOMER_PASSWORD = 'correct horse battery';

/** The hash patterns of one route table in dashboard/app.js (`ROUTES`, `PORTAL_ROUTES`, …). */
function routedPatterns(table: 'ROUTES' | 'PORTAL_ROUTES'): string[] {
  const source = readFileSync(new URL('../dashboard/app.js', import.meta.url), 'utf8');
  const start = source.indexOf(`const ${table} = [`);
  if (start < 0) throw new Error(`dashboard/app.js has no ${table}`);
  const body = source.slice(start, source.indexOf('];', start));
  return [...body.matchAll(/pattern: '(#\/[^']*)'/g)].map((m) => m[1] as string);
}

describe('every page on a 390 px phone', () => {
  let backend: TestBackend;
  let seed: WorkbenchSeed;
  let organisationId: number;
  let customerReportId: number;
  let browser: Browser;
  const staffPages = new Map<Locale, Page>();
  const customerPages = new Map<Locale, Page>();
  const pageErrors: string[] = [];

  /** A phone whose browser speaks `locale`, signed in; neither account chose a language, so the page follows the browser. */
  async function phone(locale: Locale, username: string, password: string): Promise<Page> {
    const p = await (await browser.newContext({ viewport: PHONE, locale: BROWSER_LOCALE[locale] })).newPage();
    p.setDefaultTimeout(PAGE_TIMEOUT_MS);
    p.on('pageerror', (err) => pageErrors.push(err.message));
    await p.goto(`http://127.0.0.1:${backend.app.httpPort}/`);
    await p.locator('input[name="username"]').fill(username);
    await p.locator('input[name="password"]').fill(password);
    await p.locator('#login-form button[type="submit"]').click();
    await p.locator('#signed-in-user', { hasText: username }).waitFor();
    return p;
  }

  beforeAll(async () => {
    backend = await startTestBackend();
    seed = await seedWorkbench(backend);
    // A customer with a box, a contact and a pending invitation: every part of its page shows.
    const org = await fetch(`${backend.api}/organisations`, {
      method: 'POST',
      headers: { ...(await backend.adminHeaders()), 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Wuxi Pump Works Group',
        businessLine: 'smart-logistics',
        contacts: [{ name: 'Li Wei', phone: '0510-8888-1234' }],
      }),
    });
    organisationId = ((await org.json()) as { id: number }).id;
    for (const [path, body] of [
      [`/organisations/${organisationId}/devices`, { serials: [seed.serial] }],
      [`/organisations/${organisationId}/invitations`, { username: 'li.wei' }],
    ] as const) {
      const res = await fetch(`${backend.api}${path}`, {
        method: 'POST',
        headers: { ...(await backend.adminHeaders()), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${path} answered ${res.status}`);
    }
    browser = await launchChromium();
    // The seeded plant's repair box belongs to a customer organisation, so its portal pages have content.
    await portalCustomer(backend, { name: 'Wuxi Pump Works' }, [seed.serial], CUSTOMER, CUSTOMER_PASSWORD);
    customerReportId = await submitBugReport();
    for (const locale of LOCALES) {
      staffPages.set(locale, await phone(locale, 'admin', ADMIN_PASSWORD));
      customerPages.set(locale, await phone(locale, CUSTOMER, CUSTOMER_PASSWORD));
    }
  }, 60_000);

  /** The customer's own BUG Feedback Form, so its page in the portal has a report to show. */
  async function submitBugReport(): Promise<number> {
    const json = { 'content-type': 'application/json' };
    const login = await fetch(`${backend.api}/auth/login`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ username: CUSTOMER, password: CUSTOMER_PASSWORD }),
    });
    const { token } = (await login.json()) as { token: string };
    const form = {
      project: 'Pump station SCADA',
      reporter: CUSTOMER,
      contact: '0510-8888-1234',
      description: 'The trend page has stayed blank since this morning.',
      severity: 'medium',
      occurredAt: Date.now() - 3_600_000,
    };
    const res = await fetch(`${backend.api}/portal/platform-tickets`, {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${token}` },
      body: JSON.stringify({ form }),
    });
    if (res.status !== 201) throw new Error(`BUG Feedback Form answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { id: number }).id;
  }

  afterAll(async () => {
    await browser?.close();
    for (const box of seed?.boxes ?? []) box.end(true);
    await backend?.stop();
  });

  /**
   * An example URL of each routed page, from the seeded plant. Portal pages show the customer's
   * own records: the seeded repair box and its ticket belong to the customer's organisation.
   */
  function example(pattern: string): string {
    const ids: Record<string, string | number> = {
      '#/devices/:serial': seed.serial,
      '#/tickets/:id': seed.ticketId,
      '#/cases/:id': seed.caseId,
      '#/incidents/:id': seed.incidentId,
      '#/sessions/:id': seed.sessionId,
      '#/platform-tickets/:id': seed.platformTicketId,
      '#/organisations/:id': organisationId,
      '#/portal/feedback/:id': customerReportId,
      '#/portal/devices/:serial': seed.serial,
      '#/portal/tickets/:id': seed.ticketId,
    };
    if (!pattern.includes(':')) return pattern;
    const id = ids[pattern];
    if (id === undefined) throw new Error(`no example for the new page ${pattern}: add one to this test`);
    return pattern.replace(/:[a-z]+$/i, encodeURIComponent(String(id)));
  }

  it('routes the pages the workbench and the portal are made of', () => {
    expect(routedPatterns('ROUTES')).toEqual(expect.arrayContaining(['#/fleet', '#/devices/:serial', '#/tickets']));
    expect(routedPatterns('PORTAL_ROUTES')).toEqual(expect.arrayContaining(['#/portal', '#/portal/tickets/:id']));
  });

  const walks = LOCALES.flatMap((locale) => [
    ...routedPatterns('ROUTES').map((pattern) => ({ pattern, who: 'staff' as const, locale })),
    ...routedPatterns('PORTAL_ROUTES').map((pattern) => ({ pattern, who: 'customer' as const, locale })),
  ]);
  it.each(walks)('$pattern ($who, $locale) fits the phone and keeps navigation and sign-out on screen', async ({ pattern, who, locale }) => {
    const hash = example(pattern);
    const page = (who === 'staff' ? staffPages : customerPages).get(locale) as Page;
    await page.evaluate((h) => {
      location.hash = h;
    }, hash);
    // The page has loaded when nothing in it still says so.
    await page.waitForFunction(() => {
      const view = document.getElementById('view');
      return view !== null && view.childElementCount > 0 && !/Loading|加载中/.test(view.textContent ?? '');
    });
    expect(await page.locator('#view .error[role="alert"]').filter({ hasText: /\S/ }).allTextContents()).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

    expect(await page.evaluate(() => location.hash)).toBe(hash);
    const nav = who === 'staff' ? '#nav a' : '#portal-nav a';
    for (const el of [page.locator('#logout'), page.locator('#language'), ...(await page.locator(nav).all())]) {
      const box = await el.boundingBox();
      expect(box).not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
    }
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(locale);
    // Every word on the page in the page's language: header, navigation, the page itself.
    expect(await otherLanguageText(page, locale)).toEqual([]);
    if (SCREENSHOTS && pattern === '#/tickets/:id' && locale === 'en') await page.screenshot({ path: 'docs/screenshots/phone.png' });
    expect(pageErrors).toEqual([]);
  });
});
