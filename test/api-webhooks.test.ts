import { createHmac } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotificationService } from '../services/after-sales/notifications/index.ts';
import type { StaffRole as Role } from '../services/kernel/roles.ts';
import { createLiveBus } from '../services/remote-support/realtime/index.ts';
import { type CustomerOrg, customerOrg } from './helpers/customer-kit.ts';
import { startApiFixture, type ApiFixture } from './helpers/http-fixture.ts';
import { type Received, type WebhookReceiver, webhookReceiver } from './helpers/webhook-receiver.ts';
import { ERROR_MESSAGES } from '../services/platform/http/error-messages.ts';

/*
 * Outgoing webhooks: a real receiver (node:http on 127.0.0.1, hence WEBHOOK_ALLOW_PRIVATE)
 * gets each notification as a signed POST; the test checks the HMAC with the secret it was
 * shown, and moves the fixture's clock to make retries due.
 */

interface Delivery {
  id: number;
  notificationId: number;
  kind: string;
  url: string;
  state: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: number | null;
  deliveredAt: number | null;
  createdAt: number;
}

let api: ApiFixture;
let orgA: CustomerOrg;
let orgB: CustomerOrg;
let hookA: WebhookReceiver;
let hookB: WebhookReceiver;
let secretA: string;

async function ok(role: Role, method: string, path: string, json?: unknown, status = 200) {
  const res = await api.request(method, path, { headers: await api.headersFor(role), ...(json !== undefined ? { json } : {}) });
  const body = res.status === 204 ? null : await res.json();
  if (res.status !== status) throw new Error(`${method} ${path} as ${role}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

async function as(org: CustomerOrg, method: string, path: string, json?: unknown) {
  const res = await api.request(method, path, { headers: org.headers, ...(json !== undefined ? { json } : {}) });
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
}

/** Takes a charged repair of the box to the customer's decision: one cost-to-confirm notification. */
async function costToConfirm(serial: string): Promise<number> {
  const move = (role: Role, id: number, to: string) => ok(role, 'POST', `/api/tickets/${id}/transitions`, { to, reason: 'next step' });
  const { id } = await ok('after-sales', 'POST', '/api/tickets', { serial }, 201);
  await move('after-sales', id, 'warranty-confirmed');
  await move('after-sales', id, 'awaiting-product');
  await ok('after-sales', 'POST', `/api/tickets/${id}/shipping`, { direction: 'inbound', carrier: 'SF Express', trackingNumber: `SF${serial}` });
  await move('technician', id, 'received');
  const parts = [{ name: 'power board', unitCostFen: 8_550, qty: 1 }];
  await ok('technician', 'POST', `/api/tickets/${id}/repair-report`, { testResults: 'power board burnt', parts, damageDegree: 'minor' });
  await ok('after-sales', 'POST', `/api/tickets/${id}/cost-confirmation`, {});
  await api.afterSales.notifications.idle();
  return id;
}

async function deliveriesOf(org: CustomerOrg): Promise<Delivery[]> {
  const { status, body } = await as(org, 'GET', '/api/portal/webhook/deliveries');
  expect(status).toBe(200);
  return (body as { deliveries: Delivery[] }).deliveries;
}

const sign = (secret: string, r: Received) =>
  `sha256=${createHmac('sha256', secret).update(`${r.headers['x-mtbox-timestamp']}.${r.body}`).digest('hex')}`;

beforeAll(async () => {
  api = await startApiFixture({ SESSION_TTL_H: '8760', WEBHOOK_ALLOW_PRIVATE: 'true' });
  for (const serial of ['MTBHOOK00001', 'MTBHOOK00002'])
    await ok('admin', 'POST', '/api/devices', { serial, model: 'MT-BOX-4G', receiptDate: '2024-03-01' }, 201);
  orgA = await customerOrg(api, 'Huadong Water Works', ['MTBHOOK00001'], 'wang.fang');
  orgB = await customerOrg(api, 'Metro Lighting', ['MTBHOOK00002'], 'li.na');
  hookA = await webhookReceiver([500, 500, 200]);
  hookB = await webhookReceiver([503]);
});
afterAll(async () => {
  await api.close();
  await hookA.close();
  await hookB.close();
});

describe('the webhook and its secret', () => {
  it('answers the secret when the webhook is created and when it is rotated, never when it is read or changed', async () => {
    const created = await as(orgA, 'PUT', '/api/portal/webhook', { url: hookA.url, enabled: true });
    expect(created).toEqual({ status: 200, body: { url: hookA.url, enabled: true, secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) } });
    expect(await as(orgA, 'GET', '/api/portal/webhook')).toEqual({
      status: 200,
      body: { url: hookA.url, enabled: true, createdAt: api.now(), updatedAt: api.now() },
    });
    expect(await as(orgA, 'PUT', '/api/portal/webhook', { url: hookA.url, enabled: true })).toEqual({
      status: 200,
      body: { url: hookA.url, enabled: true },
    });
    const rotated = await as(orgA, 'POST', '/api/portal/webhook/rotate-secret');
    expect(rotated.status).toBe(200);
    secretA = rotated.body.secret;
    expect(secretA).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(secretA).not.toBe(created.body.secret);
    const staff = await ok('engineer', 'GET', `/api/organisations/${orgA.organisationId}/webhook`);
    expect(staff).toEqual({ url: hookA.url, enabled: true, createdAt: api.now(), updatedAt: api.now() });
  });

  it('lets after-sales set an organisation’s webhook, and refuses engineers and other organisations', async () => {
    const set = await ok('after-sales', 'PUT', `/api/organisations/${orgB.organisationId}/webhook`, { url: hookB.url, enabled: true });
    expect(set).toEqual({ url: hookB.url, enabled: true, secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    const refused = await api.request('PUT', `/api/organisations/${orgB.organisationId}/webhook`, {
      headers: await api.headersFor('engineer'),
      json: { url: hookA.url, enabled: true },
    });
    expect(refused.status).toBe(403);
    expect((await as(orgA, 'GET', `/api/organisations/${orgB.organisationId}/webhook`)).status).toBe(403);
  });

  it('refuses a URL that is not http(s) or carries credentials', async () => {
    for (const [url, reason] of [
      ['ftp://example.com/hook', 'not-http'],
      ['javascript:alert(1)', 'not-http'],
      ['https://user:pw@example.com/hook', 'credentials-in-url'],
    ]) {
      expect(await as(orgA, 'PUT', '/api/portal/webhook', { url, enabled: true })).toEqual({
        status: 400,
        body: { error: 'WEBHOOK_URL_REFUSED', message: ERROR_MESSAGES.WEBHOOK_URL_REFUSED.en, details: { reason } },
      });
    }
  });
});

describe('deliveries', () => {
  it('delivers a signed notification, retried with back-off: answers 500, 500, 200 make three attempts', async () => {
    const ticket = await costToConfirm('MTBHOOK00001');
    const created = api.now();
    let [d] = await deliveriesOf(orgA);
    expect(d).toMatchObject({ kind: 'cost-to-confirm', url: hookA.url, state: 'pending', attempts: 0, nextAttemptAt: created, createdAt: created });

    expect(await api.afterSales.notifications.deliverDue()).toBe(1);
    [d] = await deliveriesOf(orgA);
    expect(d).toMatchObject({ state: 'pending', attempts: 1, lastStatus: 500, nextAttemptAt: created + 30_000, deliveredAt: null });
    expect(d!.lastError).toBe('HTTP 500: receiver is down for maintenance');
    // Not due yet: nothing is sent.
    expect(await api.afterSales.notifications.deliverDue()).toBe(0);

    api.advance(30_000);
    expect(await api.afterSales.notifications.deliverDue()).toBe(1);
    [d] = await deliveriesOf(orgA);
    expect(d).toMatchObject({ state: 'pending', attempts: 2, lastStatus: 500, nextAttemptAt: api.now() + 60_000 });

    api.advance(60_000);
    expect(await api.afterSales.notifications.deliverDue()).toBe(1);
    [d] = await deliveriesOf(orgA);
    expect(d).toMatchObject({ state: 'delivered', attempts: 3, lastStatus: 200, lastError: null, nextAttemptAt: null, deliveredAt: api.now() });

    expect(hookA.received).toHaveLength(3);
    const sentAt = [created, created + 30_000, created + 90_000];
    hookA.received.forEach((r, i) => {
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['x-mtbox-delivery']).toBe(String(d!.id));
      expect(r.headers['x-mtbox-timestamp']).toBe(String(Math.floor(sentAt[i]! / 1000)));
      expect(r.headers['x-mtbox-signature']).toBe(sign(secretA, r));
      expect(r.body).toBe(hookA.received[0]!.body);
    });
    const [notification] = ((await as(orgA, 'GET', '/api/portal/notifications')).body as { notifications: Array<Record<string, unknown>> })
      .notifications;
    expect(JSON.parse(hookA.received[0]!.body)).toEqual({
      id: notification!.id,
      kind: 'cost-to-confirm',
      organisation: { id: orgA.organisationId, name: 'Huadong Water Works' },
      subject: { kind: 'rma', id: ticket },
      title: notification!.title,
      text: notification!.text,
      createdAt: created,
    });
    // A signature made with another secret does not match.
    expect(hookA.received[0]!.headers['x-mtbox-signature']).not.toBe(sign('not-the-secret', hookA.received[0]!));
  });

  it('gives a delivery up as failed after ten attempts, waiting twice as long after each', async () => {
    await costToConfirm('MTBHOOK00002');
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 10; attempt++) {
      expect(await api.afterSales.notifications.deliverDue()).toBe(1);
      const [d] = await deliveriesOf(orgB);
      expect(d).toMatchObject({ attempts: attempt, lastStatus: 503 });
      if (d!.nextAttemptAt === null) break;
      waits.push(d!.nextAttemptAt - api.now());
      api.advance(d!.nextAttemptAt - api.now());
    }
    expect(waits.map((ms) => ms / 1000)).toEqual([30, 60, 120, 240, 480, 960, 1920, 3840, 7680]);
    const [d] = await deliveriesOf(orgB);
    expect(d).toMatchObject({ state: 'failed', attempts: 10, nextAttemptAt: null, deliveredAt: null });
    api.advance(86_400_000);
    expect(await api.afterSales.notifications.deliverDue()).toBe(0);
    expect(hookB.received).toHaveLength(10);
  });

  it('tries a failed delivery again on request, and refuses it once delivered', async () => {
    const [failed] = await deliveriesOf(orgB);
    hookB.answer([204]);
    const retried = await as(orgB, 'POST', `/api/portal/webhook/deliveries/${failed!.id}/retry`);
    expect(retried).toMatchObject({ status: 200, body: { id: failed!.id, state: 'pending', nextAttemptAt: api.now() } });
    expect(await api.afterSales.notifications.deliverDue()).toBe(1);
    expect((await deliveriesOf(orgB))[0]).toMatchObject({ state: 'delivered', attempts: 11, lastStatus: 204, deliveredAt: api.now() });
    expect(await as(orgB, 'POST', `/api/portal/webhook/deliveries/${failed!.id}/retry`)).toEqual({
      status: 409,
      body: { error: 'WEBHOOK_DELIVERY_DELIVERED', message: ERROR_MESSAGES.WEBHOOK_DELIVERY_DELIVERED.en, details: { id: failed!.id } },
    });
    const staff = await ok('engineer', 'GET', `/api/organisations/${orgB.organisationId}/webhook/deliveries`);
    expect(staff.deliveries).toEqual(await deliveriesOf(orgB));
  });

  it('answers another organisation’s delivery exactly as one that does not exist', async () => {
    const [ofB] = await deliveriesOf(orgB);
    expect((await deliveriesOf(orgA)).map((d) => d.id)).not.toContain(ofB!.id);
    expect(await as(orgA, 'POST', `/api/portal/webhook/deliveries/${ofB!.id}/retry`)).toEqual({
      status: 404,
      body: { error: 'WEBHOOK_DELIVERY_NOT_FOUND', message: ERROR_MESSAGES.WEBHOOK_DELIVERY_NOT_FOUND.en, details: { id: ofB!.id } },
    });
    expect(await as(orgA, 'POST', '/api/portal/webhook/deliveries/999999/retry')).toEqual({
      status: 404,
      body: { error: 'WEBHOOK_DELIVERY_NOT_FOUND', message: ERROR_MESSAGES.WEBHOOK_DELIVERY_NOT_FOUND.en, details: { id: 999999 } },
    });
    const staffRetry = await api.request('POST', `/api/organisations/${orgA.organisationId}/webhook/deliveries/${ofB!.id}/retry`, {
      headers: await api.headersFor('after-sales'),
    });
    expect([staffRetry.status, await staffRetry.json()]).toEqual([
      404,
      { error: 'WEBHOOK_DELIVERY_NOT_FOUND', message: ERROR_MESSAGES.WEBHOOK_DELIVERY_NOT_FOUND.en, details: { id: ofB!.id } },
    ]);
  });

  it('removes the webhook: reading it answers 404 and what was pending fails instead of being sent', async () => {
    hookA.answer([500]);
    await api.afterSales.notifications.store.add(
      {
        organisationId: orgA.organisationId,
        kind: 'payment-due',
        subject: { kind: 'rma', id: 1 },
        dedupeKey: 'test:removed-webhook',
        title: 'Payment due',
        text: 'Please pay.',
      },
      api.now(),
    );
    expect((await as(orgA, 'DELETE', '/api/portal/webhook')).status).toBe(204);
    expect(await as(orgA, 'GET', '/api/portal/webhook')).toEqual({
      status: 404,
      body: { error: 'WEBHOOK_NOT_FOUND', message: ERROR_MESSAGES.WEBHOOK_NOT_FOUND.en, details: {} },
    });
    const sent = hookA.received.length;
    expect(await api.afterSales.notifications.deliverDue()).toBe(1);
    expect((await deliveriesOf(orgA))[0]).toMatchObject({ kind: 'payment-due', attempts: 1, lastStatus: null, lastError: 'the webhook was removed' });
    expect(hookA.received).toHaveLength(sent);
  });
});

describe('after a restart', () => {
  it('sends the deliveries the process before left pending', async () => {
    await api.afterSales.notifications.store.add(
      { organisationId: orgB.organisationId, kind: 'payment-due', subject: { kind: 'rma', id: 1 }, dedupeKey: 'test:restart', title: 't', text: 't' },
      api.now(),
    );
    expect((await deliveriesOf(orgB))[0]).toMatchObject({ state: 'pending', attempts: 0 });
    const sent = hookB.received.length;
    // The next process: same database, nothing in memory.
    const next = createNotificationService({
      db: api.db,
      clock: api.now,
      logger: pino({ level: 'silent' }),
      bus: createLiveBus(),
      allowPrivate: true,
      calendar: () => api.afterSales.deps.calendar.current(),
    });
    expect(await next.deliverDue()).toBe(1);
    await next.stop();
    expect((await deliveriesOf(orgB))[0]).toMatchObject({ kind: 'payment-due', state: 'delivered', attempts: 1, lastStatus: 204 });
    expect(hookB.received).toHaveLength(sent + 1);
  });
});

describe('targets inside our own network (WEBHOOK_ALLOW_PRIVATE not set)', () => {
  let strict: ApiFixture;
  let org: CustomerOrg;
  beforeAll(async () => {
    strict = await startApiFixture();
    org = await customerOrg(strict, 'Taihu Water Works', [], 'zhou.min');
  });
  afterAll(() => strict.close());

  it('refuses loopback, private, link-local and names resolving to them', async () => {
    for (const url of [
      hookA.url,
      'http://10.1.2.3/hook',
      'http://192.168.1.20:8080/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]:9000/hook',
      'http://[fd00::1]/hook',
      'http://localhost:9000/hook',
    ]) {
      const res = await strict.request('PUT', '/api/portal/webhook', { headers: org.headers, json: { url, enabled: true } });
      expect([url, res.status, await res.json()]).toEqual([
        url,
        400,
        { error: 'WEBHOOK_URL_REFUSED', message: ERROR_MESSAGES.WEBHOOK_URL_REFUSED.en, details: { reason: 'private-address' } },
      ]);
    }
  });

  it('checks again at delivery time, so a target that later resolves inside is not reached', async () => {
    // As if the name had resolved to a public address when it was saved (DNS rebinding).
    await strict.db
      .insertInto('webhooks')
      .values({ organisation_id: org.organisationId, url: hookA.url, secret: 's', enabled: 1, created_at: strict.now(), updated_at: strict.now() })
      .execute();
    const sent = hookA.received.length;
    await strict.afterSales.notifications.store.add(
      {
        organisationId: org.organisationId,
        kind: 'payment-due',
        subject: { kind: 'rma', id: 1 },
        dedupeKey: 'test:rebinding',
        title: 't',
        text: 't',
      },
      strict.now(),
    );
    expect(await strict.afterSales.notifications.deliverDue()).toBe(1);
    const res = await strict.request('GET', '/api/portal/webhook/deliveries', { headers: org.headers });
    expect(((await res.json()) as { deliveries: Delivery[] }).deliveries[0]).toMatchObject({
      state: 'pending',
      attempts: 1,
      lastStatus: null,
      lastError: 'target refused: private-address',
    });
    expect(hookA.received).toHaveLength(sent);
  });
});
