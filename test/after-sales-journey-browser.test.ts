import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from './helpers/chromium.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimBox } from '../device-sim/index.ts';
import { startTestBackend, type TestBackend } from './helpers/backend.ts';

/*
 * The after-sales journey in a real Chromium against the whole backend: a box (a raw MQTT
 * client) raises a hardware fault, the ticket diagnostics opens appears on the RMA board live,
 * and after-sales and a technician, each in their own browser, walk it to closed using only the
 * buttons and dialogs of the ticket page, on the charged path (the box is out of warranty).
 */

// Every wait in the page is bounded by this, well inside vitest's 30 s test timeout.
const PAGE_TIMEOUT_MS = 10_000;
const DAY_MS = 86_400_000;
const PASSWORD = 'correct horse battery';
const SILENT_SERIAL = 'MTB26RMA00002';
const SERIAL = 'MTB26RMA00001';
const CUSTOMER = 'Taihu <img src=x onerror="window.injected=1"> <b>Water</b> Works';
const SCREENSHOTS = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
const writeScreenshots = process.env.WRITE_SCREENSHOTS === '1';

// The moves as the transition table words them; the buttons carry these labels.
const MOVE = {
  confirmWarranty: /^After-sales confirms warranty period and scope/,
  shippingInstructions: /^Shipping instructions given to the customer$/,
  inTransit: /^The customer shipped the box/,
  received: /^The box arrived; the repair cycle starts$/,
  repairReport: /^The technician writes the Repair Report/,
  freeRepair: /^A free repair starts at once$/,
  costConfirmation: /^After-sales sends the Repair Report and confirms the cost/,
  accepted: /^The customer accepted the cost$/,
  paid: /^Remittance received/,
  repaired: /^Repair done; the repair cycle stops$/,
  tested: /^Final test passed$/,
  shipBack: /^Repaired box and Repair Report shipped back$/,
  close: /^The customer confirmed receipt, or the feedback week passed$/,
};

describe('after-sales journey in a real browser', () => {
  let backend: TestBackend;
  let browser: Browser;
  let box: SimBox;
  let clerk: Page;
  let tech: Page;
  let base: string;
  let ticketId: number;
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];

  async function account(username: string, role: string): Promise<void> {
    const res = await fetch(`${backend.api}/users`, {
      method: 'POST',
      headers: { ...(await backend.adminHeaders()), 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: PASSWORD, role }),
    });
    expect(res.status).toBe(201);
  }

  async function signedInPage(username: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1360, height: 820 } });
    const page = await context.newPage();
    page.setDefaultTimeout(PAGE_TIMEOUT_MS);
    page.on('pageerror', (err) => pageErrors.push(`${username}: ${err.message}`));
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

  const moveButton = (page: Page, name: RegExp): Locator => page.locator('#ticket-moves').getByRole('button', { name });
  const dialog = (page: Page): Locator => page.locator('dialog[open]');
  const state = (page: Page, words: string) => page.locator('.rma-headline .badge', { hasText: new RegExp(`^${words}$`) }).waitFor();

  /**
   * Clicks a move's button and answers its dialog. The page re-renders its buttons when the
   * move's own live events arrive; a click that lands while the button is being replaced opens
   * nothing, so the new button is clicked again (a bounded number of times).
   */
  async function openMove(page: Page, name: RegExp): Promise<Locator> {
    for (let attempt = 1; ; attempt++) {
      await moveButton(page, name).click();
      try {
        await dialog(page).waitFor({ timeout: 2_000 });
        return dialog(page);
      } catch (err) {
        // A slow dialog may open just after the wait: never click behind it.
        if ((await dialog(page).count()) > 0) return dialog(page);
        if (attempt === 3) throw err;
      }
    }
  }

  /** Opens a move's dialog, fills it and submits; the dialog closes once the API took it. */
  async function move(page: Page, name: RegExp, fill: Record<string, string> = {}, select: Record<string, string> = {}): Promise<void> {
    const d = await openMove(page, name);
    for (const [field, value] of Object.entries(fill)) await d.locator(`[name="${field}"]`).fill(value);
    for (const [field, value] of Object.entries(select)) await d.locator(`[name="${field}"]`).selectOption(value);
    await d.locator('button[type="submit"]').click();
    await d.waitFor({ state: 'detached' });
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    if (!writeScreenshots) return;
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: `${SCREENSHOTS}${name}` });
  }

  beforeAll(async () => {
    backend = await startTestBackend();
    base = `http://127.0.0.1:${backend.app.httpPort}`;
    await account('clerk', 'after-sales');
    await account('bench', 'technician');
    const res = await fetch(`${backend.api}/devices`, {
      method: 'POST',
      headers: { ...(await backend.adminHeaders()), 'content-type': 'application/json' },
      body: JSON.stringify({
        serial: SERIAL,
        model: 'MT-BOX-4G',
        firmware: '2.4.1',
        // Out of warranty: the repair is charged parts plus the maintenance fee.
        receiptDate: new Date(Date.now() - 800 * DAY_MS).toISOString().slice(0, 10),
        customer: {
          name: CUSTOMER,
          contacts: 'Zhou Min',
          phone: '0510-8123-4567',
          address: '8 Lake Rd, Wuxi',
          businessLine: 'smart-environmental-protection',
        },
      }),
    });
    expect(res.status).toBe(201);
    const { secret } = (await res.json()) as { secret: string };
    // A simulated box: it answers the backup diagnostics asks for when the ticket opens, and the restore after repair.
    box = new SimBox({ serial: SERIAL, secret, mqttUrl: backend.mqttUrl, model: 'MT-BOX-4G', firmware: '2.4.1' });
    box.start();
    await box.waitOnline();
    browser = await launchChromium();
    clerk = await signedInPage('clerk');
    tech = await signedInPage('bench');
  });
  afterAll(async () => {
    await browser?.close();
    await box?.stop();
    await backend?.stop();
  });

  it('shows the ticket a hardware fault opens on the RMA board, live, with its countdown and the customer as text', async () => {
    await clerk.getByRole('link', { name: 'Tickets' }).click();
    await clerk.getByText('No open tickets match.').waitFor();
    await clerk.locator('#live-status', { hasText: /^live$/ }).waitFor();
    await clerk.evaluate(() => {
      (window as unknown as { stillTheSamePage: boolean }).stillTheSamePage = true;
    });
    // Evidence first: it becomes a suggested exclusion when the ticket opens.
    box.recordEvent('tamper');
    box.raiseFault({ code: 'FLASH_WRITE_FAILED', severity: 'error' });

    const card = clerk.locator('.rma-column[data-state="registered"] .rma-card', { hasText: SERIAL });
    await card.waitFor();
    expect(await clerk.evaluate(() => (window as unknown as { stillTheSamePage?: boolean }).stillTheSamePage)).toBe(true);
    ticketId = Number(await card.getAttribute('data-ticket-id'));
    expect(await card.locator('.rma-card-customer').textContent()).toBe(CUSTOMER);
    expect(await card.locator('img, b').count()).toBe(0);
    expect(await card.locator('.rma-card-due').textContent()).toMatch(/^first response: (\d+ d )?\d+ (h|min)( \d+ min)? left$/);
    expect(await card.locator('.countdown.overdue').count()).toBe(0);
    expect(await card.textContent()).toContain('industry');
    await screenshot(clerk, 'rma-board.png');

    await card.click();
    await clerk.waitForURL(`${base}/#/tickets/${ticketId}`);
    await state(clerk, 'Registered');
    await tech.goto(`${base}/#/tickets/${ticketId}`);
    await state(tech, 'Registered');
  });

  it('shows the registration form pre-filled from the registry, the warranty with its reasons and the countdowns', async () => {
    const form = clerk.locator('[data-card="form"] .facts');
    await form.getByText('Zhou Min').waitFor();
    expect(await form.locator('dd').first().textContent()).toBe(CUSTOMER);
    expect(await clerk.locator('[data-card="form"] img').count()).toBe(0);
    expect(await clerk.locator('#ticket-warranty-verdict').textContent()).toMatch(/^out of warranty since [A-Z][a-z]+ \d{1,2}, \d{4}$/);
    expect(await clerk.locator('[data-card="warranty"] .reasons li').first().textContent()).toContain("customer's receipt");
    expect(await clerk.locator('#ticket-deadlines li[data-kind="first-response"] .countdown').textContent()).toMatch(/left$/);
    expect(await clerk.locator('[data-slot="backups"]').count()).toBe(1);
  });

  it('offers each role only its own moves', async () => {
    await moveButton(clerk, MOVE.confirmWarranty).waitFor();
    expect(await moveButton(tech, MOVE.confirmWarranty).count()).toBe(0);
    await tech.getByText('Nothing for your role to do in this state.').waitFor();
    // Scope is after-sales' decision: the technician sees the suggestion, not the buttons.
    await tech.locator('.rma-exclusion[data-exclusion="unauthorised-modification"]').waitFor();
    expect(await tech.locator('.rma-exclusion').getByRole('button').count()).toBe(0);
  });

  it('explains a move the ticket refuses as it stands, and offers it once the exclusion is decided', async () => {
    expect(await moveButton(clerk, MOVE.confirmWarranty).isDisabled()).toBe(true);
    expect(await clerk.locator('#ticket-moves .rma-move-blocked small').textContent()).toBe(
      'Not yet: Confirm or reject every suggested exclusion first.',
    );

    const suggestion = clerk.locator('.rma-exclusion[data-exclusion="unauthorised-modification"]');
    expect(await suggestion.textContent()).toContain('Evidence from the box: tamper');
    await suggestion.getByRole('button', { name: 'Reject' }).click();
    await dialog(clerk).locator('[name="note"]').fill('Seal intact on the photos the customer sent');
    await dialog(clerk).getByRole('button', { name: 'Reject' }).click();
    await suggestion.locator('.badge', { hasText: 'rejected' }).waitFor();

    await move(clerk, MOVE.confirmWarranty);
    await state(clerk, 'Warranty confirmed');
    expect(await clerk.locator('#ticket-warranty-confirmed').textContent()).toContain('Confirmed by clerk');
  });

  it('records the shipping instructions and the inbound shipment; the technician receives the box', async () => {
    await move(clerk, MOVE.shippingInstructions);
    await state(clerk, 'Awaiting product');
    await move(clerk, MOVE.inTransit, { carrier: 'SF Express', trackingNumber: 'SF1234567890' });
    await state(clerk, 'In transit');
    expect(await clerk.locator('[data-card="shipping"]').textContent()).toContain('SF Express SF1234567890');
    expect(await moveButton(clerk, MOVE.received).count()).toBe(0);

    // The technician's page follows live.
    await state(tech, 'In transit');
    await move(tech, MOVE.received);
    await state(tech, 'Received');
    await tech.locator('#ticket-deadlines li[data-kind="repair-cycle"] .countdown').waitFor();
  });

  it('takes the Repair Report with computed charges, and explains why a charged repair cannot start at once', async () => {
    await move(
      tech,
      MOVE.repairReport,
      { testResults: 'Flash fails the write test at sector 7', parts: 'Flash chip, 120, 1' },
      { damageDegree: 'moderate' },
    );
    await state(tech, 'Diagnosed');
    // Out of warranty: parts ¥120 plus the moderate maintenance fee ¥500.
    expect(await tech.locator('#repair-total').textContent()).toMatch(/620\.00/);
    expect(await tech.locator('#repair-report').textContent()).toContain('Flash chip');

    expect(await moveButton(tech, MOVE.freeRepair).isDisabled()).toBe(true);
    expect(await tech.locator('.rma-move-blocked small').textContent()).toBe('Not yet: This move does not fit the repair’s charges (free or paid).');
  });

  it('walks the paid path: cost confirmation, the customer accepts, a short payment is refused in words, the full one recorded', async () => {
    await state(clerk, 'Diagnosed');
    await moveButton(clerk, MOVE.costConfirmation).waitFor();
    await clerk.evaluate(() => window.scrollTo(0, 0));
    await screenshot(clerk, 'ticket-page.png');
    await move(clerk, MOVE.costConfirmation);
    await state(clerk, 'Awaiting decision');
    await move(clerk, MOVE.accepted);
    await state(clerk, 'Awaiting payment');
    const d = await openMove(clerk, MOVE.paid);
    // The amount is pre-filled with the total; the reference is the clerk's to type.
    expect(await d.locator('[name="amount"]').inputValue()).toBe('620.00');
    await d.locator('[name="amount"]').fill('100');
    await d.locator('[name="reference"]').fill('BANK-2026-0042');
    await d.locator('button[type="submit"]').click();
    // The server refuses a short payment: said in words, the dialog keeps what was typed.
    await d
      .getByRole('alert')
      .filter({ hasText: /^The payments do not cover the total yet\./ })
      .waitFor();
    expect(await d.locator('[name="reference"]').inputValue()).toBe('BANK-2026-0042');
    await d.locator('[name="amount"]').fill('620');
    await d.locator('button[type="submit"]').click();
    await d.waitFor({ state: 'detached' });
    await state(clerk, 'Repairing');
    expect(await clerk.locator('#repair-report').textContent()).toContain('reference BANK-2026-0042');
  });

  it('repairs, tests and restores the pre-repair parameters at the bench, verified', async () => {
    await state(tech, 'Repairing');
    // The pre-repair backup was taken when the ticket opened; the bench changed a setting while repairing.
    await tech.locator('#ticket-parameters', { hasText: /Pre-repair backup#\d+/ }).waitFor();
    const before = box.params({ revealSecrets: true });
    box.setParams({ 'system.location': 'repair bench 3' });
    expect(box.params({ revealSecrets: true })).not.toEqual(before);
    await move(tech, MOVE.repaired);
    await state(tech, 'Repaired');
    await move(tech, MOVE.tested, { testResults: 'Burn-in 4 h, all ports pass' });
    await state(tech, 'Tested');
    const parameters = (p: Page) => p.locator('[data-card="parameters"]');
    expect(await parameters(tech).getByRole('button', { name: 'Waive the restore' }).count()).toBe(1);
    expect(await parameters(clerk).getByRole('button', { name: 'Restore parameters' }).count()).toBe(0);
    await parameters(tech).getByRole('button', { name: 'Restore parameters' }).click();
    await dialog(tech).locator('button[type="submit"]').click();
    await tech.locator('#ticket-parameters', { hasText: 'restored and verified by bench' }).waitFor();
    expect(box.params({ revealSecrets: true })).toEqual(before);
  });

  it('ships the box back and closes the ticket, offering the close only to after-sales', async () => {
    await state(clerk, 'Tested');
    await clerk.locator('#ticket-parameters', { hasText: 'restored and verified' }).waitFor();
    await move(clerk, MOVE.shipBack, { carrier: 'SF Express', trackingNumber: 'SF0987654321' });
    await state(clerk, 'Shipped back');
    await state(tech, 'Shipped back');
    expect(await moveButton(tech, MOVE.close).count()).toBe(0);
    await move(clerk, MOVE.close, {}, { closure: 'customer-confirmed' });
    await state(clerk, 'Closed');
    await clerk.getByText('The ticket is finished: no more moves.').waitFor();
  });

  it('tells the whole story in the audit trail, in words', async () => {
    const lines = await clerk.locator('#ticket-audit li').allTextContents();
    const text = lines.join('\n');
    expect(text).toContain('Diagnostics opened the ticket');
    expect(text).toContain('clerk rejected the exclusion “Unauthorised modification”: Seal intact on the photos the customer sent');
    expect(text).toContain('clerk (after-sales) moved it from Registered to Warranty confirmed');
    expect(text).toContain('bench (technician) moved it from Received to Diagnosed');
    expect(text).toContain('clerk (after-sales) moved it from Awaiting payment to Repairing');
    expect(text).toMatch(/bench \(technician\), parameter restore: parameters restored from backup #\d+ and verified/);
    expect(text).toContain('clerk (after-sales) moved it from Shipped back to Closed');
    expect(text).not.toMatch(/[{}]/);
  });

  it('adds a note and lists the closed ticket in the Finished group of the board', async () => {
    await clerk.locator('[data-card="notes"]').getByRole('button', { name: 'Add a note' }).click();
    await dialog(clerk).locator('[name="text"]').fill('Customer called: box <i>works</i> again');
    await dialog(clerk).locator('button[type="submit"]').click();
    await clerk.locator('#ticket-notes li', { hasText: 'Customer called: box <i>works</i> again' }).waitFor();

    await clerk.locator('.toolbar a', { hasText: 'RMA board' }).click();
    await clerk.getByText('No open tickets match.').waitFor();
    await clerk.locator('.rma-finished summary').click();
    await clerk.locator('.rma-finished .rma-card', { hasText: SERIAL }).locator('.rma-card-due', { hasText: 'Closed' }).waitFor();
    // The technician opens no tickets.
    expect(await tech.locator('#new-ticket').count()).toBe(0);
  });

  it('opens a new ticket from the board for a customer call, and refuses a second one in words', async () => {
    await clerk.locator('#new-ticket').click();
    let d = dialog(clerk);
    await d.locator('[name="serial"]').fill(SERIAL.toLowerCase());
    await d.locator('[name="faultPhenomenon"]').fill('No 4G link since the storm');
    await d.locator('button[type="submit"]').click();
    await clerk.waitForURL(new RegExp(`#/tickets/(?!${ticketId}$)\\d+$`));
    await state(clerk, 'Registered');
    await clerk.locator('[data-card="form"] dd', { hasText: 'No 4G link since the storm' }).waitFor();

    await clerk.locator('.toolbar a', { hasText: 'RMA board' }).click();
    await clerk.locator('.rma-column[data-state="registered"] .rma-card', { hasText: SERIAL }).waitFor();
    await clerk.locator('#new-ticket').click();
    d = dialog(clerk);
    await d.locator('[name="serial"]').fill(SERIAL);
    await d.locator('[name="faultPhenomenon"]').fill('Same box again');
    await d.locator('button[type="submit"]').click();
    await d.getByRole('alert').filter({ hasText: 'This box already has an open ticket.' }).waitFor();
    await d.getByRole('button', { name: 'Cancel' }).click();
  });

  it('warns on the board when the box of a ticket has no parameter backup', async () => {
    // Registered but never connected: nothing could back it up.
    const res = await fetch(`${backend.api}/devices`, {
      method: 'POST',
      headers: { ...(await backend.adminHeaders()), 'content-type': 'application/json' },
      body: JSON.stringify({ serial: SILENT_SERIAL, model: 'MT-BOX-4G' }),
    });
    expect(res.status).toBe(201);
    await clerk.locator('#new-ticket').click();
    const d = dialog(clerk);
    await d.locator('[name="serial"]').fill(SILENT_SERIAL);
    await d.locator('[name="faultPhenomenon"]').fill('Dead on arrival');
    await d.locator('button[type="submit"]').click();
    await state(clerk, 'Registered');
    await clerk.locator('.toolbar a', { hasText: 'RMA board' }).click();
    const card = clerk.locator('.rma-column[data-state="registered"] .rma-card', { hasText: SILENT_SERIAL });
    await card.locator('.badge.warn', { hasText: 'no parameter backup of this box' }).waitFor();
    // The box that answered its backup carries no such warning.
    const backedUp = clerk.locator('.rma-column[data-state="registered"] .rma-card', { hasText: SERIAL }).filter({ hasNotText: SILENT_SERIAL });
    expect(await backedUp.locator('.badge.warn', { hasText: /parameter backup/ }).count()).toBe(0);
  });

  it('fits a 390 px phone on the board and the ticket page', async () => {
    await clerk.setViewportSize({ width: 390, height: 844 });
    await clerk.reload();
    await clerk.locator('.rma-finished summary').waitFor();
    expect(await clerk.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await clerk.goto(`${base}/#/tickets/${ticketId}`);
    await state(clerk, 'Closed');
    await clerk.locator('#ticket-audit').waitFor();
    expect(await clerk.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await clerk.evaluate(() => (window as unknown as { injected?: number }).injected)).toBeUndefined();
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});
