import type { MqttClient } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './helpers/chromium.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicFor } from '../services/contract/topics.ts';
import { connectBox, publish, startTestBackend, type TestBackend } from './helpers/backend.ts';
import { waitFor } from './helpers/wait-for.ts';

/*
 * Cases, fleet incidents and MTIC platform tickets in a real Chromium against the whole
 * backend: raw MQTT boxes raise faults that triage turns into a remote case and a fleet
 * incident; an engineer and an after-sales clerk, each in their own browser context, work them
 * and a platform ticket with buttons only.
 */

const PAGE_TIMEOUT_MS = 10_000;
const PASSWORD = 'a long enough password';
const ENGINEER = 'li.wei';
const CLERK = 'zhao.min';
const SERIAL = 'MTB26CAS00001';
// CELL_NO_SIM is remote-class in the catalog: triage opens a remote-guidance case for it.
const REMOTE_CODE = 'CELL_NO_SIM';
const FLEET_CODE = 'CLOUD_AUTH_FAILED';
const FLEET_SERIALS = [2, 3, 4, 5, 6].map((n) => `MTB26CAS0000${n}`);
const MARKUP_NOTE = 'SIM tray <img src=x onerror="window.pwned=1"> <b>reseated</b>';
const MARKUP_DESCRIPTION = 'Dashboard blank <script>window.pwned=1</script> <i>since 08:00</i>';

interface Decision {
  reason: string;
  ruleId: string;
}
interface CatalogEntry {
  code: string;
  title: string;
  steps: string[];
}

describe('cases, incidents and platform tickets in a real browser', () => {
  let backend: TestBackend;
  let headers: Record<string, string>;
  let browser: Browser;
  let engineer: Page;
  let clerk: Page;
  let base: string;
  const boxes: MqttClient[] = [];
  let caseId = 0;
  let incidentId = 0;
  let platformId = 0;
  let secondId = 0;
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];

  async function apiGet<T>(path: string): Promise<T> {
    const res = await fetch(`${backend.api}${path}`, { headers });
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
    return (await res.json()) as T;
  }

  async function post(path: string, body: unknown, status = 201): Promise<unknown> {
    const res = await fetch(`${backend.api}${path}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status !== status) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    return res.json();
  }

  /** Registers a box and connects it as a raw MQTT client announcing MT-BOX-4G on 2.4.1. */
  async function boxOnline(serial: string): Promise<MqttClient> {
    const { secret } = (await post('/devices', { serial, model: 'MT-BOX-4G', firmware: '2.4.1' })) as { secret: string };
    const box = await connectBox(backend.mqttUrl, serial, secret);
    boxes.push(box);
    return box;
  }

  async function signedInPage(username: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1360, height: 820 } });
    const page = await context.newPage();
    page.setDefaultTimeout(PAGE_TIMEOUT_MS);
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      if (msg.text().includes('Content Security Policy')) cspViolations.push(msg.text());
    });
    await page.goto(`${base}/`);
    await page.locator('input[name="username"]').fill(username);
    await page.locator('input[name="password"]').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#signed-in-user', { hasText: username }).waitFor();
    return page;
  }

  /** Clicks a move button, gives the dialog's reason (and other fields), and submits it. */
  async function move(page: Page, button: string, reason: string, fill: Record<string, string> = {}): Promise<void> {
    await page.getByRole('button', { name: button, exact: true }).click();
    const dialog = page.locator('dialog[open]');
    for (const [name, value] of Object.entries(fill)) {
      const field = dialog.locator(`[name="${name}"]`);
      if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
      else await field.fill(value);
    }
    await dialog.locator('textarea[name="reason"]').fill(reason);
    await dialog.locator('button[type="submit"]').click();
    await dialog.waitFor({ state: 'detached' });
  }

  const moveLabels = (page: Page, within: string) => page.locator(`${within} button`).allTextContents();

  beforeAll(async () => {
    backend = await startTestBackend();
    headers = await backend.adminHeaders();
    base = `http://127.0.0.1:${backend.app.httpPort}`;
    await post('/users', { username: ENGINEER, password: PASSWORD, role: 'engineer' });
    await post('/users', { username: CLERK, password: PASSWORD, role: 'after-sales' });
    browser = await launchChromium();
    [engineer, clerk] = await Promise.all([signedInPage(ENGINEER), signedInPage(CLERK)]);
  });
  afterAll(async () => {
    await browser?.close();
    for (const box of boxes) box.end(true);
    await backend?.stop();
  });

  it('shows a case triage opened for a remote-class fault in the list without a reload', async () => {
    const box = await boxOnline(SERIAL);
    await engineer.goto(`${base}/#/cases`);
    await engineer.locator('#case-list', { hasText: 'No cases in this state.' }).waitFor();
    await engineer.locator('#live-status', { hasText: /^live$/ }).waitFor();
    await engineer.evaluate(() => {
      (window as unknown as { stillTheSamePage: boolean }).stillTheSamePage = true;
    });
    await publish(box, topicFor(SERIAL, 'fault'), { id: 'f-1', ts: Date.now(), code: REMOTE_CODE, severity: 'error', message: 'no SIM' });
    const row = engineer.locator('#case-list tbody tr', { hasText: SERIAL });
    await row.waitFor();
    expect(await row.textContent()).toContain('No SIM card detected');
    expect(await engineer.evaluate(() => (window as unknown as { stillTheSamePage?: boolean }).stillTheSamePage)).toBe(true);
    caseId = Number((await row.locator('a.row-link').textContent())!.replace('Case #', ''));
    expect(caseId).toBeGreaterThan(0);
  });

  it("opens the case page from the row, with the decision's reason and the catalog's guidance steps", async () => {
    await engineer.locator('#case-list a.row-link', { hasText: `Case #${caseId}` }).click();
    await engineer.waitForURL(`${base}/#/cases/${caseId}`);
    const [decision] = await apiGet<Decision[]>(`/devices/${SERIAL}/decisions`);
    const catalog = await apiGet<{ entries: CatalogEntry[] }>('/catalog');
    const entry = catalog.entries.find((e) => e.code === REMOTE_CODE)!;

    await engineer.locator('#case-decisions .decision-reason', { hasText: decision!.reason }).waitFor();
    expect(await engineer.locator('#case-decisions .decision-rule').textContent()).toBe(decision!.ruleId);
    expect(await engineer.locator('#case-decisions .decision-action').textContent()).toBe('Diagnostics opened a remote-guidance case.');
    expect(await engineer.locator('#case-guidance .guidance-title').textContent()).toBe(entry.title);
    expect(await engineer.locator('#case-guidance .guidance-steps li').allTextContents()).toEqual(entry.steps);
    expect(await engineer.locator('#case-about a', { hasText: SERIAL }).getAttribute('href')).toBe(`#/devices/${SERIAL}`);
    expect(await engineer.locator('[data-slot="open-session"]').count()).toBe(1);
    expect(await engineer.locator('#case-audit .audit-what').first().textContent()).toBe('Diagnostics (automatic) opened it');
  });

  it('lets the engineer start work and add a note with buttons; the note is text', async () => {
    await engineer.locator('#case-guidance input[type="checkbox"]').first().check();
    expect(await moveLabels(engineer, '#case-moves')).toEqual(['Start work', 'Escalate to RMA']);
    await move(engineer, 'Start work', 'calling the site');
    await engineer.locator('#case-state', { hasText: 'in progress' }).waitFor();
    expect(await moveLabels(engineer, '#case-moves')).toEqual(['Resolved remotely', 'Escalate to RMA', 'Abandon']);
    await engineer.locator('#case-audit .audit-what', { hasText: `${ENGINEER} moved it from open to in progress` }).waitFor();

    await engineer.getByRole('button', { name: 'Add note' }).click();
    await engineer.locator('dialog[open] textarea[name="text"]').fill(MARKUP_NOTE);
    await engineer.locator('dialog[open] button[type="submit"]').click();
    const note = engineer.locator('#case-notes .note-text');
    await note.waitFor();
    expect(await note.textContent()).toBe(MARKUP_NOTE);
    expect(await engineer.locator('#case-notes img, #case-notes b').count()).toBe(0);
    const stored = await apiGet<{ state: string; notes: Array<{ by: string; text: string }> }>(`/cases/${caseId}`);
    expect(stored.state).toBe('in-progress');
    expect(stored.notes).toEqual([expect.objectContaining({ by: ENGINEER, text: MARKUP_NOTE })]);
    // A live update (the fault again, joining the case) redraws the page but leaves the ticks alone.
    await publish(boxes[0]!, topicFor(SERIAL, 'fault'), { id: 'f-2', ts: Date.now(), code: REMOTE_CODE, severity: 'error' });
    await engineer.locator('#case-about dd', { hasText: /^2, the last at/ }).waitFor();
    expect(await engineer.locator('#case-guidance input[type="checkbox"]').first().isChecked()).toBe(true);
  });

  it('shows after-sales the case without its transition or note buttons', async () => {
    await clerk.goto(`${base}/#/cases/${caseId}`);
    await clerk.locator('#case-state', { hasText: 'in progress' }).waitFor();
    await clerk.locator('#case-notes .note-text').waitFor();
    expect(await clerk.locator('#case-moves button').count()).toBe(0);
    expect(await clerk.getByRole('button', { name: 'Add note' }).count()).toBe(0);
  });

  it('lists a fleet incident live and lets the engineer acknowledge it on its page', async () => {
    await engineer.goto(`${base}/#/cases`);
    await engineer.locator('#incident-list', { hasText: 'No fleet incidents in this state.' }).waitFor();
    for (const serial of FLEET_SERIALS) {
      const box = await boxOnline(serial);
      await publish(box, topicFor(serial, 'fault'), { id: `f-${serial}`, ts: Date.now(), code: FLEET_CODE, severity: 'error' });
    }
    const row = engineer.locator('#incident-list tbody tr', { hasText: 'MT-BOX-4G' });
    await row.waitFor();
    await row.locator('a.row-link').click();
    incidentId = Number(engineer.url().split('/').pop());
    await engineer.locator('#incident-boxes a', { hasText: FLEET_SERIALS[0]! }).waitFor();
    await waitFor(async () => (await engineer.locator('#incident-boxes a').count()) === FLEET_SERIALS.length, { what: 'every box of the incident' });
    expect(await engineer.locator('#incident-about').textContent()).toContain("Cloud broker refused the box's credentials");
    expect(await engineer.locator('#incident-decisions .decision-rule').allTextContents()).toContain('fleet-open-incident');
    await move(engineer, 'Acknowledge', 'firmware team informed');
    await engineer.locator('#incident-state', { hasText: 'acknowledged' }).waitFor();
    expect(await moveLabels(engineer, '#incident-moves')).toEqual(['Resolve']);
    await engineer.locator('#incident-audit .audit-what', { hasText: `${ENGINEER} moved it from open to acknowledged` }).waitFor();

    await clerk.goto(`${base}/#/incidents/${incidentId}`);
    await clerk.locator('#incident-state', { hasText: 'acknowledged' }).waitFor();
    expect(await clerk.locator('#incident-moves button').count()).toBe(0);
  });

  it('lets after-sales open a platform ticket from the BUG form and walk it along with buttons; the description is text', async () => {
    await clerk.goto(`${base}/#/platform-tickets`);
    await clerk.locator('.list', { hasText: 'No platform tickets in this state.' }).waitFor();
    await clerk.getByRole('button', { name: 'New platform ticket' }).click();
    const form = clerk.locator('dialog[open]');
    await form.locator('[name="project"]').fill('Wuxi smart water');
    await form.locator('[name="reporter"]').fill('Chen Jing');
    await form.locator('[name="contact"]').fill('0510-12345678');
    await form.locator('[name="description"]').fill(MARKUP_DESCRIPTION);
    await form.locator('[name="severity"]').selectOption('high');
    await form.locator('button[type="submit"]').click();
    await clerk.waitForURL(/#\/platform-tickets\/\d+$/);
    platformId = Number(clerk.url().split('/').pop());
    const description = clerk.locator('#platform-form .platform-description');
    await description.waitFor();
    expect(await description.textContent()).toBe(MARKUP_DESCRIPTION);
    expect(await clerk.locator('#platform-form script, #platform-form i').count()).toBe(0);
    expect(await clerk.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await moveLabels(clerk, '#platform-moves')).toEqual(['Confirm scope', 'Out of scope']);

    // Seed, "Reload Deployment": system reinstallation is one of the platform services to choose.
    await move(clerk, 'Confirm scope', 'within the maintenance contract', { note: 'customer on the 2026 contract', service: 'reload-deployment' });
    await clerk.locator('#platform-state', { hasText: 'confirmed' }).waitFor();
    await clerk.locator('#platform-scope', { hasText: 'within the maintenance period and scope' }).waitFor();
    await clerk.locator('#platform-scope', { hasText: 'Clause 3, Reload Deployment' }).waitFor();
    await clerk.locator('#platform-notifications', { hasText: 'software reinstallation and deployment (system reinstallation)' }).waitFor();
    await move(clerk, 'Agree repair', 'agreed on the phone', { solution: 'restart the ingest service and patch nginx' });
    await clerk.locator('#platform-state', { hasText: 'repairing' }).waitFor();
    await clerk.locator('#platform-deadlines .countdown', { hasText: /left$/ }).waitFor();
    await clerk.locator('#platform-notifications', { hasText: 'The customer was told the repair is agreed for' }).waitFor();
    await clerk.locator('#platform-audit .audit-what', { hasText: `${CLERK} (after-sales) moved it from submitted to confirmed` }).waitFor();
    const stored = await apiGet<{ ticket: { state: string; repair: { solution: string }; confirmation: { service?: string } } }>(
      `/platform-tickets/${platformId}`,
    );
    expect(stored.ticket.state).toBe('repairing');
    expect(stored.ticket.repair.solution).toBe('restart the ingest service and patch nginx');
    expect(stored.ticket.confirmation.service).toBe('reload-deployment');
  });

  it('offers the engineer only the moves his role may make', async () => {
    await engineer.goto(`${base}/#/platform-tickets/${platformId}`);
    await engineer.locator('#platform-state', { hasText: 'repairing' }).waitFor();
    expect(await moveLabels(engineer, '#platform-moves')).toEqual(['Mark resolved']);
    await move(engineer, 'Mark resolved', 'service back', { summary: 'ingest restarted, nginx patched' });
    await engineer.locator('#platform-state', { hasText: 'resolved' }).waitFor();
    // Closing is after-sales' move once the customer confirms; reopening is also the engineer's.
    expect(await moveLabels(engineer, '#platform-moves')).toEqual(['Reopen: not fixed']);
    await clerk.reload();
    await clerk.locator('#platform-state', { hasText: 'resolved' }).waitFor();
    expect(await moveLabels(clerk, '#platform-moves')).toEqual(['Reopen: not fixed', 'Close']);

    const submitted = (await post('/platform-tickets', {
      project: 'Suzhou logistics hub',
      reporter: 'Wang Fang',
      contact: 'wang@example.com',
      description: 'Map view empty',
      severity: 'low',
      occurredAt: Date.now() - 60_000,
    })) as { id: number };
    await engineer.goto(`${base}/#/platform-tickets/${submitted.id}`);
    await engineer.locator('#platform-state', { hasText: 'submitted' }).waitFor();
    await engineer.locator('#platform-moves', { hasText: 'not for your role' }).waitFor();
    expect(await engineer.locator('#platform-moves button').count()).toBe(0);
    secondId = submitted.id;
  });

  it('records an out-of-scope decision with its basis, asking in words for what is missing', async () => {
    await clerk.goto(`${base}/#/platform-tickets/${secondId}`);
    await clerk.locator('#platform-state', { hasText: 'submitted' }).waitFor();
    await clerk.getByRole('button', { name: 'Out of scope', exact: true }).click();
    const dialog = clerk.locator('dialog[open]');
    await dialog.locator('[name="basis"]').selectOption('maintenance-period-ended');
    await dialog.locator('textarea[name="reason"]').fill('contract ran out');
    await dialog.locator('button[type="submit"]').click();
    await dialog.getByRole('alert').filter({ hasText: 'Give the date the maintenance period ended.' }).waitFor();
    await dialog.locator('[name="endedOn"]').fill('2025-12-31');
    await dialog.locator('button[type="submit"]').click();
    await dialog.waitFor({ state: 'detached' });
    await clerk.locator('#platform-state', { hasText: 'out of scope' }).waitFor();
    await clerk.locator('#platform-scope', { hasText: 'The maintenance period ended on December 31, 2025.' }).waitFor();
    expect(await moveLabels(clerk, '#platform-moves')).toEqual(['Close']);
  });

  it('fits every page at 390 × 844 without horizontal page scroll', async () => {
    await clerk.setViewportSize({ width: 390, height: 844 });
    const pages: Array<[string, string]> = [
      ['#/cases', '#case-list a.row-link'],
      [`#/cases/${caseId}`, '#case-notes .note-text'],
      [`#/incidents/${incidentId}`, '#incident-boxes a'],
      ['#/platform-tickets', '.list a.row-link'],
      [`#/platform-tickets/${platformId}`, '#platform-audit .audit-line'],
    ];
    for (const [hash, ready] of pages) {
      await clerk.goto(`${base}/${hash}`);
      await clerk.locator(ready).first().waitFor();
      const width = await clerk.evaluate(() => document.documentElement.scrollWidth);
      expect(width, hash).toBeLessThanOrEqual(390);
    }
  });

  it('says so in words when a case, incident or platform ticket does not exist', async () => {
    for (const [hash, words] of [
      ['#/cases/999999', 'There is no case #999999.'],
      ['#/incidents/999999', 'There is no fleet incident #999999.'],
      ['#/platform-tickets/999999', 'There is no platform ticket #999999.'],
    ] as const) {
      await clerk.goto(`${base}/${hash}`);
      await clerk.getByRole('alert').filter({ hasText: words }).waitFor();
    }
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});
