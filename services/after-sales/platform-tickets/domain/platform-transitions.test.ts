import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../../kernel/roles.ts';
import type { PlatformResult } from './platform-effects.ts';
import { MAINTENANCE_PERIOD_CLAUSE } from './maintenance-period.ts';
import { MAINTENANCE_SERVICES, PLATFORM_EXCLUSIONS, PLATFORM_STATES, PlatformTicket, type PlatformState } from './platform-ticket.ts';
import { PLATFORM_TRANSITIONS, type PlatformEdgeKey } from './platform-transition-table.ts';
import { applyPlatformTransition, duePlatformDeadlines, firePlatformDeadline, submitTicket } from './platform-transitions.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2025, 8, 1, 2); // Monday 1 September 2025, 10:00 in China

const FORM = {
  project: 'Wuxi smart water',
  reporter: 'Li Wei',
  contact: '0510-12345678',
  description: 'Dashboard shows no data since 08:00; nginx returns 502',
  severity: 'high',
  occurredAt: T0 - HOUR,
};

function must(r: PlatformResult): Extract<PlatformResult, { ok: true }> {
  if (!r.ok) throw new Error(`expected success, got ${JSON.stringify(r.error)}`);
  return r;
}
const ctx = (now: number, role: Role = 'admin', username = `${role}-1`) => ({ now, actor: { username, role } });
const keyOf = (e: { from: string; to: string }) => `${e.from}->${e.to}` as PlatformEdgeKey;

/**
 * Every legal move and who may make it, written out from the seed's "Project maintenance"
 * rather than read from the production table, so a new move or role there fails a test.
 */
const LEGAL_MOVES: readonly [PlatformState, PlatformState, readonly Role[]][] = [
  ['submitted', 'confirmed', ['admin', 'after-sales']],
  ['submitted', 'out-of-scope', ['admin', 'after-sales']],
  ['confirmed', 'repairing', ['admin', 'after-sales', 'engineer']],
  ['repairing', 'resolved', ['admin', 'after-sales', 'engineer']],
  ['resolved', 'repairing', ['admin', 'after-sales', 'engineer', 'customer']],
  ['resolved', 'closed', ['admin', 'after-sales', 'customer']],
  ['out-of-scope', 'closed', ['admin', 'after-sales']],
];
const MOVES = LEGAL_MOVES.map(([from, to, roles]) => ({ from, to, roles }));
/** Where each state may go next, in the order the API lists them. */
const NEXT: Record<PlatformState, PlatformState[]> = {
  submitted: ['confirmed', 'out-of-scope'],
  confirmed: ['repairing'],
  'out-of-scope': ['closed'],
  repairing: ['resolved'],
  resolved: ['repairing', 'closed'],
  closed: [],
};

const VALID_PAYLOADS: Record<PlatformEdgeKey, (now: number) => unknown> = {
  'submitted->confirmed': () => ({ maintenancePeriodEndsOn: '2026-06-30' }),
  'submitted->out-of-scope': () => ({ basis: { kind: 'exclusion', exclusion: 'network-maintenance' } }),
  'confirmed->repairing': (now) => ({ solution: 'restart php-fpm, raise pool size', agreedBy: now + 4 * HOUR }),
  'repairing->resolved': () => ({ summary: 'pool size raised; data flowing' }),
  'resolved->repairing': (now) => ({ customerReport: 'still 502 at peak', agreedBy: now + 8 * HOUR }),
  'resolved->closed': () => ({}),
  'out-of-scope->closed': () => ({}),
};

const PREVIOUS: Record<Exclude<PlatformState, 'submitted'>, PlatformState> = {
  confirmed: 'submitted',
  'out-of-scope': 'submitted',
  repairing: 'confirmed',
  resolved: 'repairing',
  closed: 'resolved',
};
const pathTo = (s: PlatformState): PlatformState[] => (s === 'submitted' ? [s] : [...pathTo(PREVIOUS[s]), s]);
const roleFor = (from: PlatformState, to: PlatformState): Role => {
  const roles = MOVES.find((e) => e.from === from && e.to === to)?.roles ?? [];
  return roles.find((r) => r !== 'admin') ?? 'admin';
};

function ticketIn(state: PlatformState): { ticket: PlatformTicket; now: number } {
  let ticket = must(submitTicket({ id: 'PT-1', form: FORM }, { now: T0, actor: 'pms' })).ticket;
  let now = T0;
  const path = pathTo(state);
  for (let i = 1; i < path.length; i += 1) {
    const from = path[i - 1] as PlatformState;
    const to = path[i] as PlatformState;
    now += HOUR;
    ticket = must(
      applyPlatformTransition(ticket, { to, reason: 'fixture', payload: VALID_PAYLOADS[keyOf({ from, to })](now) }, ctx(now, roleFor(from, to))),
    ).ticket;
  }
  return { ticket, now };
}

describe('submitting a BUG Feedback Form', () => {
  it('opens a ticket from the PMS', () => {
    const r = must(submitTicket({ id: 'PT-1', form: FORM }, { now: T0, actor: 'pms' }));
    expect(r.ticket).toMatchObject({ state: 'submitted', submittedBy: 'pms', form: FORM, deadlines: [] });
    expect(r.effects).toEqual([
      { kind: 'audit', entry: { at: T0, actor: 'pms', role: 'pms', from: null, to: 'submitted', reason: 'BUG Feedback Form submitted' } },
      { kind: 'live', event: { type: 'platform-ticket.submitted', ticketId: 'PT-1', project: FORM.project, severity: 'high', at: T0 } },
    ]);
  });

  it('refuses incomplete forms, future occurrences and technicians', () => {
    const { contact: _omitted, ...noContact } = FORM;
    expect(submitTicket({ id: 'PT-1', form: noContact }, { now: T0, actor: 'pms' })).toMatchObject({
      ok: false,
      error: { code: 'PLATFORM_TICKET_PAYLOAD_INVALID' },
    });
    expect(submitTicket({ id: 'PT-1', form: { ...FORM, severity: 'urgent' } }, { now: T0, actor: 'pms' })).toMatchObject({
      ok: false,
      error: { code: 'PLATFORM_TICKET_PAYLOAD_INVALID' },
    });
    expect(submitTicket({ id: 'PT-1', form: { ...FORM, occurredAt: T0 + 1 } }, { now: T0, actor: 'pms' })).toMatchObject({
      ok: false,
      error: { code: 'PLATFORM_TICKET_PAYLOAD_INVALID', details: { issues: [{ path: ['form', 'occurredAt'] }] } },
    });
    expect(submitTicket({ id: 'PT-1', form: FORM }, ctx(T0, 'technician'))).toMatchObject({
      ok: false,
      error: { code: 'PLATFORM_TICKET_FORBIDDEN' },
    });
    expect(submitTicket({ id: 'PT-1', form: FORM }, ctx(T0, 'engineer')).ok).toBe(true);
  });
});

describe('the transition table', () => {
  it('holds exactly the moves and roles of the seed process', () => {
    expect(PLATFORM_TRANSITIONS.map((e) => [e.from, e.to, [...e.roles]])).toEqual(LEGAL_MOVES);
  });
});

describe('every legal transition', () => {
  const cases = MOVES.flatMap((e) => e.roles.map((role) => ({ from: e.from, to: e.to, role })));
  it.each(cases)('$from -> $to as $role', ({ from, to, role }) => {
    const { ticket, now } = ticketIn(from);
    const at = now + 60_000;
    const r = must(applyPlatformTransition(ticket, { to, reason: 'test', payload: VALID_PAYLOADS[keyOf({ from, to })](at) }, ctx(at, role)));
    expect(r.ticket.state).toBe(to);
    expect(r.effects[0]).toEqual({ kind: 'audit', entry: { at, actor: `${role}-1`, role, from, to, reason: 'test' } });
    expect(r.effects.at(-1)).toEqual({ kind: 'live', event: { type: 'platform-ticket.transitioned', ticketId: 'PT-1', from, to, at } });
    expect(PlatformTicket.parse(JSON.parse(JSON.stringify(r.ticket)))).toEqual(r.ticket);
  });
});

describe('every illegal move', () => {
  const legal = new Set(MOVES.map(keyOf));
  const cases = PLATFORM_STATES.flatMap((from) => PLATFORM_STATES.map((to) => ({ from, to }))).filter((c) => !legal.has(keyOf(c)));
  it.each(cases)('refuses $from -> $to', ({ from, to }) => {
    const { ticket, now } = ticketIn(from);
    expect(applyPlatformTransition(ticket, { to, reason: 'test', payload: {} }, ctx(now, 'admin'))).toEqual({
      ok: false,
      error: { code: 'PLATFORM_TICKET_INVALID_TRANSITION', details: { from, to, allowed: NEXT[from] } },
    });
  });

  it('checks all 29 of them: 6 states, 36 pairs, 7 legal', () => {
    expect(PLATFORM_STATES).toHaveLength(6);
    expect(cases).toHaveLength(29);
    expect(cases.filter((c) => c.from === 'closed').map((c) => c.to)).toEqual([...PLATFORM_STATES]);
  });
});

describe('roles and payloads', () => {
  const forbidden = MOVES.flatMap((e) => ROLES.filter((r) => !e.roles.includes(r)).map((role) => ({ from: e.from, to: e.to, role })));
  it.each(forbidden)('refuses $from -> $to to $role', ({ from, to, role }) => {
    const { ticket, now } = ticketIn(from);
    const r = applyPlatformTransition(ticket, { to, reason: 'test', payload: VALID_PAYLOADS[keyOf({ from, to })](now) }, ctx(now, role));
    expect(r).toMatchObject({ ok: false, error: { code: 'PLATFORM_TICKET_FORBIDDEN', details: { from, to, role } } });
  });

  it.each(MOVES.map((e) => ({ from: e.from, to: e.to })))('refuses unknown fields on $from -> $to', ({ from, to }) => {
    const { ticket, now } = ticketIn(from);
    const payload = { ...(VALID_PAYLOADS[keyOf({ from, to })](now) as object), extra: 1 };
    const r = applyPlatformTransition(ticket, { to, reason: 'test', payload }, ctx(now, 'admin'));
    expect(r).toMatchObject({ ok: false, error: { code: 'PLATFORM_TICKET_PAYLOAD_INVALID', details: { from, to } } });
  });

  it('refuses an empty reason and an exclusion the seed does not list', () => {
    const { ticket, now } = ticketIn('submitted');
    expect(applyPlatformTransition(ticket, { to: 'confirmed', reason: '', payload: {} }, ctx(now, 'after-sales'))).toMatchObject({
      ok: false,
      error: { code: 'PLATFORM_TICKET_PAYLOAD_INVALID', details: { issues: [{ path: ['reason'] }] } },
    });
    const r = applyPlatformTransition(
      ticket,
      { to: 'out-of-scope', reason: 'no', payload: { basis: { kind: 'exclusion', exclusion: 'bad-luck' } } },
      ctx(now, 'after-sales'),
    );
    expect(r).toMatchObject({ ok: false, error: { code: 'PLATFORM_TICKET_PAYLOAD_INVALID' } });
  });

  it('refuses a repair time that has already passed', () => {
    const { ticket, now } = ticketIn('confirmed');
    const r = applyPlatformTransition(ticket, { to: 'repairing', reason: 'agreed', payload: { solution: 'x', agreedBy: now } }, ctx(now, 'engineer'));
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'PLATFORM_TICKET_PAYLOAD_INVALID', details: { issues: [{ path: ['payload', 'agreedBy'] }] } },
    });
  });
});

describe('out of scope', () => {
  it.each(PLATFORM_EXCLUSIONS.map((e) => e.code))('records exclusion %s', (exclusion) => {
    const { ticket, now } = ticketIn('submitted');
    const payload = { basis: { kind: 'exclusion', exclusion }, solutionOffered: 'restore from the nightly backup' };
    const r = must(applyPlatformTransition(ticket, { to: 'out-of-scope', reason: 'clause', payload }, ctx(now, 'after-sales', 'amy')));
    expect(r.ticket.outOfScope).toEqual({
      basis: { kind: 'exclusion', exclusion },
      solutionOffered: 'restore from the nightly backup',
      decidedBy: 'amy',
      decidedAt: now,
    });
    expect(r.effects).toContainEqual({
      kind: 'notify',
      audience: 'customer',
      topic: 'out-of-scope',
      ticketId: 'PT-1',
      details: { basis: { kind: 'exclusion', exclusion }, solutionOffered: 'restore from the nightly backup' },
    });
  });

  it('records an ended maintenance period', () => {
    const { ticket, now } = ticketIn('submitted');
    const r = must(
      applyPlatformTransition(
        ticket,
        { to: 'out-of-scope', reason: 'expired', payload: { basis: { kind: 'maintenance-period-ended', endedOn: '2025-06-30' } } },
        ctx(now, 'after-sales'),
      ),
    );
    expect(r.ticket.outOfScope?.basis).toEqual({ kind: 'maintenance-period-ended', endedOn: '2025-06-30' });
  });

  it('names the seed clause of every exclusion', () => {
    expect(PLATFORM_EXCLUSIONS.map((e) => e.clause)).toEqual([1, 2, 3, 4]);
  });
});

describe('repair at the agreed time', () => {
  it('schedules the agreed time, cancels it when resolved, and reschedules on reopening', () => {
    const { ticket, now } = ticketIn('confirmed');
    const agreedBy = now + 4 * HOUR;
    const repairing = must(
      applyPlatformTransition(ticket, { to: 'repairing', reason: 'agreed', payload: { solution: 'raise pool', agreedBy } }, ctx(now, 'engineer')),
    );
    const deadline = { kind: 'agreed-repair', scheduledAt: now, dueAt: agreedBy, firedAt: null, cancelledAt: null };
    expect(repairing.effects.map((e) => e.kind)).toEqual(['audit', 'schedule', 'notify', 'live']);
    expect(repairing.effects[1]).toEqual({ kind: 'schedule', deadline });
    expect(repairing.ticket.repair).toEqual({ solution: 'raise pool', agreedBy, agreedAt: now, round: 1 });
    expect(duePlatformDeadlines(repairing.ticket, agreedBy - 1)).toEqual([]);
    expect(duePlatformDeadlines(repairing.ticket, agreedBy)).toEqual(['agreed-repair']);

    const resolved = must(
      applyPlatformTransition(repairing.ticket, { to: 'resolved', reason: 'done', payload: { summary: 'fixed' } }, ctx(now + HOUR, 'engineer')),
    );
    expect(resolved.effects).toContainEqual({ kind: 'cancel-deadline', deadlineKind: 'agreed-repair' });
    expect(resolved.effects).toContainEqual({
      kind: 'notify',
      audience: 'customer',
      topic: 'resolved',
      ticketId: 'PT-1',
      details: { summary: 'fixed' },
    });

    const reopenAt = now + 2 * HOUR;
    const reopened = must(
      applyPlatformTransition(
        resolved.ticket,
        { to: 'repairing', reason: 'not fixed', payload: { customerReport: 'still 502', agreedBy: reopenAt + HOUR } },
        ctx(reopenAt, 'after-sales'),
      ),
    );
    expect(reopened.ticket.repair).toMatchObject({ solution: 'raise pool', round: 2, agreedBy: reopenAt + HOUR });
    expect(reopened.ticket.reopenings).toEqual([{ customerReport: 'still 502', at: reopenAt }]);
    expect(reopened.ticket.resolution).toBeNull();
    expect(reopened.ticket.deadlines.map((d) => d.cancelledAt === null)).toEqual([false, true]);
  });

  it("gives a customer's own not-fixed report a new round as long as the previous one was agreed to take", () => {
    const { ticket, now } = ticketIn('resolved');
    const previous = (ticket.repair?.agreedBy ?? 0) - (ticket.repair?.agreedAt ?? 0);
    const at = now + HOUR;
    const r = must(
      applyPlatformTransition(
        ticket,
        { to: 'repairing', reason: 'not fixed', payload: { customerReport: 'still 502' } },
        ctx(at, 'customer', 'plant-li'),
      ),
    );
    expect(r.ticket.repair).toMatchObject({ round: 2, agreedAt: at, agreedBy: at + previous });
    expect(r.ticket.reopenings).toEqual([{ customerReport: 'still 502', at }]);
  });

  it('lets a customer account submit a BUG Feedback Form under its own name', () => {
    expect(must(submitTicket({ id: 'PT-9', form: FORM }, ctx(T0, 'customer', 'plant-li'))).ticket.submittedBy).toBe('plant-li');
  });

  it('warns after-sales and engineers when the agreed time passes, once', () => {
    const { ticket } = ticketIn('repairing');
    const due = ticket.repair?.agreedBy ?? 0;
    expect(firePlatformDeadline(ticket, 'agreed-repair', { now: due - 1 })).toMatchObject({
      ok: false,
      error: { code: 'PLATFORM_TICKET_DEADLINE_NOT_DUE' },
    });
    const fired = must(firePlatformDeadline(ticket, 'agreed-repair', { now: due }));
    expect(fired.effects.map((e) => e.kind === 'notify' && e.audience)).toEqual(['after-sales', 'engineer']);
    expect(fired.ticket.state).toBe('repairing');
    expect(must(firePlatformDeadline(fired.ticket, 'agreed-repair', { now: due + 1 }))).toEqual({ ok: true, ticket: fired.ticket, effects: [] });
  });

  it('fires as a no-op once resolved, and refuses a ticket without one', () => {
    const { ticket, now } = ticketIn('resolved');
    expect(must(firePlatformDeadline(ticket, 'agreed-repair', { now: now + 100 * HOUR })).effects).toEqual([]);
    expect(firePlatformDeadline(ticketIn('submitted').ticket, 'agreed-repair', { now })).toMatchObject({
      ok: false,
      error: { code: 'PLATFORM_TICKET_DEADLINE_NOT_FOUND' },
    });
  });

  it('closes when the customer confirms', () => {
    const { ticket, now } = ticketIn('resolved');
    const r = must(applyPlatformTransition(ticket, { to: 'closed', reason: 'customer confirmed' }, ctx(now, 'after-sales', 'amy')));
    expect(r.ticket.closure).toEqual({ closedBy: 'amy', closedAt: now });
  });
});

describe('seed: "After sales personnel shall confirm whether the project is within the maintenance period"', () => {
  // FORM.occurredAt is 2025-09-01 09:00 in China.
  const confirm = (maintenancePeriodEndsOn: string, now = T0 + HOUR) =>
    applyPlatformTransition(
      ticketIn('submitted').ticket,
      { to: 'confirmed', reason: 'scope checked', payload: { maintenancePeriodEndsOn } },
      ctx(now, 'after-sales'),
    );

  it('refuses to confirm a problem that occurred after the maintenance period ended, quoting the seed clause', () => {
    const r = confirm('2025-08-31');
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'PLATFORM_TICKET_PAYLOAD_INVALID',
        details: { from: 'submitted', to: 'confirmed', issues: [{ path: ['payload', 'maintenancePeriodEndsOn'] }] },
      },
    });
    if (r.ok) throw new Error('unreachable');
    const [issue] = (r.error.details as { issues: { message: string }[] }).issues;
    expect(issue?.message).toContain('the problem occurred on 2025-09-01, after the maintenance period ended on 2025-08-31');
    expect(issue?.message).toContain(`seed: "${MAINTENANCE_PERIOD_CLAUSE}"`);
    expect(MAINTENANCE_PERIOD_CLAUSE).toBe(
      'After sales personnel shall confirm whether the project is within the maintenance period and whether the bug is within the maintenance scope.',
    );
  });

  it('confirms a problem that occurred on the last day of the period, counted in China time, even when confirmed after the period', () => {
    const r = must(confirm('2025-09-01', T0 + 40 * 24 * HOUR));
    expect(r.ticket.confirmation).toMatchObject({ maintenancePeriodEndsOn: '2025-09-01' });
    // 00:30 in China on 2 September is still 1 September in UTC: the period is over in China.
    const late = must(
      submitTicket({ id: 'PT-2', form: { ...FORM, occurredAt: Date.UTC(2025, 8, 1, 16, 30) } }, { now: T0 + 24 * HOUR, actor: 'pms' }),
    ).ticket;
    const refused = applyPlatformTransition(
      late,
      { to: 'confirmed', reason: 'x', payload: { maintenancePeriodEndsOn: '2025-09-01' } },
      ctx(T0 + 25 * HOUR, 'after-sales'),
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'PLATFORM_TICKET_PAYLOAD_INVALID' } });
  });

  it('moves a problem that occurred after the period out of scope on the period, and refuses that basis while the period ran', () => {
    const { ticket } = ticketIn('submitted');
    const out = must(
      applyPlatformTransition(
        ticket,
        { to: 'out-of-scope', reason: 'period over', payload: { basis: { kind: 'maintenance-period-ended', endedOn: '2025-08-31' } } },
        ctx(T0 + HOUR, 'after-sales'),
      ),
    );
    expect(out.ticket.outOfScope).toMatchObject({ basis: { kind: 'maintenance-period-ended', endedOn: '2025-08-31' } });
    const running = applyPlatformTransition(
      ticket,
      { to: 'out-of-scope', reason: 'period over', payload: { basis: { kind: 'maintenance-period-ended', endedOn: '2025-09-01' } } },
      ctx(T0 + HOUR, 'after-sales'),
    );
    expect(running).toMatchObject({
      ok: false,
      error: { code: 'PLATFORM_TICKET_PAYLOAD_INVALID', details: { issues: [{ path: ['payload', 'basis', 'endedOn'] }] } },
    });
  });
});

describe('seed: "Reload Deployment: … provide corresponding software reinstallation and deployment services"', () => {
  it("lists the platform services in the seed's words, system reinstallation among them", () => {
    expect(MAINTENANCE_SERVICES.map((s) => [s.clause, s.title])).toEqual([
      [2, 'Remote technical support'],
      [3, 'Reload Deployment'],
      [5, 'Database'],
      [6, 'Server Hosting'],
    ]);
    expect(MAINTENANCE_SERVICES.find((s) => s.code === 'reload-deployment')?.text).toBe(
      'For problems caused by hardware or system, provide corresponding software reinstallation and deployment services.',
    );
  });

  it('records the service a confirmed report falls under and tells the customer; an unknown service is refused', () => {
    const { ticket } = ticketIn('submitted');
    const r = must(
      applyPlatformTransition(
        ticket,
        { to: 'confirmed', reason: 'OS disk failed', payload: { service: 'reload-deployment' } },
        ctx(T0 + HOUR, 'after-sales'),
      ),
    );
    expect(r.ticket.confirmation).toMatchObject({ service: 'reload-deployment' });
    expect(r.effects).toContainEqual({
      kind: 'notify',
      audience: 'customer',
      topic: 'confirmed',
      ticketId: 'PT-1',
      details: { service: 'reload-deployment' },
    });
    expect(
      applyPlatformTransition(ticket, { to: 'confirmed', reason: 'x', payload: { service: 'reinstall-windows' } }, ctx(T0 + HOUR, 'after-sales')),
    ).toMatchObject({ ok: false, error: { code: 'PLATFORM_TICKET_PAYLOAD_INVALID' } });
  });
});
