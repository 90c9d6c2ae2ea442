import { afterEach, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from './helpers/backend.ts';

/*
 * RMA deadlines live in the database: armed by one run of the backend, fired by the next.
 * The clock is a variable the test moves; SCHEDULER_POLL_S is an hour, so only the test's
 * explicit `scheduler.tick()` fires anything. Instants are UTC; local dates are China (UTC+8).
 */

const DECISION_RULE = 'Seed: no decision within 5 working days of the Repair Report; postponed to the next maintenance cycle';
const PAYMENT_RULE = 'Seed: no payment within 30 working days of the Repair Report; the product is returned unrepaired';

let now = 0;
const clock = () => now;
let backend: TestBackend | null = null;

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field against literal values
async function api(method: string, path: string, json?: unknown, expected = 200): Promise<any> {
  const headers: Record<string, string> = { ...(await backend!.adminHeaders()) };
  if (json !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${backend!.api}${path}`, { method, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
  const body = await res.json();
  if (res.status !== expected) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

async function start(at: string): Promise<TestBackend> {
  now = Date.parse(at);
  // Sessions must outlast the months the clock is moved forward.
  backend = await startTestBackend({ SCHEDULER_POLL_S: '3600', SESSION_TTL_H: '87600' }, { clock });
  return backend;
}

/** Restarts on the same data directory and lets the start-up deadline pass finish. */
async function restart(): Promise<void> {
  await backend!.restart();
  await backend!.app.afterSales.scheduler.tick();
}

function setClock(iso: string | number): void {
  const t = typeof iso === 'number' ? iso : Date.parse(iso);
  if (t < now) throw new Error('the clock only moves forward');
  now = t;
}

async function pending(ticketId: number) {
  const rows = await backend!.app.db
    .selectFrom('deadlines')
    .select(['kind', 'due_at'])
    .where('entity_kind', '=', 'rma')
    .where('entity_id', '=', ticketId)
    .where('fired_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ kind: r.kind, dueAt: Number(r.due_at) }));
}

/** Opens a ticket as admin and takes it through warranty confirmation and shipping to the bench. */
async function receive(serial: string, receivedAt: string): Promise<number> {
  const { id } = await api('POST', '/tickets', { serial }, 201);
  await api('POST', `/tickets/${id}/transitions`, { to: 'warranty-confirmed', reason: 'warranty checked' });
  await api('POST', `/tickets/${id}/transitions`, { to: 'awaiting-product', reason: 'shipping instructions sent' });
  await api('POST', `/tickets/${id}/shipping`, { direction: 'inbound', carrier: 'SF Express', trackingNumber: `SF${serial}` });
  setClock(receivedAt);
  await api('POST', `/tickets/${id}/transitions`, { to: 'received', reason: 'box arrived at the repair centre' });
  return id;
}

afterEach(async () => {
  await backend?.stop();
  backend = null;
});

describe('customer decision and payment deadlines across restarts', () => {
  it('postpones a charged repair five working days after the Repair Report, counting National Day and its make-up days, then returns it unrepaired after thirty', async () => {
    await start('2025-09-22T01:00:00Z'); // Mon 09:00 local
    await api(
      'POST',
      '/devices',
      {
        serial: 'MTB2406000001',
        model: 'MT-BOX-4G',
        receiptDate: '2024-06-01', // covered through 2025-05-31
        customer: { name: 'Taihu Water Works', businessLine: 'smart-environmental-protection' },
      },
      201,
    );
    const id = await receive('MTB2406000001', '2025-09-23T02:00:00Z');
    setClock('2025-09-24T02:00:00Z');
    await api('POST', `/tickets/${id}/repair-report`, {
      testResults: 'RS-485 transceivers dead',
      parts: [{ name: 'RS-485 transceiver', unitCostFen: 2_400, qty: 2 }],
      damageDegree: 'minor',
    });

    // Thu 2025-09-25 local. Working days after it: Fri 26, Sun 28 (make-up day), Mon 29,
    // Tue 30, then Oct 1-8 off, Thu Oct 9. Without the holiday it would be Oct 2.
    const sent = Date.parse('2025-09-25T02:00:00Z');
    setClock(sent);
    const decisionDue = Date.parse('2025-10-09T16:00:00Z'); // end of Oct 9, local
    const paymentDue = Date.parse('2025-11-12T16:00:00Z'); // end of Nov 12, local
    let v = await api('POST', `/tickets/${id}/cost-confirmation`, {});
    expect(v.ticket.state).toBe('awaiting-decision');
    expect(v.ticket.repairReport.charges).toMatchObject({ rule: 'parts-and-fee', partsFen: 4_800, feeFen: 20_000, totalFen: 24_800 });
    expect(v.ticket.deadlines.filter((d: Record<string, unknown>) => d.firedAt === null && d.cancelledAt === null)).toEqual([
      { kind: 'decision', scheduledAt: sent, dueDate: '2025-10-09', dueAt: decisionDue, unofficialYears: [], firedAt: null, cancelledAt: null },
      { kind: 'payment', scheduledAt: sent, dueDate: '2025-11-12', dueAt: paymentDue, unofficialYears: [], firedAt: null, cancelledAt: null },
    ]);
    expect(v.notifications.at(-1)).toMatchObject({
      audience: 'customer',
      topic: 'repair-report',
      details: { decisionDueDate: '2025-10-09', paymentDueDate: '2025-11-12' },
    });
    expect(await pending(id)).toEqual([
      { kind: 'decision', dueAt: decisionDue },
      { kind: 'payment', dueAt: paymentDue },
    ]);

    await restart();
    // The last instant of Oct 9: a deadline counted without the holiday would be overdue by now.
    setClock(decisionDue - 1);
    expect(await backend!.app.afterSales.scheduler.tick()).toBe(0);
    expect((await api('GET', `/tickets/${id}`)).ticket.state).toBe('awaiting-decision');

    setClock(decisionDue);
    expect(await backend!.app.afterSales.scheduler.tick()).toBe(1);
    v = await api('GET', `/tickets/${id}`);
    expect(v.ticket.state).toBe('postponed');
    expect(v.ticket.stateSince).toBe(decisionDue);
    expect(v.ticket.deadlines.find((d: Record<string, unknown>) => d.kind === 'decision')).toMatchObject({ firedAt: decisionDue, cancelledAt: null });
    expect(v.audit.at(-1)).toEqual({
      id: expect.any(Number),
      entityKind: 'rma',
      entityId: id,
      at: decisionDue,
      actor: 'system',
      action: 'transition',
      from: 'awaiting-decision',
      to: 'postponed',
      reason: DECISION_RULE,
      data: { role: 'system' },
    });
    expect(v.notifications.at(-1)).toEqual({ at: decisionDue, audience: 'customer', topic: 'postponed', details: {} });
    // The payment deadline keeps running while the repair is postponed.
    expect(await pending(id)).toEqual([{ kind: 'payment', dueAt: paymentDue }]);

    await restart();
    setClock(paymentDue - 1);
    expect(await backend!.app.afterSales.scheduler.tick()).toBe(0);
    setClock(paymentDue);
    expect(await backend!.app.afterSales.scheduler.tick()).toBe(1);
    v = await api('GET', `/tickets/${id}`);
    expect(v.ticket.state).toBe('returned-unrepaired');
    expect(v.ticket.customerDecision).toBeNull();
    expect(v.allowedTransitions).toEqual(['shipped-back']);
    expect(v.audit.at(-1)).toMatchObject({
      at: paymentDue,
      actor: 'system',
      action: 'transition',
      from: 'postponed',
      to: 'returned-unrepaired',
      reason: PAYMENT_RULE,
      data: { role: 'system' },
    });
    expect(v.notifications.at(-1)).toEqual({
      at: paymentDue,
      audience: 'customer',
      topic: 'returned-unrepaired',
      details: { cause: 'payment-overdue' },
    });
    expect(await pending(id)).toEqual([]);
    // Fired exactly once: another pass finds nothing.
    expect(await backend!.app.afterSales.scheduler.tick()).toBe(0);
    expect((await api('GET', `/tickets/${id}`)).audit).toHaveLength(v.audit.length);
  });
});

describe('a deadline counted into a year without official holiday data', () => {
  it('is flagged provisional on the ticket, stays so across a restart, and still fires', async () => {
    await start('2026-12-28T01:00:00Z'); // Mon 09:00 local
    await api(
      'POST',
      '/devices',
      {
        serial: 'MTB2606000002',
        model: 'MT-BOX-4G',
        receiptDate: '2026-06-01',
        customer: { name: 'Acme Automation', businessLine: 'smart-factory' },
      },
      201,
    );
    // Received Tue 2026-12-29 local: Wed 30, Thu 31, then 2027, where only weekends are
    // known: Fri Jan 1 counts as a working day, then Mon 4, Tue 5.
    const received = Date.parse('2026-12-29T02:00:00Z');
    const id = await receive('MTB2606000002', '2026-12-29T02:00:00Z');
    const cycleDue = Date.parse('2027-01-05T16:00:00Z');
    let v = await api('GET', `/tickets/${id}`);
    expect(v.ticket.deadlines.filter((d: Record<string, unknown>) => d.firedAt === null && d.cancelledAt === null)).toEqual([
      {
        kind: 'repair-cycle',
        scheduledAt: received,
        dueDate: '2027-01-05',
        dueAt: cycleDue,
        unofficialYears: [2027],
        firedAt: null,
        cancelledAt: null,
      },
    ]);
    expect(v.provisionalDeadlineYears).toEqual([2027]);

    await restart();
    expect((await api('GET', `/tickets/${id}`)).provisionalDeadlineYears).toEqual([2027]);

    setClock(cycleDue);
    expect(await backend!.app.afterSales.scheduler.tick()).toBe(1);
    v = await api('GET', `/tickets/${id}`);
    // Seed: a repair that overruns its cycle gets standby equipment.
    expect(v.ticket.state).toBe('received');
    expect(v.ticket.standby).toEqual({
      state: 'required',
      reason: 'Seed: repair not finished within the 5-working-day repair cycle; standby equipment replaces the faulty box',
      requiredAt: cycleDue,
    });
    expect(v.audit.at(-1)).toMatchObject({ at: cycleDue, actor: 'system', action: 'standby', from: 'none', to: 'required' });
    // Nothing running is provisional any more.
    expect(v.provisionalDeadlineYears).toEqual([]);
  });
});
