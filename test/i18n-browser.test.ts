import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './helpers/chromium.ts';
import { ADMIN_PASSWORD, startTestBackend, type TestBackend } from './helpers/backend.ts';
import { otherLanguageText } from './helpers/language-check.ts';
import { pageIn } from './helpers/locale-page.ts';
import { seedWorkbench, type WorkbenchSeed } from './helpers/workbench-seed.ts';

/*
 * The page's language in a real Chromium: the first visit follows the browser's language, the
 * header's switch changes it in place (no reload: a marker set on the window survives) and is
 * kept on the account, so it comes back at the next sign-in whatever the browser says.
 */

const SCREENSHOTS = process.env.WRITE_SCREENSHOTS === '1';

describe('the page speaks Chinese or English', () => {
  let backend: TestBackend;
  let seed: WorkbenchSeed;
  let browser: Browser;
  let base: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    backend = await startTestBackend();
    seed = await seedWorkbench(backend);
    base = `http://127.0.0.1:${backend.app.httpPort}`;
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    for (const box of seed?.boxes ?? []) box.end(true);
    await backend?.stop();
  });

  async function open(locale: 'zh-CN' | 'en-US', timezoneId = 'Asia/Shanghai'): Promise<Page> {
    const page = await pageIn(browser, { locale, timezoneId, errors: pageErrors });
    await page.goto(`${base}/`);
    await page.locator('#login-form').waitFor();
    return page;
  }

  async function signIn(page: Page, submit: string): Promise<void> {
    await page.locator('input[name="username"]').fill('admin');
    await page.locator('input[name="password"]').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: submit, exact: true }).click();
    await page.locator('#signed-in-user').waitFor();
  }

  it('shows the sign-in page in Chinese to a Chinese browser, with no English left', async () => {
    const page = await open('zh-CN');
    await expect.poll(() => page.locator('#login-form h1').textContent()).toBe('登录');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(await page.locator('#language').inputValue()).toBe('zh-CN');
    expect(await otherLanguageText(page, 'zh-CN')).toEqual([]);
  });

  it('shows the sign-in page in English to an English browser, with no Chinese left', async () => {
    const page = await open('en-US');
    await expect.poll(() => page.locator('#login-form h1').textContent()).toBe('Sign in');
    expect(await page.locator('#language').inputValue()).toBe('en');
    expect(await otherLanguageText(page, 'en')).toEqual([]);
  });

  it('answers a refused sign-in in the page language', async () => {
    const page = await open('zh-CN');
    await page.locator('input[name="username"]').fill('admin');
    await page.locator('input[name="password"]').fill('not-the-password');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await expect.poll(() => page.locator('#login-error').textContent()).toBe('用户名或密码错误。');
  });

  it('switches language without a reload, keeps it on the account, and brings it back at the next sign-in', async () => {
    const page = await open('en-US');
    // What was typed survives the switch on the sign-in page.
    await page.locator('input[name="username"]').fill('admin');
    await page.locator('#language').selectOption('zh-CN');
    await expect.poll(() => page.locator('#login-form h1').textContent()).toBe('登录');
    expect(await page.locator('input[name="username"]').inputValue()).toBe('admin');
    await page.locator('#language').selectOption('en');
    await signIn(page, 'Sign in');
    await expect.poll(() => page.locator('nav#nav a[href="#/fleet"]').textContent()).toBe('Fleet');

    await page.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/auth/me/preferences') && r.request().method() === 'PATCH');
    await page.locator('#language').selectOption('zh-CN');
    expect((await saved).status()).toBe(200);
    await expect.poll(() => page.locator('nav#nav a[href="#/fleet"]').textContent()).toBe('设备');
    await expect.poll(() => page.locator('#signed-in-user').textContent()).toBe('admin（管理员）');
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');

    // Sign out, and sign in again from a fresh English browser: the account's choice wins.
    await page.locator('#logout').click();
    await page.locator('#login-form').waitFor();
    const fresh = await open('en-US');
    await signIn(fresh, 'Sign in');
    await expect.poll(() => fresh.locator('nav#nav a[href="#/fleet"]').textContent()).toBe('设备');
    expect(await fresh.locator('#language').inputValue()).toBe('zh-CN');

    // Back to English for the tests that follow on this account.
    await fresh.locator('#language').selectOption('en');
    await expect.poll(() => fresh.locator('nav#nav a[href="#/fleet"]').textContent()).toBe('Fleet');
    expect(pageErrors).toEqual([]);
  });

  it('keeps a chosen time zone on the account', async () => {
    const page = await open('en-US');
    await signIn(page, 'Sign in');
    await page.locator('#signed-in-user').click();
    await page.locator('#time-zone').selectOption('Europe/Berlin');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.locator('dialog').waitFor({ state: 'detached' });
    const me = await page.evaluate(async () => (await fetch('/api/auth/me')).json());
    expect(me.preferences).toEqual({ locale: 'en', timeZone: 'Europe/Berlin', timeZoneChosen: true });
    expect(pageErrors).toEqual([]);
  });

  it.each([
    { browserLocale: 'zh-CN' as const, locale: 'zh-CN' as const, submit: '登录', account: 'wang.fang' },
    { browserLocale: 'en-US' as const, locale: 'en' as const, submit: 'Sign in', account: 'emma.li' },
  ])(
    'shows a repair ticket with its box, deadlines and live activity all in $locale on a desktop',
    async ({ browserLocale, locale, submit, account }) => {
      const admin = { ...(await backend.adminHeaders()), 'content-type': 'application/json' };
      const created = await fetch(`${backend.api}/users`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({ username: account, password: 'correct horse battery staple', role: 'after-sales' }),
      });
      expect(created.status).toBe(201);
      const page = await open(browserLocale);
      await page.locator('input[name="username"]').fill(account);
      await page.locator('input[name="password"]').fill('correct horse battery staple');
      await page.getByRole('button', { name: submit, exact: true }).click();
      await page.locator('#signed-in-user').waitFor();
      await page.evaluate((id) => {
        location.hash = `#/tickets/${id}`;
      }, seed.ticketId);
      await page.locator('#ticket-deadlines').waitFor();
      await page.locator('#ticket-audit').waitFor();
      await page.locator('#live-status', { hasText: locale === 'zh-CN' ? '实时' : 'live' }).waitFor();
      expect(await otherLanguageText(page, locale)).toEqual([]);
      if (SCREENSHOTS) await page.screenshot({ path: `docs/screenshots/ticket-${locale}.png` });
      expect(pageErrors).toEqual([]);
    },
  );
});
