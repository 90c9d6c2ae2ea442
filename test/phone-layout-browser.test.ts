import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './helpers/chromium.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestBackend, type TestBackend } from './helpers/backend.ts';
import { seedWorkbench, type WorkbenchSeed } from './helpers/workbench-seed.ts';

/*
 * Every page of the workbench on a 390 × 844 phone, in a real Chromium against the whole
 * backend with a seeded plant: no page scrolls sideways, and the header keeps navigation and
 * "Sign out" on screen. The pages are read from the dashboard's route table, so a new page is
 * checked as soon as it is routed (and this test asks for its example URL).
 */

const PAGE_TIMEOUT_MS = 10_000;
const PHONE = { width: 390, height: 844 };
const SCREENSHOTS = process.env.WRITE_SCREENSHOTS === '1';

/** The hash patterns of `ROUTES` in dashboard/app.js. */
function routedPatterns(): string[] {
  const source = readFileSync(new URL('../dashboard/app.js', import.meta.url), 'utf8');
  return [...source.matchAll(/pattern: '(#\/[^']*)'/g)].map((m) => m[1] as string);
}

describe('every page on a 390 px phone', () => {
  let backend: TestBackend;
  let seed: WorkbenchSeed;
  let organisationId: number;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

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
    page = await browser.newPage({ viewport: PHONE });
    page.setDefaultTimeout(PAGE_TIMEOUT_MS);
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(`http://127.0.0.1:${backend.app.httpPort}/`);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#signed-in-user', { hasText: 'admin' }).waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    for (const box of seed?.boxes ?? []) box.end(true);
    await backend?.stop();
  });

  /** An example URL of each routed page, from the seeded plant. */
  function example(pattern: string): string {
    const ids: Record<string, string | number> = {
      '#/devices/:serial': seed.serial,
      '#/tickets/:id': seed.ticketId,
      '#/cases/:id': seed.caseId,
      '#/incidents/:id': seed.incidentId,
      '#/sessions/:id': seed.sessionId,
      '#/platform-tickets/:id': seed.platformTicketId,
      '#/organisations/:id': organisationId,
      // A public page: signed in, staff land on their own first page; the invitation page's
      // fit on a phone is checked signed out in organisations-browser.test.ts.
      '#/invite/:token': 'A'.repeat(43),
      // Until the portal is walked signed in as a customer, a staff account is sent to its own pages.
      '#/portal/feedback/:id': seed.platformTicketId,
    };
    if (!pattern.includes(':')) return pattern;
    const id = ids[pattern];
    if (id === undefined) throw new Error(`no example for the new page ${pattern}: add one to this test`);
    return pattern.replace(/:[a-z]+$/i, encodeURIComponent(String(id)));
  }

  it('routes the pages the workbench is made of', () => {
    expect(routedPatterns()).toEqual(expect.arrayContaining(['#/fleet', '#/devices/:serial', '#/tickets']));
  });

  it.each(routedPatterns())('%s fits the phone and keeps navigation and sign-out on screen', async (pattern) => {
    const hash = example(pattern);
    await page.evaluate((h) => {
      location.hash = h;
    }, hash);
    // The page has loaded when nothing in it still says so.
    await page.waitForFunction(() => {
      const view = document.getElementById('view');
      return view !== null && view.childElementCount > 0 && !/Loading/.test(view.textContent ?? '');
    });
    expect(await page.locator('#view .error[role="alert"]').filter({ hasText: /\S/ }).allTextContents()).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

    for (const el of [page.getByRole('button', { name: 'Sign out' }), ...(await page.locator('#nav a').all())]) {
      const box = await el.boundingBox();
      expect(box).not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
    }
    if (SCREENSHOTS && pattern === '#/tickets/:id') await page.screenshot({ path: 'docs/screenshots/phone.png' });
    expect(pageErrors).toEqual([]);
  });
});
