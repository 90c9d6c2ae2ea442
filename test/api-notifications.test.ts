import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotificationService } from '../services/after-sales/notifications/index.ts';
import type { StaffRole as Role } from '../services/kernel/roles.ts';
import { createLiveBus } from '../services/remote-support/realtime/index.ts';
import { type CustomerOrg, customerOrg } from './helpers/customer-kit.ts';
import { startApiFixture, type ApiFixture } from './helpers/http-fixture.ts';
import { ERROR_MESSAGES } from '../services/platform/http/error-messages.ts';

/*
 * Notifications for what needs the customer's action, derived from the tickets' committed
 * states: RMA tickets through the box's organisation, platform tickets through their own.
 * Tickets are driven through the staff API as after-sales and the repair bench do it.
 */

// Out of warranty (receipt 2024-03-01), so the repair is charged and waits for the customer.
const BOX_A = { serial: 'MTBNOTE00001', model: 'MT-BOX-4G', receiptDate: '2024-03-01' };
const BOX_B = { serial: 'MTBNOTE00002', model: 'MT-BOX-4G', receiptDate: '2024-03-01' };
// Belongs to no organisation: its repair notifies nobody.
const BOX_NONE = { serial: 'MTBNOTE00003', model: 'MT-BOX-4G', receiptDate: '2024-03-01' };
const PARTS = [{ name: 'power board', unitCostFen: 8_550, qty: 2 }];

let api: ApiFixture;
let orgA: CustomerOrg;
let orgB: CustomerOrg;
let ticketA: number;

interface NotificationList {
  notifications: Array<{
    id: number;
    kind: string;
    subject: { kind: string; id: number };
    title: string;
    text: string;
    createdAt: number;
    readAt: number | null;
  }>;
  unread: number;
  nextCursor: string | null;
}

async function ok(role: Role, method: string, path: string, json?: unknown, status = 200) {
  const res = await api.request(method, path, { headers: await api.headersFor(role), ...(json !== undefined ? { json } : {}) });
  const body = res.status === 204 ? null : await res.json();
  if (res.status !== status) throw new Error(`${method} ${path} as ${role}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

const move = (role: Role, id: number, to: string, reason: string, payload?: Record<string, unknown>) =>
  ok(role, 'POST', `/api/tickets/${id}/transitions`, { to, reason, ...(payload ? { payload } : {}) });

/** Opens a ticket and takes it to the customer's decision on the Repair Report's cost. */
async function awaitingDecision(serial: string): Promise<number> {
  const { id } = await ok('after-sales', 'POST', '/api/tickets', { serial }, 201);
  await move('after-sales', id, 'warranty-confirmed', 'warranty checked with the customer');
  await move('after-sales', id, 'awaiting-product', 'shipping instructions sent');
  await ok('after-sales', 'POST', `/api/tickets/${id}/shipping`, { direction: 'inbound', carrier: 'SF Express', trackingNumber: `SF${serial}` });
  await move('technician', id, 'received', 'box arrived at the repair centre');
  await ok('technician', 'POST', `/api/tickets/${id}/repair-report`, { testResults: 'power board burnt', parts: PARTS, damageDegree: 'moderate' });
  api.advance(3_600_000);
  await ok('after-sales', 'POST', `/api/tickets/${id}/cost-confirmation`, {});
  return id;
}

async function notificationsOf(org: CustomerOrg, query = ''): Promise<NotificationList> {
  await api.afterSales.notifications.idle();
  const res = await api.request('GET', `/api/portal/notifications${query}`, { headers: org.headers });
  expect(res.status).toBe(200);
  return (await res.json()) as NotificationList;
}

/** The notification service as the next process starts it: same database, a bus that saw nothing. */
const restartedService = () =>
  createNotificationService({
    db: api.db,
    clock: api.now,
    logger: pino({ level: 'silent' }),
    bus: createLiveBus(),
    allowPrivate: false,
    calendar: () => api.afterSales.deps.calendar.current(),
  });

const kindsOf = (list: NotificationList) => list.notifications.map((n) => `${n.kind} ${n.subject.kind}:${n.subject.id}`);

beforeAll(async () => {
  api = await startApiFixture({ SESSION_TTL_H: '8760' });
  for (const box of [BOX_A, BOX_B, BOX_NONE]) await ok('admin', 'POST', '/api/devices', box, 201);
  orgA = await customerOrg(api, 'Huadong Water Works', [BOX_A.serial], 'wang.fang');
  orgB = await customerOrg(api, 'Metro Lighting', [BOX_B.serial], 'li.na');
});
afterAll(() => api.close());

describe('notifications for what needs the customer', () => {
  // Sun 2025-06-15 local: five working days to decide end Fri 06-20, thirty to pay end Fri 07-25.
  it('tells the box’s organisation once that the Repair Report’s cost waits for its decision, with the amount and the date', async () => {
    ticketA = await awaitingDecision(BOX_A.serial);
    const list = await notificationsOf(orgA);
    expect(list.unread).toBe(1);
    expect(list.notifications).toEqual([
      {
        id: expect.any(Number),
        kind: 'cost-to-confirm',
        subject: { kind: 'rma', id: ticketA },
        title: `Repair cost to confirm for box ${BOX_A.serial}`,
        text: `The Repair Report for box ${BOX_A.serial} is ready. The repair costs ¥671.00. Please accept or decline the cost by 2025-06-20. The repair waits for your answer.`,
        createdAt: api.now(),
        readAt: null,
      },
    ]);
  });

  it('does not tell another organisation, nor anyone about a box that belongs to no organisation', async () => {
    expect((await notificationsOf(orgB)).notifications).toEqual([]);
    await awaitingDecision(BOX_NONE.serial);
    expect(kindsOf(await notificationsOf(orgA))).toEqual([`cost-to-confirm rma:${ticketA}`]);
    expect((await notificationsOf(orgB)).notifications).toEqual([]);
    expect(await api.db.selectFrom('notifications').select('id').execute()).toHaveLength(1);
  });

  it('asks for the payment once the cost is accepted', async () => {
    api.advance(3_600_000);
    await move('after-sales', ticketA, 'awaiting-payment', 'customer accepted the cost by phone');
    const list = await notificationsOf(orgA);
    expect(kindsOf(list)).toEqual([`payment-due rma:${ticketA}`, `cost-to-confirm rma:${ticketA}`]);
    expect(list.notifications[0]).toMatchObject({
      title: `Payment due for the repair of box ${BOX_A.serial}`,
      text: expect.stringContaining('Please pay ¥671.00 by 2025-07-25 and enter your payment reference in the portal.'),
    });
  });

  it('tells the customer their box is on its way back, with the carrier and the tracking number', async () => {
    api.advance(3_600_000);
    await ok('after-sales', 'POST', `/api/tickets/${ticketA}/payments`, { amountFen: 67_100, reference: 'BANK-0001' });
    await move('technician', ticketA, 'repaired', 'power board replaced');
    await move('technician', ticketA, 'tested', 'final test', { testResults: '24 h soak test passed' });
    await ok('technician', 'POST', `/api/tickets/${ticketA}/parameter-restore`, { action: 'waive', reason: 'customer reloads on site' });
    await ok('after-sales', 'POST', `/api/tickets/${ticketA}/shipping`, {
      direction: 'outbound',
      carrier: 'SF Express',
      trackingNumber: 'SF-BACK-1',
    });
    const list = await notificationsOf(orgA);
    expect(list.notifications.map((n) => n.kind)).toEqual(['box-shipped-back', 'payment-due', 'cost-to-confirm']);
    expect(list.notifications[0]).toMatchObject({
      subject: { kind: 'rma', id: ticketA },
      title: `box ${BOX_A.serial} is on its way back`,
      text: `We sent box ${BOX_A.serial} back to you repaired with SF Express, tracking number SF-BACK-1. Please tell us within one week if anything is wrong; after that the repair is closed.`,
    });
  });

  it('reminds the organisation to confirm a resolved BUG Feedback Form', async () => {
    const form = {
      project: 'Wuxi smart water',
      reporter: 'Wang Fang',
      contact: '0510-1234',
      description: 'no data',
      severity: 'high',
      occurredAt: api.now() - 60_000,
    };
    const { id } = await ok('after-sales', 'POST', '/api/platform-tickets', form, 201);
    // The portal's own submission records the organisation; here a clerk's report is linked to it.
    await api.db.updateTable('platform_tickets').set({ organisation_id: orgA.organisationId }).where('id', '=', id).execute();
    const moveP = (to: string, payload: Record<string, unknown>) =>
      ok('after-sales', 'POST', `/api/platform-tickets/${id}/transitions`, { to, reason: 'as agreed', payload });
    await moveP('confirmed', { maintenancePeriodEndsOn: '2030-12-31' });
    await moveP('repairing', { solution: 'restart nginx', agreedBy: api.now() + 3_600_000 });
    expect(kindsOf(await notificationsOf(orgA))).not.toContain(`feedback-reminder platform:${id}`);
    await moveP('resolved', { summary: 'nginx restarted' });
    const list = await notificationsOf(orgA);
    expect(list.notifications[0]).toMatchObject({
      kind: 'feedback-reminder',
      subject: { kind: 'platform', id },
      title: 'Please confirm the fix for "Wuxi smart water"',
      text: 'The problem you reported for Wuxi smart water has been resolved. What was done: nginx restarted Please check and confirm it is fixed, or tell us if it persists.',
    });
    expect((await notificationsOf(orgB)).notifications).toEqual([]);
  });

  it('notifies once however often the same state is derived again: a replayed event, the catch-up at start-up', async () => {
    const before = (await notificationsOf(orgA)).notifications.length;
    expect(await api.afterSales.notifications.derive({ kind: 'rma', id: ticketA })).toBe(0);
    expect(await api.afterSales.notifications.catchUp()).toBe(0);
    expect((await notificationsOf(orgA)).notifications).toHaveLength(before);
  });

  it('derives at start-up what a crash between the commit and the notification left out, once', async () => {
    // As if the process died after the ticket's commit, before its notification was written.
    await api.db.deleteFrom('notifications').where('kind', '=', 'box-shipped-back').execute();
    const restarted = restartedService();
    await restarted.start();
    await restarted.stop();
    const again = restartedService();
    expect(await again.catchUp()).toBe(0);
    await again.stop();
    const list = await notificationsOf(orgA);
    expect(list.notifications.filter((n) => n.kind === 'box-shipped-back')).toHaveLength(1);
  });
});

describe('reading notifications', () => {
  it('marks a notification read once, keeps it listed, and counts and filters the unread', async () => {
    const [newest] = (await notificationsOf(orgA)).notifications;
    const firstRead = api.now();
    const res = await api.request('POST', `/api/portal/notifications/${newest!.id}/read`, { headers: orgA.headers });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ...newest, readAt: firstRead });
    api.advance(60_000);
    const again = await api.request('POST', `/api/portal/notifications/${newest!.id}/read`, { headers: orgA.headers });
    expect(((await again.json()) as { readAt: number }).readAt).toBe(firstRead);
    const all = await notificationsOf(orgA);
    const unread = await notificationsOf(orgA, '?unread=true');
    expect(all.unread).toBe(all.notifications.length - 1);
    expect(unread.notifications.map((n) => n.id)).not.toContain(newest!.id);
    expect(unread.notifications).toHaveLength(all.unread);
  });

  it('pages with a cursor, newest first', async () => {
    const all = await notificationsOf(orgA);
    const first = await notificationsOf(orgA, '?limit=2');
    expect(first.notifications).toEqual(all.notifications.slice(0, 2));
    const rest = await notificationsOf(orgA, `?limit=50&cursor=${first.nextCursor}`);
    expect(rest.notifications).toEqual(all.notifications.slice(2));
    expect(rest.nextCursor).toBeNull();
  });

  it('answers another organisation’s notification exactly as one that does not exist', async () => {
    const [ofA] = (await notificationsOf(orgA)).notifications;
    const theirs = await api.request('POST', `/api/portal/notifications/${ofA!.id}/read`, { headers: orgB.headers });
    const none = await api.request('POST', '/api/portal/notifications/999999/read', { headers: orgB.headers });
    expect([theirs.status, await theirs.json()]).toEqual([
      404,
      { error: 'NOTIFICATION_NOT_FOUND', message: ERROR_MESSAGES.NOTIFICATION_NOT_FOUND.en, details: { id: ofA!.id } },
    ]);
    expect([none.status, await none.json()]).toEqual([
      404,
      { error: 'NOTIFICATION_NOT_FOUND', message: ERROR_MESSAGES.NOTIFICATION_NOT_FOUND.en, details: { id: 999999 } },
    ]);
  });

  it('shows staff an organisation’s notifications, and refuses customers the staff route', async () => {
    const staff = await ok('engineer', 'GET', `/api/organisations/${orgA.organisationId}/notifications`);
    expect(staff).toEqual(await notificationsOf(orgA));
    expect(
      await api.request('GET', '/api/organisations/999999/notifications', { headers: await api.headersFor('engineer') }).then((r) => r.status),
    ).toBe(404);
    for (const org of [orgA, orgB]) {
      const res = await api.request('GET', `/api/organisations/${orgA.organisationId}/notifications`, { headers: org.headers });
      expect(res.status).toBe(403);
    }
    expect((await api.request('GET', '/api/portal/notifications', { headers: await api.headersFor('after-sales') })).status).toBe(403);
  });
});

describe('the payment reminder', () => {
  it('reminds once when five working days are left to pay (seed: payment within thirty working days)', async () => {
    const id = await awaitingDecision(BOX_B.serial);
    await move('after-sales', id, 'awaiting-payment', 'customer accepted the cost by phone');
    const notifications = api.afterSales.notifications;
    expect(await notifications.remindDue()).toBe(0);
    // Due Fri 2025-07-25 local. Thu 07-17: six working days are left; Fri 07-18: five.
    api.advance(Date.parse('2025-07-17T02:00:00Z') - api.now());
    expect(await notifications.remindDue()).toBe(0);
    api.advance(Date.parse('2025-07-18T02:00:00Z') - api.now());
    expect(await notifications.remindDue()).toBe(1);
    expect(await notifications.remindDue()).toBe(0);
    expect(await restartedService().catchUp()).toBe(0);
    const list = await notificationsOf(orgB);
    expect(kindsOf(list)).toEqual([`payment-due rma:${id}`, `payment-due rma:${id}`, `cost-to-confirm rma:${id}`]);
    expect(list.notifications[0]).toMatchObject({
      title: `Reminder: payment for the repair of box ${BOX_B.serial}`,
      text: `The payment of ¥671.00 for repairing box ${BOX_B.serial} is due in 5 working days, by 2025-07-25. Please pay and enter your payment reference in the portal; without it the box is returned unrepaired.`,
    });
    expect(kindsOf(await notificationsOf(orgA))).not.toContain(`payment-due rma:${id}`);
  });
});
