import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './helpers/chromium.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimBox } from '../device-sim/index.ts';
import type { TimelineEntry } from '../services/remote-support/sessions/domain/timeline-entry.ts';
import { startSessionFixture, type SessionClient, type SessionFixture } from './helpers/session-fixture.ts';
import { waitFor } from './helpers/wait-for.ts';

/*
 * The customer's page in a real Chromium: an engineer opens a session on a simulated box and
 * creates a link over the API; the link's url is opened in fresh browser contexts (no
 * account, no cookie) at phone size, while the engineer works the session over socket.io.
 */

const PAGE_TIMEOUT_MS = 10_000;
const PHONE = { width: 390, height: 844 };

interface Link {
  token: string;
  sessionId: number;
  url: string;
}

describe('customer page in a real browser', () => {
  let fixture: SessionFixture;
  let browser: Browser;
  let box: SimBox;
  let engineer: SessionClient;
  let sessionId: number;
  let headers: Record<string, string>;
  let link: Link;
  let customer: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];

  async function phonePage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: PHONE });
    const p = await context.newPage();
    p.setDefaultTimeout(PAGE_TIMEOUT_MS);
    p.on('pageerror', (err) => pageErrors.push(err.message));
    p.on('console', (msg) => {
      if (msg.text().includes('Content Security Policy')) cspViolations.push(msg.text());
    });
    return { context, page: p };
  }

  const customerChats = () =>
    engineer.timeline.filter((e): e is Extract<TimelineEntry, { kind: 'chat' }> => e.kind === 'chat' && e.author.kind === 'customer');

  beforeAll(async () => {
    fixture = await startSessionFixture();
    const account = await fixture.account('engineer');
    headers = account.headers;
    box = await fixture.boxOnline();
    const opened = await fixture.api<{ id: number; state: string }>('POST', '/sessions', account.headers, { serial: box.serial });
    expect(opened.body.state).toBe('active');
    sessionId = opened.body.id;
    engineer = fixture.connect({ token: account.token });
    await engineer.connected();
    expect(await engineer.request('session.join', { sessionId })).toMatchObject({ ok: true });
    const created = await fixture.api<Link>('POST', `/sessions/${sessionId}/links`, account.headers, { label: 'site electrician' });
    expect(created.status).toBe(201);
    link = created.body;
    browser = await launchChromium();
    ({ context: customer, page } = await phonePage());
  });
  afterAll(async () => {
    await browser?.close();
    await fixture?.close();
  });

  it("answers the customer page's url on the backend's origin, the token in the fragment only", () => {
    const url = new URL(link.url);
    expect(url.origin).toBe(`http://127.0.0.1:${fixture.backend.app.httpPort}`);
    expect(url.pathname).toBe('/customer.html');
    expect(url.search).toBe('');
    expect(new URLSearchParams(url.hash.slice(1)).get('link')).toBe(link.token);
    expect(new URLSearchParams(url.hash.slice(1)).get('session')).toBe(String(sessionId));
  });

  it("opens without an account and shows the session's state, the box's readings and the timeline", async () => {
    await page.goto(link.url);
    await page.locator('#connection', { hasText: 'connected' }).waitFor();
    await page.locator('#session-state', { hasText: 'in progress' }).waitFor();
    await page.locator('#serial', { hasText: box.serial }).waitFor();
    await page.locator('#timeline li', { hasText: 'created a customer link for site electrician' }).waitFor();
    // Telemetry is volatile: keep the box talking until a sample reaches the page.
    await waitFor(
      async () => {
        box.publishTelemetry();
        return (await page.locator('#readings dt', { hasText: 'Updated' }).count()) > 0;
      },
      { timeoutMs: PAGE_TIMEOUT_MS, what: 'live readings on the customer page' },
    );
  });

  it('sends the customer chat to the engineer and shows the answer', async () => {
    await page.locator('#chat-text').fill('The red LED blinks twice');
    await page.getByRole('button', { name: 'Send' }).click();
    await waitFor(() => customerChats().some((e) => e.data.text === 'The red LED blinks twice'), { what: 'the chat in the engineer room' });
    expect(await engineer.request('session.chat', { sessionId, text: 'Please power-cycle the PLC' })).toMatchObject({ ok: true });
    await page.locator('#timeline li', { hasText: 'Please power-cycle the PLC' }).waitFor();
    await expect(page.locator('#chat-text').inputValue()).resolves.toBe('');
  });

  it('shows chat with markup as text and runs none of it', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1">';
    await page.locator('#chat-text').fill(hostile);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('#timeline li', { hasText: hostile }).waitFor();
    expect(await page.locator('#timeline img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('fits a 390-px phone without sideways scrolling', async () => {
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(PHONE.width);
  });

  it('resumes after a reload as the same participant', async () => {
    const before = customerChats()[0]?.author;
    await page.reload();
    await page.locator('#connection', { hasText: 'connected' }).waitFor();
    await page.locator('#timeline li', { hasText: 'Please power-cycle the PLC' }).waitFor();
    await page.locator('#chat-text').fill('Back after a reload');
    await page.getByRole('button', { name: 'Send' }).click();
    const after = await waitFor(() => customerChats().find((e) => e.data.text === 'Back after a reload'), { what: 'the chat sent after reload' });
    expect(after.author).toEqual(before);
    const detail = await fixture.api<{ participants: { kind: string }[] }>('GET', `/sessions/${sessionId}`, headers);
    expect(detail.body.participants.filter((p) => p.kind === 'customer')).toHaveLength(1);
  });

  it('refuses a second browser with the same link, in words', async () => {
    const second = await phonePage();
    await second.page.goto(link.url);
    await second.page.locator('#notice', { hasText: 'already open in another browser' }).waitFor();
    await second.page.locator('#connection', { hasText: 'refused' }).waitFor();
    expect(await second.page.locator('#chat-text').isDisabled()).toBe(true);
    await second.context.close();
    // The first browser keeps its place.
    await page.locator('#connection', { hasText: 'connected' }).waitFor();
  });

  it('ran without page errors or content-security-policy violations', async () => {
    await customer.close();
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});
