import type { MqttClient } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './helpers/chromium.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicFor } from '../services/contract/topics.ts';
import { ADMIN_PASSWORD, connectBox, publish, startTestBackend, type TestBackend } from './helpers/backend.ts';
import { waitFor } from './helpers/wait-for.ts';

/*
 * The device page in a real Chromium against the whole backend: a box registered over HTTP
 * reports telemetry and faults as a raw MQTT client; the page is reached from the fleet list.
 */

// Every wait in the page is bounded by this, well inside vitest's 30 s test timeout.
const PAGE_TIMEOUT_MS = 10_000;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const SERIAL = 'MTB26DEV00001';
const MARKUP_MESSAGE = 'write failed at <img src=x onerror=alert(1)> <b>sector 7</b>';
const SAMPLES = 30;

describe('device page in a real browser', () => {
  let backend: TestBackend;
  let browser: Browser;
  let page: Page;
  let base: string;
  let box: MqttClient;
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];

  beforeAll(async () => {
    backend = await startTestBackend();
    const headers = await backend.adminHeaders();
    base = `http://127.0.0.1:${backend.app.httpPort}`;
    const res = await fetch(`${backend.api}/devices`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        serial: SERIAL,
        model: 'MT-BOX-4G',
        firmware: '2.4.1',
        receiptDate: new Date(Date.now() - 30 * DAY_MS).toISOString().slice(0, 10),
        customer: {
          name: 'Wuxi Pump Works',
          contacts: 'Li Wei',
          phone: '0510-8888-1234',
          address: '1 Canal Rd, Wuxi',
          businessLine: 'smart-logistics',
        },
      }),
    });
    expect(res.status).toBe(201);
    const { secret } = (await res.json()) as { secret: string };
    box = await connectBox(backend.mqttUrl, SERIAL, secret);
    const now = Date.now();
    for (let i = 0; i < SAMPLES; i++) {
      const ts = now - (SAMPLES - i) * MINUTE_MS;
      await publish(box, topicFor(SERIAL, 'telemetry'), { ts, seq: i, metrics: { cpu_temp: 40 + (i % 7), rssi: -70 + i } });
    }
    await publish(box, topicFor(SERIAL, 'fault'), { id: 'f-1', ts: now, code: 'FLASH_WRITE_FAILED', severity: 'error', message: MARKUP_MESSAGE });
    await waitFor(
      async () => {
        const res = await fetch(`${backend.api}/devices/${SERIAL}/telemetry?metric=cpu_temp&from=${now - DAY_MS}`, { headers });
        const series = (await res.json()) as { points: unknown[] };
        return series.points.length === SAMPLES ? true : null;
      },
      { what: 'the telemetry to be stored' },
    );

    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1360, height: 820 } });
    page.setDefaultTimeout(PAGE_TIMEOUT_MS);
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      if (msg.text().includes('Content Security Policy')) cspViolations.push(msg.text());
    });
  });
  afterAll(async () => {
    await browser?.close();
    box?.end(true);
    await backend?.stop();
  });

  it('opens the device page by clicking the box in the fleet list', async () => {
    await page.goto(`${base}/`);
    await page.locator('input[name="username"]').fill('admin');
    await page.locator('input[name="password"]').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // A click on the row (its model cell, not the serial link) opens the box.
    await page.locator('tbody tr', { hasText: SERIAL }).locator('td').nth(1).click();
    await page.waitForURL(`${base}/#/devices/${SERIAL}`);
    expect(await page.locator('#device-serial').textContent()).toBe(SERIAL);
    expect(await page.title()).toContain(SERIAL);
  });

  it('shows registry data, presence, the latest metrics and the warranty with its reasons', async () => {
    await page.locator('#device-presence', { hasText: 'online' }).waitFor();
    await page.locator('.facts dd', { hasText: 'Wuxi Pump Works' }).waitFor();
    const metrics = page.locator('section[aria-labelledby="metrics-title"] tbody tr');
    expect(await metrics.allTextContents()).toEqual([`cpu_temp${40 + ((SAMPLES - 1) % 7)}`, `rssi${-70 + SAMPLES - 1}`]);
    await page.locator('#warranty-verdict', { hasText: /^in warranty until [A-Z][a-z]+ \d{1,2}, \d{4}$/ }).waitFor();
    expect(await page.locator('.reasons li').first().textContent()).toContain("customer's receipt");
  });

  it('lists the fault with its catalog title and guidance, and the box message as text', async () => {
    const fault = page.locator('li.fault', { hasText: 'FLASH_WRITE_FAILED' });
    await fault.waitFor();
    expect(await fault.locator('.fault-title').textContent()).toBe('Writes to internal flash fail');
    expect(await fault.locator('.fault-message').textContent()).toBe(MARKUP_MESSAGE);
    expect(await fault.locator('img, b').count()).toBe(0);
    await fault.locator('summary').click();
    expect(await fault.locator('details ol li').count()).toBeGreaterThan(0);
  });

  it('shows what diagnostics decided and why, the evidence the box recorded and the commands sent to it', async () => {
    const decision = page.locator('li[data-decision-id]', { hasText: 'Writes to internal flash fail' });
    await decision.waitFor();
    expect(await decision.locator('.decision-reason').textContent()).not.toBe('');
    const opened = decision.locator('a[href^="#/tickets/"], a[href^="#/cases/"]');
    expect(await opened.count()).toBe(1);

    await publish(box, topicFor(SERIAL, 'event'), { id: 'e-1', ts: Date.now(), type: 'tamper', details: { note: MARKUP_MESSAGE } });
    const evidence = page.locator('li[data-event-id="e-1"]');
    await evidence.waitFor();
    expect(await evidence.textContent()).toContain('tamper');
    await evidence.locator('summary').click();
    expect(await evidence.locator('pre').textContent()).toContain(MARKUP_MESSAGE);
    expect(await evidence.locator('img, b').count()).toBe(0);

    // The raw box never answers: the command times out, and the page says so with who sent it.
    const headers = await backend.adminHeaders();
    const sent = await fetch(`${backend.api}/devices/${SERIAL}/commands`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'ping', timeoutMs: 500 }),
    });
    expect(((await sent.json()) as { status: string }).status).toBe('timed-out');
    await page.reload();
    const command = page.locator('li[data-command-id]', { hasText: 'ping' });
    await command.waitFor();
    expect(await command.textContent()).toMatch(/timed out.*by admin/);
  });

  it('charts the last hour of a metric from server buckets, then a week, and zooms by dragging', async () => {
    const status = page.locator('#chart-status');
    await status.filter({ hasText: /^\d+ buckets of 10 s \(30 samples\)$/ }).waitFor();
    expect(await page.locator('svg.chart path.chart-line').getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+L/);

    await page.getByRole('button', { name: 'week' }).click();
    await status.filter({ hasText: /buckets of 30 min/ }).waitFor();
    await page.locator('#chart-metric').selectOption('rssi');
    await page.locator('svg.chart[aria-label^="rssi"]').waitFor();

    await page.getByRole('button', { name: 'hour' }).click();
    await status.filter({ hasText: /buckets of 10 s/ }).waitFor();
    await page.locator('.chart-area').scrollIntoViewIfNeeded();
    const area = (await page.locator('.chart-area').boundingBox())!;
    await page.mouse.move(area.x + area.width * 0.25, area.y + area.height / 2);
    await page.mouse.down();
    await page.mouse.move(area.x + area.width * 0.75, area.y + area.height / 2, { steps: 4 });
    await page.mouse.up();
    // Half an hour in at most 500 buckets: 5 s each.
    await status.filter({ hasText: /buckets of 5 s/ }).waitFor();
    await page.getByRole('button', { name: 'Reset zoom' }).click();
    await status.filter({ hasText: /buckets of 10 s/ }).waitFor();
    if (process.env.WRITE_SCREENSHOTS === '1') {
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: 'docs/screenshots/device-page.png' });
    }
  });

  it('adds a new fault of the box from the live feed without a reload', async () => {
    await page.locator('#live-status', { hasText: /^live$/ }).waitFor();
    await page.evaluate(() => {
      (window as unknown as { stillTheSamePage: boolean }).stillTheSamePage = true;
    });
    await publish(box, topicFor(SERIAL, 'fault'), { id: 'f-2', ts: Date.now(), code: 'CELL_WEAK_SIGNAL', severity: 'warning' });
    await page.locator('li.fault .fault-title', { hasText: 'Cellular signal too weak' }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { stillTheSamePage?: boolean }).stillTheSamePage)).toBe(true);
  });

  it('fits a 390 px phone without horizontal page scroll', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.locator('#chart-status', { hasText: /buckets/ }).waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
  });

  it('says so when no box has the serial', async () => {
    await page.goto(`${base}/#/devices/MTB26DEV99999`);
    await page.getByText('No box with serial MTB26DEV99999 is registered.').waitFor();
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});
