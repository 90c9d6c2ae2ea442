import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './helpers/chromium.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimBox } from '../device-sim/index.ts';
import { startSessionFixture, type SessionFixture } from './helpers/session-fixture.ts';
import { waitFor } from './helpers/wait-for.ts';

/*
 * A support engineer's whole job in a real Chromium against the whole backend and simulated
 * boxes: fleet → device page with its chart → a box dropping offline live → a remote session
 * opened from the device page → commands from the palette → a customer invited by link, chat
 * both ways → escalation to RMA with the new ticket linked.
 */

// Every wait in the page is bounded by this, well inside vitest's 30 s test timeout.
const PAGE_TIMEOUT_MS = 10_000;
const MINUTE_MS = 60_000;
const SAMPLES = 10;
const ENGINEER = { username: 'li.wei', password: 'engineer password 1', role: 'engineer' };
const MARKUP_CHAT = '<img src=x onerror=alert(1)> <b>is the PLC on?</b>';

describe("an engineer's journey in a real browser", () => {
  let fixture: SessionFixture;
  let browser: Browser;
  let page: Page;
  let base: string;
  let box: SimBox;
  let other: SimBox;
  let sessionId: number;
  let customer: BrowserContext;
  let customerPage: Page;
  let headers: Record<string, string>;
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];
  const dialogs: string[] = [];

  function watch(p: Page) {
    p.setDefaultTimeout(PAGE_TIMEOUT_MS);
    p.on('pageerror', (err) => pageErrors.push(err.message));
    p.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    p.on('console', (msg) => {
      if (msg.text().includes('Content Security Policy')) cspViolations.push(msg.text());
    });
  }

  const entry = (p: Page, kind: string, text: string | RegExp) => p.locator(`#session-timeline li[data-kind="${kind}"]`, { hasText: text });

  beforeAll(async () => {
    fixture = await startSessionFixture();
    base = `http://127.0.0.1:${fixture.backend.app.httpPort}`;
    const admin = await fixture.backend.adminHeaders();
    expect((await fixture.api('POST', '/users', admin, ENGINEER)).status).toBe(201);
    const login = await fixture.api<{ token: string }>('POST', '/auth/login', {}, { username: ENGINEER.username, password: ENGINEER.password });
    headers = { authorization: `Bearer ${login.body.token}` };
    box = await fixture.boxOnline();
    other = await fixture.boxOnline();
    // A sample a minute, on the backend's clock (the boxes' clock too).
    for (let i = 0; i < SAMPLES; i++) {
      expect(box.publishTelemetry()).toBe(true);
      await waitFor(() => box.counters.telemetry === i + 1);
      fixture.setNow(fixture.now() + MINUTE_MS);
    }
    const from = fixture.now() - 2 * SAMPLES * MINUTE_MS;
    await waitFor(
      async () => {
        const series = await fixture.api<{ points: unknown[] }>('GET', `/devices/${box.serial}/telemetry?metric=rssi&from=${from}`, headers);
        return series.body.points?.length === SAMPLES;
      },
      { what: 'the telemetry to be stored' },
    );
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1360, height: 820 } });
    page = await context.newPage();
    // The page's "last hour" is the backend's: the session fixture runs on a set clock.
    await page.clock.setFixedTime(fixture.now());
    watch(page);
  });
  afterAll(async () => {
    await browser?.close();
    await fixture?.close();
  });

  it('signs in, opens the box from the fleet, and its page charts the telemetry the box sent', async () => {
    await page.goto(`${base}/`);
    await page.locator('input[name="username"]').fill(ENGINEER.username);
    await page.locator('input[name="password"]').fill(ENGINEER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('tbody tr', { hasText: box.serial }).locator('td').nth(1).click();
    await page.waitForURL(`${base}/#/devices/${box.serial}`);
    await page.locator('#chart-status', { hasText: `(${SAMPLES} samples)` }).waitFor();
    expect(await page.locator('svg.chart path.chart-line').getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+L/);
  });

  it('turns a box offline in the fleet list when it drops, without a reload', async () => {
    await page.getByRole('link', { name: 'Fleet', exact: true }).click();
    const presence = page.locator(`.presence[data-serial="${other.serial}"]`);
    await presence.filter({ hasText: 'online' }).waitFor();
    await page.locator('#live-status', { hasText: /^live$/ }).waitFor();
    await page.evaluate(() => {
      (window as unknown as { stillTheSamePage: boolean }).stillTheSamePage = true;
    });
    await other.kill();
    await presence.filter({ hasText: 'offline' }).waitFor();
    expect(await page.locator(`.presence[data-serial="${box.serial}"]`).textContent()).toBe('online');
    expect(await page.evaluate(() => (window as unknown as { stillTheSamePage?: boolean }).stillTheSamePage)).toBe(true);
  });

  it('opens a remote session from the device page and joins it live', async () => {
    await page.locator('a.row-link', { hasText: box.serial }).click();
    await page.getByTestId('open-session').click();
    await page.waitForURL(/#\/sessions\/\d+$/);
    sessionId = Number(new URL(page.url()).hash.split('/')[2]);
    await page.locator('#session-connection', { hasText: /^live$/ }).waitFor();
    expect(await page.locator('#session-state').textContent()).toBe('active');
    expect(await page.locator('#session-serial').getAttribute('href')).toBe(`#/devices/${box.serial}`);
    await entry(page, 'system', `${ENGINEER.username} opened the session on ${box.serial}`).waitFor();
    await entry(page, 'participant-joined', `${ENGINEER.username} (engineer) joined.`).waitFor();
  });

  it('sends ping and params.get from the palette and shows their results in the timeline in words', async () => {
    await page.getByTestId('command-ping').click();
    await entry(page, 'command', 'pinged the box').waitFor();
    await entry(page, 'command-result', /The box answered: up \d+ (s|min), firmware 2\.4\.1\./).waitFor();

    await page.getByTestId('command-params.get').click();
    const dialog = page.locator('dialog[open]');
    await dialog.getByLabel('Group').fill('report');
    await dialog.getByRole('button', { name: 'Send' }).click();
    await dialog.waitFor({ state: 'detached' });
    await entry(page, 'command', "read the box's report parameters").waitFor();
    const result = entry(page, 'command-result', /The box sent \d+ parameters\./);
    await result.waitFor();
    // The raw answer only as formatted text, folded away.
    expect(await result.locator('.entry-text').textContent()).not.toContain('{');
    await result.locator('summary').click();
    const raw = JSON.parse((await result.locator('pre').textContent()) ?? '') as Record<string, unknown>;
    expect(Object.keys(raw).every((name) => name.startsWith('report.'))).toBe(true);
    expect(raw['report.intervalSec']).toBe(box.params()['report.intervalSec']);
  });

  it('changes a parameter only after showing its current and new value, and the box applies it', async () => {
    const before = box.params()['report.intervalSec'];
    expect(before).not.toBe(20);
    await page.getByTestId('command-params.set').click();
    const form = page.locator('dialog[open]');
    await form.getByLabel('Changes').fill('report.intervalSec = 20');
    await form.getByRole('button', { name: 'Read current values' }).click();
    const confirm = page.locator('dialog[open]', { hasText: 'Change these parameters?' });
    await confirm.waitFor();
    expect(await confirm.locator('tbody tr').allTextContents()).toEqual([`report.intervalSec${before}→20`]);
    expect(box.params()['report.intervalSec']).toBe(before);
    await confirm.getByRole('button', { name: 'Change' }).click();
    await entry(page, 'command', 'changed 1 parameter: report.intervalSec = 20').waitFor();
    await entry(page, 'command-result', 'The box applied 1 change(s).').waitFor();
    expect(box.params()['report.intervalSec']).toBe(20);
  });

  it('shows the live telemetry of the box, updated in place', async () => {
    fixture.setNow(fixture.now() + MINUTE_MS);
    const ts = fixture.now();
    expect(box.publishTelemetry()).toBe(true);
    await page.locator(`#session-metrics-time[data-ts="${ts}"]`).waitFor();
    expect(await page.locator('#session-metrics dt').count()).toBeGreaterThan(0);
    expect(await page.locator('#session-metrics dd[data-metric="rssi"]').count()).toBe(1);
  });

  it('creates a customer link whose url opens the customer page in another browser, and chats both ways', async () => {
    await page.getByTestId('create-link').click();
    const dialog = page.locator('dialog[open]');
    await dialog.getByLabel('Who it is for').fill('site electrician');
    await dialog.getByRole('button', { name: 'Create link' }).click();
    const url = page.locator('#customer-link-url');
    await url.waitFor();
    const link = await url.inputValue();
    expect(link).toMatch(new RegExp(`^${base}/customer\\.html#link=[^&]+&session=${sessionId}$`));
    expect(await url.getAttribute('readonly')).not.toBeNull();
    await page.locator('.link-box').getByRole('button', { name: 'Copy' }).click();
    await page.locator('.link-box [role="status"]', { hasText: /^(Copied\.|Selected: .*)$/ }).waitFor();

    customer = await browser.newContext({ viewport: { width: 390, height: 844 } });
    customerPage = await customer.newPage();
    watch(customerPage);
    await customerPage.goto(link);
    await customerPage.locator('#connection', { hasText: 'connected' }).waitFor();
    await entry(page, 'participant-joined', 'site electrician (customer) joined.').waitFor();

    await page.locator('#chat-form-text').fill('Is the PLC powered?');
    await page.getByRole('button', { name: 'Send chat' }).click();
    await customerPage.locator('#timeline li', { hasText: 'Is the PLC powered?' }).waitFor();
    await entry(page, 'chat', 'Is the PLC powered?').waitFor();
    expect(await page.locator('#chat-form-text').inputValue()).toBe('');

    await customerPage.locator('#chat-text').fill('Yes, the green LED is on.');
    await customerPage.getByRole('button', { name: 'Send' }).click();
    const answer = entry(page, 'chat', 'Yes, the green LED is on.');
    await answer.waitFor();
    expect(await answer.locator('.entry-head strong').textContent()).toBe('site electrician (customer)');
  });

  it('shows markup in a chat line as text and runs nothing', async () => {
    await customerPage.locator('#chat-text').fill(MARKUP_CHAT);
    await customerPage.getByRole('button', { name: 'Send' }).click();
    const line = entry(page, 'chat', 'is the PLC on?');
    await line.waitFor();
    expect(await line.locator('.entry-text').textContent()).toBe(MARKUP_CHAT);
    expect(await page.locator('#session-timeline img, #session-timeline b').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('keeps the console within a 390 px phone, and writes its screenshot when asked', async () => {
    if (process.env.WRITE_SCREENSHOTS === '1') {
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: 'docs/screenshots/session-console.png' });
    }
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('#session-timeline').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1360, height: 820 });
  });

  it('lists the session among the active ones, linked to its console, also on a phone', async () => {
    await page.getByRole('link', { name: 'Sessions', exact: true }).click();
    // Leaving the console left the session's room.
    await waitFor(
      async () => {
        const s = await fixture.api<{ participants: { username: string | null; leftAt: number | null }[] }>('GET', `/sessions/${sessionId}`, headers);
        return s.body.participants.find((p) => p.username === ENGINEER.username)?.leftAt != null;
      },
      { what: 'the engineer to have left the room' },
    );
    await page.locator('#sessions-state').selectOption('active');
    const row = page.locator('tbody tr', { hasText: box.serial });
    await row.waitFor();
    expect(await row.locator('a.row-link').getAttribute('href')).toBe(`#/sessions/${sessionId}`);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1360, height: 820 });
    await row.locator('td').nth(2).click();
    await page.waitForURL(`${base}/#/sessions/${sessionId}`);
    await page.locator('#session-connection', { hasText: /^live$/ }).waitFor();
  });

  it('offers a role without sessions:write the timeline and chat but no commands, notes, links or endings', async () => {
    const admin = await fixture.backend.adminHeaders();
    const staff = { username: 'wang.fang', password: 'after-sales password 1', role: 'after-sales' };
    expect((await fixture.api('POST', '/users', admin, staff)).status).toBe(201);
    const context = await browser.newContext({ viewport: { width: 1360, height: 820 } });
    const watcher = await context.newPage();
    watch(watcher);
    await watcher.goto(`${base}/`);
    await watcher.locator('input[name="username"]').fill(staff.username);
    await watcher.locator('input[name="password"]').fill(staff.password);
    await watcher.getByRole('button', { name: 'Sign in' }).click();
    await watcher.locator('#nav').waitFor();
    await watcher.goto(`${base}/#/devices/${box.serial}`);
    await watcher.locator('#device-presence').waitFor();
    expect(await watcher.getByTestId('open-session').count()).toBe(0);
    await watcher.goto(`${base}/#/sessions/${sessionId}`);
    await watcher.locator('#session-connection', { hasText: /^live$/ }).waitFor();
    await entry(watcher, 'chat', 'Yes, the green LED is on.').waitFor();
    expect(await watcher.locator('#chat-form').count()).toBe(1);
    expect(await watcher.locator('#note-form').count()).toBe(0);
    expect(await watcher.locator('#command-palette').count()).toBe(0);
    expect(await watcher.getByTestId('create-link').count()).toBe(0);
    expect(await watcher.getByTestId('end-escalated').count()).toBe(0);
    await context.close();
  });

  it('escalates to RMA and links the ticket it opened, then is read-only', async () => {
    await page.getByTestId('end-escalated').click();
    const dialog = page.locator('dialog[open]');
    await dialog.getByLabel('Reason').fill('power board dead');
    await dialog.getByRole('button', { name: 'Escalate to RMA' }).click();
    const ticket = page.locator('#session-ticket');
    await ticket.waitFor();
    const href = (await ticket.getAttribute('href')) ?? '';
    expect(href).toMatch(/^#\/tickets\/\d+$/);
    const opened = await fixture.api<{ ticket: { serial: string } }>('GET', `/tickets/${href.split('/')[2]}`, headers);
    expect(opened.status).toBe(200);
    expect(opened.body.ticket.serial).toBe(box.serial);
    await page.locator('#session-read-only').waitFor();
    expect(await page.locator('#command-palette').count()).toBe(0);
    expect(await page.locator('#chat-form').count()).toBe(0);
    expect(await page.locator('#session-state').textContent()).toBe('ended: escalated to RMA');
    await customerPage.getByText('The engineer has ended this session.').waitFor();
    // The ticket is one click away: its page opens on the box the session escalated.
    await ticket.click();
    await page.waitForURL(new RegExp(`${href.replace('/', '\\/')}$`));
    await page.locator('.rma-headline a.mono', { hasText: box.serial }).waitFor();
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
    expect(dialogs).toEqual([]);
  });
});
