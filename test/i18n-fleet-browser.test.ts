import type { MqttClient } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicFor } from '../services/contract/topics.ts';
import { launchChromium } from './helpers/chromium.ts';
import { connectBox, publish, startTestBackend, type TestBackend } from './helpers/backend.ts';
import { otherLanguageText, type PageLocale } from './helpers/language-check.ts';
import { adminCall, seedWorkbench, type WorkbenchSeed } from './helpers/workbench-seed.ts';
import { pageIn, signInThroughForm } from './helpers/locale-page.ts';

/*
 * The fleet list, the device page and the live feed in a real Chromium, in Chinese and in
 * English, against the whole backend with a seeded workbench (a box with faults, telemetry, a
 * repair ticket diagnostics opened). Each locale signs in with its own account that never chose
 * a language, so the page follows the browser. On the device page only this area's parts are
 * checked: the warranty card (tickets' area), the backups panel with its command palette
 * (parameters' area) and the "open a session" button (sessions' area) are left to their own tests.
 */

const PASSWORD = 'fleet-words-password-1';
const DAY_MS = 86_400_000;
/** The device page's parts this area writes (dashboard/views/device.js). */
const DEVICE_PARTS = ['#device-facts', '#device-faults', '#device-telemetry', '#device-decisions', '#device-events', '#device-commands'];

describe('fleet, device page and live feed in Chinese and English', () => {
  let backend: TestBackend;
  let browser: Browser;
  let base: string;
  let seed: WorkbenchSeed;
  const boxes: MqttClient[] = [];
  const pageErrors: string[] = [];
  /** The catalog's titles by code in each language, as the API answers them. */
  const titles: Record<PageLocale, Map<string, string>> = { en: new Map(), 'zh-CN': new Map() };

  const api = <T>(method: string, path: string, body?: unknown) => adminCall<T>(backend, method, path, body);

  beforeAll(async () => {
    backend = await startTestBackend();
    base = `http://127.0.0.1:${backend.app.httpPort}`;
    seed = await seedWorkbench(backend, 'MTB26FW');
    boxes.push(...seed.boxes);
    // Evidence the box recorded, so the device page's evidence list has a line to name.
    await publish(seed.boxes[0] as MqttClient, topicFor(seed.serial, 'event'), {
      id: 'fw-e-1',
      ts: Date.now(),
      type: 'tamper',
      details: { note: 'lid open' },
    });
    for (const username of ['zh.admin', 'en.admin', 'switch.admin', 'words.admin']) {
      await api('POST', '/users', { username, password: PASSWORD, role: 'admin' });
    }
    for (const lang of ['en', 'zh-CN'] as const) {
      const catalog = await api<{ entries: { code: string; title: string }[] }>('GET', `/catalog?lang=${lang}`);
      titles[lang] = new Map(catalog.entries.map((e) => [e.code, e.title]));
    }
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    for (const box of boxes) box.end(true);
    await backend?.stop();
  });

  async function signedIn(locale: 'zh-CN' | 'en-US', username: string, viewport = { width: 1360, height: 820 }): Promise<Page> {
    const page = await pageIn(browser, { locale, timezoneId: 'Europe/Berlin', viewport, errors: pageErrors });
    await signInThroughForm(page, base, username, PASSWORD);
    await page.locator('#fleet-count').waitFor();
    return page;
  }

  /** A box registered and connected now: its `device.online` line comes into every open feed. */
  async function newBoxOnline(serial: string): Promise<void> {
    const { secret } = await api<{ secret: string }>('POST', '/devices', {
      serial,
      model: 'MT-BOX-4G',
      firmware: '2.4.1',
      receiptDate: new Date(Date.now() - 30 * DAY_MS).toISOString().slice(0, 10),
    });
    boxes.push(await connectBox(backend.mqttUrl, serial, secret));
  }

  const feedLine = (page: Page, text: string) => page.locator('#live-feed .feed-text', { hasText: text });

  it('shows the fleet list, its live feed and the register dialog in Chinese, with no English left', async () => {
    const page = await signedIn('zh-CN', 'zh.admin');
    expect(await page.locator('#view h1').textContent()).toBe('设备');
    const row = page.locator('tbody tr', { hasText: seed.serial });
    expect(await row.locator('td').nth(3).textContent()).toBe('在线');
    expect(await page.locator('#fleet-count').textContent()).toMatch(/^\d+ 台云盒$/);
    expect(await page.title()).toBe('设备 · MT-BOX 云盒售后服务');
    await page.locator('#live-status', { hasText: /^实时$/ }).waitFor();

    await newBoxOnline('MTB26FW90001');
    await feedLine(page, '云盒 MTB26FW90001 上线').waitFor();
    // The page and its feed; the header (the page frame's, with the account's Latin user name) is not this area's.
    expect(await otherLanguageText(page, 'zh-CN', { root: '#view' })).toEqual([]);
    expect(await otherLanguageText(page, 'zh-CN', { root: '#activity' })).toEqual([]);

    await page.getByRole('button', { name: '登记云盒', exact: true }).click();
    const dialog = page.locator('dialog[open]');
    await dialog.waitFor();
    expect(await dialog.locator('select option').allTextContents()).toContain('智慧物流');
    expect(await otherLanguageText(page, 'zh-CN', { root: 'dialog[open]' })).toEqual([]);
    await dialog.getByRole('button', { name: '取消', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(pageErrors).toEqual([]);
  });

  it('shows the device page’s own parts in Chinese: faults named by the Chinese catalog, presence, chart, histories', async () => {
    const page = await signedIn('zh-CN', 'zh.admin');
    await page.goto(`${base}/#/devices/${seed.serial}`);
    await page.locator('#device-presence', { hasText: '在线' }).waitFor();
    const flashTitle = titles['zh-CN'].get('FLASH_WRITE_FAILED');
    expect(flashTitle).toMatch(/\p{Script=Han}/u);
    await page.locator('li.fault .fault-title', { hasText: flashTitle }).waitFor();
    await page.locator('li[data-decision-id]', { hasText: flashTitle }).first().waitFor();
    await page.locator('li[data-event-id="fw-e-1"]', { hasText: '拆机痕迹' }).waitFor();
    await page.locator('#chart-status', { hasText: /^\d+ 个区间，每个 10 秒（20 个样本）$/ }).waitFor();
    expect(await page.locator('#device-facts dd', { hasText: '智慧物流' }).count()).toBe(1);
    expect(await page.title()).toBe(`${seed.serial} · 云盒 · MT-BOX 云盒售后服务`);
    expect(await page.locator('.toolbar a[href="#/fleet"]').textContent()).toBe('← 设备');
    for (const root of DEVICE_PARTS) expect({ root, found: await otherLanguageText(page, 'zh-CN', { root }) }).toEqual({ root, found: [] });
    expect(await otherLanguageText(page, 'zh-CN', { root: '#activity' })).toEqual([]);

    // A new fault of the box comes in from the feed, named by the Chinese catalog in the page and in the feed.
    const weakTitle = titles['zh-CN'].get('CELL_WEAK_SIGNAL') ?? '';
    await publish(seed.boxes[0] as MqttClient, topicFor(seed.serial, 'fault'), {
      id: 'fw-weak',
      ts: Date.now(),
      code: 'CELL_WEAK_SIGNAL',
      severity: 'warning',
    });
    await page.locator('li.fault .fault-title', { hasText: weakTitle }).waitFor();
    await feedLine(page, `云盒 ${seed.serial} 报告“${weakTitle}”：诊断`).waitFor();
    expect(await otherLanguageText(page, 'zh-CN', { root: '#device-faults' })).toEqual([]);
    expect(await otherLanguageText(page, 'zh-CN', { root: '#activity' })).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('shows the same pages in English to an English browser, with no Chinese left', async () => {
    const page = await signedIn('en-US', 'en.admin');
    expect(await page.locator('#view h1').textContent()).toBe('Fleet');
    expect(await page.locator('tbody tr', { hasText: seed.serial }).locator('td').nth(3).textContent()).toBe('online');
    await page.locator('#live-status', { hasText: /^live$/ }).waitFor();
    await newBoxOnline('MTB26FW90002');
    await feedLine(page, 'Box MTB26FW90002 came online').waitFor();
    expect(await otherLanguageText(page, 'en')).toEqual([]);

    await page.goto(`${base}/#/devices/${seed.serial}`);
    await page.locator('#device-presence', { hasText: 'online' }).waitFor();
    await page
      .locator('li.fault .fault-title', { hasText: titles.en.get('FLASH_WRITE_FAILED') })
      .first()
      .waitFor();
    await page.locator('li[data-event-id="fw-e-1"]', { hasText: 'tamper' }).waitFor();
    await page.locator('#chart-status', { hasText: /^\d+ buckets of 10 s \(20 samples\)$/ }).waitFor();
    for (const root of DEVICE_PARTS) expect({ root, found: await otherLanguageText(page, 'en', { root }) }).toEqual({ root, found: [] });
    expect(await otherLanguageText(page, 'en', { root: '#activity' })).toEqual([]);
    // A custom chart range is read on the account's clock (Asia/Shanghai), not the browser's (Berlin).
    const picked = await page.evaluate(`import('/i18n.js').then((m) => m.fromDateTimeInput('2026-11-30T09:00'))`);
    expect(picked).toBe(Date.UTC(2026, 10, 30, 1, 0));
    expect(pageErrors).toEqual([]);
  });

  it('describes the feed’s lines and the catalog’s fault titles again in the other language on a switch, without a reload', async () => {
    const page = await signedIn('zh-CN', 'switch.admin');
    await page.locator('#live-status', { hasText: /^实时$/ }).waitFor();
    // The empty feed's line is drawn by CSS from the list's data-empty, which the language check cannot see.
    const emptyLine = () => page.evaluate(() => getComputedStyle(document.querySelector('#live-feed') as Element, '::after').content);
    expect(await emptyLine()).toBe('"等待新动态…"');
    await newBoxOnline('MTB26FW90003');
    await feedLine(page, '云盒 MTB26FW90003 上线').waitFor();
    await page.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });

    await page.locator('#language').selectOption('en');
    await feedLine(page, 'Box MTB26FW90003 came online').waitFor();
    await page.locator('#live-status', { hasText: /^live$/ }).waitFor();
    expect(await page.locator('#view h1').textContent()).toBe('Fleet');
    expect(await page.locator('#live-feed').getAttribute('data-empty')).toBe('Waiting for changes…');
    expect(await otherLanguageText(page, 'en', { root: '#activity' })).toEqual([]);

    // The device page asks for the catalog again in the language switched to: its faults are renamed.
    await page.goto(`${base}/#/devices/${seed.serial}`);
    await page
      .locator('li.fault .fault-title', { hasText: titles.en.get('FLASH_WRITE_FAILED') })
      .first()
      .waitFor();
    await page.locator('#language').selectOption('zh-CN');
    await page
      .locator('li.fault .fault-title', { hasText: titles['zh-CN'].get('FLASH_WRITE_FAILED') })
      .first()
      .waitFor();
    await page.locator('#device-presence', { hasText: '在线' }).waitFor();
    await feedLine(page, '云盒 MTB26FW90003 上线').waitFor();
    expect(await page.locator('#live-feed .feed-text', { hasText: 'came online' }).count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it('words every kind of feed line in both languages, keeping names people typed as data', async () => {
    const page = await signedIn('en-US', 'words.admin');
    // The page's own module, imported in the page (as a string: the test runner would rewrite an import() in a function).
    const lines = async () =>
      (await page.evaluate(`(async () => {
        const words = await import('/live-words.js');
        const names = new Map([['FLASH_WRITE_FAILED', 'Flash memory write failed']]);
        const at = Date.UTC(2026, 10, 30, 9, 0);
        const line = (event) => {
          const { parts, href } = words.describeLive(event, names);
          const data = parts.filter((p) => p instanceof Element && p.getAttribute('translate') === 'no').map((p) => p.textContent);
          return { text: parts.map((p) => (typeof p === 'string' ? p : p.textContent)).join(''), href, data };
        };
        return [
          line({ channel: 'devices', type: 'triage.decided', id: 'MTB26A0000001', at, data: { code: 'FLASH_WRITE_FAILED', action: 'open-rma' } }),
          line({ channel: 'cases', type: 'case.transitioned', id: 7, at, data: { from: 'open', to: 'in-progress', by: 'li.wei' } }),
          line({ channel: 'cases', type: 'case.opened', id: 3, at, data: { serial: 'MTB1', code: 'X_NEW' } }),
          line({ channel: 'tickets', type: 'rma.something-new', id: 4, at, data: {} }),
          line({ channel: 'devices', type: 'device.online', id: 'A/B#1', at, data: {} }),
        ];
      })()`)) as { text: string; href: string; data: string[] }[];
    const english = await lines();
    expect(english.map((l) => l.text)).toEqual([
      'Box MTB26A0000001 reported “Flash memory write failed”: diagnostics opened a repair ticket',
      'Case 7 moved from open to in progress by li.wei',
      'Case 3 opened for box MTB1: “X_NEW”',
      'rma something new: 4',
      'Box A/B#1 came online',
    ]);
    expect(english.map((l) => l.href)).toEqual(['#/devices/MTB26A0000001', '#/cases/7', '#/cases/3', '#/tickets/4', '#/devices/A%2FB%231']);
    expect(english[1]?.data).toEqual(['li.wei']);

    await page.locator('#language').selectOption('zh-CN');
    await expect.poll(() => page.locator('#view h1').textContent()).toBe('设备');
    const chinese = await lines();
    expect(chinese.map((l) => l.text)).toEqual([
      '云盒 MTB26A0000001 报告“Flash memory write failed”：诊断开立了维修工单',
      '案例 7 由 li.wei 从“待处理”转为“处理中”',
      '为云盒 MTB1 开立案例 3：“X_NEW”',
      'rma something new：4',
      '云盒 A/B#1 上线',
    ]);
    expect(pageErrors).toEqual([]);
  });

  it('fits the fleet list on a 390 px phone in Chinese without sideways scroll', async () => {
    const page = await signedIn('zh-CN', 'zh.admin', { width: 390, height: 844 });
    await page.locator('tbody tr', { hasText: seed.serial }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.goto(`${base}/#/devices/${seed.serial}`);
    await page.locator('#chart-status', { hasText: /个区间/ }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(pageErrors).toEqual([]);
  });
});
