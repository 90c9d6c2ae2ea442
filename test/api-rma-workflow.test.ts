import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffRole as Role } from '../services/kernel/roles.ts';
import { START, startApiFixture, type ApiFixture } from './helpers/http-fixture.ts';
import { roleCalls } from './helpers/role-calls.ts';
import { ERROR_MESSAGES } from '../services/platform/http/error-messages.ts';

/*
 * The RMA workflow through the HTTP API: real SQLite, real sockets, the fixture's fixed
 * clock moved forward to absolute instants so every date in a Repair Report is known.
 * Instants are UTC; the vendor's local dates (China, UTC+8) are in the comments.
 */

interface Box {
  serial: string;
  model: string;
  saleDate?: string;
  receiptDate: string;
  customer: { name: string; contacts?: string; phone?: string; address?: string; businessLine: string };
}

const PHONE_CALL: Box = {
  serial: 'MTB2503000001',
  model: 'MT-BOX-4G',
  saleDate: '2025-02-20',
  receiptDate: '2025-03-01',
  customer: {
    name: 'Yangtze Freight Co.',
    contacts: 'Wang Fang',
    phone: '+86 510 8823 0001',
    address: 'No. 12 Port Road, Xinwu District, Wuxi',
    businessLine: 'smart-logistics',
  },
};
const CITY: Box = {
  serial: 'MTB2503000002',
  model: 'MT-BOX-S1',
  receiptDate: '2025-03-05',
  customer: { name: 'Metro Lighting', businessLine: 'smart-city' },
};
const FREE: Box = {
  serial: 'MTB2504000003',
  model: 'MT-BOX-4G',
  receiptDate: '2025-04-10',
  customer: { name: 'Acme Automation', businessLine: 'smart-factory' },
};
// Covered through 2025-02-28: out of warranty on every date below.
const EXPIRED: Box = {
  serial: 'MTB2402000004',
  model: 'MT-BOX-S1',
  receiptDate: '2024-03-01',
  customer: { name: 'Old Town Lighting', businessLine: 'smart-city' },
};
const SURGED_UNDECIDED: Box = {
  serial: 'MTB2504000005',
  model: 'MT-BOX-4G',
  receiptDate: '2025-04-20',
  customer: { name: 'Taihu Water Works', businessLine: 'smart-environmental-protection' },
};
const SURGED_CONFIRMED: Box = {
  serial: 'MTB2504000006',
  model: 'MT-BOX-4G',
  receiptDate: '2025-04-20',
  customer: { name: 'Taihu Water Works', businessLine: 'smart-environmental-protection' },
};
const REFUSALS: Box = {
  serial: 'MTB2505000007',
  model: 'MT-BOX-4G',
  receiptDate: '2025-05-10',
  customer: { name: 'Acme Automation', businessLine: 'smart-factory' },
};
// Each refusal test opens its own ticket, and a box has one open ticket at a time.
const refusalBox = (n: number): Box => ({ ...REFUSALS, serial: `MTB250500${String(100 + n).padStart(4, '0')}` });
const STANDBY: Box = {
  serial: 'MTB2505000008',
  model: 'MT-BOX-4G',
  receiptDate: '2025-05-12',
  customer: { name: 'Acme Automation', businessLine: 'smart-factory' },
};
const RETESTED: Box = {
  serial: 'MTB2505000009',
  model: 'MT-BOX-4G',
  receiptDate: '2025-05-15',
  customer: { name: 'Acme Automation', businessLine: 'smart-factory' },
};

// Seed: the freight is borne by the customer; no report below enters the return freight.
const FREIGHT_NOT_ENTERED = {
  paidBy: 'customer',
  fen: null,
  explanation:
    'Seed, transportation cost: the freight to the repair centre and the freight back after the repair are borne by the customer; the return freight is not entered yet.',
};
const line = (p: { name: string; unitCostFen: number; qty: number }, chargedFen: number, basis: string, why: string) => ({
  ...p,
  chargedFen,
  basis,
  why,
});

const AFTER_SALES = 'after-sales-user';
const TECHNICIAN = 'technician-user';
const UNKNOWN_SERIAL = 'MTB9999999999';

let api: ApiFixture;

const { call, ok } = roleCalls(() => api);

/** Moves the fixture clock forward to an instant (never back). */
function at(iso: string): number {
  const t = Date.parse(iso);
  if (t < api.now()) throw new Error(`clock would go back from ${new Date(api.now()).toISOString()} to ${iso}`);
  api.advance(t - api.now());
  return t;
}

async function register(box: Box): Promise<void> {
  await ok('admin', 'POST', '/api/devices', box, 201);
}

const open = (serial: string, form?: Record<string, unknown>) =>
  ok('after-sales', 'POST', '/api/tickets', { serial, ...(form ? { form } : {}) }, 201);
const move = (role: Role, id: number, to: string, reason: string, payload?: Record<string, unknown>) =>
  ok(role, 'POST', `/api/tickets/${id}/transitions`, { to, reason, ...(payload ? { payload } : {}) });

/** Opens a ticket and takes it through warranty confirmation and shipping to the bench. */
async function receivedTicket(serial: string, times: { open: string; confirm: string; shipped: string; received: string }): Promise<number> {
  at(times.open);
  const { id } = await open(serial);
  at(times.confirm);
  await move('after-sales', id, 'warranty-confirmed', 'warranty checked with the customer');
  await move('after-sales', id, 'awaiting-product', 'shipping instructions sent');
  at(times.shipped);
  await ok('after-sales', 'POST', `/api/tickets/${id}/shipping`, { direction: 'inbound', carrier: 'SF Express', trackingNumber: `SF${serial}` });
  at(times.received);
  await move('technician', id, 'received', 'box arrived at the repair centre');
  return id;
}

/** Audit lines without their global ids. */
function trail(view: { audit: Array<{ id: number }> }): Array<Record<string, unknown>> {
  return view.audit.map(({ id: _id, ...line }: { id: number }) => line);
}

async function deadlineRows(ticketId: number) {
  const rows = await api.db
    .selectFrom('deadlines')
    .select(['kind', 'due_at', 'fired_at', 'cancelled_at'])
    .where('entity_kind', '=', 'rma')
    .where('entity_id', '=', ticketId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    kind: r.kind,
    dueAt: Number(r.due_at),
    firedAt: r.fired_at === null ? null : Number(r.fired_at),
    cancelledAt: r.cancelled_at === null ? null : Number(r.cancelled_at),
  }));
}

beforeAll(async () => {
  // Sessions must outlast the weeks the clock is moved forward.
  api = await startApiFixture({ SESSION_TTL_H: '8760' });
  for (const box of [
    PHONE_CALL,
    CITY,
    FREE,
    EXPIRED,
    SURGED_UNDECIDED,
    SURGED_CONFIRMED,
    REFUSALS,
    ...[1, 2, 3, 4, 5, 6, 7].map(refusalBox),
    STANDBY,
    RETESTED,
  ])
    await register(box);
});
afterAll(() => api.close());

describe('opening a ticket from a phone call', () => {
  it('pre-fills the registration form from the registry, routes a smart-logistics box to the logistics queue and arms the first-response deadline', async () => {
    // 2025-06-15 16:00 local, a Sunday: the hotline opens again Monday 09:00, so the four
    // business hours for a first answer run out Monday 13:00 local.
    expect(api.now()).toBe(START);
    const firstResponseDue = Date.parse('2025-06-16T05:00:00Z');
    const opened = await open(PHONE_CALL.serial, { faultPhenomenon: '4G link drops every few minutes' });
    const id = opened.id as number;

    expect(opened).toEqual({
      id,
      ticket: {
        id: String(id),
        serial: PHONE_CALL.serial,
        state: 'registered',
        stateSince: START,
        form: {
          customerName: 'Yangtze Freight Co.',
          contacts: 'Wang Fang',
          mailingAddress: 'No. 12 Port Road, Xinwu District, Wuxi',
          contactNumber: '+86 510 8823 0001',
          productModel: 'MT-BOX-4G',
          serialNumber: PHONE_CALL.serial,
          inWarranty: true,
          previousRepairs: 0,
          faultPhenomenon: '4G link drops every few minutes',
        },
        businessLine: 'smart-logistics',
        customised: false,
        repairCycleDays: 5,
        openedBy: AFTER_SALES,
        openedAt: START,
        firstResponseAt: null,
        warranty: null,
        inbound: null,
        receivedAt: null,
        repairReport: null,
        customerDecision: null,
        payment: null,
        repairClock: null,
        repairedAt: null,
        finalTest: null,
        standby: { state: 'none' },
        outbound: null,
        cancellation: null,
        closure: null,
        deadlines: [
          {
            kind: 'first-response',
            scheduledAt: START,
            dueDate: '2025-06-16',
            dueAt: firstResponseDue,
            unofficialYears: [],
            firedAt: null,
            cancelledAt: null,
          },
        ],
        parameterRestore: null,
      },
      queue: 'logistics',
      warranty: {
        inWarranty: true,
        start: '2025-03-01',
        end: '2026-02-28',
        basis: 'receipt-date',
        reasons: [
          "Covered 12 months from the customer's receipt (express-delivery signing) date 2025-03-01.",
          'In warranty on 2025-06-15: covered through 2026-02-28.',
        ],
        partWarranties: [],
      },
      exclusions: [],
      notes: [],
      notifications: [],
      origin: { kind: 'manual', code: null, reason: null, caseId: null, incidentId: null },
      backup: { requestedAt: START, snapshotId: null },
      allowedTransitions: ['warranty-confirmed', 'cancelled'],
      // What a client offers; test/api-ticket-moves.test.ts checks them in detail.
      moves: [expect.objectContaining({ to: 'warranty-confirmed' }), expect.objectContaining({ to: 'cancelled' })],
      actions: expect.objectContaining({ exclusions: expect.objectContaining({ possible: true }) }),
      parameterBackup: { latest: null, fresh: false, warning: 'no parameter backup of this box: take one before it ships' },
      provisionalDeadlineYears: [],
      audit: [
        {
          id: expect.any(Number),
          entityKind: 'rma',
          entityId: id,
          at: START,
          actor: AFTER_SALES,
          action: 'opened',
          from: null,
          to: 'registered',
          reason: 'ticket opened',
          data: { role: 'after-sales' },
        },
      ],
    });
    // The scheduler's row, so the deadline survives a restart.
    expect(await deadlineRows(id)).toEqual([{ kind: 'first-response', dueAt: firstResponseDue, firedAt: null, cancelledAt: null }]);
    expect(await ok('engineer', 'GET', `/api/tickets/${id}`)).toEqual(opened);
    const listed = await ok('technician', 'GET', '/api/tickets?queue=logistics');
    expect(listed.map((t: { id: number }) => t.id)).toEqual([id]);
  });

  it('routes a smart-city box to the industry queue', async () => {
    const opened = await open(CITY.serial);
    expect(opened.queue).toBe('industry');
    expect(opened.ticket.businessLine).toBe('smart-city');
    expect(opened.ticket.form).toEqual({
      customerName: 'Metro Lighting',
      productModel: 'MT-BOX-S1',
      serialNumber: CITY.serial,
      inWarranty: true,
      previousRepairs: 0,
    });
  });

  it('answers 404 DEVICE_NOT_FOUND for a serial nobody registered', async () => {
    expect(await call('after-sales', 'POST', '/api/tickets', { serial: UNKNOWN_SERIAL })).toEqual({
      status: 404,
      body: { error: 'DEVICE_NOT_FOUND', message: ERROR_MESSAGES.DEVICE_NOT_FOUND.en, details: { serial: UNKNOWN_SERIAL } },
    });
    expect(await call('after-sales', 'GET', `/api/devices/${UNKNOWN_SERIAL}/warranty`)).toEqual({
      status: 404,
      body: { error: 'DEVICE_NOT_FOUND', message: ERROR_MESSAGES.DEVICE_NOT_FOUND.en, details: { serial: UNKNOWN_SERIAL } },
    });
    expect(await api.db.selectFrom('rma_tickets').select('id').where('serial', '=', UNKNOWN_SERIAL).execute()).toEqual([]);
  });
});

describe('a free repair', () => {
  it('takes an in-warranty box from the call to closed free of charge, auditing every step, and gives the replaced part its own warranty', async () => {
    const t = {
      opened: at('2025-06-16T01:00:00Z'), // Mon 09:00 local
      confirmed: 0,
      awaiting: 0,
      shipped: 0,
      received: 0,
      reported: 0,
      repairing: 0,
      repaired: 0,
      tested: 0,
      shippedBack: 0,
      closed: 0,
    };
    const { id } = await open(FREE.serial, { faultPhenomenon: 'no telemetry since a firmware update' });

    t.confirmed = at('2025-06-16T02:00:00Z');
    let v = await move('after-sales', id, 'warranty-confirmed', 'in warranty by receipt date; no exclusion applies');
    expect(v.ticket.warranty).toEqual({
      inWarranty: true,
      inScope: true,
      exclusions: [],
      receiptDate: '2025-04-10',
      warrantyEndsOn: '2026-04-09',
      confirmedBy: AFTER_SALES,
      confirmedAt: t.confirmed,
    });
    expect(v.ticket.firstResponseAt).toBe(t.confirmed);

    t.awaiting = at('2025-06-16T02:30:00Z');
    await move('after-sales', id, 'awaiting-product', 'shipping instructions sent');

    t.shipped = at('2025-06-17T03:00:00Z');
    v = await ok('after-sales', 'POST', `/api/tickets/${id}/shipping`, {
      direction: 'inbound',
      carrier: 'SF Express',
      trackingNumber: 'SF1234567890',
      insured: true,
    });
    expect(v.ticket.state).toBe('in-transit');
    expect(v.ticket.inbound).toEqual({ carrier: 'SF Express', trackingNumber: 'SF1234567890', insured: true, recordedAt: t.shipped });

    // Wed 2025-06-18 10:00 local: five working days later is Wed 2025-06-25.
    t.received = at('2025-06-18T02:00:00Z');
    v = await move('technician', id, 'received', 'box arrived at the repair centre');
    expect(v.ticket.receivedAt).toBe(t.received);
    expect(v.ticket.repairClock).toEqual({
      startedOn: '2025-06-18',
      runningSince: '2025-06-18',
      workingDaysUsed: 0,
      pausedAt: null,
      unofficialYears: [],
    });

    t.reported = at('2025-06-18T06:00:00Z');
    const parts = [{ name: '4G modem module', unitCostFen: 18_000, qty: 1 }];
    v = await ok('technician', 'POST', `/api/tickets/${id}/repair-report`, {
      testResults: 'modem does not register on the network; module replaced',
      parts,
    });
    expect(v.ticket.state).toBe('diagnosed');
    expect(v.ticket.repairReport).toEqual({
      testResults: 'modem does not register on the network; module replaced',
      parts,
      damageDegree: null,
      charges: {
        rule: 'free',
        partsFen: 0,
        feeFen: 0,
        totalFen: 0,
        explanation: 'In warranty and in scope: the repair is free.',
        lines: [line(parts[0]!, 0, 'box-warranty', 'Free: the box is in warranty and in scope.')],
        freight: FREIGHT_NOT_ENTERED,
        dueFen: 0,
      },
      writtenBy: TECHNICIAN,
      writtenAt: t.reported,
      sentAt: null,
    });
    expect(v.allowedTransitions).toEqual(['repairing', 'awaiting-decision']);

    t.repairing = at('2025-06-18T06:30:00Z');
    await move('technician', id, 'repairing', 'free repair: starting at once');
    t.repaired = at('2025-06-19T03:00:00Z');
    await move('technician', id, 'repaired', 'modem module replaced');
    t.tested = at('2025-06-19T08:00:00Z');
    v = await move('technician', id, 'tested', 'final test', { testResults: '24 h soak test passed' });
    expect(v.ticket.finalTest).toEqual({ results: '24 h soak test passed', passed: true, testedBy: TECHNICIAN, testedAt: t.tested });

    // The box goes back only with its parameters restored, or the restore waived.
    t.shippedBack = at('2025-06-20T02:00:00Z');
    expect(
      await call('after-sales', 'POST', `/api/tickets/${id}/shipping`, {
        direction: 'outbound',
        carrier: 'SF Express',
        trackingNumber: 'SF2234567890',
      }),
    ).toMatchObject({
      status: 409,
      body: { error: 'RMA_RESTORE_PENDING' },
    });
    expect(await call('technician', 'POST', `/api/tickets/${id}/parameter-restore`, { action: 'restore' })).toMatchObject({
      status: 409,
      body: { error: 'RMA_NO_BACKUP' },
    });
    v = await ok('technician', 'POST', `/api/tickets/${id}/parameter-restore`, {
      action: 'waive',
      reason: 'customer reloads the PLC program on site',
    });
    expect(v.ticket.parameterRestore).toEqual({
      outcome: 'waived',
      reason: 'customer reloads the PLC program on site',
      by: TECHNICIAN,
      at: t.shippedBack,
    });
    v = await ok('after-sales', 'POST', `/api/tickets/${id}/shipping`, {
      direction: 'outbound',
      carrier: 'SF Express',
      trackingNumber: 'SF2234567890',
    });
    expect(v.ticket.state).toBe('shipped-back');
    expect(v.ticket.outbound).toEqual({ carrier: 'SF Express', trackingNumber: 'SF2234567890', shippedAt: t.shippedBack, repaired: true });
    // Seed: a free repair's Repair Report travels with the product.
    expect(v.ticket.repairReport.sentAt).toBe(t.shippedBack);

    t.closed = at('2025-06-23T02:00:00Z');
    v = await move('after-sales', id, 'closed', 'customer confirmed receipt by phone', { closure: 'customer-confirmed' });

    expect(v.ticket).toMatchObject({
      state: 'closed',
      stateSince: t.closed,
      firstResponseAt: t.confirmed,
      repairedAt: t.repaired,
      repairClock: { startedOn: '2025-06-18', runningSince: null, workingDaysUsed: 1, pausedAt: t.repaired, unofficialYears: [] },
      closure: { kind: 'customer-confirmed', closedAt: t.closed },
      customerDecision: null,
      payment: null,
    });
    expect(v.allowedTransitions).toEqual([]);
    // Each deadline was cancelled by the step that made it moot; none is left for the scheduler.
    expect(v.ticket.deadlines.map((d: Record<string, unknown>) => [d.kind, d.dueDate, d.firedAt, d.cancelledAt])).toEqual([
      ['first-response', '2025-06-16', null, t.confirmed],
      ['repair-cycle', '2025-06-25', null, t.repaired],
      ['feedback', '2025-06-27', null, t.closed],
    ]);
    expect(await deadlineRows(id)).toEqual([
      { kind: 'first-response', dueAt: Date.parse('2025-06-16T05:00:00Z'), firedAt: null, cancelledAt: t.confirmed },
      { kind: 'repair-cycle', dueAt: Date.parse('2025-06-25T16:00:00Z'), firedAt: null, cancelledAt: t.repaired },
      { kind: 'feedback', dueAt: t.shippedBack + 7 * 86_400_000, firedAt: null, cancelledAt: t.closed },
    ]);
    expect(v.notifications.map((n: Record<string, unknown>) => [n.audience, n.topic])).toEqual([
      ['customer', 'warranty-confirmed'],
      ['customer', 'shipping-instructions'],
      ['customer', 'shipped-back'],
    ]);

    const step = (when: number, actor: string, role: string, from: string, to: string, reason: string) => ({
      entityKind: 'rma',
      entityId: id,
      at: when,
      actor,
      action: 'transition',
      from,
      to,
      reason,
      data: { role },
    });
    expect(trail(v)).toEqual([
      {
        entityKind: 'rma',
        entityId: id,
        at: t.opened,
        actor: AFTER_SALES,
        action: 'opened',
        from: null,
        to: 'registered',
        reason: 'ticket opened',
        data: { role: 'after-sales' },
      },
      step(t.confirmed, AFTER_SALES, 'after-sales', 'registered', 'warranty-confirmed', 'in warranty by receipt date; no exclusion applies'),
      step(t.awaiting, AFTER_SALES, 'after-sales', 'warranty-confirmed', 'awaiting-product', 'shipping instructions sent'),
      step(t.shipped, AFTER_SALES, 'after-sales', 'awaiting-product', 'in-transit', 'customer shipped the box'),
      step(t.received, TECHNICIAN, 'technician', 'in-transit', 'received', 'box arrived at the repair centre'),
      step(t.reported, TECHNICIAN, 'technician', 'received', 'diagnosed', 'Repair Report written'),
      step(t.repairing, TECHNICIAN, 'technician', 'diagnosed', 'repairing', 'free repair: starting at once'),
      step(t.repaired, TECHNICIAN, 'technician', 'repairing', 'repaired', 'modem module replaced'),
      step(t.tested, TECHNICIAN, 'technician', 'repaired', 'tested', 'final test'),
      {
        ...step(t.shippedBack, TECHNICIAN, 'technician', 'tested', 'tested', 'parameter restore waived: customer reloads the PLC program on site'),
        action: 'parameter-restore',
      },
      step(t.shippedBack, AFTER_SALES, 'after-sales', 'tested', 'shipped-back', 'shipped back to the customer'),
      step(t.closed, AFTER_SALES, 'after-sales', 'shipped-back', 'closed', 'customer confirmed receipt by phone'),
    ]);

    // Seed: "The repaired or replaced components have a 1-year warranty from the date of repair."
    expect(await ok('after-sales', 'GET', `/api/devices/${FREE.serial}/warranty`)).toEqual({
      inWarranty: true,
      start: '2025-04-10',
      end: '2026-04-09',
      basis: 'receipt-date',
      reasons: [
        "Covered 12 months from the customer's receipt (express-delivery signing) date 2025-04-10.",
        'In warranty on 2025-06-23: covered through 2026-04-09.',
        '4G modem module, repaired or replaced on 2025-06-19, has its own warranty through 2026-06-18.',
      ],
      partWarranties: [{ part: '4G modem module', repairedOn: '2025-06-19', end: '2026-06-18', inWarranty: true }],
    });
    // The next call about this box counts the repair.
    const next = await open(FREE.serial);
    expect(next.ticket.form.previousRepairs).toBe(1);
  });
});

describe('a charged repair', () => {
  it('charges an out-of-warranty box parts plus the damage-degree fee in fen and starts the repair only once the remittance covers it', async () => {
    const id = await receivedTicket(EXPIRED.serial, {
      open: '2025-06-24T01:00:00Z',
      confirm: '2025-06-24T01:30:00Z',
      shipped: '2025-06-25T02:00:00Z',
      received: '2025-06-26T02:00:00Z', // Thu 10:00 local
    });
    let v = await ok('after-sales', 'GET', `/api/tickets/${id}`);
    expect(v.ticket.warranty).toMatchObject({
      inWarranty: false,
      inScope: true,
      exclusions: [],
      receiptDate: '2024-03-01',
      warrantyEndsOn: '2025-02-28',
    });

    const parts = [
      { name: 'power board', unitCostFen: 8_550, qty: 2 },
      { name: 'LTE antenna', unitCostFen: 1_299, qty: 1 },
    ];
    // Out of warranty the fee depends on the damage degree; without it nothing is written.
    expect(await call('technician', 'POST', `/api/tickets/${id}/repair-report`, { testResults: 'power board burnt', parts })).toEqual({
      status: 400,
      body: {
        error: 'DAMAGE_DEGREE_REQUIRED',
        message: ERROR_MESSAGES.DAMAGE_DEGREE_REQUIRED.en,
        details: { message: 'out of warranty: the maintenance fee depends on the damage degree' },
      },
    });

    const reported = at('2025-06-26T06:00:00Z');
    v = await ok('technician', 'POST', `/api/tickets/${id}/repair-report`, { testResults: 'power board burnt', parts, damageDegree: 'moderate' });
    const charges = {
      rule: 'parts-and-fee',
      partsFen: 18_399,
      feeFen: 50_000,
      totalFen: 68_399,
      explanation: 'Out of warranty: parts ¥183.99 plus the moderate maintenance fee ¥500.00.',
      lines: parts.map((p) =>
        line(p, p.unitCostFen * p.qty, 'out-of-warranty', "Charged: the box's warranty has ended and this part has no running warranty of its own."),
      ),
      freight: FREIGHT_NOT_ENTERED,
      dueFen: 68_399,
    };
    expect(v.ticket.state).toBe('diagnosed');
    expect(v.ticket.repairReport).toEqual({
      testResults: 'power board burnt',
      parts,
      damageDegree: 'moderate',
      charges,
      writtenBy: TECHNICIAN,
      writtenAt: reported,
      sentAt: null,
    });
    expect(v.notifications.at(-1)).toEqual({ at: reported, audience: 'after-sales', topic: 'repair-report', details: { charges } });

    // A charged report goes through the customer's decision, not straight to the bench.
    expect(await call('technician', 'POST', `/api/tickets/${id}/transitions`, { to: 'repairing', reason: 'start' })).toEqual({
      status: 409,
      body: {
        error: 'RMA_WRONG_CHARGE_PATH',
        message: ERROR_MESSAGES.RMA_WRONG_CHARGE_PATH.en,
        details: { from: 'diagnosed', to: 'repairing', rule: 'parts-and-fee', expected: 'awaiting-decision' },
      },
    });

    // Fri 2025-06-27 local: decision due five working days later, payment thirty.
    const sent = at('2025-06-27T02:00:00Z');
    v = await ok('after-sales', 'POST', `/api/tickets/${id}/cost-confirmation`, {});
    expect(v.ticket.state).toBe('awaiting-decision');
    expect(v.ticket.repairReport.sentAt).toBe(sent);
    expect(v.ticket.repairClock).toEqual({ startedOn: '2025-06-26', runningSince: null, workingDaysUsed: 1, pausedAt: sent, unofficialYears: [] });
    expect(v.ticket.deadlines.filter((d: Record<string, unknown>) => d.cancelledAt === null && d.firedAt === null)).toEqual([
      {
        kind: 'decision',
        scheduledAt: sent,
        dueDate: '2025-07-04',
        dueAt: Date.parse('2025-07-04T16:00:00Z'),
        unofficialYears: [],
        firedAt: null,
        cancelledAt: null,
      },
      {
        kind: 'payment',
        scheduledAt: sent,
        dueDate: '2025-08-08',
        dueAt: Date.parse('2025-08-08T16:00:00Z'),
        unofficialYears: [],
        firedAt: null,
        cancelledAt: null,
      },
    ]);
    expect(v.notifications.at(-1)).toEqual({
      at: sent,
      audience: 'customer',
      topic: 'repair-report',
      details: { charges, decisionDueDate: '2025-07-04', paymentDueDate: '2025-08-08' },
    });
    expect(trail(v).at(-1)).toMatchObject({
      actor: AFTER_SALES,
      from: 'diagnosed',
      to: 'awaiting-decision',
      reason: 'Repair Report sent; cost confirmation with the customer',
    });

    const accepted = at('2025-06-30T02:00:00Z');
    v = await move('after-sales', id, 'awaiting-payment', 'customer accepted the cost by phone');
    expect(v.ticket.customerDecision).toEqual({ decision: 'accepted', recordedBy: AFTER_SALES, recordedAt: accepted });
    expect(v.notifications.at(-1)).toEqual({
      at: accepted,
      audience: 'customer',
      topic: 'payment-details',
      details: { totalFen: 68_399, paymentDueDate: '2025-08-08' },
    });

    const paid = at('2025-07-01T02:00:00Z');
    expect(await call('after-sales', 'POST', `/api/tickets/${id}/payments`, { amountFen: 68_000, reference: 'BANK-20250701-0041' })).toEqual({
      status: 409,
      body: {
        error: 'RMA_PAYMENT_INSUFFICIENT',
        message: ERROR_MESSAGES.RMA_PAYMENT_INSUFFICIENT.en,
        details: { from: 'awaiting-payment', to: 'repairing', requiredFen: 68_399, paidFen: 68_000 },
      },
    });
    v = await ok('after-sales', 'GET', `/api/tickets/${id}`);
    expect([v.ticket.state, v.ticket.payment]).toEqual(['awaiting-payment', null]);

    v = await ok('after-sales', 'POST', `/api/tickets/${id}/payments`, { amountFen: 68_399, reference: 'BANK-20250701-0042' });
    expect(v.ticket.state).toBe('repairing');
    expect(v.ticket.payment).toEqual({ amountFen: 68_399, reference: 'BANK-20250701-0042', recordedBy: AFTER_SALES, recordedAt: paid });
    // The clock resumes with the four working days left of the cycle.
    expect(v.ticket.deadlines.filter((d: Record<string, unknown>) => d.cancelledAt === null && d.firedAt === null)).toEqual([
      {
        kind: 'repair-cycle',
        scheduledAt: paid,
        dueDate: '2025-07-07',
        dueAt: Date.parse('2025-07-07T16:00:00Z'),
        unofficialYears: [],
        firedAt: null,
        cancelledAt: null,
      },
    ]);
    expect(v.notifications.at(-1)).toEqual({ at: paid, audience: 'technician', topic: 'start-repair', details: {} });
    expect(trail(v).at(-1)).toMatchObject({ actor: AFTER_SALES, from: 'awaiting-payment', to: 'repairing', reason: 'remittance received' });
    expect((await deadlineRows(id)).filter((d) => d.cancelledAt === null && d.firedAt === null)).toEqual([
      { kind: 'repair-cycle', dueAt: Date.parse('2025-07-07T16:00:00Z'), firedAt: null, cancelledAt: null },
    ]);
  });
});

describe('warranty exclusions', () => {
  async function surge(box: Box, eventId: string, ts: number): Promise<void> {
    const device = await api.registry.findBySerial(box.serial);
    await api.db
      .insertInto('events')
      .values({ device_id: device!.id, event_id: eventId, ts, received_at: ts, type: 'surge', details: null, triaged_at: null })
      .execute();
  }

  it('blocks warranty confirmation with 409 RMA_EXCLUSIONS_UNDECIDED while a suggested exclusion is undecided', async () => {
    const surgeAt = Date.parse('2025-06-10T03:00:00Z');
    await surge(SURGED_UNDECIDED, 'evt-surge-0001', surgeAt);
    at('2025-07-02T01:00:00Z');
    const opened = await open(SURGED_UNDECIDED.serial);
    expect(opened.exclusions).toEqual([
      { exclusion: 'force-majeure', evidence: [{ eventId: 'evt-surge-0001', type: 'surge', ts: surgeAt }], status: 'suggested' },
    ]);

    expect(await call('after-sales', 'POST', `/api/tickets/${opened.id}/transitions`, { to: 'warranty-confirmed', reason: 'in warranty' })).toEqual({
      status: 409,
      body: { error: 'RMA_EXCLUSIONS_UNDECIDED', message: ERROR_MESSAGES.RMA_EXCLUSIONS_UNDECIDED.en, details: { undecided: ['force-majeure'] } },
    });
    // Whoever may not confirm at all is told that first, not about the exclusions.
    expect(await call('technician', 'POST', `/api/tickets/${opened.id}/transitions`, { to: 'warranty-confirmed', reason: 'in warranty' })).toEqual({
      status: 403,
      body: {
        error: 'RMA_FORBIDDEN',
        message: ERROR_MESSAGES.RMA_FORBIDDEN.en,
        details: { from: 'registered', to: 'warranty-confirmed', role: 'technician', allowedRoles: ['admin', 'after-sales'] },
      },
    });
    const v = await ok('after-sales', 'GET', `/api/tickets/${opened.id}`);
    expect([v.ticket.state, v.ticket.warranty, v.audit.length]).toEqual(['registered', null, 1]);

    // Once a person rejects the suggestion the box is confirmed in scope.
    await ok('after-sales', 'POST', `/api/tickets/${opened.id}/exclusions`, {
      exclusion: 'force-majeure',
      decision: 'rejected',
      note: 'surge arrester on site caught it; no damage',
    });
    const confirmed = await move('after-sales', opened.id, 'warranty-confirmed', 'in warranty; the surge did no damage');
    expect(confirmed.ticket.warranty).toMatchObject({ inWarranty: true, inScope: true, exclusions: [] });
  });

  it('charges an in-warranty box parts only, without a maintenance fee, once a person confirms an exclusion', async () => {
    const surgeAt = Date.parse('2025-06-11T03:00:00Z');
    await surge(SURGED_CONFIRMED, 'evt-surge-0002', surgeAt);
    at('2025-07-02T02:00:00Z');
    const { id } = await open(SURGED_CONFIRMED.serial);

    const decided = at('2025-07-02T02:10:00Z');
    let v = await ok('after-sales', 'POST', `/api/tickets/${id}/exclusions`, {
      exclusion: 'force-majeure',
      decision: 'confirmed',
      note: 'lightning strike on the pump station; customer confirms',
    });
    expect(v.exclusions).toEqual([
      {
        exclusion: 'force-majeure',
        evidence: [{ eventId: 'evt-surge-0002', type: 'surge', ts: surgeAt }],
        status: 'confirmed',
        decision: { by: AFTER_SALES, at: decided, note: 'lightning strike on the pump station; customer confirms' },
      },
    ]);
    expect(trail(v).at(-1)).toEqual({
      entityKind: 'rma',
      entityId: id,
      at: decided,
      actor: AFTER_SALES,
      action: 'exclusion-confirmed',
      from: null,
      to: null,
      reason: 'lightning strike on the pump station; customer confirms',
      data: { exclusion: 'force-majeure' },
    });

    const confirmed = at('2025-07-02T02:20:00Z');
    v = await move('after-sales', id, 'warranty-confirmed', 'in warranty, but a force-majeure exclusion applies');
    expect(v.ticket.warranty).toEqual({
      inWarranty: true,
      inScope: false,
      exclusions: ['force-majeure'],
      receiptDate: '2025-04-20',
      warrantyEndsOn: '2026-04-19',
      confirmedBy: AFTER_SALES,
      confirmedAt: confirmed,
    });
    expect(v.notifications.at(-1)).toEqual({
      at: confirmed,
      audience: 'customer',
      topic: 'warranty-confirmed',
      details: { inWarranty: true, inScope: false, exclusions: ['force-majeure'], transportInsuranceRecommended: true },
    });

    await move('after-sales', id, 'awaiting-product', 'shipping instructions sent');
    at('2025-07-03T02:00:00Z');
    await ok('after-sales', 'POST', `/api/tickets/${id}/shipping`, { direction: 'inbound', carrier: 'EMS', trackingNumber: 'EMS0000000001' });
    at('2025-07-04T02:00:00Z');
    await move('technician', id, 'received', 'box arrived at the repair centre');
    const parts = [
      { name: 'surge protector', unitCostFen: 3_500, qty: 1 },
      { name: 'power board', unitCostFen: 8_550, qty: 1 },
    ];
    v = await ok('technician', 'POST', `/api/tickets/${id}/repair-report`, { testResults: 'surge protector and power board burnt', parts });
    expect(v.ticket.repairReport.charges).toEqual({
      rule: 'parts-only',
      partsFen: 12_050,
      feeFen: 0,
      totalFen: 12_050,
      explanation: 'In warranty but out of scope (a confirmed exclusion): parts ¥120.50, no maintenance fee.',
      lines: parts.map((p) => line(p, p.unitCostFen, 'excluded', 'Charged: a confirmed exclusion takes the repair out of the warranty scope.')),
      freight: FREIGHT_NOT_ENTERED,
      dueFen: 12_050,
    });
    expect(v.ticket.repairReport.damageDegree).toBeNull();
  });
});

describe('refusals', () => {
  it('refuses after-sales a Repair Report with 403 RMA_FORBIDDEN', async () => {
    const id = await receivedTicket(REFUSALS.serial, {
      open: '2025-07-07T01:00:00Z',
      confirm: '2025-07-07T01:10:00Z',
      shipped: '2025-07-07T01:20:00Z',
      received: '2025-07-07T01:30:00Z',
    });
    expect(
      await call('after-sales', 'POST', `/api/tickets/${id}/repair-report`, {
        testResults: 'looks fine',
        parts: [{ name: 'fuse', unitCostFen: 100, qty: 1 }],
      }),
    ).toEqual({
      status: 403,
      body: {
        error: 'RMA_FORBIDDEN',
        message: ERROR_MESSAGES.RMA_FORBIDDEN.en,
        details: { from: 'received', to: 'diagnosed', role: 'after-sales', allowedRoles: ['admin', 'technician'] },
      },
    });
    const v = await ok('after-sales', 'GET', `/api/tickets/${id}`);
    expect([v.ticket.state, v.ticket.repairReport]).toEqual(['received', null]);
  });

  it('refuses a technician the warranty confirmation with 403 RMA_FORBIDDEN', async () => {
    const { id } = await open(refusalBox(1).serial);
    expect(
      await call('technician', 'POST', `/api/tickets/${id}/transitions`, { to: 'warranty-confirmed', reason: 'looks in warranty to me' }),
    ).toEqual({
      status: 403,
      body: {
        error: 'RMA_FORBIDDEN',
        message: ERROR_MESSAGES.RMA_FORBIDDEN.en,
        details: { from: 'registered', to: 'warranty-confirmed', role: 'technician', allowedRoles: ['admin', 'after-sales'] },
      },
    });
    expect((await ok('technician', 'GET', `/api/tickets/${id}`)).ticket.warranty).toBeNull();
  });

  it('refuses an illegal move with 409 RMA_INVALID_TRANSITION naming the moves allowed from the current state', async () => {
    const { id } = await open(refusalBox(2).serial);
    expect(await call('technician', 'POST', `/api/tickets/${id}/transitions`, { to: 'repairing', reason: 'skip the paperwork' })).toEqual({
      status: 409,
      body: {
        error: 'RMA_INVALID_TRANSITION',
        message: ERROR_MESSAGES.RMA_INVALID_TRANSITION.en,
        details: { from: 'registered', to: 'repairing', allowed: ['warranty-confirmed', 'cancelled'] },
      },
    });
    expect(
      await call('after-sales', 'POST', `/api/tickets/${id}/shipping`, { direction: 'outbound', carrier: 'SF Express', trackingNumber: 'SF1' }),
    ).toEqual({
      status: 409,
      body: {
        error: 'RMA_INVALID_TRANSITION',
        message: ERROR_MESSAGES.RMA_INVALID_TRANSITION.en,
        details: { from: 'registered', to: 'shipped-back', allowed: ['warranty-confirmed', 'cancelled'] },
      },
    });
    // Warranty is not confirmed yet, so the charges cannot be worked out; the move is refused first.
    expect(
      await call('technician', 'POST', `/api/tickets/${id}/repair-report`, {
        testResults: 'seen on site',
        parts: [{ name: 'fuse', unitCostFen: 100, qty: 1 }],
      }),
    ).toEqual({
      status: 409,
      body: {
        error: 'RMA_INVALID_TRANSITION',
        message: ERROR_MESSAGES.RMA_INVALID_TRANSITION.en,
        details: { from: 'registered', to: 'diagnosed', allowed: ['warranty-confirmed', 'cancelled'] },
      },
    });
  });

  it('answers 400 for a body the route or the edge does not accept', async () => {
    const { id } = await open(refusalBox(3).serial);
    expect(await call('after-sales', 'POST', `/api/tickets/${id}/transitions`, { to: 'teleported', reason: ' ' })).toEqual({
      status: 400,
      body: {
        error: 'VALIDATION_FAILED',
        message: ERROR_MESSAGES.VALIDATION_FAILED.en,
        details: [
          { in: 'body', path: 'to', message: expect.any(String) },
          { in: 'body', path: 'reason', message: 'say why' },
        ],
      },
    });
    expect(await call('after-sales', 'POST', `/api/tickets/${id}/payments`, { amountFen: 10.5, reference: 'X' })).toEqual({
      status: 400,
      body: {
        error: 'VALIDATION_FAILED',
        message: ERROR_MESSAGES.VALIDATION_FAILED.en,
        details: [{ in: 'body', path: 'amountFen', message: expect.any(String) }],
      },
    });
    await move('after-sales', id, 'warranty-confirmed', 'in warranty');
    await move('after-sales', id, 'awaiting-product', 'shipping instructions sent');
    // The route takes any payload object; the edge's own schema wants a tracking number.
    expect(
      await call('after-sales', 'POST', `/api/tickets/${id}/transitions`, {
        to: 'in-transit',
        reason: 'shipped',
        payload: { carrier: 'SF Express' },
      }),
    ).toEqual({
      status: 400,
      body: {
        error: 'RMA_PAYLOAD_INVALID',
        message: ERROR_MESSAGES.RMA_PAYLOAD_INVALID.en,
        details: { from: 'awaiting-product', to: 'in-transit', issues: [{ path: ['payload', 'trackingNumber'], message: expect.any(String) }] },
      },
    });
    expect((await ok('after-sales', 'GET', `/api/tickets/${id}`)).ticket.state).toBe('awaiting-product');
  });

  it('refuses a second ticket on a box with an open one with 409 naming the open ticket, and allows one after cancelling', async () => {
    const box = refusalBox(4);
    const { id } = await open(box.serial);
    expect(await call('after-sales', 'POST', '/api/tickets', { serial: box.serial })).toEqual({
      status: 409,
      body: {
        error: 'RMA_ALREADY_OPEN',
        message: ERROR_MESSAGES.RMA_ALREADY_OPEN.en,
        details: { serial: box.serial, ticketId: id, state: 'registered' },
      },
    });
    const before = await call('after-sales', 'GET', `/api/tickets?serial=${box.serial}`);
    await move('after-sales', id, 'cancelled', 'opened twice by phone', { resolution: 'duplicate' });
    const again = await open(box.serial);
    expect(again.id).not.toBe(id);
    expect(before.body).toHaveLength(1);
  });

  it.each(['technician', 'engineer'] as const)(
    'refuses a %s any decision on warranty scope with 403, leaving the exclusions as they were',
    async (role) => {
      const box = refusalBox(role === 'technician' ? 5 : 6);
      const { id } = await open(box.serial);
      for (const body of [
        { exclusion: 'return-transport-damage', decision: 'added', note: 'dented on arrival' },
        { exclusion: 'force-majeure', decision: 'confirmed', note: 'lightning' },
      ]) {
        expect(await call(role, 'POST', `/api/tickets/${id}/exclusions`, body)).toEqual({
          status: 403,
          body: {
            error: 'RMA_FORBIDDEN',
            message: ERROR_MESSAGES.RMA_FORBIDDEN.en,
            details: { code: 'RMA_FORBIDDEN', role, allowed: ['admin', 'after-sales'] },
          },
        });
      }
      expect((await ok('after-sales', 'GET', `/api/tickets/${id}`)).exclusions).toEqual([]);
    },
  );

  it('refuses after-sales an exclusion on a cancelled ticket with 409 RMA_SCOPE_CLOSED', async () => {
    const box = refusalBox(7);
    const { id } = await open(box.serial);
    await move('after-sales', id, 'cancelled', 'solved on the phone', { resolution: 'solved-remotely' });
    expect(
      await call('after-sales', 'POST', `/api/tickets/${id}/exclusions`, {
        exclusion: 'return-transport-damage',
        decision: 'added',
        note: 'too late',
      }),
    ).toEqual({
      status: 409,
      body: {
        error: 'RMA_SCOPE_CLOSED',
        message: ERROR_MESSAGES.RMA_SCOPE_CLOSED.en,
        details: expect.objectContaining({ code: 'RMA_SCOPE_CLOSED', state: 'cancelled' }),
      },
    });
    expect((await ok('after-sales', 'GET', `/api/tickets/${id}`)).exclusions).toEqual([]);
  });

  it('answers 404 RMA_NOT_FOUND for a ticket that does not exist', async () => {
    const notFound = { status: 404, body: { error: 'RMA_NOT_FOUND', message: ERROR_MESSAGES.RMA_NOT_FOUND.en, details: { id: 999_999 } } };
    expect(await call('after-sales', 'GET', '/api/tickets/999999')).toEqual(notFound);
    expect(
      await call('after-sales', 'POST', '/api/tickets/999999/transitions', {
        to: 'cancelled',
        reason: 'duplicate',
        payload: { resolution: 'duplicate' },
      }),
    ).toEqual(notFound);
    expect(await call('after-sales', 'POST', '/api/tickets/999999/notes', { text: 'customer called again' })).toEqual(notFound);
  });
});

describe('a standby unit', () => {
  it('is required, dispatched and returned, and the ticket cannot close while it is out', async () => {
    const id = await receivedTicket(STANDBY.serial, {
      open: '2025-07-08T01:00:00Z',
      confirm: '2025-07-08T01:10:00Z',
      shipped: '2025-07-08T02:00:00Z',
      received: '2025-07-09T02:00:00Z',
    });
    await ok('technician', 'POST', `/api/tickets/${id}/repair-report`, {
      testResults: 'main board fault',
      parts: [{ name: 'main board', unitCostFen: 45_000, qty: 1 }],
    });
    await move('technician', id, 'repairing', 'free repair');

    // A technician sees first that the repair will overrun and asks for a unit.
    const required = at('2025-07-09T06:00:00Z');
    const reason = 'main board back-ordered; repair will overrun the cycle';
    let v = await ok('technician', 'POST', `/api/tickets/${id}/standby`, { kind: 'require', reason });
    expect(v.ticket.standby).toEqual({ state: 'required', reason, requiredAt: required });
    // Shipping a unit is after-sales' job.
    expect(
      await call('technician', 'POST', `/api/tickets/${id}/standby`, {
        kind: 'dispatch',
        unitSerial: 'MTB2400009999',
        carrier: 'SF Express',
        trackingNumber: 'SF77',
      }),
    ).toEqual({
      status: 403,
      body: {
        error: 'RMA_FORBIDDEN',
        message: ERROR_MESSAGES.RMA_FORBIDDEN.en,
        details: { action: 'dispatch', role: 'technician', allowedRoles: ['admin', 'after-sales'] },
      },
    });

    const dispatched = at('2025-07-09T07:00:00Z');
    v = await ok('after-sales', 'POST', `/api/tickets/${id}/standby`, {
      kind: 'dispatch',
      unitSerial: 'MTB2400009999',
      carrier: 'SF Express',
      trackingNumber: 'SF77',
    });
    expect(v.ticket.standby).toEqual({
      state: 'dispatched',
      reason,
      requiredAt: required,
      unitSerial: 'MTB2400009999',
      carrier: 'SF Express',
      trackingNumber: 'SF77',
      dispatchedAt: dispatched,
    });

    at('2025-07-10T02:00:00Z');
    await move('technician', id, 'repaired', 'main board replaced');
    await move('technician', id, 'tested', 'final test', { testResults: 'all channels pass' });
    await ok('technician', 'POST', `/api/tickets/${id}/parameter-restore`, { action: 'waive', reason: 'no pre-repair backup in this test' });
    await ok('after-sales', 'POST', `/api/tickets/${id}/shipping`, { direction: 'outbound', carrier: 'SF Express', trackingNumber: 'SF78' });

    at('2025-07-11T02:00:00Z');
    expect(
      await call('after-sales', 'POST', `/api/tickets/${id}/transitions`, {
        to: 'closed',
        reason: 'customer confirmed',
        payload: { closure: 'customer-confirmed' },
      }),
    ).toEqual({
      status: 409,
      body: {
        error: 'RMA_STANDBY_OUTSTANDING',
        message: ERROR_MESSAGES.RMA_STANDBY_OUTSTANDING.en,
        details: { from: 'shipped-back', to: 'closed', unitSerial: 'MTB2400009999' },
      },
    });
    expect((await ok('after-sales', 'GET', `/api/tickets/${id}`)).ticket.state).toBe('shipped-back');

    const returned = at('2025-07-14T02:00:00Z');
    v = await ok('after-sales', 'POST', `/api/tickets/${id}/standby`, { kind: 'return' });
    expect(v.ticket.standby).toMatchObject({ state: 'returned', unitSerial: 'MTB2400009999', returnedAt: returned });
    expect(await call('after-sales', 'POST', `/api/tickets/${id}/standby`, { kind: 'return' })).toEqual({
      status: 409,
      body: {
        error: 'RMA_STANDBY_INVALID',
        message: ERROR_MESSAGES.RMA_STANDBY_INVALID.en,
        details: { action: 'return', standby: 'returned', ticketState: 'shipped-back', allowedActions: [] },
      },
    });

    v = await move('after-sales', id, 'closed', 'customer confirmed', { closure: 'customer-confirmed' });
    expect(v.ticket.state).toBe('closed');
    expect(trail(v).filter((line) => line.action === 'standby')).toEqual([
      {
        entityKind: 'rma',
        entityId: id,
        at: required,
        actor: TECHNICIAN,
        action: 'standby',
        from: 'none',
        to: 'required',
        reason,
        data: { role: 'technician', ticketState: 'repairing' },
      },
      {
        entityKind: 'rma',
        entityId: id,
        at: dispatched,
        actor: AFTER_SALES,
        action: 'standby',
        from: 'required',
        to: 'dispatched',
        reason: 'standby unit MTB2400009999 sent by SF Express SF77',
        data: { role: 'after-sales', ticketState: 'repairing' },
      },
      {
        entityKind: 'rma',
        entityId: id,
        at: returned,
        actor: AFTER_SALES,
        action: 'standby',
        from: 'dispatched',
        to: 'returned',
        reason: 'standby unit MTB2400009999 returned',
        data: { role: 'after-sales', ticketState: 'shipped-back' },
      },
    ]);
  });
});

describe('a failed final test', () => {
  it('gives a replaced part one warranty, counted from the repair that passed the final test', async () => {
    const id = await receivedTicket(RETESTED.serial, {
      open: '2025-07-15T01:00:00Z',
      confirm: '2025-07-15T01:10:00Z',
      shipped: '2025-07-15T02:00:00Z',
      received: '2025-07-16T02:00:00Z',
    });
    await ok('technician', 'POST', `/api/tickets/${id}/repair-report`, {
      testResults: 'relay board dead',
      parts: [{ name: 'relay board', unitCostFen: 6_000, qty: 1 }],
    });
    await move('technician', id, 'repairing', 'free repair');
    at('2025-07-16T08:00:00Z');
    await move('technician', id, 'repaired', 'relay board replaced');
    at('2025-07-17T02:00:00Z');
    await move('technician', id, 'repairing', 'final test failed', { testResults: 'relay chatters under load' });
    at('2025-07-18T02:00:00Z');
    await move('technician', id, 'repaired', 'relay board reseated and replaced again');
    await move('technician', id, 'tested', 'final test', { testResults: 'relay holds under load for 24 h' });

    const warranty = await ok('after-sales', 'GET', `/api/devices/${RETESTED.serial}/warranty`);
    expect(warranty.partWarranties).toEqual([{ part: 'relay board', repairedOn: '2025-07-18', end: '2026-07-17', inWarranty: true }]);
  });
});
