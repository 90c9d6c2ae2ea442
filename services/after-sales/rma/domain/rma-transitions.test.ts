import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../../kernel/roles.ts';
import { RMA_ERRORS } from './errors.ts';
import type { RmaEffect } from './rma-effects.ts';
import { RMA_STATES, RmaTicket } from './rma-ticket.ts';
import { RMA_TRANSITIONS, type RmaEdgeKey } from './rma-transition-table.ts';
import { applyTransition, openTicket } from './rma-transitions.ts';
import {
  calendar,
  CHARGED_REPORT,
  chinaTime,
  ctx,
  DAY,
  FREE_REPORT,
  must,
  OPENED_AT,
  openAt,
  reportFor,
  roleFor,
  ticketIn,
  VALID_PAYLOADS,
} from '../test-support/rma-test-kit.ts';
import { LEGAL_MOVES, nextStates } from '../test-support/rma-moves.ts';
import { recordParameterRestore } from './rma-parameter-restore.ts';

const kinds = (effects: RmaEffect[]) => effects.map((e) => e.kind);
const keyOf = (e: { from: string; to: string }) => `${e.from}->${e.to}` as RmaEdgeKey;
const MOVES = LEGAL_MOVES.map(([from, to, roles]) => ({ from, to, roles }));
const people = (roles: readonly string[]): Role[] => ROLES.filter((r) => roles.includes(r));

describe('opening a ticket', () => {
  it('registers the box, schedules the first response and asks for a parameter backup', () => {
    const r = must(
      openTicket({ id: 'RMA-7', serial: 'MTB2411000123' }, { now: OPENED_AT, calendar, actor: { username: 'amy', role: 'after-sales' } }),
    );
    expect(r.ticket).toMatchObject({ state: 'registered', openedBy: 'amy', customised: false, repairCycleDays: 5, standby: { state: 'none' } });
    expect(kinds(r.effects)).toEqual(['audit', 'schedule', 'backup-parameters', 'live']);
    expect(r.effects[0]).toEqual({
      kind: 'audit',
      entry: { at: OPENED_AT, actor: 'amy', role: 'after-sales', from: null, to: 'registered', reason: 'ticket opened' },
    });
    expect(r.effects[2]).toEqual({ kind: 'backup-parameters', ticketId: 'RMA-7', serial: 'MTB2411000123' });
  });

  it('lets diagnostics open a ticket on its own', () => {
    const r = must(openTicket({ id: 'RMA-8', serial: 'MTB2411000123' }, { now: OPENED_AT, calendar, actor: 'diagnostics' }));
    expect(r.ticket.openedBy).toBe('diagnostics');
    expect(r.effects[0]).toMatchObject({ entry: { actor: 'diagnostics', role: 'system' } });
  });

  it('lets engineers open tickets but not technicians', () => {
    const input = { id: 'RMA-9', serial: 'MTB2411000123' };
    expect(openTicket(input, { now: OPENED_AT, calendar, actor: { username: 'eve', role: 'engineer' } }).ok).toBe(true);
    const r = openTicket(input, { now: OPENED_AT, calendar, actor: { username: 'tom', role: 'technician' } });
    expect(r).toMatchObject({ ok: false, error: { code: 'RMA_FORBIDDEN', details: { role: 'technician' } } });
  });

  it('needs a repair cycle for a customised product and keeps 5 days for a standard one', () => {
    const open = (extra: object) =>
      openTicket({ id: 'RMA-1', serial: 'MTB2411000123', ...extra }, { now: OPENED_AT, calendar, actor: 'diagnostics' });
    expect(open({ customised: true })).toMatchObject({ ok: false, error: { code: 'RMA_PAYLOAD_INVALID' } });
    expect(open({ repairCycleDays: 8 })).toMatchObject({ ok: false, error: { code: 'RMA_PAYLOAD_INVALID' } });
    expect(must(open({ customised: true, repairCycleDays: 12 })).ticket.repairCycleDays).toBe(12);
    expect(open({ serial: 'bad/serial' })).toMatchObject({ ok: false, error: { code: 'RMA_PAYLOAD_INVALID' } });
  });
});

describe('the transition table', () => {
  it('holds exactly the moves and roles of the seed process', () => {
    expect(RMA_TRANSITIONS.map((e) => [e.from, e.to, [...e.roles]])).toEqual(LEGAL_MOVES);
  });
});

describe('every legal transition', () => {
  const cases = MOVES.flatMap((e) => people(e.roles).map((role) => ({ from: e.from, to: e.to, role })));
  it.each(cases)('$from -> $to as $role', ({ from, to, role }) => {
    const { ticket, now } = ticketIn(from, { report: reportFor(from, to) });
    const at = now + 60_000;
    const r = must(applyTransition(ticket, { to, reason: 'test', payload: VALID_PAYLOADS[keyOf({ from, to })] }, ctx(at, role)));
    expect(r.ticket.state).toBe(to);
    expect(r.ticket.stateSince).toBe(at);
    expect(r.effects[0]).toEqual({ kind: 'audit', entry: { at, actor: `${role}-1`, role, from, to, reason: 'test' } });
    expect(r.effects.at(-1)).toEqual({ kind: 'live', event: { type: 'rma.transitioned', ticketId: ticket.id, from, to, at } });
    // Stored as JSON and read back through the schema.
    expect(RmaTicket.parse(JSON.parse(JSON.stringify(r.ticket)))).toEqual(r.ticket);
  });

  it('covers 24 moves made by people, 4 of which the deadline rules make too', () => {
    expect(new Set(cases.map(keyOf)).size).toBe(24);
    expect(MOVES.filter((e) => e.roles.includes('system')).map(keyOf)).toEqual([
      'awaiting-decision->postponed',
      'awaiting-decision->returned-unrepaired',
      'postponed->returned-unrepaired',
      'awaiting-payment->returned-unrepaired',
    ]);
  });
});

describe('every illegal move', () => {
  const legal = new Set(MOVES.map(keyOf));
  const cases = RMA_STATES.flatMap((from) => RMA_STATES.map((to) => ({ from, to }))).filter((c) => !legal.has(keyOf(c)));
  it.each(cases)('refuses $from -> $to', ({ from, to }) => {
    const { ticket, now } = ticketIn(from);
    const r = applyTransition(ticket, { to, reason: 'test', payload: {} }, ctx(now + 1, 'admin'));
    expect(r).toEqual({ ok: false, error: { code: RMA_ERRORS.RMA_INVALID_TRANSITION, details: { from, to, allowed: nextStates(from) } } });
  });

  it('checks all 232 of them: 16 states, 256 pairs, 24 legal', () => {
    expect(RMA_STATES).toHaveLength(16);
    expect(cases).toHaveLength(232);
  });
});

describe('roles', () => {
  const cases = MOVES.flatMap((e) => ROLES.filter((role) => !e.roles.includes(role)).map((role) => ({ from: e.from, to: e.to, role })));
  it.each(cases)('refuses $from -> $to to $role', ({ from, to, role }) => {
    const { ticket, now } = ticketIn(from, { report: reportFor(from, to) });
    const r = applyTransition(ticket, { to, reason: 'test', payload: VALID_PAYLOADS[keyOf({ from, to })] }, ctx(now + 1, role));
    expect(r).toMatchObject({ ok: false, error: { code: 'RMA_FORBIDDEN', details: { from, to, role } } });
  });

  it('always lets admin through', () => {
    for (const { from, to } of MOVES) {
      const { ticket, now } = ticketIn(from, { report: reportFor(from, to) });
      expect(applyTransition(ticket, { to, reason: 'test', payload: VALID_PAYLOADS[keyOf({ from, to })] }, ctx(now + 1, 'admin')).ok).toBe(true);
    }
  });
});

describe('payloads', () => {
  it.each(MOVES.map((e) => ({ from: e.from, to: e.to })))('refuses unknown fields on $from -> $to', ({ from, to }) => {
    const { ticket, now } = ticketIn(from, { report: reportFor(from, to) });
    const payload = { ...(VALID_PAYLOADS[keyOf({ from, to })] as object), surprise: true };
    const r = applyTransition(ticket, { to, reason: 'test', payload }, ctx(now + 1, roleFor(from, to)));
    expect(r).toMatchObject({ ok: false, error: { code: 'RMA_PAYLOAD_INVALID', details: { from, to } } });
  });

  it('refuses a transition without a reason', () => {
    const { ticket, now } = ticketIn('registered');
    const r = applyTransition(ticket, { to: 'cancelled', reason: '  ', payload: { resolution: 'duplicate' } }, ctx(now, 'engineer'));
    expect(r).toMatchObject({ ok: false, error: { code: 'RMA_PAYLOAD_INVALID', details: { issues: [{ path: ['reason'] }] } } });
  });

  it('requires carrier and tracking number for in-transit', () => {
    const { ticket, now } = ticketIn('awaiting-product');
    const r = applyTransition(ticket, { to: 'in-transit', reason: 'shipped', payload: { carrier: 'SF Express' } }, ctx(now, 'after-sales'));
    expect(r).toMatchObject({ ok: false, error: { code: 'RMA_PAYLOAD_INVALID', details: { issues: [{ path: ['payload', 'trackingNumber'] }] } } });
  });

  it.each([
    ['a total that is not parts + fee', { ...CHARGED_REPORT.charges, totalFen: 1 }],
    ['a free repair that charges', { rule: 'free', partsFen: 100, feeFen: 0, totalFen: 100 }],
    ['a parts-only charge with a fee', { rule: 'parts-only', partsFen: 26_000, feeFen: 100, totalFen: 26_100 }],
    ['a parts cost that does not match the parts', { rule: 'parts-only', partsFen: 9, feeFen: 0, totalFen: 9 }],
    ['fractional fen', { rule: 'parts-and-fee', partsFen: 26_000, feeFen: 0.5, totalFen: 26_000.5 }],
  ])('refuses a Repair Report with %s', (_name, charges) => {
    const { ticket, now } = ticketIn('received');
    const r = applyTransition(
      ticket,
      { to: 'diagnosed', reason: 'report', payload: { report: { ...CHARGED_REPORT, charges } } },
      ctx(now, 'technician'),
    );
    expect(r).toMatchObject({ ok: false, error: { code: 'RMA_PAYLOAD_INVALID' } });
  });

  it("needs the damage degree for a maintenance fee, and takes the warranty module's explanation", () => {
    const { ticket, now } = ticketIn('received');
    const { damageDegree: _omitted, ...noDegree } = CHARGED_REPORT;
    const r = applyTransition(ticket, { to: 'diagnosed', reason: 'report', payload: { report: noDegree } }, ctx(now, 'technician'));
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'RMA_PAYLOAD_INVALID', details: { issues: [{ path: ['payload', 'report', 'damageDegree'] }] } },
    });
    const explained = { ...CHARGED_REPORT, charges: { ...CHARGED_REPORT.charges, explanation: 'Out of warranty: parts plus the moderate fee.' } };
    const ok = must(applyTransition(ticket, { to: 'diagnosed', reason: 'report', payload: { report: explained } }, ctx(now, 'technician')));
    expect(ok.ticket.repairReport?.charges.explanation).toBe('Out of warranty: parts plus the moderate fee.');
    const free = must(
      applyTransition(
        ticket,
        { to: 'diagnosed', reason: 'report', payload: { report: { ...FREE_REPORT, damageDegree: undefined } } },
        ctx(now, 'technician'),
      ),
    );
    expect(free.ticket.repairReport?.damageDegree).toBeNull();
  });

  it('refuses an exclusion on a confirmation that says in scope', () => {
    const { ticket, now } = ticketIn('registered');
    const payload = { warranty: { inWarranty: true, inScope: true, exclusions: ['unauthorised-modification'] } };
    const r = applyTransition(ticket, { to: 'warranty-confirmed', reason: 'call', payload }, ctx(now, 'after-sales'));
    expect(r).toMatchObject({ ok: false, error: { code: 'RMA_PAYLOAD_INVALID' } });
  });
});

describe('the free path', () => {
  it('repairs at once, and sends the Repair Report with the product', () => {
    let { ticket, now } = ticketIn('diagnosed', { report: 'free' });
    const refused = applyTransition(ticket, { to: 'awaiting-decision', reason: 'send report' }, ctx(now, 'after-sales'));
    expect(refused).toMatchObject({ ok: false, error: { code: 'RMA_WRONG_CHARGE_PATH', details: { rule: 'free', expected: 'repairing' } } });

    for (const [to, role, payload] of [
      ['repairing', 'technician', {}],
      ['repaired', 'technician', {}],
      ['tested', 'technician', { testResults: 'burn-in passed' }],
    ] as const) {
      now += 3_600_000;
      ticket = must(applyTransition(ticket, { to, reason: to, payload }, ctx(now, role))).ticket;
    }
    expect(ticket.repairReport?.sentAt).toBeNull();
    expect(ticket.deadlines.some((d) => d.kind === 'decision' || d.kind === 'payment')).toBe(false);
    ticket = must(recordParameterRestore(ticket, { outcome: 'verified', backupId: 7, mismatches: 0 }, ctx(now, 'technician'))).ticket;
    now += 3_600_000;
    const shipped = must(
      applyTransition(
        ticket,
        { to: 'shipped-back', reason: 'out', payload: { carrier: 'SF Express', trackingNumber: 'SF9' } },
        ctx(now, 'after-sales'),
      ),
    );
    expect(shipped.ticket.repairReport?.sentAt).toBe(now);
    expect(shipped.ticket.outbound).toEqual({ carrier: 'SF Express', trackingNumber: 'SF9', shippedAt: now, repaired: true });
    expect(shipped.effects).toContainEqual({
      kind: 'notify',
      audience: 'customer',
      topic: 'shipped-back',
      ticketId: 'RMA-1',
      details: { carrier: 'SF Express', trackingNumber: 'SF9', repaired: true },
    });
  });
});

describe('the charged path', () => {
  it('cannot start repairing before the customer decides', () => {
    const { ticket, now } = ticketIn('diagnosed', { report: 'charged' });
    const r = applyTransition(ticket, { to: 'repairing', reason: 'go' }, ctx(now, 'technician'));
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'RMA_WRONG_CHARGE_PATH', details: { rule: 'parts-and-fee', expected: 'awaiting-decision' } },
    });
  });

  it('sends the report, pauses the repair cycle and starts the decision and payment deadlines', () => {
    const { ticket, now } = ticketIn('diagnosed', { report: 'charged' });
    const r = must(applyTransition(ticket, { to: 'awaiting-decision', reason: 'report sent' }, ctx(now, 'after-sales')));
    expect(r.ticket.repairReport?.sentAt).toBe(now);
    expect(r.ticket.repairClock).toMatchObject({ runningSince: null, pausedAt: now });
    expect(kinds(r.effects)).toEqual(['audit', 'cancel-deadline', 'schedule', 'schedule', 'notify', 'live']);
    expect(r.effects[1]).toEqual({ kind: 'cancel-deadline', deadlineKind: 'repair-cycle' });
    expect(r.effects[4]).toMatchObject({ audience: 'customer', topic: 'repair-report', details: { charges: CHARGED_REPORT.charges } });
  });

  it('starts the repair only after a remittance covering the total', () => {
    const { ticket, now } = ticketIn('awaiting-payment');
    const short = applyTransition(
      ticket,
      { to: 'repairing', reason: 'paid', payload: { payment: { amountFen: 40_999, reference: 'X1' } } },
      ctx(now, 'after-sales'),
    );
    expect(short).toEqual({
      ok: false,
      error: { code: 'RMA_PAYMENT_INSUFFICIENT', details: { from: 'awaiting-payment', to: 'repairing', requiredFen: 41_000, paidFen: 40_999 } },
    });
    const missing = applyTransition(ticket, { to: 'repairing', reason: 'paid' }, ctx(now, 'after-sales'));
    expect(missing).toMatchObject({ ok: false, error: { code: 'RMA_PAYLOAD_INVALID' } });

    const paid = must(
      applyTransition(
        ticket,
        { to: 'repairing', reason: 'paid', payload: { payment: { amountFen: 41_000, reference: 'X1' } } },
        ctx(now, 'after-sales', 'amy'),
      ),
    );
    expect(paid.ticket.payment).toEqual({ amountFen: 41_000, reference: 'X1', recordedBy: 'amy', recordedAt: now });
    expect(paid.effects).toContainEqual({ kind: 'cancel-deadline', deadlineKind: 'payment' });
    expect(paid.effects).toContainEqual({ kind: 'notify', audience: 'technician', topic: 'start-repair', ticketId: 'RMA-1', details: {} });
  });

  it('records the customer accepting or declining', () => {
    const { ticket, now } = ticketIn('awaiting-decision');
    const accepted = must(applyTransition(ticket, { to: 'awaiting-payment', reason: 'ok by phone' }, ctx(now, 'after-sales', 'amy')));
    expect(accepted.ticket.customerDecision).toEqual({ decision: 'accepted', recordedBy: 'amy', recordedAt: now });
    expect(accepted.effects).toContainEqual({ kind: 'cancel-deadline', deadlineKind: 'decision' });
    const declined = must(applyTransition(ticket, { to: 'returned-unrepaired', reason: 'too dear' }, ctx(now, 'after-sales', 'amy')));
    expect(declined.ticket.customerDecision?.decision).toBe('declined');
    expect(kinds(declined.effects).filter((k) => k === 'cancel-deadline')).toHaveLength(2);
  });

  it('ships an unrepaired box back and closes', () => {
    let { ticket, now } = ticketIn('returned-unrepaired');
    ticket = must(
      applyTransition(ticket, { to: 'shipped-back', reason: 'out', payload: { carrier: 'EMS', trackingNumber: 'E1' } }, ctx(now, 'after-sales')),
    ).ticket;
    expect(ticket.outbound?.repaired).toBe(false);
    ticket = must(
      applyTransition(ticket, { to: 'closed', reason: 'received', payload: { closure: 'customer-confirmed' } }, ctx(now + DAY, 'after-sales')),
    ).ticket;
    expect(ticket.closure).toEqual({ kind: 'customer-confirmed', closedAt: now + DAY });
  });
});

describe('first response', () => {
  it('is met by the first step a person takes', () => {
    const ticket = openAt();
    const at = OPENED_AT + 3_600_000;
    const r = must(
      applyTransition(
        ticket,
        { to: 'warranty-confirmed', reason: 'called back', payload: VALID_PAYLOADS['registered->warranty-confirmed'] },
        ctx(at, 'after-sales'),
      ),
    );
    expect(r.ticket.firstResponseAt).toBe(at);
    expect(r.effects).toContainEqual({ kind: 'cancel-deadline', deadlineKind: 'first-response' });
    expect(r.ticket.deadlines.find((d) => d.kind === 'first-response')?.cancelledAt).toBe(at);
  });
});

describe('warranty confirmation', () => {
  it('recommends transport insurance and may set a customised repair cycle', () => {
    const ticket = openAt();
    const payload = {
      warranty: { inWarranty: false, inScope: false, exclusions: ['water-ingress'] },
      customised: true,
      repairCycleDays: 10,
      businessLine: 'smart-logistics',
    };
    const r = must(applyTransition(ticket, { to: 'warranty-confirmed', reason: 'call', payload }, ctx(OPENED_AT, 'after-sales', 'amy')));
    expect(r.ticket).toMatchObject({ customised: true, repairCycleDays: 10, businessLine: 'smart-logistics' });
    expect(r.ticket.warranty).toMatchObject({ inWarranty: false, exclusions: ['water-ingress'], confirmedBy: 'amy' });
    expect(r.effects).toContainEqual(
      expect.objectContaining({
        kind: 'notify',
        topic: 'warranty-confirmed',
        details: expect.objectContaining({ transportInsuranceRecommended: true }),
      }),
    );
  });

  it('gives the repair centre address with the shipping instructions', () => {
    const { ticket, now } = ticketIn('warranty-confirmed');
    const r = must(applyTransition(ticket, { to: 'awaiting-product', reason: 'instructions' }, ctx(now, 'after-sales')));
    expect(r.effects).toContainEqual(
      expect.objectContaining({
        topic: 'shipping-instructions',
        details: expect.objectContaining({ backUpParameters: true, shipTo: expect.objectContaining({ postalCode: '214000' }) }),
      }),
    );
  });
});

describe('closing', () => {
  it('waits for the feedback week before closing without the customer', () => {
    const { ticket, now } = ticketIn('shipped-back');
    const early = applyTransition(
      ticket,
      { to: 'closed', reason: 'quiet', payload: { closure: 'feedback-period-over' } },
      ctx(now + 6 * DAY, 'after-sales'),
    );
    expect(early).toMatchObject({ ok: false, error: { code: 'RMA_FEEDBACK_PERIOD_OPEN', details: { feedbackDueAt: now + 7 * DAY } } });
    const late = must(
      applyTransition(ticket, { to: 'closed', reason: 'quiet', payload: { closure: 'feedback-period-over' } }, ctx(now + 7 * DAY, 'after-sales')),
    );
    expect(late.ticket.closure?.kind).toBe('feedback-period-over');
  });

  it('cancels a ticket solved remotely', () => {
    const { ticket, now } = ticketIn('awaiting-product');
    const r = must(
      applyTransition(ticket, { to: 'cancelled', reason: 'APN fixed remotely', payload: { resolution: 'solved-remotely' } }, ctx(now, 'engineer')),
    );
    expect(r.ticket.cancellation).toEqual({ resolution: 'solved-remotely', cancelledAt: now });
  });
});

describe('a failed final test', () => {
  it('sends the box back to the bench and counts the test days against the cycle', () => {
    // Received Thursday 4 September; repaired Monday 8th (2 days used); test fails Tuesday 9th.
    let { ticket } = ticketIn('received', { start: chinaTime('2025-09-04', 9) });
    const step = (to: string, at: number, role: 'technician', payload: object = {}) => {
      ticket = must(applyTransition(ticket, { to: to as never, reason: to, payload }, ctx(at, role))).ticket;
    };
    step('diagnosed', chinaTime('2025-09-05', 10), 'technician', { report: FREE_REPORT });
    step('repairing', chinaTime('2025-09-05', 11), 'technician');
    step('repaired', chinaTime('2025-09-08', 15), 'technician');
    expect(ticket.repairClock).toMatchObject({ workingDaysUsed: 2, runningSince: null });
    step('repairing', chinaTime('2025-09-09', 10), 'technician', { testResults: 'reboots under load' });
    expect(ticket.repairClock).toMatchObject({ workingDaysUsed: 3, runningSince: '2025-09-09' });
    expect(ticket.finalTest).toMatchObject({ passed: false, results: 'reboots under load' });
    expect(ticket.deadlines.filter((d) => d.kind === 'repair-cycle').at(-1)).toMatchObject({ dueDate: '2025-09-11', cancelledAt: null });
  });
});

describe('parameter restore before the return', () => {
  it('holds a repaired box until its parameters are restored and verified', () => {
    const { ticket, now } = ticketIn('tested', { restore: false });
    const ship = (t: typeof ticket) =>
      applyTransition(t, { to: 'shipped-back', reason: 'out', payload: { carrier: 'SF', trackingNumber: 'SF1' } }, ctx(now, 'after-sales'));
    expect(ship(ticket)).toMatchObject({ ok: false, error: { code: 'RMA_RESTORE_PENDING' } });
    const failed = must(recordParameterRestore(ticket, { outcome: 'failed', backupId: 3, mismatches: 2 }, ctx(now, 'technician')));
    expect(ship(failed.ticket)).toMatchObject({
      ok: false,
      error: { code: 'RMA_RESTORE_PENDING', details: { parameterRestore: { outcome: 'failed', mismatches: 2 } } },
    });
    const verified = must(recordParameterRestore(failed.ticket, { outcome: 'verified', backupId: 3, mismatches: 0 }, ctx(now, 'technician')));
    expect(verified.effects[0]).toMatchObject({
      kind: 'audit',
      entry: {
        actor: 'technician-1',
        from: 'tested',
        to: 'tested',
        reason: 'parameters restored from backup #3 and verified',
        action: 'parameter-restore',
      },
    });
    expect(ship(verified.ticket).ok).toBe(true);
  });

  it('lets a technician waive the restore with a reason, and only with one', () => {
    const { ticket, now } = ticketIn('repaired', { restore: false });
    expect(recordParameterRestore(ticket, { outcome: 'waived', reason: ' ' }, ctx(now, 'technician'))).toMatchObject({
      ok: false,
      error: { code: 'RMA_PAYLOAD_INVALID' },
    });
    const waived = must(
      recordParameterRestore(ticket, { outcome: 'waived', reason: 'no backup: the box never came online' }, ctx(now, 'technician')),
    );
    expect(waived.ticket.parameterRestore).toMatchObject({ outcome: 'waived', by: 'technician-1', at: now });
  });

  it('is recorded only on a repaired box and only by a technician or admin', () => {
    const { ticket, now } = ticketIn('received');
    expect(recordParameterRestore(ticket, { outcome: 'waived', reason: 'x' }, ctx(now, 'technician'))).toMatchObject({
      ok: false,
      error: { code: 'RMA_RESTORE_NOT_NOW' },
    });
    const repaired = ticketIn('repaired', { restore: false });
    expect(recordParameterRestore(repaired.ticket, { outcome: 'waived', reason: 'x' }, ctx(repaired.now, 'after-sales'))).toMatchObject({
      ok: false,
      error: { code: 'RMA_FORBIDDEN' },
    });
  });

  it('does not hold back a box returned unrepaired', () => {
    const { ticket, now } = ticketIn('returned-unrepaired');
    expect(
      applyTransition(ticket, { to: 'shipped-back', reason: 'out', payload: { carrier: 'SF', trackingNumber: 'SF2' } }, ctx(now, 'after-sales')).ok,
    ).toBe(true);
  });
});
