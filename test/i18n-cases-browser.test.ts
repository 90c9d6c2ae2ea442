import type { MqttClient } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicFor } from '../services/contract/topics.ts';
import { connectBox, publish, startTestBackend, type TestBackend } from './helpers/backend.ts';
import { launchChromium } from './helpers/chromium.ts';
import { otherLanguageText, type PageLocale } from './helpers/language-check.ts';
import { waitFor } from './helpers/wait-for.ts';
import { deadlineText } from './helpers/deadline-text.ts';
import { pageIn, signInThroughForm } from './helpers/locale-page.ts';

/*
 * Cases, fleet incidents and platform tickets in Chinese and in English, in a real Chromium
 * against the whole backend: raw MQTT boxes raise the faults triage turns into a remote case and
 * a fleet incident, a platform ticket is walked to its repair through the API, and an engineer
 * whose browser speaks zh-CN (its zone Berlin, to show deadlines stay in Asia/Shanghai) and one
 * whose browser speaks en-US read every page. Each has their own account and saves no choice.
 */

const PASSWORD = 'a long enough password';
const CASE_SERIAL = 'MTB26I18C0001';
const REMOTE_CODE = 'CELL_NO_SIM';
const FLEET_CODE = 'CLOUD_AUTH_FAILED';
const FLEET_SERIALS = [2, 3, 4, 5, 6].map((n) => `MTB26I18C000${n}`);
const HOUR_MS = 3_600_000;

interface Listed {
  id: number;
  serial?: string;
}

describe('cases, incidents and platform tickets speak Chinese or English', () => {
  let backend: TestBackend;
  let headers: Record<string, string>;
  let browser: Browser;
  let base: string;
  const boxes: MqttClient[] = [];
  const pageErrors: string[] = [];
  let caseId = 0;
  let incidentId = 0;
  let platformId = 0;
  let repairDue = 0;

  async function call(method: string, path: string, body?: unknown, status = 200): Promise<unknown> {
    const res = await fetch(`${backend.api}${path}`, {
      method,
      headers: { ...headers, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (res.status !== status) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
    return res.json();
  }

  /** The list's items whether the server answers a list or an object holding it. */
  function items(answer: unknown, key: string): Listed[] {
    if (Array.isArray(answer)) return answer as Listed[];
    const inner = (answer as Record<string, unknown>)[key];
    return Array.isArray(inner) ? (inner as Listed[]) : [];
  }

  async function boxOnline(serial: string): Promise<MqttClient> {
    const { secret } = (await call('POST', '/devices', { serial, model: 'MT-BOX-4G', firmware: '2.4.1' }, 201)) as { secret: string };
    const box = await connectBox(backend.mqttUrl, serial, secret);
    boxes.push(box);
    return box;
  }

  /** A fresh browser in `locale`, signed in as `username`, whose account has chosen no language. */
  async function signedIn(locale: 'zh-CN' | 'en-US', username: string, timezoneId: string): Promise<Page> {
    const page = await pageIn(browser, { locale, timezoneId, errors: pageErrors });
    await signInThroughForm(page, base, username, PASSWORD);
    return page;
  }

  /** The view's text in the other language: the server's decision reasons and the catalog's steps included. */
  async function foreignText(page: Page, locale: PageLocale): Promise<string[]> {
    return otherLanguageText(page, locale, { root: '#view', limit: 200 });
  }

  beforeAll(async () => {
    backend = await startTestBackend();
    headers = await backend.adminHeaders();
    base = `http://127.0.0.1:${backend.app.httpPort}`;
    for (const username of ['wang.lei', 'li.wei']) await call('POST', '/users', { username, password: PASSWORD, role: 'engineer' }, 201);
    await call('POST', '/users', { username: 'zhao.min', password: PASSWORD, role: 'after-sales' }, 201);

    // A remote-guidance case, worked (in progress, with a note), and a fleet incident.
    const box = await boxOnline(CASE_SERIAL);
    await publish(box, topicFor(CASE_SERIAL, 'fault'), { id: 'f-1', ts: Date.now(), code: REMOTE_CODE, severity: 'error', message: 'no SIM' });
    caseId = (await waitFor(async () => items(await call('GET', '/cases'), 'cases').find((c) => c.serial === CASE_SERIAL), { what: 'the case' })).id;
    await call('POST', `/cases/${caseId}/transitions`, { to: 'in-progress', reason: 'calling the site' });
    await call('POST', `/cases/${caseId}/notes`, { text: 'SIM tray reseated, customer to power-cycle' });
    for (const serial of FLEET_SERIALS) {
      const b = await boxOnline(serial);
      await publish(b, topicFor(serial, 'fault'), { id: `f-${serial}`, ts: Date.now(), code: FLEET_CODE, severity: 'error' });
    }
    incidentId = (await waitFor(async () => items(await call('GET', '/incidents'), 'incidents')[0], { what: 'the incident' })).id;

    // A platform ticket confirmed under the remote-support clause and agreed for repair in ~2 days.
    const ticket = (await call(
      'POST',
      '/platform-tickets',
      {
        project: 'Wuxi smart water',
        reporter: 'Chen Jing',
        contact: '0510-12345678',
        description: 'Dashboard blank since 08:00',
        severity: 'high',
        occurredAt: Date.now() - HOUR_MS,
      },
      201,
    )) as { id: number };
    platformId = ticket.id;
    const transitions = `/platform-tickets/${platformId}/transitions`;
    await call('POST', transitions, {
      to: 'confirmed',
      reason: 'on contract',
      payload: { service: 'remote-technical-support', note: 'contract 2026' },
    });
    // 47 h 30 min away: the countdown reads 1 day 23 hours for the length of the test.
    repairDue = Date.now() + 47.5 * HOUR_MS;
    await call('POST', transitions, { to: 'repairing', reason: 'agreed by phone', payload: { solution: 'restart nginx', agreedBy: repairDue } });

    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    for (const box of boxes) box.end(true);
    await backend?.stop();
  });

  it('shows the case list, a case, an incident and the platform pages in Chinese, with no English left', async () => {
    const page = await signedIn('zh-CN', 'wang.lei', 'Europe/Berlin');

    await page.goto(`${base}/#/cases`);
    await page.locator('#case-list a.row-link').first().waitFor();
    await page.locator('#incident-list a.row-link').first().waitFor();
    const row = page.locator('#case-list tbody tr', { hasText: CASE_SERIAL });
    expect(await row.locator('a.row-link').textContent()).toBe(`案例 #${caseId}`);
    expect(await row.locator('.badge').textContent()).toBe('处理中');
    expect(await foreignText(page, 'zh-CN')).toEqual([]);

    await page.goto(`${base}/#/cases/${caseId}`);
    await page.locator('#case-notes .note-text').waitFor();
    await page.locator('#case-audit .audit-line').nth(1).waitFor();
    expect(await page.locator('#case-state').textContent()).toBe('处理中');
    expect(await page.locator('#case-moves button').allTextContents()).toEqual(['已远程解决', '转 RMA 维修', '放弃']);
    expect(await page.locator('#case-audit .audit-what').nth(1).textContent()).toBe('admin将状态从“待处理”改为“处理中”');
    expect(await foreignText(page, 'zh-CN')).toEqual([]);
    // A move's dialog speaks Chinese too.
    await page.getByRole('button', { name: '已远程解决', exact: true }).click();
    const dialog = page.locator('dialog[open]');
    await dialog.waitFor();
    expect(await dialog.locator('textarea[name="reason"]').count()).toBe(1);
    expect(await otherLanguageText(page, 'zh-CN', { root: 'dialog[open]' })).toEqual([]);
    await dialog.getByRole('button', { name: '取消', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    // The facts a decision was made from, opened.
    await page.locator('#case-decisions summary').first().click();
    await page.locator('#case-decisions .decision-facts li').first().waitFor();
    expect(await foreignText(page, 'zh-CN')).toEqual([]);

    await page.goto(`${base}/#/incidents/${incidentId}`);
    await page.locator('#incident-boxes a').first().waitFor();
    expect(await page.locator('#incident-state').textContent()).toBe('待处理');
    expect(await page.locator('#incident-moves button').allTextContents()).toEqual(['认领']);
    expect(await foreignText(page, 'zh-CN')).toEqual([]);

    await page.goto(`${base}/#/platform-tickets`);
    await page.locator('.list a.row-link').first().waitFor();
    expect(await page.locator('.list a.row-link').first().textContent()).toBe(`平台工单 #${platformId}`);
    expect(await foreignText(page, 'zh-CN')).toEqual([]);

    await page.goto(`${base}/#/platform-tickets/${platformId}`);
    await page.locator('#platform-deadlines .countdown').waitFor();
    expect(await page.locator('#platform-state').textContent()).toBe('维修中');
    expect(await page.locator('#platform-moves button').allTextContents()).toEqual(['标记为已修复']);
    expect(await page.locator('#platform-deadlines .countdown').textContent()).toBe('剩余 1 天 23 小时');
    // The deadline in China's zone with its zone named, though this browser sits in Berlin.
    const shanghai = await page.evaluate(deadlineText, { ms: repairDue, locale: 'zh-CN' as const, timeZone: 'Asia/Shanghai' });
    expect(await page.locator('#platform-deadlines .deadline-at').textContent()).toBe(shanghai);
    expect(await page.locator('#platform-scope').textContent()).toContain('第 2 条，远程技术支持');
    // The reason the backend wrote when the form came in, in Chinese; people's reasons as written.
    expect(await page.locator('#platform-audit .audit-reason').allTextContents()).toEqual(['已提交 BUG 反馈表', 'on contract', 'agreed by phone']);
    expect(await foreignText(page, 'zh-CN')).toEqual([]);

    // The case page fits a phone in Chinese.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/#/cases/${caseId}`);
    await page.locator('#case-notes .note-text').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(pageErrors).toEqual([]);
  });

  it('gives after-sales the BUG Feedback Form in Chinese', async () => {
    const page = await signedIn('zh-CN', 'zhao.min', 'Asia/Shanghai');
    await page.goto(`${base}/#/platform-tickets`);
    await page.getByRole('button', { name: '新建平台工单', exact: true }).click();
    const dialog = page.locator('dialog[open]');
    await dialog.locator('[name="severity"]').waitFor();
    expect(await dialog.locator('[name="severity"] option').allTextContents()).toEqual(['紧急', '高', '中', '低']);
    expect(await otherLanguageText(page, 'zh-CN', { root: 'dialog[open]' })).toEqual([]);
    await dialog.getByRole('button', { name: '取消', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(pageErrors).toEqual([]);
  });

  it('shows the same pages in English, with no Chinese left', async () => {
    const page = await signedIn('en-US', 'li.wei', 'Asia/Shanghai');

    await page.goto(`${base}/#/cases`);
    await page.locator('#case-list a.row-link').first().waitFor();
    await page.locator('#incident-list a.row-link').first().waitFor();
    expect(await page.locator('#case-list tbody tr', { hasText: CASE_SERIAL }).locator('a.row-link').textContent()).toBe(`Case #${caseId}`);
    expect(await otherLanguageText(page, 'en', { root: '#view' })).toEqual([]);

    await page.goto(`${base}/#/cases/${caseId}`);
    await page.locator('#case-notes .note-text').waitFor();
    expect(await page.locator('#case-state').textContent()).toBe('in progress');
    expect(await page.locator('#case-moves button').allTextContents()).toEqual(['Resolved remotely', 'Escalate to RMA', 'Abandon']);
    await page.locator('#case-decisions summary').first().click();
    await page.locator('#case-decisions .decision-facts li').first().waitFor();
    expect(await otherLanguageText(page, 'en', { root: '#view' })).toEqual([]);

    await page.goto(`${base}/#/incidents/${incidentId}`);
    await page.locator('#incident-boxes a').first().waitFor();
    expect(await page.locator('#incident-moves button').allTextContents()).toEqual(['Acknowledge']);
    expect(await otherLanguageText(page, 'en', { root: '#view' })).toEqual([]);

    await page.goto(`${base}/#/platform-tickets`);
    await page.locator('.list a.row-link').first().waitFor();
    expect(await otherLanguageText(page, 'en', { root: '#view' })).toEqual([]);

    await page.goto(`${base}/#/platform-tickets/${platformId}`);
    await page.locator('#platform-deadlines .countdown').waitFor();
    expect(await page.locator('#platform-deadlines .countdown').textContent()).toBe('1 d 23 h left');
    expect(await page.locator('#platform-moves button').allTextContents()).toEqual(['Mark resolved']);
    expect(await otherLanguageText(page, 'en', { root: '#view' })).toEqual([]);

    // The header's switch turns the page into Chinese in place.
    await page.locator('#language').selectOption('zh-CN');
    await expect.poll(() => page.locator('#platform-state').textContent()).toBe('维修中');
    expect(await page.locator('#platform-deadlines .countdown').textContent()).toBe('剩余 1 天 23 小时');
    expect(await foreignText(page, 'zh-CN')).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
