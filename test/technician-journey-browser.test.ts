import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './helpers/chromium.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimBox } from '../device-sim/index.ts';
import { startTestBackend, type TestBackend } from './helpers/backend.ts';

/*
 * The technician's journey in a real Chromium against the whole backend: a simulated box
 * answers params.get and params.set over real MQTT; on the device page the technician backs
 * it up, sees a change made on the bench as exactly one difference, restores the backup after
 * a compatibility check and sees it verified parameter by parameter.
 */

const SCREENSHOTS = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
// Every wait in the page is bounded by this, well inside vitest's 30 s test timeout.
const PAGE_TIMEOUT_MS = 10_000;
const SERIAL = 'MTB26TECH0001';
const PASSWORD = 'bench technician password';
// A box answers a whole parameter set in seconds; this makes the wait long enough to be seen.
const BOX_DELAY_MS = 1200;
// A value typed on the box's own web page: shown as text, never markup.
const MARKUP = '<img src=x onerror=alert(1)><b>hall 2</b>';

describe('technician journey in a real browser', () => {
  let backend: TestBackend;
  let box: SimBox;
  let secret = '';
  let browser: Browser;
  let page: Page;
  let base: string;
  const pageErrors: string[] = [];
  const dialogs: string[] = [];
  const cspViolations: string[] = [];
  let firstBackup = 0;

  async function account(role: 'technician' | 'after-sales') {
    const res = await fetch(`${backend.api}/users`, {
      method: 'POST',
      headers: { ...(await backend.adminHeaders()), 'content-type': 'application/json' },
      body: JSON.stringify({ username: `${role}-li`, password: PASSWORD, role }),
    });
    expect(res.status).toBe(201);
    return `${role}-li`;
  }

  async function signIn(p: Page, username: string) {
    await p.goto(`${base}/`);
    await p.locator('input[name="username"]').fill(username);
    await p.locator('input[name="password"]').fill(PASSWORD);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.locator('#signed-in-user', { hasText: username }).waitFor();
    await p.goto(`${base}/#/devices/${SERIAL}`);
  }

  beforeAll(async () => {
    backend = await startTestBackend();
    base = `http://127.0.0.1:${backend.app.httpPort}`;
    const res = await fetch(`${backend.api}/devices`, {
      method: 'POST',
      headers: { ...(await backend.adminHeaders()), 'content-type': 'application/json' },
      body: JSON.stringify({ serial: SERIAL, model: 'MT-BOX-4G', firmware: '2.4.1' }),
    });
    expect(res.status).toBe(201);
    ({ secret } = (await res.json()) as { secret: string });
    box = new SimBox({ serial: SERIAL, secret, mqttUrl: backend.mqttUrl, model: 'MT-BOX-4G', firmware: '2.4.1' });
    box.start();
    await box.waitOnline();
    box.setCommandFaults({ delayMs: BOX_DELAY_MS });

    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    page.setDefaultTimeout(PAGE_TIMEOUT_MS);
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('console', (msg) => {
      if (msg.text().includes('Content Security Policy')) cspViolations.push(msg.text());
    });
    await signIn(page, await account('technician'));
  });
  afterAll(async () => {
    await browser?.close();
    await box?.stop({ graceful: false });
    await backend?.stop();
  });

  const panel = () => page.locator('section.backups-panel');

  it('takes a backup from the device page with progress, lists it, and says when nothing changed', async () => {
    await panel().getByText('No backups of this box yet.', { exact: false }).waitFor();
    await panel().getByRole('button', { name: 'Take backup now' }).click();
    await panel()
      .locator('.progress-line', { hasText: /^Reading parameters from the box… \d+ s$/ })
      .waitFor();
    const outcome = panel().locator('.backup-outcome');
    await outcome.filter({ hasText: /^Backup #\d+ taken: [\d,]+ parameters, [\d.]+ KiB\.$/ }).waitFor();
    firstBackup = Number(/#(\d+)/.exec((await outcome.textContent()) ?? '')?.[1]);
    const item = panel().locator(`li.snapshot[data-id="${firstBackup}"]`);
    await item.waitFor();
    expect(await item.locator('.snapshot-why').textContent()).toBe('taken by hand · by technician-li');
    // Counts are shown with the language's separators (1,103).
    expect(await item.textContent()).toContain(`${new Intl.NumberFormat('en').format(Object.keys(box.params()).length)} parameters`);

    // Its parameters, group by group.
    await item.locator('summary', { hasText: 'Parameters' }).click();
    const plc = item.locator('section.param-group[data-group="plc"]');
    await plc.waitFor();
    expect(await plc.locator('td.mono').first().textContent()).toMatch(/^plc\./);

    // The same parameters again: the newest snapshot is answered, and the panel says so.
    await panel().getByRole('button', { name: 'Take backup now' }).click();
    await outcome.filter({ hasText: `Nothing changed since backup #${firstBackup}` }).waitFor();
    expect(await panel().locator('li.snapshot').count()).toBe(1);
  });

  it('shows a change made on the box as exactly one difference against the backup, as text', async () => {
    // Changed on the bench, through the box's own web page.
    box.setParams({ 'system.location': MARKUP });
    await panel().locator(`li.snapshot[data-id="${firstBackup}"]`).getByRole('button', { name: 'Compare with the box now' }).click();
    const diff = panel().locator('.backup-diff');
    await diff.locator('.progress-line', { hasText: /^Reading parameters from the box to compare… \d+ s$/ }).waitFor();
    const rows = diff.locator('tr.diff-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-param')).toBe('system.location');
    expect(await rows.first().locator('td').allTextContents()).toEqual(['system.location', '""', MARKUP]);
    expect(await diff.locator('section.param-group').getAttribute('data-group')).toBe('system');
    expect(await diff.locator('th').allTextContents()).toEqual(['Parameter', `Backup #${firstBackup}`, 'The box now']);
    expect(await panel().locator('img, b').count()).toBe(0);
  });

  it('fits a 390 px phone with the panel open and a diff shown', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await panel().locator('tr.diff-row').first().scrollIntoViewIfNeeded();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1360, height: 900 });
  });

  it('restores the backup after showing the compatibility check and the change, and verifies it parameter by parameter', async () => {
    await panel().locator(`li.snapshot[data-id="${firstBackup}"]`).getByRole('button', { name: 'Restore…' }).click();
    const flow = panel().locator('.restore-flow');
    await flow.locator('.progress-line', { hasText: /^Checking backup #\d+ against the box: reading its parameters… \d+ s$/ }).waitFor();
    await flow.locator('.restore-compat', { hasText: 'compatible' }).waitFor();
    expect(await flow.locator('.restore-compat dd').allTextContents()).toEqual([
      `MT-BOX-4G, firmware 2.4.1 (taken of ${SERIAL})`,
      `MT-BOX-4G, firmware 2.4.1 (${SERIAL})`,
    ]);
    const change = flow.locator('.restore-changes tr.diff-row');
    expect(await change.count()).toBe(1);
    expect(await change.locator('td').allTextContents()).toEqual(['system.location', MARKUP, '""']);

    await flow.getByRole('button', { name: `Restore backup #${firstBackup}…` }).click();
    const dialog = page.locator('dialog[open]');
    await dialog.getByText(`1 parameter will be written on ${SERIAL}: system.location.`).waitFor();
    await dialog.getByRole('button', { name: 'Restore', exact: true }).click();

    await flow.locator('.progress-line', { hasText: /^Restoring backup #\d+: .* \d+ s$/ }).waitFor();
    expect(await flow.locator('li.phase .phase-label').allTextContents()).toEqual([
      'Backing up the current values',
      'Writing the changed parameters',
      'Reading the parameters back',
      'Verifying, parameter by parameter',
    ]);
    await flow.locator('.restore-verdict', { hasText: 'verified' }).waitFor({ timeout: 20_000 });
    expect(await flow.locator('li.phase').evaluateAll((items) => items.map((li) => li.className))).toEqual([
      'phase done',
      'phase done',
      'phase done',
      'phase done',
    ]);
    expect(await flow.locator('.restore-verdict').textContent()).toMatch(
      /^verified All [\d,]+ parameters of backup #\d+ read back with their values\.$/,
    );
    const verified = flow.locator('tr.verify-row');
    expect(await verified.count()).toBe(1);
    expect(await verified.locator('td').allTextContents()).toEqual(['system.location', '""', '""', 'verified']);
    expect(box.params()['system.location']).toBe('');

    // The values the box held before the restore were kept as a new backup.
    await panel().locator('li.snapshot .snapshot-why', { hasText: 'before a restore' }).waitFor();
  });

  it('compares two backups: the one before the restore holds the bench change', async () => {
    const before = await panel().locator('li.snapshot', { hasText: 'before a restore' }).getAttribute('data-id');
    await panel().locator('select[name="diff-from"]').selectOption(String(firstBackup));
    await panel().locator('select[name="diff-to"]').selectOption(String(before));
    await panel().getByRole('button', { name: 'Show differences' }).click();
    const diff = panel().locator('.backup-diff');
    await diff.locator('th', { hasText: `Backup #${before}` }).waitFor();
    const rows = diff.locator('tr.diff-row');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().locator('td').allTextContents()).toEqual(['system.location', '""', MARKUP]);

    // The same backup against itself: no differences, in words.
    await panel().locator('select[name="diff-to"]').selectOption(String(firstBackup));
    await panel().getByRole('button', { name: 'Show differences' }).click();
    await diff.getByText('No differences: both backups hold the same parameters.').waitFor();

    await panel().locator('select[name="diff-to"]').selectOption(String(before));
    await panel().getByRole('button', { name: 'Show differences' }).click();
    await rows.first().waitFor();
    if (process.env.WRITE_SCREENSHOTS === '1') {
      mkdirSync(SCREENSHOTS, { recursive: true });
      await panel().screenshot({ path: `${SCREENSHOTS}backup-diff.png` });
    }
    expect(await panel().locator('img, b').count()).toBe(0);
  });

  it('offers after-sales the backups and diffs but no button to take or restore one', async () => {
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const other = await context.newPage();
    other.setDefaultTimeout(PAGE_TIMEOUT_MS);
    await signIn(other, await account('after-sales'));
    const otherPanel = other.locator('section.backups-panel');
    await otherPanel.locator(`li.snapshot[data-id="${firstBackup}"]`).waitFor();
    expect(await otherPanel.getByRole('button', { name: 'Take backup now' }).count()).toBe(0);
    expect(await otherPanel.getByRole('button', { name: 'Restore…' }).count()).toBe(0);
    expect(await otherPanel.getByRole('button', { name: 'Compare with the box now' }).count()).toBeGreaterThan(0);
    await context.close();
  });

  it('says in words when the box cannot be read, for a backup, a diff and a restore check', async () => {
    await box.stop();
    await page.locator('#device-presence', { hasText: 'offline' }).waitFor();
    const boxSilent = 'The box did not give its parameters (offline, timed out or a broken answer).';
    await panel().getByRole('button', { name: 'Take backup now' }).click();
    await panel()
      .locator('.backup-status [role="alert"]', { hasText: `The backup failed: ${boxSilent}` })
      .waitFor();
    const item = panel().locator(`li.snapshot[data-id="${firstBackup}"]`);
    await item.getByRole('button', { name: 'Compare with the box now' }).click();
    await panel()
      .locator('.backup-diff [role="alert"]', { hasText: `Could not compare: ${boxSilent}` })
      .waitFor();
    await item.getByRole('button', { name: 'Restore…' }).click();
    await panel()
      .locator('.restore-flow [role="alert"]', { hasText: `Could not check the restore: ${boxSilent}` })
      .waitFor();
    expect(
      await panel()
        .getByRole('button', { name: /^Restore backup/ })
        .count(),
    ).toBe(0);
  });

  it('asks to restore anyway, with the reasons, when the box runs another major firmware since the backup', async () => {
    // The box comes back upgraded to firmware 3; its status message says so.
    box = new SimBox({ serial: SERIAL, secret, mqttUrl: backend.mqttUrl, model: 'MT-BOX-4G', firmware: '3.0.0' });
    box.start();
    await box.waitOnline();
    await panel().locator(`li.snapshot[data-id="${firstBackup}"]`).getByRole('button', { name: 'Restore…' }).click();
    const flow = panel().locator('.restore-flow');
    await flow.locator('.restore-compat', { hasText: 'not compatible' }).waitFor();
    expect(await flow.locator('.restore-compat .reasons li').allTextContents()).toEqual([
      expect.stringContaining('firmware 2.4.1 and this box runs 3.0.0'),
    ]);
    await flow.getByRole('button', { name: 'Restore anyway…' }).click();
    const dialog = page.locator('dialog[open]');
    await dialog.getByText('This backup does not fit the box:').waitFor();
    // Not confirmed until the person ticks that they checked.
    expect(await dialog.locator('input[type="checkbox"]:invalid').count()).toBe(1);
    await dialog.getByRole('checkbox').check();
    expect(await dialog.locator('input:invalid').count()).toBe(0);
    await dialog.getByRole('button', { name: 'Restore anyway' }).click();
    await flow.locator('.restore-verdict', { hasText: 'verified' }).waitFor({ timeout: 20_000 });
    expect(await flow.locator('.restore-result').textContent()).toContain('Restored although: the snapshot was taken on firmware 2.4.1');
  });

  it('ran no script from a parameter value and broke no rule of the page', () => {
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});
