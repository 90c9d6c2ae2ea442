import { describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../../calendar/domain/working-calendar.ts';
import { chinaCalendarData } from '../test-support/rma-calendar.ts';
import { DECISION_RULE, dueDeadlines, fireDeadline, PAYMENT_RULE } from './rma-deadlines.ts';
import type { DeadlineKind, RmaTicket } from './rma-ticket.ts';
import { applyTransition, openTicket } from './rma-transitions.ts';
import { calendar, CHARGED_REPORT, chinaTime, ctx, DAY, must, openAt, ticketIn, VALID_PAYLOADS } from '../test-support/rma-test-kit.ts';

const rules = (now: number) => ({ now, calendar });
const running = (t: RmaTicket, kind: DeadlineKind) => t.deadlines.find((d) => d.kind === kind && d.firedAt === null && d.cancelledAt === null);

/** Drives a ticket through the steps given as [to, local date, hour, role, payload?]. */
function drive(ticket: RmaTicket, steps: [string, string, number, string, object?][]): RmaTicket {
  let t = ticket;
  for (const [to, date, hour, role, payload] of steps) {
    t = must(applyTransition(t, { to: to as never, reason: to, payload: payload ?? {} }, ctx(chinaTime(date, hour), role as never))).ticket;
  }
  return t;
}

describe('first response', () => {
  it('is due 4 business hours after opening, across the National Day holiday', () => {
    // Tuesday 30 September 16:00: two hours that day, then the holiday until Thursday 9 October.
    const ticket = openAt(chinaTime('2025-09-30', 16));
    expect(running(ticket, 'first-response')).toEqual({
      kind: 'first-response',
      scheduledAt: chinaTime('2025-09-30', 16),
      dueDate: '2025-10-09',
      dueAt: chinaTime('2025-10-09', 11),
      unofficialYears: [],
      firedAt: null,
      cancelledAt: null,
    });
  });

  it("is due after the configured FIRST_RESPONSE_HOURS (our policy, not the seed's) when a deployment sets its own", () => {
    // Tuesday 30 September 16:00 with 10 business hours: two that day, then from Thursday 9 October 9:00.
    const ticket = must(
      openTicket(
        { id: 'RMA-1', serial: 'MTB2411000123' },
        { now: chinaTime('2025-09-30', 16), calendar, firstResponseHours: 10, actor: { username: 'amy', role: 'after-sales' } },
      ),
    ).ticket;
    expect(running(ticket, 'first-response')).toMatchObject({ dueDate: '2025-10-09', dueAt: chinaTime('2025-10-09', 17) });
  });

  it('counts a make-up Sunday as a working day', () => {
    const ticket = openAt(chinaTime('2025-09-26', 17));
    expect(running(ticket, 'first-response')?.dueAt).toBe(chinaTime('2025-09-28', 12));
  });

  it('reminds after-sales when it passes, once', () => {
    const ticket = openAt(chinaTime('2025-09-30', 16));
    const due = chinaTime('2025-10-09', 11);
    expect(fireDeadline(ticket, 'first-response', rules(due - 1))).toMatchObject({ ok: false, error: { code: 'RMA_DEADLINE_NOT_DUE' } });
    const fired = must(fireDeadline(ticket, 'first-response', rules(due)));
    expect(fired.effects).toEqual([
      {
        kind: 'notify',
        audience: 'after-sales',
        topic: 'first-response-overdue',
        ticketId: 'RMA-1',
        details: { openedAt: chinaTime('2025-09-30', 16), dueAt: due },
      },
    ]);
    expect(fired.ticket.deadlines[0]?.firedAt).toBe(due);
    const again = must(fireDeadline(fired.ticket, 'first-response', rules(due + 1000)));
    expect(again.effects).toEqual([]);
    expect(again.ticket).toEqual(fired.ticket);
  });

  it('fires as a no-op once a person has answered', () => {
    const ticket = openAt(chinaTime('2025-09-30', 16));
    const answered = must(
      applyTransition(
        ticket,
        { to: 'warranty-confirmed', reason: 'call', payload: VALID_PAYLOADS['registered->warranty-confirmed'] },
        ctx(chinaTime('2025-09-30', 17), 'after-sales'),
      ),
    ).ticket;
    const r = must(fireDeadline(answered, 'first-response', rules(chinaTime('2025-10-09', 11))));
    expect(r.effects).toEqual([]);
    expect(r.ticket).toEqual(answered);
  });
});

describe('repair cycle', () => {
  it('is due 5 working days after receipt, across the holiday with its make-up day', () => {
    // Received Thursday 25 September: Fri 26, Sun 28 (make-up), Mon 29, Tue 30, Thu 9 Oct.
    const { ticket } = ticketIn('received', { start: chinaTime('2025-09-25', 9) });
    expect(running(ticket, 'repair-cycle')).toMatchObject({ dueDate: '2025-10-09', dueAt: chinaTime('2025-10-10', 0), unofficialYears: [] });
    expect(dueDeadlines(ticket, chinaTime('2025-10-10', 0) - 1)).toEqual([]);
    expect(dueDeadlines(ticket, chinaTime('2025-10-10', 0))).toEqual(['repair-cycle']);
  });

  it('requires standby equipment when it runs out', () => {
    const { ticket } = ticketIn('received', { start: chinaTime('2025-09-25', 9) });
    const at = chinaTime('2025-10-10', 0);
    const r = must(fireDeadline(ticket, 'repair-cycle', rules(at)));
    expect(r.ticket.standby).toMatchObject({ state: 'required', requiredAt: at });
    expect(r.effects.map((e) => e.kind)).toEqual(['audit', 'live', 'standby-required']);
    expect(r.effects[0]).toMatchObject({ entry: { actor: 'system', role: 'system', standby: { from: 'none', to: 'required' } } });
    expect(must(fireDeadline(r.ticket, 'repair-cycle', rules(at + 1))).effects).toEqual([]);
  });

  it('stands still while the fees are collected and resumes with the days left', () => {
    // Received Thursday 4 September; report sent Monday 8th: Fri + Mon = 2 days used.
    // Six working days of fee collection (Tue 9 – Tue 16), then 3 days left: due Friday 19th.
    const start = ticketIn('received', { start: chinaTime('2025-09-04', 9) }).ticket;
    const waiting = drive(start, [
      ['diagnosed', '2025-09-05', 10, 'technician', { report: CHARGED_REPORT }],
      ['awaiting-decision', '2025-09-08', 16, 'after-sales'],
    ]);
    expect(waiting.repairClock).toMatchObject({ workingDaysUsed: 2, runningSince: null, pausedAt: chinaTime('2025-09-08', 16) });
    expect(running(waiting, 'repair-cycle')).toBeUndefined();

    const resumed = drive(waiting, [
      ['awaiting-payment', '2025-09-10', 10, 'after-sales'],
      ['repairing', '2025-09-16', 10, 'after-sales', VALID_PAYLOADS['awaiting-payment->repairing'] as object],
    ]);
    expect(resumed.repairClock).toMatchObject({ workingDaysUsed: 2, runningSince: '2025-09-16', pausedAt: null });
    expect(running(resumed, 'repair-cycle')).toMatchObject({ dueDate: '2025-09-19', dueAt: chinaTime('2025-09-20', 0) });
  });

  it('resumes across the holiday and its make-up day', () => {
    // Received Thu 18 Sep, report Mon 22 (2 used); paid Mon 29 after Tue 23 – Mon 29 (6 days,
    // Sunday 28 worked). Three left: Tue 30, Thu 9 Oct, Fri 10 Oct.
    const start = ticketIn('received', { start: chinaTime('2025-09-18', 9) }).ticket;
    const resumed = drive(start, [
      ['diagnosed', '2025-09-19', 10, 'technician', { report: CHARGED_REPORT }],
      ['awaiting-decision', '2025-09-22', 9, 'after-sales'],
      ['awaiting-payment', '2025-09-23', 10, 'after-sales'],
      ['repairing', '2025-09-29', 17, 'after-sales', VALID_PAYLOADS['awaiting-payment->repairing'] as object],
    ]);
    expect(running(resumed, 'repair-cycle')).toMatchObject({ dueDate: '2025-10-10', scheduledAt: chinaTime('2025-09-29', 17) });
  });

  it('requires standby at once when no days are left on resuming', () => {
    // Report sent on the 6th working day after receipt: the cycle is already spent.
    const start = ticketIn('received', { start: chinaTime('2025-09-04', 9) }).ticket;
    const waiting = drive(start, [
      ['diagnosed', '2025-09-11', 10, 'technician', { report: CHARGED_REPORT }],
      ['awaiting-decision', '2025-09-12', 10, 'after-sales'],
      ['awaiting-payment', '2025-09-15', 10, 'after-sales'],
    ]);
    const r = must(
      applyTransition(
        waiting,
        { to: 'repairing', reason: 'paid', payload: VALID_PAYLOADS['awaiting-payment->repairing'] },
        ctx(chinaTime('2025-09-16', 10), 'after-sales'),
      ),
    );
    expect(r.ticket.standby.state).toBe('required');
    expect(r.effects).toContainEqual({ kind: 'standby-required', ticketId: 'RMA-1', reason: expect.stringContaining('5-working-day') });
    expect(running(r.ticket, 'repair-cycle')).toBeUndefined();
  });

  it('is cancelled when the repair is done', () => {
    const { ticket, now } = ticketIn('repairing');
    const r = must(applyTransition(ticket, { to: 'repaired', reason: 'done' }, ctx(now, 'technician')));
    expect(r.effects).toContainEqual({ kind: 'cancel-deadline', deadlineKind: 'repair-cycle' });
    expect(must(fireDeadline(r.ticket, 'repair-cycle', rules(now + 30 * DAY))).effects).toEqual([]);
  });
});

describe('decision and payment', () => {
  const sendReport = (date: string, hour = 10) => {
    const { ticket } = ticketIn('diagnosed', { report: 'charged', start: chinaTime(date, 8) });
    return must(applyTransition(ticket, { to: 'awaiting-decision', reason: 'sent' }, ctx(chinaTime(date, hour), 'after-sales'))).ticket;
  };

  it('postpones to the next maintenance cycle 5 working days after the report', () => {
    // Sent Tuesday 30 Sep: Thu 9, Fri 10, Sat 11 (make-up), Mon 13, Tue 14 October.
    const ticket = sendReport('2025-09-30');
    const due = chinaTime('2025-10-15', 0);
    expect(running(ticket, 'decision')).toMatchObject({ dueDate: '2025-10-14', dueAt: due });
    expect(fireDeadline(ticket, 'decision', rules(due - 1))).toMatchObject({
      ok: false,
      error: { code: 'RMA_DEADLINE_NOT_DUE', details: { dueDate: '2025-10-14' } },
    });

    const r = must(fireDeadline(ticket, 'decision', rules(due)));
    expect(r.ticket.state).toBe('postponed');
    expect(r.effects[0]).toEqual({
      kind: 'audit',
      entry: { at: due, actor: 'system', role: 'system', from: 'awaiting-decision', to: 'postponed', reason: DECISION_RULE },
    });
    expect(r.ticket.firstResponseAt).not.toBeNull(); // a person answered long before
    expect(r.ticket.deadlines.find((d) => d.kind === 'decision')?.firedAt).toBe(due);
    expect(running(r.ticket, 'payment')).toBeDefined();
    expect(r.effects.some((e) => e.kind === 'cancel-deadline')).toBe(false);

    const again = must(fireDeadline(r.ticket, 'decision', rules(due + 1)));
    expect(again).toEqual({ ok: true, ticket: r.ticket, effects: [] });
  });

  it('returns the product unrepaired 30 working days after the report', () => {
    // Sent Tuesday 2 Sep; with 1–8 Oct off and 28 Sep, 11 Oct worked, day 30 is Monday 20 Oct.
    const ticket = sendReport('2025-09-02');
    expect(running(ticket, 'payment')).toMatchObject({ dueDate: '2025-10-20' });
    const postponed = must(fireDeadline(ticket, 'decision', rules(chinaTime('2025-09-10', 0)))).ticket;
    const r = must(fireDeadline(postponed, 'payment', rules(chinaTime('2025-10-21', 0))));
    expect(r.ticket.state).toBe('returned-unrepaired');
    expect(r.ticket.customerDecision).toBeNull();
    expect(r.effects[0]).toMatchObject({ entry: { actor: 'system', from: 'postponed', to: 'returned-unrepaired', reason: PAYMENT_RULE } });
    expect(r.effects).toContainEqual({
      kind: 'notify',
      audience: 'customer',
      topic: 'returned-unrepaired',
      ticketId: 'RMA-1',
      details: { cause: 'payment-overdue' },
    });
  });

  it('also returns a product the customer accepted but never paid for', () => {
    const waiting = must(
      applyTransition(sendReport('2025-09-02'), { to: 'awaiting-payment', reason: 'yes' }, ctx(chinaTime('2025-09-03', 9), 'after-sales')),
    ).ticket;
    expect(must(fireDeadline(waiting, 'decision', rules(chinaTime('2025-10-21', 0)))).effects).toEqual([]);
    const r = must(fireDeadline(waiting, 'payment', rules(chinaTime('2025-10-21', 0))));
    expect(r.ticket.state).toBe('returned-unrepaired');
  });

  it('does nothing once the remittance has been recorded', () => {
    const { ticket, now } = ticketIn('repairing');
    expect(must(fireDeadline(ticket, 'payment', rules(now + 90 * DAY)))).toEqual({ ok: true, ticket, effects: [] });
  });

  it('flags a due date computed into a year without official holidays', () => {
    // Sent Monday 29 December 2025: the test calendar has official data for 2025 only.
    const ticket = sendReport('2025-12-29');
    expect(running(ticket, 'decision')).toMatchObject({ dueDate: '2026-01-05', unofficialYears: [2026] });
    expect(running(ticket, 'payment')?.unofficialYears).toEqual([2026]);
  });
});

describe('feedback', () => {
  it('reminds after-sales a week after shipping back, unless closed first', () => {
    const { ticket, now } = ticketIn('shipped-back');
    expect(running(ticket, 'feedback')).toMatchObject({ scheduledAt: now, dueAt: now + 7 * DAY, unofficialYears: [] });
    const r = must(fireDeadline(ticket, 'feedback', rules(now + 7 * DAY)));
    expect(r.ticket.state).toBe('shipped-back');
    expect(r.effects).toEqual([
      {
        kind: 'notify',
        audience: 'after-sales',
        topic: 'feedback-follow-up',
        ticketId: 'RMA-1',
        details: { carrier: 'SF Express', trackingNumber: 'SF1234567890', shippedAt: now },
      },
    ]);

    const closed = must(
      applyTransition(ticket, { to: 'closed', reason: 'got it', payload: { closure: 'customer-confirmed' } }, ctx(now + DAY, 'after-sales')),
    );
    expect(closed.effects).toContainEqual({ kind: 'cancel-deadline', deadlineKind: 'feedback' });
    expect(must(fireDeadline(closed.ticket, 'feedback', rules(now + 7 * DAY))).effects).toEqual([]);
  });
});

describe('firing', () => {
  it('refuses a kind the ticket never had', () => {
    expect(fireDeadline(openAt(), 'feedback', rules(Date.UTC(2030, 0, 1)))).toEqual({
      ok: false,
      error: { code: 'RMA_DEADLINE_NOT_FOUND', details: { kind: 'feedback', state: 'registered' } },
    });
  });

  it('lists only running deadlines that are due', () => {
    const { ticket } = ticketIn('awaiting-decision', { start: chinaTime('2025-09-01', 9) });
    expect(dueDeadlines(ticket, chinaTime('2025-09-08', 0))).toEqual([]);
    expect(dueDeadlines(ticket, chinaTime('2025-09-09', 0))).toEqual(['decision']);
    expect(dueDeadlines(ticket, chinaTime('2025-12-31', 0)).sort()).toEqual(['decision', 'payment']);
  });

  it('counts with whatever calendar it is given', () => {
    const allWorking = createWorkingCalendar(
      chinaCalendarData({ 2025: { source: 'a week without a weekend', holidays: [], workdays: ['2025-09-06', '2025-09-07'] } }),
    );
    const { ticket } = ticketIn('diagnosed', { report: 'charged', start: chinaTime('2025-09-05', 8) });
    const sent = must(
      applyTransition(
        ticket,
        { to: 'awaiting-decision', reason: 'sent' },
        { now: chinaTime('2025-09-05', 10), calendar: allWorking, actor: { username: 'amy', role: 'after-sales' } },
      ),
    ).ticket;
    expect(running(sent, 'decision')?.dueDate).toBe('2025-09-10');
  });
});

describe('a postponed ticket taken up again', () => {
  it('gives the customer a fresh five working days to decide, and postpones again when they pass', () => {
    const { ticket, now } = ticketIn('postponed');
    const back = must(applyTransition(ticket, { to: 'awaiting-decision', reason: 'customer called back' }, ctx(now, 'after-sales')));
    const decision = back.ticket.deadlines.filter((d) => d.kind === 'decision').at(-1)!;
    expect(decision.dueDate).toBe(calendar.addWorkingDays(calendar.localDate(now), 5).date);
    expect(back.effects).toContainEqual({ kind: 'schedule', deadline: decision });
    const fired = must(fireDeadline(back.ticket, 'decision', { now: decision.dueAt, calendar }));
    expect(fired.ticket.state).toBe('postponed');
  });
});
