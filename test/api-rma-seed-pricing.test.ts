import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffRole as Role } from '../services/kernel/roles.ts';
import { EXCLUSION_IDS, recordRepairedParts } from '../services/after-sales/warranty/index.ts';
import { startApiFixture, type ApiFixture } from './helpers/http-fixture.ts';
import { roleCalls } from './helpers/role-calls.ts';
import { ERROR_MESSAGES } from '../services/platform/http/error-messages.ts';

/*
 * The seed's pricing rules over HTTP: a repaired part's own warranty, the full exclusion list
 * chosen by id, and the freight the customer bears. The fixture clock starts 2025-06-15.
 */

let api: ApiFixture;

const { call, ok } = roleCalls(() => api);

// Covered through 2025-02-28: out of warranty on the fixture's dates.
const box = (serial: string) => ({
  serial,
  model: 'MT-BOX-4G',
  receiptDate: '2024-03-01',
  customer: { name: 'Old Town Lighting', businessLine: 'smart-city' },
});
const REPAIRED_BEFORE = 'MTB2403000101';
const EXCLUDED = 'MTB2403000102';
const FREE_AGAIN = 'MTB2403000103';
const FREIGHT_BILLED = 'MTB2403000104';
const CONFIRMED_OUT = 'MTB2403000105';

const move = (role: Role, id: number, to: string, reason: string) => ok(role, 'POST', `/api/tickets/${id}/transitions`, { to, reason });

/** Opens a ticket and takes it to the bench. */
async function receivedTicket(serial: string): Promise<number> {
  const { id } = await ok('after-sales', 'POST', '/api/tickets', { serial }, 201);
  await move('after-sales', id, 'warranty-confirmed', 'warranty checked with the customer');
  await move('after-sales', id, 'awaiting-product', 'shipping instructions sent');
  await ok('after-sales', 'POST', `/api/tickets/${id}/shipping`, { direction: 'inbound', carrier: 'SF Express', trackingNumber: `SF${serial}` });
  await move('technician', id, 'received', 'box arrived at the repair centre');
  return id;
}

beforeAll(async () => {
  api = await startApiFixture({ SESSION_TTL_H: '8760' });
  for (const serial of [REPAIRED_BEFORE, EXCLUDED, FREE_AGAIN, FREIGHT_BILLED, CONFIRMED_OUT])
    await ok('admin', 'POST', '/api/devices', box(serial), 201);
});
afterAll(() => api.close());

describe('seed: the repaired or replaced components have a 1-year warranty from the date of repair', () => {
  it('prices free a part repaired 3 months ago that fails again after the box warranty ended, and charges the other part', async () => {
    const device = await api.registry.findBySerial(REPAIRED_BEFORE);
    // An earlier repair (2025-03-14) replaced the power board, as the warranty store records it.
    await recordRepairedParts(api.db, device!.id, 9_999, ['power board'], '2025-03-14');
    const id = await receivedTicket(REPAIRED_BEFORE);
    const warranty = (await ok('after-sales', 'GET', `/api/tickets/${id}`)).ticket.warranty;
    expect(warranty).toMatchObject({ inWarranty: false, inScope: true });

    const board = { name: 'power board', unitCostFen: 8_550, qty: 1 };
    const antenna = { name: 'LTE antenna', unitCostFen: 1_299, qty: 1 };
    const mixed = await ok('technician', 'POST', `/api/tickets/${id}/repair-report`, {
      testResults: 'power board failed again; antenna cracked',
      parts: [board, antenna],
      damageDegree: 'minor',
    });
    expect(mixed.ticket.repairReport.charges).toMatchObject({
      rule: 'parts-and-fee',
      partsFen: 1_299,
      feeFen: 20_000,
      totalFen: 21_299,
      dueFen: 21_299,
      lines: [
        {
          ...board,
          chargedFen: 0,
          basis: 'part-warranty',
          why: 'Free: repaired or replaced on 2025-03-14, this part has its own warranty through 2026-03-13.',
        },
        {
          ...antenna,
          chargedFen: 1_299,
          basis: 'out-of-warranty',
          why: "Charged: the box's warranty has ended and this part has no running warranty of its own.",
        },
      ],
    });
    expect(mixed.ticket.repairReport.charges.explanation).toBe(
      'Out of warranty: parts ¥12.99 (power board free under its own warranty) plus the minor maintenance fee ¥200.00.',
    );
  });

  it('prices a repair of only the part still under its own warranty free, with no maintenance fee', async () => {
    const device = await api.registry.findBySerial(FREE_AGAIN);
    await recordRepairedParts(api.db, device!.id, 9_998, ['4G modem module'], '2025-03-20');
    const id = await receivedTicket(FREE_AGAIN);
    const v = await ok('technician', 'POST', `/api/tickets/${id}/repair-report`, {
      testResults: 'modem module failed again',
      parts: [{ name: '4G modem module', unitCostFen: 18_000, qty: 1 }],
      freightFen: 2_300,
    });
    expect(v.ticket.repairReport.charges).toMatchObject({ rule: 'free', partsFen: 0, feeFen: 0, totalFen: 0 });
    // A free repair goes straight to the bench, with no cost to confirm.
    expect(v.allowedTransitions).toContain('repairing');
    // Seed: the freight is still the customer's.
    expect(v.ticket.repairReport.charges.freight).toMatchObject({ paidBy: 'customer', fen: 2_300 });
    expect(v.ticket.repairReport.charges.dueFen).toBe(2_300);
  });
});

describe('seed: the conditions not covered by the free warranty, as a list to choose from', () => {
  it('offers every seed exclusion with its seed wording, adds each by id and refuses free text in words', async () => {
    const { id } = await ok('after-sales', 'POST', '/api/tickets', { serial: EXCLUDED }, 201);
    let v = await ok('after-sales', 'GET', `/api/tickets/${id}`);
    const clauses = v.actions.exclusions.clauses;
    expect(clauses.map((c: { id: string }) => c.id)).toEqual([...EXCLUSION_IDS]);
    const seedOf = (exclusion: string) => clauses.find((c: { id: string }) => c.id === exclusion).seed.join(' ');
    expect(seedOf('high-temperature')).toContain('high temperature');
    expect(seedOf('water-ingress')).toContain('water ingress');
    expect(seedOf('mechanical-damage')).toContain('mechanical damage');
    expect(seedOf('oxidation')).toContain('serious oxidation or rust');
    expect(seedOf('setting-file-altered')).toContain('Alter the inherent setting file');
    expect(seedOf('not-product-fault')).toContain('not caused by product design, technology, manufacturing, quality');

    const refused = await call('after-sales', 'POST', `/api/tickets/${id}/exclusions`, {
      exclusion: 'box fell off the truck',
      decision: 'added',
      note: 'x',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('VALIDATION_FAILED');
    expect(refused.body.details).toEqual([
      { in: 'body', path: 'exclusion', message: `not an exclusion of the warranty terms: choose one of ${EXCLUSION_IDS.join(', ')}` },
    ]);

    for (const exclusion of EXCLUSION_IDS) {
      v = await ok('after-sales', 'POST', `/api/tickets/${id}/exclusions`, { exclusion, decision: 'added', note: `seen at intake: ${exclusion}` });
    }
    expect(v.exclusions.map((f: { exclusion: string; status: string }) => [f.exclusion, f.status])).toEqual(
      EXCLUSION_IDS.map((e) => [e, 'confirmed']),
    );
    expect(v.actions.exclusions.clauses.every((c: { listed: boolean }) => c.listed)).toBe(true);
  });

  it('binds the warranty confirmation to the same list: an id is recorded, free text is refused in words', async () => {
    const { id } = await ok('after-sales', 'POST', '/api/tickets', { serial: CONFIRMED_OUT }, 201);
    const confirm = (exclusions: string[]) =>
      call('after-sales', 'POST', `/api/tickets/${id}/transitions`, {
        to: 'warranty-confirmed',
        reason: 'checked with the customer on the phone',
        payload: { warranty: { inWarranty: false, inScope: false, exclusions } },
      });
    const refused = await confirm(['box fell off the truck']);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain(`not an exclusion of the warranty terms: choose one of ${EXCLUSION_IDS.join(', ')}`);
    expect((await ok('after-sales', 'GET', `/api/tickets/${id}`)).ticket.state).toBe('registered');
    const confirmed = await confirm(['water-ingress']);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.ticket.warranty).toMatchObject({ inScope: false, exclusions: ['water-ingress'] });
    await ok('after-sales', 'POST', `/api/tickets/${id}/transitions`, {
      to: 'cancelled',
      reason: 'customer withdrew after hearing the exclusion',
      payload: { resolution: 'customer-withdrew' },
    });
  });
});

describe('seed: non man-made damage within 12 months is covered, judged when the customer reports it', () => {
  it('keeps a box reported on the last covered day in warranty however late after-sales confirms', async () => {
    const DAY = 86_400_000;
    // China's calendar date now, and a receipt date one year and a day before: today is the last covered day.
    const today = new Date(api.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const receipt = new Date(Date.parse(`${Number(today.slice(0, 4)) - 1}${today.slice(4)}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
    const serial = 'MTB2403000106';
    await ok('admin', 'POST', '/api/devices', { ...box(serial), receiptDate: receipt }, 201);
    const { id } = await ok('after-sales', 'POST', '/api/tickets', { serial }, 201);
    api.advance(2 * DAY);
    // The box's own warranty has ended by now; the ticket keeps the day it was reported.
    expect((await ok('after-sales', 'GET', `/api/devices/${serial}/warranty`)).inWarranty).toBe(false);
    expect((await ok('after-sales', 'GET', `/api/tickets/${id}`)).warranty.inWarranty).toBe(true);
    const confirmed = await move('after-sales', id, 'warranty-confirmed', 'confirmed two days after the call');
    expect(confirmed.ticket.warranty).toMatchObject({ inWarranty: true, inScope: true });
  });
});

describe('seed: the freight sent to and back from the repair centre shall be borne by the customer', () => {
  it('shows the freight as the customer’s line, entered on the cost confirmation, and asks the remittance to cover it', async () => {
    const id = await receivedTicket(FREIGHT_BILLED);
    let v = await ok('technician', 'POST', `/api/tickets/${id}/repair-report`, {
      testResults: 'power board burnt',
      parts: [{ name: 'power board', unitCostFen: 8_550, qty: 1 }],
      damageDegree: 'minor',
    });
    expect(v.ticket.repairReport.charges).toMatchObject({ totalFen: 28_550, dueFen: 28_550, freight: { paidBy: 'customer', fen: null } });

    v = await ok('after-sales', 'POST', `/api/tickets/${id}/cost-confirmation`, { freightFen: 2_500 });
    expect(v.ticket.state).toBe('awaiting-decision');
    expect(v.ticket.repairReport.charges).toMatchObject({ totalFen: 28_550, dueFen: 31_050, freight: { paidBy: 'customer', fen: 2_500 } });
    expect(v.ticket.repairReport.charges.freight.explanation).toContain('borne by the customer: return freight ¥25.00.');

    v = await move('after-sales', id, 'awaiting-payment', 'customer accepted the cost');
    expect(v.notifications.at(-1).details).toMatchObject({ totalFen: 28_550, dueFen: 31_050 });
    const short = await call('after-sales', 'POST', `/api/tickets/${id}/payments`, { amountFen: 28_550, reference: 'BANK-1' });
    expect(short).toEqual({
      status: 409,
      body: {
        error: 'RMA_PAYMENT_INSUFFICIENT',
        message: ERROR_MESSAGES.RMA_PAYMENT_INSUFFICIENT.en,
        details: { from: 'awaiting-payment', to: 'repairing', requiredFen: 31_050, paidFen: 28_550 },
      },
    });
    v = await ok('after-sales', 'POST', `/api/tickets/${id}/payments`, { amountFen: 31_050, reference: 'BANK-2' });
    expect(v.ticket.state).toBe('repairing');
  });
});
