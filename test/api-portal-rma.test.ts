import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES } from '../services/compose-routes.ts';
import type { StaffRole } from '../services/kernel/roles.ts';
import { customerOrg, type CustomerOrg } from './helpers/customer-kit.ts';
import { startApiFixture, type ApiFixture } from './helpers/http-fixture.ts';
import { ERROR_MESSAGES } from '../services/platform/http/error-messages.ts';

/*
 * The customer portal's repairs over HTTP: two organisations, A and B, each with its own
 * boxes and one invited customer account. A customer follows and acts on their own repair
 * requests (seed: decide on the cost within 5 working days, pay within 30, ship the box in,
 * confirm its return); every portal route answers another organisation's box or ticket
 * exactly like one that does not exist, and every staff route refuses a customer.
 * Instants are UTC; the vendor's local dates (China, UTC+8) are in the comments.
 */

// Covered through 2025-02-28: every repair below is charged.
const box = (serial: string, model = 'MT-BOX-4G') => ({
  serial,
  model,
  receiptDate: '2024-03-01',
  customer: { name: 'Registry Name', businessLine: 'smart-factory' },
});
const A_ACCEPT = 'MTB2403000101';
const A_DECLINE = 'MTB2403000102';
const A_IDLE = 'MTB2403000103';
const A_SPARE = 'MTB2403000104';
const B_BOX = 'MTB2403000201';
const UNKNOWN_SERIAL = 'MTB9999999999';
const UNKNOWN_ID = 999_999;

let api: ApiFixture;
let a: CustomerOrg;
let b: CustomerOrg;
let bTicket: number;

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field against literal values
  body: any;
}

async function send(headers: Record<string, string>, method: string, path: string, json?: unknown): Promise<Answer> {
  const res = await api.request(method, path, { headers, ...(json !== undefined ? { json } : {}) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

// biome-ignore lint/suspicious/noExplicitAny: the body of a call that succeeded, asserted against literal values
async function must(answer: Promise<Answer>, status = 200): Promise<any> {
  const r = await answer;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

const asA = (method: string, path: string, json?: unknown) => send(a.headers, method, path, json);
const asB = (method: string, path: string, json?: unknown) => send(b.headers, method, path, json);
const asStaff = async (role: StaffRole, method: string, path: string, json?: unknown) => send(await api.headersFor(role), method, path, json);

/** Moves the fixture clock forward to an instant. */
function at(iso: string): number {
  const t = Date.parse(iso);
  if (t < api.now()) throw new Error(`clock would go back to ${iso}`);
  api.advance(t - api.now());
  return t;
}

const FORM = { faultPhenomenon: '4G link drops every few minutes', suggestions: 'please check the antenna' };

/** The customer opens a request; after-sales confirms warranty and sends shipping instructions. */
async function awaitingProduct(serial: string): Promise<number> {
  const opened = await must(asA('POST', '/api/portal/tickets', { serial, form: FORM }), 201);
  await must(asStaff('after-sales', 'POST', `/api/tickets/${opened.id}/transitions`, { to: 'warranty-confirmed', reason: 'checked' }));
  await must(asStaff('after-sales', 'POST', `/api/tickets/${opened.id}/transitions`, { to: 'awaiting-product', reason: 'instructions sent' }));
  return opened.id;
}

/** The box arrives, the technician prices the repair and after-sales sends the Repair Report. */
async function awaitingDecision(id: number, opts: { shipped?: boolean; reportAt?: string } = {}): Promise<void> {
  if (opts.shipped !== false) {
    await must(asA('POST', `/api/portal/tickets/${id}/shipment`, { carrier: 'SF Express', trackingNumber: `SF${id}00` }));
  }
  await must(asStaff('technician', 'POST', `/api/tickets/${id}/transitions`, { to: 'received', reason: 'arrived' }));
  if (opts.reportAt) at(opts.reportAt);
  await must(
    asStaff('technician', 'POST', `/api/tickets/${id}/repair-report`, {
      testResults: 'power board burnt',
      parts: [{ name: 'power board', unitCostFen: 8_550, qty: 2 }],
      damageDegree: 'moderate',
    }),
  );
  await must(asStaff('after-sales', 'POST', `/api/tickets/${id}/cost-confirmation`, { freightFen: 2_500 }));
}

beforeAll(async () => {
  // Sessions must outlast the weeks the clock is moved forward.
  api = await startApiFixture({ SESSION_TTL_H: '8760' });
  for (const serial of [A_ACCEPT, A_DECLINE, A_IDLE, A_SPARE, B_BOX]) await must(asStaff('admin', 'POST', '/api/devices', box(serial)), 201);
  a = await customerOrg(api, 'Acme Automation', [A_ACCEPT, A_DECLINE, A_IDLE, A_SPARE], 'alice');
  b = await customerOrg(api, 'Taihu Water Works', [B_BOX], 'bob');
  await must(
    asStaff('after-sales', 'PATCH', `/api/organisations/${a.organisationId}`, {
      contacts: [{ name: 'Li Wei', phone: '+86 510 8823 0001', address: 'No. 8 Lake Road, Wuxi' }],
    }),
  );
  bTicket = (await must(asB('POST', '/api/portal/tickets', { serial: B_BOX, form: { faultPhenomenon: 'no power' } }), 201)).id;
});
afterAll(() => api.close());

describe("the customer's boxes", () => {
  it("lists only the organisation's own boxes, with presence and the warranty's reasons", async () => {
    const list = await must(asA('GET', '/api/portal/devices'));
    expect(list.devices.map((d: { serial: string }) => d.serial)).toEqual([A_ACCEPT, A_DECLINE, A_IDLE, A_SPARE]);
    expect(list.nextCursor).toBeNull();
    expect(list.devices[0]).toMatchObject({
      serial: A_ACCEPT,
      model: 'MT-BOX-4G',
      presence: { online: false, lastSeen: null },
      warranty: {
        inWarranty: false,
        end: '2025-02-28',
        basis: 'receipt-date',
        reasons: [
          "Covered 12 months from the customer's receipt (express-delivery signing) date 2024-03-01.",
          'Expired: the last covered day was 2025-02-28.',
        ],
        partWarranties: [],
      },
      openTicketId: null,
    });
    const bList = await must(asB('GET', '/api/portal/devices'));
    expect(bList.devices.map((d: { serial: string }) => d.serial)).toEqual([B_BOX]);
    expect(bList.devices[0].openTicketId).toBe(bTicket);
  });

  it('pages the boxes in serial order', async () => {
    const first = await must(asA('GET', '/api/portal/devices?limit=3'));
    expect(first.devices).toHaveLength(3);
    const rest = await must(asA('GET', `/api/portal/devices?limit=3&cursor=${first.nextCursor}`));
    expect(rest.devices.map((d: { serial: string }) => d.serial)).toEqual([A_SPARE]);
    expect(rest.nextCursor).toBeNull();
  });

  it("searches the organisation's boxes by part of the serial, never another organisation's", async () => {
    const found = await must(asA('GET', '/api/portal/devices?q=0104'));
    expect(found.devices.map((d: { serial: string }) => d.serial)).toEqual([A_SPARE]);
    const theirs = await must(asA('GET', '/api/portal/devices?q=0201'));
    expect(theirs.devices).toEqual([]);
  });

  it('pre-fills the Service Registration Form from the box and the organisation', async () => {
    const detail = await must(asA('GET', `/api/portal/devices/${A_SPARE}`));
    expect(detail.registrationForm).toEqual({
      customerName: 'Acme Automation',
      contacts: 'Li Wei',
      mailingAddress: 'No. 8 Lake Road, Wuxi',
      contactNumber: '+86 510 8823 0001',
      productModel: 'MT-BOX-4G',
      serialNumber: A_SPARE,
      inWarranty: false,
      previousRepairs: 0,
    });
    expect(detail.tickets).toEqual([]);
  });
});

describe('opening a repair request', () => {
  it('opens an RMA ticket in registered from the form, recorded as opened by the customer account', async () => {
    const t = await must(asA('POST', '/api/portal/tickets', { serial: A_IDLE, form: FORM }), 201);
    expect(t).toMatchObject({
      serial: A_IDLE,
      state: 'registered',
      waitingFor: 'vendor',
      form: {
        customerName: 'Acme Automation',
        contacts: 'Li Wei',
        mailingAddress: 'No. 8 Lake Road, Wuxi',
        contactNumber: '+86 510 8823 0001',
        productModel: 'MT-BOX-4G',
        serialNumber: A_IDLE,
        inWarranty: false,
        previousRepairs: 0,
        ...FORM,
      },
      deadlines: [{ kind: 'first-response', owner: 'vendor' }],
      report: null,
      may: { decide: false, recordPayment: false, ship: false, confirmReceipt: false },
    });
    const staff = await must(asStaff('after-sales', 'GET', `/api/tickets/${t.id}`));
    expect(staff.ticket.openedBy).toBe('alice');
    expect(staff.audit[0]).toMatchObject({ actor: 'alice', action: 'opened', to: 'registered', data: { role: 'customer' } });
    const detail = await must(asA('GET', `/api/portal/devices/${A_IDLE}`));
    expect(detail.openTicketId).toBe(t.id);
    expect(detail.tickets.map((s: { id: number }) => s.id)).toEqual([t.id]);
  });

  it('keeps one open request per box', async () => {
    const r = await asA('POST', '/api/portal/tickets', { serial: A_IDLE, form: FORM });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ error: 'RMA_ALREADY_OPEN', message: ERROR_MESSAGES.RMA_ALREADY_OPEN.en, details: { serial: A_IDLE } });
  });

  it('requires the fault phenomenon', async () => {
    const r = await asA('POST', '/api/portal/tickets', { serial: A_SPARE, form: {} });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('VALIDATION_FAILED');
  });

  it("refuses a request on another organisation's box exactly like on a box nobody registered", async () => {
    const theirs = await asA('POST', '/api/portal/tickets', { serial: B_BOX, form: FORM });
    const nobodys = await asA('POST', '/api/portal/tickets', { serial: UNKNOWN_SERIAL, form: FORM });
    expect(theirs).toEqual({
      status: 404,
      body: { error: 'DEVICE_NOT_FOUND', message: ERROR_MESSAGES.DEVICE_NOT_FOUND.en, details: { serial: B_BOX } },
    });
    expect(nobodys).toEqual({
      status: 404,
      body: { error: 'DEVICE_NOT_FOUND', message: ERROR_MESSAGES.DEVICE_NOT_FOUND.en, details: { serial: UNKNOWN_SERIAL } },
    });
    const open = await must(asStaff('after-sales', 'GET', `/api/tickets?serial=${B_BOX}`));
    expect(open.map((t: { id: number }) => t.id)).toEqual([bTicket]);
  });
});

describe('a charged repair the customer accepts', () => {
  it('accepts the cost, reports the remittance, and the repair clock resumes with the days used unchanged over the pause', async () => {
    at('2025-06-23T01:00:00Z'); // Mon 09:00 local
    const id = await awaitingProduct(A_ACCEPT);
    let t = await must(asA('GET', `/api/portal/tickets/${id}`));
    expect(t).toMatchObject({ state: 'awaiting-product', waitingFor: 'customer', may: { ship: true } });

    // Seed: the customer ships the box and names carrier and tracking number.
    at('2025-06-23T03:00:00Z');
    t = await must(asA('POST', `/api/portal/tickets/${id}/shipment`, { carrier: 'SF Express', trackingNumber: 'SF1001', insured: true }));
    expect(t.state).toBe('in-transit');
    expect(t.inbound).toEqual({ carrier: 'SF Express', trackingNumber: 'SF1001', insured: true, recordedAt: Date.parse('2025-06-23T03:00:00Z') });

    // Received Tue 2025-06-24, the clock starts; the report is sent Thu: two working days used.
    at('2025-06-24T02:00:00Z');
    await awaitingDecision(id, { shipped: false, reportAt: '2025-06-26T02:00:00Z' });
    at('2025-06-27T02:00:00Z'); // Fri: the clock stands still while the customer decides
    t = await must(asA('GET', `/api/portal/tickets/${id}`));
    expect(t).toMatchObject({
      state: 'awaiting-decision',
      waitingFor: 'customer',
      may: { decide: true, recordPayment: false },
      repairClock: { cycleDays: 5, running: false },
      report: {
        testResults: 'power board burnt',
        charges: {
          rule: 'parts-and-fee',
          partsFen: 17_100,
          feeFen: 50_000,
          totalFen: 67_100,
          freight: { paidBy: 'customer', fen: 2_500 },
          dueFen: 69_600,
          lines: [{ name: 'power board', qty: 2, chargedFen: 17_100, basis: 'out-of-warranty' }],
        },
      },
    });
    expect(t.deadlines.map((d: { kind: string; owner: string }) => [d.kind, d.owner])).toEqual([
      ['decision', 'customer'],
      ['payment', 'customer'],
    ]);
    expect(t.repairClock.workingDaysUsed).toBe(2);

    t = await must(asA('POST', `/api/portal/tickets/${id}/decision`, { decision: 'accept' }));
    expect(t).toMatchObject({ state: 'awaiting-payment', decision: { decision: 'accepted', recordedBy: 'alice' }, may: { recordPayment: true } });

    // The customer's word on the remittance: recorded, audited, visible to staff.
    t = await must(asA('POST', `/api/portal/tickets/${id}/remittance`, { amountFen: 69_600, reference: 'ICBC 2025-0626-001' }));
    const reportedAt = api.now();
    expect(t.remittances).toEqual([{ amountFen: 69_600, reference: 'ICBC 2025-0626-001', recordedBy: 'alice', recordedAt: reportedAt }]);
    expect(t.state).toBe('awaiting-payment');
    let staff = await must(asStaff('after-sales', 'GET', `/api/tickets/${id}`));
    expect(staff.ticket.customerRemittances).toEqual(t.remittances);
    expect(staff.audit.at(-1)).toMatchObject({
      actor: 'alice',
      action: 'customer-remittance',
      from: 'awaiting-payment',
      to: 'awaiting-payment',
      reason: 'the customer reports a remittance of 69600 fen, reference ICBC 2025-0626-001',
    });

    at('2025-07-02T02:00:00Z'); // Wed, four working days after the report: after-sales confirms the money arrived
    await must(asStaff('after-sales', 'POST', `/api/tickets/${id}/payments`, { amountFen: 69_600, reference: 'ICBC 2025-0626-001' }));
    t = await must(asA('GET', `/api/portal/tickets/${id}`));
    expect(t).toMatchObject({ state: 'repairing', waitingFor: 'vendor', payment: { amountFen: 69_600 }, repairClock: { running: true } });
    // Seed: the cycle excludes the time taken to decide and pay; it resumes where it stopped.
    expect(t.repairClock.workingDaysUsed).toBe(2);
    const staffClock = (await must(asStaff('after-sales', 'GET', `/api/tickets/${id}`))).ticket.repairClock;
    expect(staffClock).toMatchObject({ runningSince: '2025-07-02', workingDaysUsed: 2, pausedAt: null });

    // A remittance is reported while the ticket awaits payment only.
    expect(await asA('POST', `/api/portal/tickets/${id}/remittance`, { amountFen: 1, reference: 'again' })).toEqual({
      status: 409,
      body: {
        error: 'RMA_REMITTANCE_NOT_NOW',
        message: ERROR_MESSAGES.RMA_REMITTANCE_NOT_NOW.en,
        details: { state: 'repairing', allowedStates: ['awaiting-payment'] },
      },
    });

    // Repaired, tested and shipped back: the customer sees the tracking and confirms receipt.
    await must(asStaff('technician', 'POST', `/api/tickets/${id}/transitions`, { to: 'repaired', reason: 'board replaced' }));
    await must(asStaff('technician', 'POST', `/api/tickets/${id}/transitions`, { to: 'tested', reason: 'ok', payload: { testResults: 'passes' } }));
    await must(asStaff('technician', 'POST', `/api/tickets/${id}/parameter-restore`, { action: 'waive', reason: 'customer reloads on site' }));
    at('2025-07-03T02:00:00Z');
    await must(
      asStaff('after-sales', 'POST', `/api/tickets/${id}/shipping`, { direction: 'outbound', carrier: 'SF Express', trackingNumber: 'SF2001' }),
    );
    t = await must(asA('GET', `/api/portal/tickets/${id}`));
    expect(t).toMatchObject({
      state: 'shipped-back',
      waitingFor: 'customer',
      inbound: { trackingNumber: 'SF1001' },
      outbound: { carrier: 'SF Express', trackingNumber: 'SF2001', repaired: true, shippedAt: Date.parse('2025-07-03T02:00:00Z') },
      may: { confirmReceipt: true },
    });
    t = await must(asA('POST', `/api/portal/tickets/${id}/receipt`));
    expect(t).toMatchObject({ state: 'closed', waitingFor: 'nobody', closure: { kind: 'customer-confirmed' } });
    staff = await must(asStaff('after-sales', 'GET', `/api/tickets/${id}`));
    expect(staff.audit.at(-1)).toMatchObject({ actor: 'alice', from: 'shipped-back', to: 'closed', data: { role: 'customer' } });
  });
});

describe('a charged repair the customer declines', () => {
  it('follows the seed: returned unrepaired, then shipped back unrepaired', async () => {
    const id = await awaitingProduct(A_DECLINE);
    await awaitingDecision(id);
    let t = await must(asA('POST', `/api/portal/tickets/${id}/decision`, { decision: 'decline' }));
    expect(t).toMatchObject({ state: 'returned-unrepaired', waitingFor: 'vendor', decision: { decision: 'declined', recordedBy: 'alice' } });
    await must(asStaff('after-sales', 'POST', `/api/tickets/${id}/shipping`, { direction: 'outbound', carrier: 'EMS', trackingNumber: 'EMS3001' }));
    t = await must(asA('GET', `/api/portal/tickets/${id}`));
    expect(t).toMatchObject({ state: 'shipped-back', outbound: { carrier: 'EMS', trackingNumber: 'EMS3001', repaired: false } });
  });

  it('refuses a decision outside awaiting-decision and postponed, naming the states that take one', async () => {
    const [idle] = (await must(asA('GET', `/api/portal/devices/${A_IDLE}`))).tickets;
    expect(await asA('POST', `/api/portal/tickets/${idle.id}/decision`, { decision: 'accept' })).toEqual({
      status: 409,
      body: {
        error: 'RMA_INVALID_TRANSITION',
        message: ERROR_MESSAGES.RMA_INVALID_TRANSITION.en,
        details: { from: 'registered', allowedStates: ['awaiting-decision', 'postponed'] },
      },
    });
    expect(await asA('POST', `/api/portal/tickets/${idle.id}/shipment`, { carrier: 'SF', trackingNumber: 'SF1' })).toMatchObject({
      status: 409,
      body: { error: 'RMA_INVALID_TRANSITION' },
    });
  });
});

describe('the repair list', () => {
  it("lists the organisation's requests newest first, and only in-progress ones with open=true", async () => {
    const all = await must(asA('GET', '/api/portal/tickets'));
    expect(all.tickets.map((t: { serial: string }) => t.serial)).toEqual([A_DECLINE, A_ACCEPT, A_IDLE]);
    const open = await must(asA('GET', '/api/portal/tickets?open=true'));
    expect(open.tickets.map((t: { serial: string }) => t.serial)).toEqual([A_DECLINE, A_IDLE]);
    const page = await must(asA('GET', '/api/portal/tickets?limit=2'));
    const next = await must(asA('GET', `/api/portal/tickets?limit=2&cursor=${page.nextCursor}`));
    expect([...page.tickets, ...next.tickets].map((t: { id: number }) => t.id)).toEqual(all.tickets.map((t: { id: number }) => t.id));
  });
});

/*
 * Every /api/portal route, with B's box or ticket as customer A, next to a box or ticket that
 * does not exist: the same status, the same error code and the same details' shape. A new
 * portal route without a row here fails the walk.
 */
const EXAMPLE_BODIES: Record<string, unknown> = {
  'POST /api/portal/tickets': { form: FORM },
  'POST /api/portal/tickets/:id/decision': { decision: 'accept' },
  'POST /api/portal/tickets/:id/remittance': { amountFen: 100, reference: 'guess' },
  'POST /api/portal/tickets/:id/shipment': { carrier: 'SF Express', trackingNumber: 'SF9' },
};
const isList = (r: { method: string; path: string }) => r.method === 'get' && (r.path === '/api/portal/devices' || r.path === '/api/portal/tickets');
// The repairs' routes (boxes and RMA tickets); the portal's other areas walk their own.
const REPAIR_ROUTES = API_ROUTES.filter((r) => /^\/api\/portal\/(devices|tickets)(\/|$)/.test(r.path));
const PORTAL = REPAIR_ROUTES.filter((r) => !isList(r));
const PORTAL_LISTS = REPAIR_ROUTES.filter(isList);

const shape = (details: Record<string, unknown>) => Object.keys(details).sort();

describe("another organisation's ids", () => {
  it('are walked on every repair route of the portal, with a body for each that takes one', () => {
    expect(PORTAL.map((r) => `${r.method.toUpperCase()} ${r.path}`)).toEqual([
      'GET /api/portal/devices/:sn',
      'POST /api/portal/tickets',
      'GET /api/portal/tickets/:id',
      'POST /api/portal/tickets/:id/decision',
      'POST /api/portal/tickets/:id/remittance',
      'POST /api/portal/tickets/:id/shipment',
      'POST /api/portal/tickets/:id/receipt',
    ]);
    for (const r of PORTAL.filter((r) => r.body)) expect(EXAMPLE_BODIES[`${r.method.toUpperCase()} ${r.path}`], r.path).toBeDefined();
  });

  it.each(PORTAL.map((r) => ({ route: r, key: `${r.method.toUpperCase()} ${r.path}` })))('$key answers like a missing id', async ({ route, key }) => {
    const path = (sn: string, id: number) => route.path.replace(':sn', sn).replace(':id', String(id));
    const bodyFor = (sn: string) => (key === 'POST /api/portal/tickets' ? { serial: sn, form: FORM } : EXAMPLE_BODIES[key]);
    const theirs = await asA(route.method.toUpperCase(), path(B_BOX, bTicket), bodyFor(B_BOX));
    const missing = await asA(route.method.toUpperCase(), path(UNKNOWN_SERIAL, UNKNOWN_ID), bodyFor(UNKNOWN_SERIAL));
    expect(theirs.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(theirs.body.error).toBe(missing.body.error);
    expect(shape(theirs.body.details)).toEqual(shape(missing.body.details));
  });

  it("never list another organisation's boxes or tickets", async () => {
    const devices = await must(asA('GET', '/api/portal/devices?limit=1000'));
    expect(devices.devices.some((d: { serial: string }) => d.serial === B_BOX)).toBe(false);
    const tickets = await must(asA('GET', '/api/portal/tickets?limit=1000'));
    expect(tickets.tickets.some((t: { id: number }) => t.id === bTicket)).toBe(false);
    expect(PORTAL_LISTS).toHaveLength(2);
    // B's ticket was not touched by any of A's attempts.
    const staff = await must(asStaff('after-sales', 'GET', `/api/tickets/${bTicket}`));
    expect(staff.ticket.state).toBe('registered');
    expect(staff.audit).toHaveLength(1);
  });
});
