import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './helpers/chromium.ts';
import { startTestBackend, type TestBackend } from './helpers/backend.ts';

/*
 * Issue 12 in a real Chromium against the whole backend: after-sales records a customer
 * organisation, links its boxes by serial (an unknown serial is reported, not refused),
 * invites one of its people and copies the one-time URL; that person opens the URL in a
 * browser of their own, is refused a guessable password in words, chooses a strong one and
 * lands on the portal signed in as the customer; the used URL then says it cannot be used.
 * The whole journey runs on a desktop and on a 390 px phone.
 */

const PAGE_TIMEOUT_MS = 10_000;
const PASSWORD = 'correct horse battery';
const STRONG = 'violet anchor drizzle pottery';
const VIEWPORTS = [
  { label: 'desktop', viewport: { width: 1360, height: 820 }, tag: 'D' },
  { label: '390 px phone', viewport: { width: 390, height: 844 }, tag: 'P' },
] as const;

describe('customer organisations and invitations in the browser', () => {
  let backend: TestBackend;
  let browser: Browser;
  let base: string;
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];

  async function call(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${backend.api}${path}`, {
      method,
      headers: { ...(await backend.adminHeaders()), 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async function context(viewport: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }> {
    const ctx = await browser.newContext({ viewport });
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    const page = await ctx.newPage();
    page.setDefaultTimeout(PAGE_TIMEOUT_MS);
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      if (msg.text().includes('Content Security Policy')) cspViolations.push(msg.text());
    });
    return { context: ctx, page };
  }

  async function fitsWidth(page: Page, width: number): Promise<void> {
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  }

  beforeAll(async () => {
    backend = await startTestBackend();
    base = `http://127.0.0.1:${backend.app.httpPort}`;
    const clerk = await call('POST', '/users', { username: 'clerk', password: PASSWORD, role: 'after-sales' });
    expect(clerk.status).toBe(201);
    for (const { tag } of VIEWPORTS) {
      for (const n of [1, 2]) {
        const res = await call('POST', '/devices', { serial: `MTB26ORG${tag}000${n}`, model: 'MT-BOX-4G' });
        expect(res.status).toBe(201);
      }
    }
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await backend?.stop();
  });

  describe.each(VIEWPORTS)('on a $label', ({ viewport, tag }) => {
    const orgName = `Taihu <b>Water</b> Works ${tag}`;
    const username = `zhou.min.${tag.toLowerCase()}`;
    const [box1, box2, unknown] = [`MTB26ORG${tag}0001`, `MTB26ORG${tag}0002`, `MTB26NOPE${tag}001`];
    let clerk: Page;
    let inviteUrl: string;

    it('lets after-sales record a customer from the Customers page', async () => {
      ({ page: clerk } = await context(viewport));
      await clerk.goto(`${base}/`);
      await clerk.locator('input[name="username"]').fill('clerk');
      await clerk.locator('input[name="password"]').fill(PASSWORD);
      await clerk.getByRole('button', { name: 'Sign in' }).click();
      await clerk.locator('#signed-in-user', { hasText: 'clerk' }).waitFor();
      await clerk.locator('#nav').getByRole('link', { name: 'Customers' }).click();
      await clerk.waitForFunction(() => {
        const view = document.getElementById('view');
        return view !== null && view.querySelector('table, .paged + .muted:not([hidden])') !== null && !/Loading/.test(view.textContent ?? '');
      });
      await fitsWidth(clerk, viewport.width);

      await clerk.getByRole('button', { name: 'New customer' }).click();
      const dialog = clerk.locator('dialog[open]');
      await dialog.locator('[name="name"]').fill(orgName);
      await dialog.locator('[name="businessLine"]').selectOption('smart-environmental-protection');
      await dialog.locator('[name="contactName"]').fill('Zhou Min');
      await dialog.locator('[name="contactPhone"]').fill('0510-8123-4567');
      await dialog.getByRole('button', { name: 'Record the customer' }).click();
      await dialog.waitFor({ state: 'detached' });
      // The name is shown as text, markup and all.
      await clerk.locator('#organisation-name', { hasText: orgName }).waitFor();
      expect(await clerk.locator('#organisation-name b').count()).toBe(0);
      await clerk.getByText('Zhou Min · 0510-8123-4567').waitFor();
      await clerk.getByText('No boxes belong to this customer yet.').waitFor();
      await fitsWidth(clerk, viewport.width);
    });

    it('links two boxes by serial and reports the unknown serial in words', async () => {
      await clerk.locator('#link-serials').fill(`${box1}\n${box2.toLowerCase()}, ${unknown}`);
      await clerk.getByTestId('link-boxes').click();
      await clerk
        .locator('#link-outcome', { hasText: `Linked 2 boxes. This serial is not registered, so nothing was done for it: ${unknown}.` })
        .waitFor();
      const boxes = clerk.locator('#organisation-boxes');
      await boxes.getByRole('link', { name: box1 }).waitFor();
      expect(await boxes.getByRole('link', { name: box2 }).getAttribute('href')).toBe(`#/devices/${box2}`);
      await clerk.locator('#organisation-box-count', { hasText: '2 boxes' }).waitFor();
      await fitsWidth(clerk, viewport.width);
    });

    it('shows the organisation on the device page, linked back to the customer', async () => {
      await clerk.locator('#organisation-boxes').getByRole('link', { name: box1 }).click();
      const link = clerk.locator('#device-organisation');
      await link.waitFor();
      expect(await link.textContent()).toBe(orgName);
      await link.click();
      await clerk.locator('#organisation-name', { hasText: orgName }).waitFor();
    });

    it('unlinks a box after confirming', async () => {
      await clerk.getByTestId(`unlink-${box2}`).click();
      const dialog = clerk.locator('dialog[open]');
      await dialog.getByText(`${orgName}'s people no longer see it`).waitFor();
      await dialog.getByRole('button', { name: 'Unlink the box' }).click();
      await dialog.waitFor({ state: 'detached' });
      await clerk.locator('#organisation-box-count', { hasText: '1 box' }).waitFor();
      expect(await clerk.locator('#organisation-boxes').getByRole('link', { name: box2 }).count()).toBe(0);
    });

    it('edits the contacts: adds a row and keeps the first', async () => {
      await clerk.getByTestId('edit-organisation').click();
      const dialog = clerk.locator('dialog[open]');
      await dialog.getByRole('button', { name: 'Add a contact' }).click();
      await dialog.getByLabel('Name 2').fill('Qian Li');
      await dialog.getByLabel('E-mail 2').fill('qian.li@example.com');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'detached' });
      await clerk.getByText('Qian Li · qian.li@example.com').waitFor();
      await clerk.getByText('Zhou Min · 0510-8123-4567').waitFor();
    });

    it('invites a person and copies the one-time URL shown once with its expiry in words', async () => {
      await clerk.locator('#invite-username').fill(username);
      await clerk.getByTestId('invite').click();
      const url = clerk.locator('#invitation-url');
      await url.waitFor();
      inviteUrl = await url.inputValue();
      expect(inviteUrl).toMatch(new RegExp(`^${base}/#/invite/[A-Za-z0-9_-]{43}$`));
      await clerk.locator('#invitation-link', { hasText: `Send this link to ${username}.` }).waitFor();
      await clerk.locator('#invitation-link', { hasText: '(in 7 days)' }).waitFor();
      await clerk.getByRole('button', { name: 'Copy' }).click();
      await clerk.locator('#invitation-copied', { hasText: 'Copied.' }).waitFor();
      expect(await clerk.evaluate(() => navigator.clipboard.readText())).toBe(inviteUrl);
      // The pending invitation is listed; the link itself is not.
      const people = clerk.locator('section', { has: clerk.getByRole('heading', { name: 'People' }) });
      await people.getByRole('cell', { name: username }).waitFor();
      await fitsWidth(clerk, viewport.width);
    });

    it('lets the invited person choose a password, refusing a guessable one in words, and signs them in to the portal', async () => {
      const { page, context: ctx } = await context(viewport);
      await page.goto(inviteUrl);
      await page.locator('#invite-who', { hasText: `You are invited as ${username} to see ${orgName}'s boxes` }).waitFor();
      await fitsWidth(page, viewport.width);

      await page.locator('#invite-password').fill(STRONG);
      await page.locator('#invite-repeat').fill(`${STRONG}!`);
      await page.getByRole('button', { name: 'Set password and sign in' }).click();
      await page.locator('#invite-error', { hasText: 'The two passwords differ' }).waitFor();

      await page.locator('#invite-password').fill('short');
      await page.locator('#invite-repeat').fill('short');
      await page.getByRole('button', { name: 'Set password and sign in' }).click();
      await page.locator('#invite-error', { hasText: 'The password is too short: choose at least 12 characters.' }).waitFor();

      await page.locator('#invite-password').fill('password1234');
      await page.locator('#invite-repeat').fill('password1234');
      await page.getByRole('button', { name: 'Set password and sign in' }).click();
      await page.locator('#invite-error', { hasText: 'The password is too weak. It would be too easy to guess.' }).waitFor();

      await page.locator('#invite-password').fill(STRONG);
      await page.locator('#invite-repeat').fill(STRONG);
      await page.getByRole('button', { name: 'Set password and sign in' }).click();
      await page.locator('#signed-in-user', { hasText: `${username} (customer)` }).waitFor();
      expect(await page.evaluate(() => location.hash)).toBe('#/portal');
      expect(await page.locator('#nav').isHidden()).toBe(true);
      // Only the organisation's own box: not the one unlinked, not the other boxes registered.
      await page.locator('.portal-card[data-serial]').first().waitFor();
      expect(await page.locator('.portal-card[data-serial]').evaluateAll((els) => els.map((e) => e.getAttribute('data-serial')))).toEqual([box1]);
      await fitsWidth(page, viewport.width);
      await ctx.close();

      // The account signs in with the chosen password from then on.
      const login = await fetch(`${backend.api}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: STRONG }),
      });
      expect(login.status).toBe(200);
    });

    it('answers the used URL with the invalid-link words and the reason', async () => {
      const { page, context: ctx } = await context(viewport);
      await page.goto(inviteUrl);
      const error = page.locator('#invite-error');
      await error.waitFor();
      expect(await error.textContent()).toBe(
        'This invitation link cannot be used: it is unknown, has expired or was used already. Ask your after-sales contact for a new one. ' +
          'The link was used already: sign in with the password chosen then.',
      );
      await fitsWidth(page, viewport.width);
      await ctx.close();
    });

    it("lists the new account on the customer's page and no pending invitation", async () => {
      await clerk.reload();
      const people = clerk.locator('section', { has: clerk.getByRole('heading', { name: 'People' }) });
      await people.getByRole('cell', { name: 'can sign in' }).waitFor();
      await people.getByText('No invitation is waiting.').waitFor();
      expect(await people.getByRole('cell', { name: username }).count()).toBe(1);
      expect(pageErrors).toEqual([]);
      expect(cspViolations).toEqual([]);
    });
  });
});
