import type { MqttClient } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './helpers/chromium.ts';
import { topicFor } from '../services/contract/topics.ts';
import { connectBox, publish, startTestBackend, type TestBackend } from './helpers/backend.ts';
import { waitFor } from './helpers/wait-for.ts';
import { otherLanguageText, type PageLocale } from './helpers/language-check.ts';
import { deadlineText } from './helpers/deadline-text.ts';
import { pageIn, signInThroughForm } from './helpers/locale-page.ts';
import { adminCall } from './helpers/workbench-seed.ts';

/*
 * Repair tickets as staff see them, in Chinese and in English, in a real Chromium against the
 * whole backend: the RMA board and a ticket walked over the API to the customer's decision (so
 * it has running deadlines counted in working days, a Repair Report with charges in yuan, audit
 * lines and moves on offer) show no word of the other language; a deadline reads in China's
 * zone, with the zone named, whatever zone the browser is in; the ticket page holds on a phone.
 * The check runs on the view (`#view`), server-written sentences (warranty reasons, charge
 * explanations, exclusion titles) and the backups panel included.
 */

const DAY_MS = 86_400_000;
const PASSWORD = 'correct horse battery';
// Out of warranty: the repair is charged, parts plus the maintenance fee.
const SERIAL = 'MTB26I18R00001';
// Registered, never connected: its ticket waits for a first response and has no parameter backup.
const FRESH_SERIAL = 'MTB26I18R00002';
// Connected: it records tamper evidence, then a hardware fault; diagnostics opens its ticket with a suggested exclusion.
const TAMPERED_SERIAL = 'MTB26I18R00003';
const CHINA = 'Asia/Shanghai';

interface Deadline {
  kind: string;
  dueAt: number;
  firedAt: number | null;
  cancelledAt: number | null;
}
interface TicketAnswer {
  id: number;
  ticket: { state: string; deadlines: Deadline[]; repairReport: { charges: { totalFen: number } } | null };
}

describe('repair tickets speak Chinese or English', () => {
  let backend: TestBackend;
  let browser: Browser;
  let base: string;
  let ticket: TicketAnswer;
  let freshTicketId: number;
  let tamperedTicketId: number;
  let tamperedBox: MqttClient | undefined;
  const pageErrors: string[] = [];

  const call = <T>(method: string, path: string, body?: unknown) => adminCall<T>(backend, method, path, body);

  async function registerBox(serial: string, receiptDaysAgo: number): Promise<string> {
    const { secret } = await call<{ secret: string }>('POST', '/devices', {
      serial,
      model: 'MT-BOX-4G',
      firmware: '2.4.1',
      receiptDate: new Date(Date.now() - receiptDaysAgo * DAY_MS).toISOString().slice(0, 10),
      customer: { name: '无锡水泵厂', contacts: '周敏', phone: '0510-8123-4567', address: '无锡市湖滨路 8 号', businessLine: 'smart-logistics' },
    });
    return secret;
  }

  const move = (id: number, to: string, reason: string, payload?: Record<string, unknown>) =>
    call<TicketAnswer>('POST', `/tickets/${id}/transitions`, { to, reason, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    backend = await startTestBackend();
    base = `http://127.0.0.1:${backend.app.httpPort}`;
    // One account per language, neither with a saved choice: each page follows its browser.
    for (const username of ['clerk-zh', 'clerk-en', 'clerk-switch'])
      await call('POST', '/users', { username, password: PASSWORD, role: 'after-sales' });

    await registerBox(SERIAL, 800);
    await registerBox(FRESH_SERIAL, 90);
    const opened = await call<TicketAnswer>('POST', '/tickets', { serial: SERIAL, form: { faultPhenomenon: '闪存写入失败，设备反复重启' } });
    await move(opened.id, 'warranty-confirmed', '已与客户核对保修');
    await move(opened.id, 'awaiting-product', '已发送寄件说明');
    await move(opened.id, 'in-transit', '客户已寄出', { carrier: '顺丰速运', trackingNumber: 'SF1234567890', insured: true });
    await move(opened.id, 'received', '已到货');
    await call('POST', `/tickets/${opened.id}/repair-report`, {
      testResults: '第 7 扇区写入测试失败',
      parts: [{ name: '闪存芯片', unitCostFen: 120_000, qty: 1 }],
      damageDegree: 'moderate',
      freightFen: 2_500,
    });
    ticket = await call<TicketAnswer>('POST', `/tickets/${opened.id}/cost-confirmation`, {});
    expect(ticket.ticket.state).toBe('awaiting-decision');
    freshTicketId = (await call<TicketAnswer>('POST', '/tickets', { serial: FRESH_SERIAL, form: { faultPhenomenon: '4G 无信号' } })).id;

    tamperedBox = await connectBox(backend.mqttUrl, TAMPERED_SERIAL, await registerBox(TAMPERED_SERIAL, 90));
    const now = Date.now();
    await publish(tamperedBox, topicFor(TAMPERED_SERIAL, 'event'), { id: 'i18n-tamper', ts: now - 60_000, type: 'tamper' });
    await publish(tamperedBox, topicFor(TAMPERED_SERIAL, 'fault'), {
      id: 'i18n-hw',
      ts: now,
      code: 'FLASH_WRITE_FAILED',
      severity: 'error',
      message: 'flash write failed',
    });
    tamperedTicketId = await waitFor(async () => (await call<{ id: number }[]>('GET', `/tickets?serial=${TAMPERED_SERIAL}`))[0]?.id ?? null, {
      what: 'diagnostics to open the ticket of the tampered box',
    });

    browser = await launchChromium();
  });
  afterAll(async () => {
    await tamperedBox?.endAsync();
    await browser?.close();
    await backend?.stop();
  });

  async function signedIn(
    locale: 'zh-CN' | 'en-US',
    { timezoneId = CHINA, viewport = { width: 1360, height: 820 }, username = locale === 'zh-CN' ? 'clerk-zh' : 'clerk-en' } = {},
  ): Promise<Page> {
    const page = await pageIn(browser, { locale, timezoneId, viewport, errors: pageErrors });
    await signInThroughForm(page, base, username, PASSWORD);
    return page;
  }

  /** Opens the ticket page and waits until every card has rendered, the deadlines last. */
  async function ticketPage(page: Page, id = ticket.id): Promise<void> {
    await page.goto(`${base}/#/tickets/${id}`);
    await page.locator('#ticket-deadlines').waitFor();
    await page.locator('#ticket-audit').waitFor();
  }

  /** The view's words in the other language. */
  async function leftovers(page: Page, locale: PageLocale): Promise<string[]> {
    return otherLanguageText(page, locale, { root: '#view' });
  }

  const running = (kind: string): Deadline => {
    const d = ticket.ticket.deadlines.find((x) => x.kind === kind && x.firedAt === null && x.cancelledAt === null);
    if (!d) throw new Error(`no running ${kind} deadline on the ticket`);
    return d;
  };

  it('shows the RMA board in Chinese, with no English left', async () => {
    const page = await signedIn('zh-CN');
    await page.goto(`${base}/#/tickets`);
    const card = page.locator(`.rma-card[data-ticket-id="${ticket.id}"]`);
    await card.waitFor();
    await page.locator(`.rma-card[data-ticket-id="${freshTicketId}"] .rma-card-due .countdown`).waitFor();
    expect(await page.locator('.rma-column[data-state="awaiting-decision"] h2').textContent()).toMatch(/^待客户决定\d+$/);
    expect(await page.locator('#view h1').textContent()).toBe('RMA 工单看板');
    expect(await page.locator('#new-ticket').textContent()).toBe('新建工单');
    expect(await page.locator(`.rma-card[data-ticket-id="${freshTicketId}"] .rma-card-due`).textContent()).toMatch(
      /^首次响应：剩余 (\d+ 天 \d+ 小时|\d+ 小时 \d+ 分钟|\d+ 分钟)$/,
    );
    expect(await page.locator(`.rma-card[data-ticket-id="${freshTicketId}"] .badge.warn`).textContent()).toBe('该云盒没有参数备份：寄回前请先备份');
    expect(await page.locator('select[name="state"] option[value="awaiting-decision"]').textContent()).toBe('待客户决定');
    expect(await leftovers(page, 'zh-CN')).toEqual([]);
  });

  it('shows the RMA board in English, with no Chinese left', async () => {
    const page = await signedIn('en-US');
    await page.goto(`${base}/#/tickets`);
    await page.locator(`.rma-card[data-ticket-id="${ticket.id}"]`).waitFor();
    await page.locator(`.rma-card[data-ticket-id="${freshTicketId}"] .rma-card-due .countdown`).waitFor();
    expect(await page.locator('.rma-column[data-state="awaiting-decision"] h2').textContent()).toMatch(/^Awaiting decision\d+$/);
    expect(await leftovers(page, 'en')).toEqual([]);
  });

  it('shows the ticket page in Chinese: state, moves, working days left, yuan, audit lines; no English left', async () => {
    const page = await signedIn('zh-CN');
    await ticketPage(page);
    expect(await page.locator('.rma-headline .badge').first().textContent()).toBe('待客户决定');
    const accept = page.locator('#ticket-moves button[data-move="awaiting-payment"]');
    expect(await accept.textContent()).toBe('客户接受维修费用');
    // The customer's decision is due 5 working days after the Repair Report went out, moments ago.
    expect(await page.locator('#ticket-deadlines li[data-kind="decision"] .rma-working-days').textContent()).toBe('剩余 5 个工作日');
    // Parts ¥1,200 plus the moderate maintenance fee ¥500.
    expect(ticket.ticket.repairReport?.charges.totalFen).toBe(170_000);
    expect(await page.locator('#repair-total').textContent()).toBe('¥1,700.00');
    const audit = (await page.locator('#ticket-audit li').allTextContents()).join('\n');
    // The reason the API wrote for the report (none was given) reads in Chinese too.
    expect(audit).toContain('admin（管理员）将工单从“已收货”转为“已检测”：已填写维修报告');
    expect(await page.locator('[data-card="shipping"] dd').first().textContent()).toMatch(/^顺丰速运 SF1234567890，已投保（.+）$/);
    expect(await leftovers(page, 'zh-CN')).toEqual([]);

    // A move's dialog speaks Chinese too; cancelled, so the ticket stays as it is.
    await accept.click();
    const dialog = page.locator('dialog[open]');
    await dialog.waitFor();
    expect(await dialog.locator('button[type="submit"]').textContent()).toBe('待付款');
    expect(await dialog.locator('[name="reason"]').inputValue()).toBe('客户接受维修费用');
    expect(await otherLanguageText(page, 'zh-CN', { root: 'dialog[open]' })).toEqual([]);
    await dialog.getByRole('button', { name: '取消', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(pageErrors).toEqual([]);
  });

  it('shows a ticket diagnostics opened with a suggested exclusion in Chinese, its evidence and buttons included', async () => {
    const page = await signedIn('zh-CN');
    await ticketPage(page, tamperedTicketId);
    const suggestion = page.locator('.rma-exclusion[data-exclusion="unauthorised-modification"]');
    expect(await suggestion.locator('.badge').textContent()).toBe('建议');
    expect(await suggestion.locator('.rma-exclusion-line').textContent()).toMatch(/^云盒上报的证据：.+ 防拆触发$/);
    expect(await suggestion.getByRole('button').allTextContents()).toEqual(['确认', '驳回']);
    expect(await page.locator('.rma-origin').textContent()).toMatch(/^[\d/ :]+，由故障诊断根据故障 FLASH_WRITE_FAILED 开立/);
    // The move waits for the exclusion: said why, in Chinese.
    expect(await page.locator('#ticket-moves .rma-move-blocked small').textContent()).toMatch(/^暂不可执行：/);
    expect(await leftovers(page, 'zh-CN')).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('shows the ticket page in English, with no Chinese left but what was typed', async () => {
    const page = await signedIn('en-US');
    await ticketPage(page);
    expect(await page.locator('.rma-headline .badge').first().textContent()).toBe('Awaiting decision');
    expect(await page.locator('#ticket-moves button[data-move="awaiting-payment"]').textContent()).toBe('The customer accepted the cost');
    expect(await page.locator('#ticket-deadlines li[data-kind="decision"] .rma-working-days').textContent()).toBe('5 working days left');
    expect(await page.locator('#repair-total').textContent()).toBe('¥1,700.00');
    expect((await page.locator('#ticket-audit li').allTextContents()).join('\n')).toContain(
      'admin (admin) moved it from Received to Diagnosed: Repair Report written',
    );
    expect(await leftovers(page, 'en')).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('switches the ticket page from Chinese to English in place', async () => {
    // Its own account: the switch is kept on the account, and the other tests' accounts keep none.
    const page = await signedIn('zh-CN', { username: 'clerk-switch' });
    await ticketPage(page);
    const badge = page.locator('.rma-headline .badge').first();
    const workingDays = page.locator('#ticket-deadlines li[data-kind="decision"] .rma-working-days');
    expect(await badge.textContent()).toBe('待客户决定');
    await page.locator('#language').selectOption('en');
    await expect.poll(() => badge.textContent()).toBe('Awaiting decision');
    await expect.poll(() => workingDays.textContent()).toBe('5 working days left');
    expect(await page.locator('#ticket-title').textContent()).toBe(`Ticket #${ticket.id}`);
    expect(await leftovers(page, 'en')).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('shows a deadline in Asia/Shanghai, the zone named, whatever zone the browser is in', async () => {
    const page = await signedIn('zh-CN', { timezoneId: 'America/New_York' });
    expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe('America/New_York');
    await ticketPage(page);
    const decision = running('decision');
    // Formatted by the browser's own Intl, so the expected text and the page's share one ICU.
    const inChina = await page.evaluate(deadlineText, { ms: decision.dueAt, locale: 'zh-CN' as const, timeZone: 'Asia/Shanghai' });
    const inNewYork = await page.evaluate(deadlineText, { ms: decision.dueAt, locale: 'zh-CN' as const, timeZone: 'America/New_York' });
    const shown = await page.locator('#ticket-deadlines li[data-kind="decision"] .rma-due-at').textContent();
    expect(shown).toBe(inChina);
    expect(shown).not.toBe(inNewYork);
    expect(shown).toContain('GMT+8');
    expect(pageErrors).toEqual([]);
  });

  it('fits the ticket page on a 390 px phone in Chinese', async () => {
    const page = await signedIn('zh-CN', { viewport: { width: 390, height: 844 } });
    await ticketPage(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.goto(`${base}/#/tickets`);
    await page.locator(`.rma-card[data-ticket-id="${ticket.id}"]`).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(pageErrors).toEqual([]);
  });
});
