import type { Browser, Page } from 'playwright-core';

/*
 * Browser pages for the language tests: a fresh context per page, so its language is the
 * browser's (`locale`, what it sends as Accept-Language) and nothing chosen on another page
 * carries over; its zone is set apart from the account's to show times do not follow it.
 */

const PAGE_TIMEOUT_MS = 10_000;

export interface PageOptions {
  locale: 'zh-CN' | 'en-US';
  timezoneId?: string;
  viewport?: { width: number; height: number };
  /** Where the page's uncaught errors are collected, for the test to assert none. */
  errors: string[];
}

/** A page in a new context of `browser`; closing the browser closes it. */
export async function pageIn(
  browser: Browser,
  { locale, timezoneId = 'Asia/Shanghai', viewport = { width: 1360, height: 820 }, errors }: PageOptions,
): Promise<Page> {
  const context = await browser.newContext({ locale, timezoneId, viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(PAGE_TIMEOUT_MS);
  page.on('pageerror', (err) => errors.push(`${locale}: ${err.message}`));
  return page;
}

/** Signs in through the workbench's form, whatever language it is in, and waits for the header. */
export async function signInThroughForm(page: Page, base: string, username: string, password: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('#login-form button[type="submit"]').click();
  await page.locator('#signed-in-user', { hasText: username }).waitFor();
}
