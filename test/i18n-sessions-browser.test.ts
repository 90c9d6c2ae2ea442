import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimBox } from '../device-sim/index.ts';
import { launchChromium } from './helpers/chromium.ts';
import { otherLanguageText, type PageLocale } from './helpers/language-check.ts';
import { MONDAY_20_CST, startSessionFixture, type Account, type SessionFixture } from './helpers/session-fixture.ts';
import { waitFor } from './helpers/wait-for.ts';
import { pageIn, signInThroughForm } from './helpers/locale-page.ts';

/*
 * Remote-guidance sessions in Chinese and in English, in a real Chromium against the whole
 * backend and a simulated box: the sessions list, a live session console with a chat line and
 * system entries, and the customer link page, each in a browser context of its own language
 * (an engineer account per language that never chose one, so the page follows the browser).
 * The console's command palette is checked by its own area: here the console's other cards are.
 */

const PHONE = { width: 390, height: 844 };
const CHAT = 'Please check the PLC power LED';
/** Each engineer's chat line, told apart. */
const chatOf = (locale: PageLocale) => `${CHAT} (${locale})`;

/** The console's cards and header, leaving out the command palette's card. */
const CONSOLE_PARTS = [
  '#view > .toolbar',
  '#session-timeline-card',
  '#session-facts-card',
  '#session-telemetry-card',
  '#session-tunnels-card',
  '#session-actions-card',
];

const WORDS = {
  'zh-CN': {
    browser: 'zh-CN',
    heading: '远程指导会话',
    active: '进行中',
    live: '实时',
    sendChat: '发送消息',
    connected: '已连接',
    customerState: '进行中',
    send: '发送',
  },
  en: {
    browser: 'en-US',
    heading: 'Remote sessions',
    active: 'active',
    live: 'live',
    sendChat: 'Send chat',
    connected: 'connected',
    customerState: 'in progress',
    send: 'Send',
  },
} as const;

describe('remote-guidance sessions in Chinese and English', () => {
  let fixture: SessionFixture;
  let browser: Browser;
  let base: string;
  let box: SimBox;
  let opener: Account;
  let sessionId: number;
  const pageErrors: string[] = [];
  const staff: Partial<Record<PageLocale, Page>> = {};
  const customers: Partial<Record<PageLocale, Page>> = {};

  async function newPage(locale: PageLocale, viewport = { width: 1360, height: 820 }): Promise<Page> {
    return pageIn(browser, { locale: WORDS[locale].browser, viewport, errors: pageErrors });
  }

  /** An engineer of their own per language, who never chose one: the page follows the browser. */
  async function signedIn(locale: PageLocale): Promise<Page> {
    const username = locale === 'en' ? 'eng.english' : 'eng.chinese';
    const password = locale === 'en' ? 'violet harbour lantern 7' : 'copper meadow whistle 9';
    const admin = await fixture.backend.adminHeaders();
    expect((await fixture.api('POST', '/users', admin, { username, password, role: 'engineer' })).status).toBe(201);
    const page = await newPage(locale);
    await signInThroughForm(page, base, username, password);
    staff[locale] = page;
    return page;
  }

  /** A new customer link for the session (a link opens in one browser only). */
  async function customerLink(label: string): Promise<string> {
    const created = await fixture.api<{ url: string }>('POST', `/sessions/${sessionId}/links`, opener.headers, { label });
    expect(created.status).toBe(201);
    return created.body.url;
  }

  beforeAll(async () => {
    fixture = await startSessionFixture();
    base = `http://127.0.0.1:${fixture.backend.app.httpPort}`;
    opener = await fixture.account('engineer');
    box = await fixture.boxOnline();
    const opened = await fixture.api<{ id: number; state: string }>('POST', '/sessions', opener.headers, { serial: box.serial });
    expect(opened.body.state).toBe('active');
    sessionId = opened.body.id;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await fixture?.close();
  });

  for (const locale of ['zh-CN', 'en'] as const) {
    const words = WORDS[locale];

    it(`lists the sessions in ${locale} only`, async () => {
      const page = await signedIn(locale);
      await page.goto(`${base}/#/sessions`);
      const row = page.locator('tbody tr', { hasText: box.serial });
      await row.waitFor();
      expect(await page.locator('#view h1').textContent()).toBe(words.heading);
      expect(await row.locator('.badge').textContent()).toBe(words.active);
      expect(await otherLanguageText(page, locale, { root: '#view' })).toEqual([]);
    });

    it(`shows a live session console in ${locale} only, with a chat line and system entries`, async () => {
      const page = staff[locale] as Page;
      await page.goto(`${base}/#/sessions/${sessionId}`);
      await page.locator('#session-connection', { hasText: new RegExp(`^${words.live}$`) }).waitFor();
      expect(await page.locator('#session-state').textContent()).toBe(words.active);
      await page.locator('#chat-form-text').fill(chatOf(locale));
      await page.getByRole('button', { name: words.sendChat, exact: true }).click();
      await page.locator('#session-timeline li[data-kind="chat"]', { hasText: chatOf(locale) }).waitFor();
      await page.locator('#session-timeline li[data-kind="system"]').first().waitFor();
      await page.locator('#session-timeline li[data-kind="participant-joined"]').first().waitFor();
      // Telemetry is volatile: keep the box talking until a sample reaches the console.
      await waitFor(
        async () => {
          box.publishTelemetry();
          return (await page.locator('#session-metrics-time[data-ts]').count()) > 0;
        },
        { timeoutMs: 10_000, what: 'live telemetry in the console' },
      );
      await page.locator('#tunnel-list, #session-tunnels-card .empty').first().waitFor();
      for (const root of CONSOLE_PARTS) expect(await otherLanguageText(page, locale, { root }), root).toEqual([]);
      if (locale === 'zh-CN') {
        expect(await page.locator('#view h1').textContent()).toBe(`会话 #${sessionId}`);
        const opened = page.locator('#session-timeline li[data-kind="system"]').first();
        expect(await opened.locator('.entry-text').textContent()).toBe(`${opener.username} 发起了远程会话`);
        expect(await opened.locator('.badge').textContent()).toBe('会话');
        await page.getByRole('button', { name: '转 RMA 返修', exact: true }).waitFor();
        await page.getByText('本会话没有隧道。').waitFor();
        // The customer link's dialog, opened and left.
        await page.getByRole('button', { name: '创建客户链接', exact: true }).click();
        const dialog = page.locator('dialog[open]');
        await dialog.getByText('邀请客户').waitFor();
        // Its fields' "(optional)" comes from the shared kit's formDialog (ui.js), which this area does not own: the words checked here are this area's.
        await dialog.getByText('本会话的一次性链接：云盒现场人员可查看会话状态和时间线，并可发送消息。').waitFor();
        await dialog.getByText('发给谁').waitFor();
        await dialog.getByRole('button', { name: '创建链接', exact: true }).waitFor();
        await dialog.getByRole('button', { name: '取消', exact: true }).click();
        await dialog.waitFor({ state: 'detached' });
      }
    });

    it(`shows the customer link page in ${locale} only, joined and with a timeline`, async () => {
      const page = await newPage(locale, PHONE);
      customers[locale] = page;
      await page.goto(await customerLink(locale === 'en' ? 'site electrician' : '现场电工'));
      await page.locator('#connection', { hasText: words.connected }).waitFor();
      expect(await page.locator('#session-state').textContent()).toBe(words.customerState);
      await page.locator('#timeline li', { hasText: chatOf(locale) }).waitFor();
      await page.locator('#timeline li.kind-system').first().waitFor();
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(locale);
      expect(await page.locator('#language').inputValue()).toBe(locale);
      expect(await otherLanguageText(page, locale)).toEqual([]);
      if (locale === 'zh-CN') {
        expect(await page.title()).toBe('MT-BOX 云盒售后服务 — 远程指导');
        expect(await page.locator('#box-heading').textContent()).toBe(`您的云盒 ${box.serial}`);
        expect(await page.locator('#chat button').textContent()).toBe('发送');
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
      }
    });
  }

  it('switches the customer page between the languages without a reload', async () => {
    const page = await newPage('zh-CN', PHONE);
    await page.goto(await customerLink('值班电工'));
    await page.locator('#connection', { hasText: WORDS['zh-CN'].connected }).waitFor();
    await page.locator('#timeline li', { hasText: chatOf('en') }).waitFor();
    await page.evaluate(() => {
      (window as unknown as { stillTheSamePage: boolean }).stillTheSamePage = true;
    });
    await page.locator('#language').selectOption('en');
    await page.locator('#connection', { hasText: /^connected$/ }).waitFor();
    expect(await page.locator('#session-state').textContent()).toBe('in progress');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await otherLanguageText(page, 'en')).toEqual([]);
    await page.locator('#language').selectOption('zh-CN');
    await page.locator('#connection', { hasText: /^已连接$/ }).waitFor();
    expect(await page.locator('#session-state').textContent()).toBe('进行中');
    expect(await otherLanguageText(page, 'zh-CN')).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { stillTheSamePage?: boolean }).stillTheSamePage)).toBe(true);
    // The choice is kept on this browser: a reload opens in it.
    await page.locator('#language').selectOption('en');
    await page.reload();
    await page.locator('#connection', { hasText: /^connected$/ }).waitFor();
    expect(await page.locator('#language').inputValue()).toBe('en');
  });

  it('says the ending in each language, the reason typed in Chinese kept as data', async () => {
    const reason = '客户重启 PLC 后恢复正常';
    const ended = await fixture.api('POST', `/sessions/${sessionId}/outcome`, opener.headers, { outcome: 'resolved-remotely', reason });
    expect(ended.status).toBe(200);
    const zh = staff['zh-CN'] as Page;
    await zh.locator('#session-state', { hasText: '已结束：远程解决' }).waitFor();
    await zh.locator('#session-timeline li[data-kind="system"]', { hasText: `${opener.username} 结束了会话：远程解决` }).waitFor();
    await zh.getByText('会话已结束，时间线只读。').waitFor();
    for (const root of CONSOLE_PARTS) expect(await otherLanguageText(zh, 'zh-CN', { root }), root).toEqual([]);
    const en = staff.en as Page;
    await en.locator('#session-state', { hasText: 'ended: resolved remotely' }).waitFor();
    await en.locator('#session-facts-card', { hasText: reason }).waitFor();
    for (const root of CONSOLE_PARTS) expect(await otherLanguageText(en, 'en', { root }), root).toEqual([]);
    const customer = customers['zh-CN'] as Page;
    await customer.locator('#notice', { hasText: '工程师已结束本次会话。' }).waitFor();
    expect(await customer.locator('#session-state').textContent()).toBe('已结束');
    expect(await otherLanguageText(customer, 'zh-CN')).toEqual([]);
  });

  it('says a session waiting outside support hours in Chinese: its place in line and when support opens', async () => {
    fixture.setNow(MONDAY_20_CST);
    const other = await fixture.boxOnline();
    const opened = await fixture.api<{ id: number; state: string }>('POST', '/sessions', opener.headers, { serial: other.serial });
    expect(opened.body.state).toBe('queued');
    const zh = staff['zh-CN'] as Page;
    await zh.goto(`${base}/#/sessions/${opened.body.id}`);
    await zh.locator('#session-connection', { hasText: /^实时$/ }).waitFor();
    expect(await zh.locator('#session-state').textContent()).toBe('排队中');
    await zh.locator('#session-facts-card dd', { hasText: /^第 1 位；支持时间开始于 2025\/06\/17.*09:00/ }).waitFor();
    await zh.getByRole('button', { name: '立即开始', exact: true }).waitFor();
    await zh.getByText('请先开始会话，再发送命令。').waitFor();
    for (const root of CONSOLE_PARTS) expect(await otherLanguageText(zh, 'zh-CN', { root }), root).toEqual([]);
    const created = await fixture.api<{ url: string }>('POST', `/sessions/${opened.body.id}/links`, opener.headers, {});
    const customer = await newPage('zh-CN', PHONE);
    await customer.goto(created.body.url);
    await customer.locator('#connection', { hasText: /^已连接$/ }).waitFor();
    expect(await customer.locator('#session-state').textContent()).toBe('等待工程师接入（排在第 1 位）');
    expect(await otherLanguageText(customer, 'zh-CN')).toEqual([]);
  });

  it('ran without page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
