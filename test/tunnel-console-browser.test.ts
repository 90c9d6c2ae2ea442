import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimBox } from '../device-sim/index.ts';
import { ModbusClient } from '../device-sim/lan/modbus-client.ts';
import { LocalProxy } from '../tunnel-proxy/local-proxy.ts';
import { launchChromium } from './helpers/chromium.ts';
import { startSessionFixture, type SessionFixture } from './helpers/session-fixture.ts';
import { waitFor } from './helpers/wait-for.ts';

/*
 * The PLC tunnel from the session console in a real Chromium: the engineer opens a tunnel to
 * the simulated box's PLC with the form, copies the command line, a Modbus client works
 * through the local proxy, the console counts the bytes and closes the tunnel; a colleague
 * without the right to open tunnels sees them but is offered no button.
 */

const PAGE_TIMEOUT_MS = 10_000;
const ENGINEER = { username: 'wang.fang', password: 'engineer password 2', role: 'engineer' };
const WATCHER = { username: 'zhao.lei', password: 'after-sales password 2', role: 'after-sales' };

describe('PLC tunnels in the session console', () => {
  let fixture: SessionFixture;
  let browser: Browser;
  let page: Page;
  let base: string;
  let box: SimBox;
  let sessionId: number;
  let token: string;
  const pageErrors: string[] = [];

  async function signIn(p: Page, account: { username: string; password: string }) {
    p.setDefaultTimeout(PAGE_TIMEOUT_MS);
    p.on('pageerror', (err) => pageErrors.push(err.message));
    await p.clock.setFixedTime(fixture.now());
    await p.goto(`${base}/`);
    await p.locator('input[name="username"]').fill(account.username);
    await p.locator('input[name="password"]').fill(account.password);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.locator('#signed-in-user', { hasText: account.username }).waitFor();
  }

  /** Opens a page of the signed-in app by its route. */
  async function open(p: Page, hash: string) {
    await p.evaluate((h) => {
      location.hash = h;
    }, hash);
  }

  beforeAll(async () => {
    fixture = await startSessionFixture();
    base = `http://127.0.0.1:${fixture.backend.app.httpPort}`;
    const admin = await fixture.backend.adminHeaders();
    for (const account of [ENGINEER, WATCHER]) expect((await fixture.api('POST', '/users', admin, account)).status).toBe(201);
    const login = await fixture.api<{ token: string }>('POST', '/auth/login', {}, { username: ENGINEER.username, password: ENGINEER.password });
    token = login.body.token;
    const { serial, secret } = await fixture.register();
    box = new SimBox({ serial, secret, mqttUrl: fixture.backend.mqttUrl, model: 'MT-BOX-4G', clock: () => fixture.now() });
    await box.startPlc();
    box.start();
    await box.waitOnline();
    box.publishTelemetry();
    const opened = await fixture.api<{ id: number; state: string }>('POST', '/sessions', { authorization: `Bearer ${token}` }, { serial });
    expect(opened.body.state).toBe('active');
    sessionId = opened.body.id;
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1360, height: 900 } })).newPage();
    await signIn(page, ENGINEER);
  });
  afterAll(async () => {
    await browser?.close();
    await box?.stop({ graceful: false });
    await fixture?.close();
  });

  it('opens a tunnel from the form, works the PLC through the command line it shows, counts the bytes and closes it', async () => {
    await open(page, `#/sessions/${sessionId}`);
    await page.getByText('No tunnels in this session.').waitFor();
    await page.getByTestId('open-tunnel').click();
    const dialog = page.locator('dialog[open]');
    expect(await dialog.locator('[name="host"]').inputValue()).toBe('192.168.1.10');
    await dialog.locator('[name="port"]').fill('23');
    await dialog.getByRole('button', { name: 'Open tunnel' }).click();
    // Telnet is not on the box's allow-list: refused in words, the form kept.
    await dialog
      .getByRole('alert')
      .filter({ hasText: /refused|allow-list/i })
      .waitFor();
    await dialog.locator('[name="port"]').fill('502');
    await dialog.getByRole('button', { name: 'Open tunnel' }).click();

    const command = page.locator('#tunnel-command');
    await command.waitFor();
    const line = await command.inputValue();
    const url = /--url (\S+)/.exec(line)?.[1] ?? '';
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/api\/sessions\/\d+\/tunnels\/[0-9a-f]{32}\/stream$/);
    expect(line).toContain('--listen 127.0.0.1:');
    const row = page.locator('#tunnel-list li', { hasText: '192.168.1.10:502' });
    await row.locator('.badge', { hasText: 'open' }).waitFor();
    await page.locator('#session-timeline li[data-kind="tunnel-opened"]', { hasText: `192.168.1.10:502 opened by ${ENGINEER.username}` }).waitFor();

    // What `npm run tunnel -- --url … --token …` runs: the engineer's Modbus tool on the local port.
    const proxy = await LocalProxy.listen({ url, token, host: '127.0.0.1', port: 0 });
    const modbus = new ModbusClient();
    await modbus.connectTCP('127.0.0.1', { port: proxy.address.port });
    modbus.setID(1);
    modbus.setTimeout(5_000);
    await modbus.writeRegisters(300, [7, 8, 9]);
    expect((await modbus.readHoldingRegisters(300, 3)).data).toEqual([7, 8, 9]);

    // The engineer closes it from the console: the proxy hears why, the list says it, with bytes.
    await row.getByTestId('close-tunnel').click();
    expect(await proxy.done).toEqual({ ok: true, reason: 'closed-by-user' });
    // …and the engineer's Modbus tool was disconnected with it.
    await waitFor(() => !modbus.isOpen, { what: 'the local connection to end' });
    await row.getByText(/closed .*: closed-by-user/).waitFor();
    expect(await row.locator('.tunnel-bytes').textContent()).toMatch(/to the PLC [1-9]\d* B · ↑ from the PLC [1-9]\d* B/);
    await page.locator('#session-timeline li[data-kind="tunnel-closed"]', { hasText: '192.168.1.10:502' }).waitFor();
  });

  it('shows a colleague the tunnels and their story, but no button to open or close one', async () => {
    const watcher = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await signIn(watcher, WATCHER);
    await open(watcher, `#/sessions/${sessionId}`);
    await watcher.locator('#tunnel-list li', { hasText: '192.168.1.10:502' }).waitFor();
    expect(await watcher.getByTestId('open-tunnel').isVisible()).toBe(false);
    expect(await watcher.getByTestId('close-tunnel').count()).toBe(0);
    expect(await watcher.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(pageErrors).toEqual([]);
  });
});
