import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimBox } from '../device-sim/index.ts';
import { launchChromium } from './helpers/chromium.ts';
import { startTestBackend, type TestBackend } from './helpers/backend.ts';
import { otherLanguageText } from './helpers/language-check.ts';
import { waitFor } from './helpers/wait-for.ts';
import { pageIn, signInThroughForm } from './helpers/locale-page.ts';
import { adminCall } from './helpers/workbench-seed.ts';

/*
 * Parameter backups, the command palette and the customer pages in Chinese and in English, in
 * a real Chromium against the whole backend and a simulated box answering over real MQTT. Each
 * language has its own account that never chose a language, so the browser's language decides.
 * The device page and the session console also hold other areas' parts (facts, history, the
 * timeline…): the language checks there are scoped to the backups panel and the palette.
 */

const SERIAL = 'MTB26I18NP001';
// The customer's box whose charged repair sends a notification to the webhook.
const REPAIRED = 'MTB26I18NP002';
const PASSWORD = 'params language password';
// Data typed by people: shown as typed whatever the page's language.
const ORG_NAME = 'Wuxi Pump Works 无锡泵业';
const INVITEE = 'wang.fang';

type Locale = 'zh-CN' | 'en';

describe('parameters, commands and customers speak the page language', () => {
  let backend: TestBackend;
  let box: SimBox;
  let browser: Browser;
  let base: string;
  let sessionId = 0;
  let organisationId = 0;
  let olderBackup = 0;
  let newerBackup = 0;
  const pageErrors: string[] = [];

  const call = <T>(method: string, path: string, body?: unknown) => adminCall<T>(backend, method, path, body);

  /** Takes a charged repair of the box to the customer's decision: one cost-to-confirm notification. */
  async function costToConfirm(serial: string): Promise<void> {
    const { id } = await call<{ id: number }>('POST', '/tickets', { serial });
    const move = (to: string) => call('POST', `/tickets/${id}/transitions`, { to, reason: 'next step' });
    await move('warranty-confirmed');
    await move('awaiting-product');
    await call('POST', `/tickets/${id}/shipping`, { direction: 'inbound', carrier: 'SF Express', trackingNumber: `SF${serial}` });
    await move('received');
    const parts = [{ name: 'power board', unitCostFen: 8_550, qty: 1 }];
    await call('POST', `/tickets/${id}/repair-report`, { testResults: 'power board burnt', parts, damageDegree: 'minor' });
    await call('POST', `/tickets/${id}/cost-confirmation`, {});
  }

  /**
   * The customer's page but its boxes' rows, whose online and warranty badges are the fleet
   * area's words: the toolbar, the details, the people, the boxes' headings and the webhook.
   */
  async function customerPageText(page: Page, locale: Locale): Promise<string[]> {
    const roots = [
      '#view > .toolbar',
      '.organisation-cards > section:nth-child(1)',
      '#organisation-boxes > h2',
      '#organisation-boxes thead',
      '.organisation-cards > section:nth-child(3)',
      '#organisation-webhook',
    ];
    const found: string[] = [];
    for (const root of roots) found.push(...(await otherLanguageText(page, locale, { root })));
    return found;
  }

  beforeAll(async () => {
    // The webhook points at this machine, which the backend refuses unless told otherwise.
    backend = await startTestBackend({ WEBHOOK_ALLOW_PRIVATE: 'true' });
    base = `http://127.0.0.1:${backend.app.httpPort}`;
    const { secret } = await call<{ secret: string }>('POST', '/devices', { serial: SERIAL, model: 'MT-BOX-4G', firmware: '2.4.1' });
    box = new SimBox({ serial: SERIAL, secret, mqttUrl: backend.mqttUrl, model: 'MT-BOX-4G', firmware: '2.4.1' });
    box.start();
    await box.waitOnline();

    // Two backups with a change made on the bench between them: the panel's default diff.
    olderBackup = (await call<{ id: number }>('POST', `/devices/${SERIAL}/backups`, {})).id;
    box.setParams({ 'system.location': 'hall 2' });
    newerBackup = (await call<{ id: number }>('POST', `/devices/${SERIAL}/backups`, {})).id;
    const session = await call<{ id: number; state: string }>('POST', '/sessions', { serial: SERIAL });
    sessionId = session.id;
    // Outside support hours (this runs on the real clock) a session waits in the queue; the
    // palette is for a started one.
    if (session.state === 'queued') await call('POST', `/sessions/${sessionId}/start`, {});

    const org = await call<{ id: number }>('POST', '/organisations', {
      name: ORG_NAME,
      businessLine: 'smart-factory',
      contacts: [{ name: 'Zhou Min', phone: '0510-8123-4567' }],
    });
    organisationId = org.id;
    // Nothing listens there: the delivery log shows a failed attempt, in words.
    await call('PUT', `/organisations/${organisationId}/webhook`, { url: 'http://127.0.0.1:9/hook', enabled: true });
    await call('POST', `/organisations/${organisationId}/invitations`, { username: INVITEE });
    await call('POST', '/devices', { serial: REPAIRED, model: 'MT-BOX-4G', receiptDate: '2024-03-01' });
    await call('POST', `/organisations/${organisationId}/devices`, { serials: [REPAIRED] });
    await costToConfirm(REPAIRED);
    await waitFor(
      async () =>
        (await call<{ deliveries: unknown[] }>('GET', `/organisations/${organisationId}/webhook/deliveries`)).deliveries.length === 1 || null,
      { what: 'the cost-to-confirm notification queued for the webhook' },
    );
    for (const username of ['params-zh', 'params-en']) await call('POST', '/users', { username, password: PASSWORD, role: 'admin' });

    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await box?.stop({ graceful: false });
    await backend?.stop();
  });

  async function signIn(locale: Locale): Promise<Page> {
    const page = await pageIn(browser, {
      locale: locale === 'zh-CN' ? 'zh-CN' : 'en-US',
      viewport: { width: 1360, height: 900 },
      errors: pageErrors,
    });
    await signInThroughForm(page, base, locale === 'zh-CN' ? 'params-zh' : 'params-en', PASSWORD);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(locale);
    return page;
  }

  /** The device page's backups panel with the diff of the two backups shown. */
  async function backupsWithDiff(page: Page, showDifferences: string): Promise<void> {
    await page.goto(`${base}/#/devices/${SERIAL}`);
    const panel = page.locator('section.backups-panel');
    await panel.locator(`li.snapshot[data-id="${newerBackup}"]`).waitFor();
    await panel.locator('select[name="diff-from"]').selectOption(String(olderBackup));
    await panel.locator('select[name="diff-to"]').selectOption(String(newerBackup));
    await panel.getByRole('button', { name: showDifferences, exact: true }).click();
    await panel.locator('.backup-diff tr.diff-row[data-param="system.location"]').waitFor();
    // A snapshot's parameters, opened, are part of the panel too.
    await panel.locator(`li.snapshot[data-id="${newerBackup}"] summary`).click();
    await panel.locator(`li.snapshot[data-id="${newerBackup}"] section.param-group[data-group="system"]`).waitFor();
  }

  /**
   * The session console's palette, then the form of one command opened. (The log's form: the
   * forms with an optional field also show the shared kit's "(optional)", which is not this
   * area's.)
   */
  async function paletteAndForm(page: Page, locale: Locale): Promise<void> {
    await page.goto(`${base}/#/sessions/${sessionId}`);
    await page.getByTestId('command-log.fetch').waitFor();
    expect(await otherLanguageText(page, locale, { root: '#command-palette' })).toEqual([]);
    await page.getByTestId('command-log.fetch').click();
    await page.locator('dialog[open] input[name="lines"]').waitFor();
    expect(await otherLanguageText(page, locale, { root: 'dialog[open]' })).toEqual([]);
  }

  it('shows the backups panel, a diff, the command palette and the customer pages in Chinese', async () => {
    const page = await signIn('zh-CN');

    await backupsWithDiff(page, '显示差异');
    const panel = page.locator('section.backups-panel');
    expect(await panel.locator('h2').first().textContent()).toBe('参数备份立即备份');
    expect(await panel.locator('.backup-diff th').allTextContents()).toEqual(['参数', `备份 #${olderBackup}`, `备份 #${newerBackup}`]);
    expect(await panel.locator('.backup-diff .diff-summary').textContent()).toBe('1 个值有变化。');
    expect(await panel.locator(`li.snapshot[data-id="${newerBackup}"] .snapshot-why`).textContent()).toBe('手动备份 · 操作人 admin');
    expect(await otherLanguageText(page, 'zh-CN', { root: 'section.backups-panel' })).toEqual([]);

    // Restoring the older backup: the check, the confirmation, the steps and the verification.
    await panel.locator(`li.snapshot[data-id="${olderBackup}"]`).getByRole('button', { name: '恢复…' }).click();
    const flow = panel.locator('.restore-flow');
    await flow.locator('.restore-changes tr.diff-row[data-param="system.location"]').waitFor();
    expect(await flow.locator('.restore-compat h4').textContent()).toBe('兼容性 兼容');
    expect(await otherLanguageText(page, 'zh-CN', { root: '.restore-flow' })).toEqual([]);
    await flow.getByRole('button', { name: `恢复备份 #${olderBackup}…` }).click();
    const dialog = page.locator('dialog[open]');
    await dialog.getByText(`将在 ${SERIAL} 上写入 1 个参数：system.location。`).waitFor();
    expect(await otherLanguageText(page, 'zh-CN', { root: 'dialog[open]' })).toEqual([]);
    await dialog.getByRole('button', { name: '恢复', exact: true }).click();
    await flow.locator('.restore-verdict', { hasText: '已校验' }).waitFor({ timeout: 20_000 });
    expect(await flow.locator('li.phase .phase-label').allTextContents()).toEqual([
      '备份云盒当前参数值',
      '写入有变化的参数',
      '回读参数',
      '逐项校验参数',
    ]);
    expect(await flow.locator('.restore-verdict').textContent()).toMatch(/^已校验 备份 #\d+ 的全部 [\d,]+ 个参数的回读值均一致。$/);
    expect(await otherLanguageText(page, 'zh-CN', { root: '.restore-flow' })).toEqual([]);

    await paletteAndForm(page, 'zh-CN');
    expect(await page.getByTestId('command-params.set').textContent()).toBe('修改参数');
    expect(await page.locator('dialog[open] h2').textContent()).toBe('获取日志');
    await page.locator('dialog[open]').getByRole('button', { name: '取消' }).click();

    await page.goto(`${base}/#/organisations`);
    await page.locator('#view h1', { hasText: '客户' }).waitFor();
    const row = page.locator('#view tr', { hasText: ORG_NAME });
    await row.waitFor();
    expect(await row.locator('td').allTextContents()).toEqual([ORG_NAME, '智慧工厂', '1 台云盒', 'Zhou Min']);
    expect(await otherLanguageText(page, 'zh-CN', { root: '#view' })).toEqual([]);

    await row.locator('a').click();
    await page.locator('#organisation-name', { hasText: ORG_NAME }).waitFor();
    await page.locator('#organisation-webhook dd.webhook-url').waitFor();
    const delivery = page.locator('#organisation-webhook tbody tr').first();
    await delivery.waitFor();
    expect(await delivery.locator('td').nth(1).textContent()).toBe('维修费用待确认');
    await page.locator('#view', { hasText: INVITEE }).waitFor();
    await page.locator(`#organisation-boxes a[href="#/devices/${REPAIRED}"]`).waitFor();
    expect(await page.locator('#organisation-webhook h2').allTextContents()).toEqual(['Webhook', '发送记录']);
    expect(await page.locator('#organisation-webhook .badge').first().textContent()).toBe('开启');
    await page.getByText(/（7 天后）$/).waitFor();
    expect(await page.locator('#organisation-boxes th').allTextContents()).toEqual(['序列号', '型号', '在线状态', '保修', '']);
    expect(await page.title()).toBe(`${ORG_NAME} · 客户 · MT-BOX 云盒售后服务`);
    expect(await customerPageText(page, 'zh-CN')).toEqual([]);

    // Editing the customer: its contacts row by row.
    await page.getByTestId('edit-organisation').click();
    const edit = page.locator('dialog[open]');
    await edit.locator('fieldset.contact-row legend', { hasText: '联系人 1' }).waitFor();
    expect(await edit.locator('h2').textContent()).toBe('编辑客户');
    expect(await otherLanguageText(page, 'zh-CN', { root: 'dialog[open]' })).toEqual([]);
    await edit.getByRole('button', { name: '取消' }).click();
    await edit.waitFor({ state: 'detached' });

    // The customer's page on a phone: Chinese is taller, not wider; nothing scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(pageErrors).toEqual([]);
  });

  it('shows the same parts in English, with no Chinese left but the data', async () => {
    const page = await signIn('en');

    await backupsWithDiff(page, 'Show differences');
    const panel = page.locator('section.backups-panel');
    expect(await panel.locator('.backup-diff th').allTextContents()).toEqual(['Parameter', `Backup #${olderBackup}`, `Backup #${newerBackup}`]);
    expect(await panel.locator('.backup-diff .diff-summary').textContent()).toBe('1 changed value.');
    expect(await otherLanguageText(page, 'en', { root: 'section.backups-panel' })).toEqual([]);

    await paletteAndForm(page, 'en');
    expect(await page.locator('dialog[open] h2').textContent()).toBe('Fetch log');
    await page.locator('dialog[open]').getByRole('button', { name: 'Cancel' }).click();

    await page.goto(`${base}/#/organisations`);
    const row = page.locator('#view tr', { hasText: ORG_NAME });
    await row.waitFor();
    expect(await row.locator('td').allTextContents()).toEqual([ORG_NAME, 'Smart factory', '1 box', 'Zhou Min']);
    // The customer's name is data in Chinese letters: the check skips it as data.
    expect(await otherLanguageText(page, 'en', { root: '#view' })).toEqual([]);

    await row.locator('a').click();
    await page.locator('#organisation-webhook dd.webhook-url').waitFor();
    const delivery = page.locator('#organisation-webhook tbody tr').first();
    await delivery.waitFor();
    expect(await delivery.locator('td').nth(1).textContent()).toBe('Repair cost to confirm');
    await page.getByText(/\(in 7 days\)$/).waitFor();
    expect(await page.title()).toBe(`${ORG_NAME} · Customer · MT-BOX Care`);
    expect(await otherLanguageText(page, 'en', { root: '#view' })).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
