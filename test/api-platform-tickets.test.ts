import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORM_EXCLUSIONS } from '../services/after-sales/platform-tickets/domain/platform-ticket.ts';
import { startApiFixture, type ApiFixture } from './helpers/http-fixture.ts';
import { ERROR_MESSAGES } from '../services/platform/http/error-messages.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;

interface AuditLine {
  at: number;
  actor: string;
  action: string;
  from: string | null;
  to: string | null;
  reason: string;
  data: Record<string, unknown> | null;
}
interface View {
  id: number;
  ticket: Record<string, unknown> & { id: string; state: string; deadlines: Array<Record<string, unknown>> };
  notifications: Array<{ at: number; audience: string; topic: string; details: Record<string, unknown> }>;
  allowedTransitions: string[];
  audit: AuditLine[];
}

function form(api: ApiFixture, patch: Record<string, unknown> = {}) {
  return {
    project: 'Wuxi smart water',
    reporter: 'Li Wei',
    contact: '0510-12345678',
    description: 'Dashboard shows no data since 08:00; nginx returns 502',
    severity: 'high',
    occurredAt: api.now() - HOUR,
    ...patch,
  };
}

/** The audit line as a person reads it: who, when, from, to, why. */
const trail = (v: View) =>
  v.audit.map(({ actor, at, action, from, to, reason, data }) => ({ actor, at, action, from, to, reason, role: data?.role }));

async function submit(api: ApiFixture, headers: Record<string, string>, patch: Record<string, unknown> = {}): Promise<View> {
  const res = await api.request('POST', '/api/platform-tickets', { headers, json: form(api, patch) });
  if (res.status !== 201) throw new Error(`submit: ${res.status} ${await res.text()}`);
  return (await res.json()) as View;
}

async function move(api: ApiFixture, headers: Record<string, string>, id: number, body: Record<string, unknown>): Promise<Response> {
  return api.request('POST', `/api/platform-tickets/${id}/transitions`, { headers, json: body });
}

async function moved(api: ApiFixture, headers: Record<string, string>, id: number, body: Record<string, unknown>): Promise<View> {
  const res = await move(api, headers, id, body);
  if (res.status !== 200) throw new Error(`${String(body.to)}: ${res.status} ${await res.text()}`);
  return (await res.json()) as View;
}

async function read(api: ApiFixture, headers: Record<string, string>, id: number): Promise<View> {
  const res = await api.request('GET', `/api/platform-tickets/${id}`, { headers });
  expect(res.status).toBe(200);
  return (await res.json()) as View;
}

describe('platform maintenance tickets over HTTP', () => {
  let api: ApiFixture;
  let afterSales: Record<string, string>;
  let engineer: Record<string, string>;
  let technician: Record<string, string>;

  beforeAll(async () => {
    api = await startApiFixture();
    afterSales = await api.headersFor('after-sales');
    engineer = await api.headersFor('engineer');
    technician = await api.headersFor('technician');
  });
  afterAll(() => api.close());

  it('takes a BUG Feedback Form through confirmation, agreed repair, resolution and closure, auditing who, when, from, to and why', async () => {
    const submittedAt = api.now();
    const submitted = await submit(api, afterSales);
    expect(submitted).toMatchObject({
      ticket: { id: String(submitted.id), state: 'submitted', submittedBy: 'after-sales-user', submittedAt, form: form(api), deadlines: [] },
      notifications: [],
      allowedTransitions: ['confirmed', 'out-of-scope'],
    });
    const id = submitted.id;

    api.advance(30 * MINUTE);
    const confirmedAt = api.now();
    const confirmed = await moved(api, afterSales, id, {
      to: 'confirmed',
      reason: 'project within maintenance; reproduced the 502',
      payload: { maintenancePeriodEndsOn: '2026-06-30' },
    });
    expect(confirmed.ticket.confirmation).toEqual({ confirmedBy: 'after-sales-user', confirmedAt, maintenancePeriodEndsOn: '2026-06-30' });
    expect(confirmed.notifications).toEqual([{ at: confirmedAt, audience: 'customer', topic: 'confirmed', details: {} }]);

    api.advance(30 * MINUTE);
    const repairingAt = api.now();
    const agreedBy = repairingAt + 4 * HOUR;
    const repairing = await moved(api, engineer, id, {
      to: 'repairing',
      reason: 'solution agreed with Li Wei by phone',
      payload: { solution: 'raise the php-fpm pool size and restart', agreedBy },
    });
    expect(repairing.ticket.repair).toEqual({ solution: 'raise the php-fpm pool size and restart', agreedBy, agreedAt: repairingAt, round: 1 });
    expect(repairing.ticket.deadlines).toEqual([
      { kind: 'agreed-repair', scheduledAt: repairingAt, dueAt: agreedBy, firedAt: null, cancelledAt: null },
    ]);
    expect(repairing.notifications.at(-1)).toEqual({
      at: repairingAt,
      audience: 'customer',
      topic: 'repair-scheduled',
      details: { agreedBy, solution: 'raise the php-fpm pool size and restart', round: 1 },
    });

    api.advance(2 * HOUR);
    const resolvedAt = api.now();
    const resolved = await moved(api, engineer, id, {
      to: 'resolved',
      reason: 'data flowing again',
      payload: { summary: 'pool size raised from 5 to 40' },
    });
    expect(resolved.ticket.deadlines[0]).toMatchObject({ cancelledAt: resolvedAt, firedAt: null });
    expect(resolved.notifications.at(-1)).toEqual({
      at: resolvedAt,
      audience: 'customer',
      topic: 'resolved',
      details: { summary: 'pool size raised from 5 to 40' },
    });
    expect(resolved.allowedTransitions).toEqual(['repairing', 'closed']);

    api.advance(HOUR);
    const closedAt = api.now();
    const closed = await moved(api, afterSales, id, { to: 'closed', reason: 'Li Wei confirmed the dashboard works' });
    expect(closed.ticket).toMatchObject({ state: 'closed', closure: { closedBy: 'after-sales-user', closedAt } });
    expect(closed.allowedTransitions).toEqual([]);
    expect(trail(closed)).toEqual([
      {
        actor: 'after-sales-user',
        at: submittedAt,
        action: 'opened',
        from: null,
        to: 'submitted',
        reason: 'BUG Feedback Form submitted',
        role: 'after-sales',
      },
      {
        actor: 'after-sales-user',
        at: confirmedAt,
        action: 'transition',
        from: 'submitted',
        to: 'confirmed',
        reason: 'project within maintenance; reproduced the 502',
        role: 'after-sales',
      },
      {
        actor: 'engineer-user',
        at: repairingAt,
        action: 'transition',
        from: 'confirmed',
        to: 'repairing',
        reason: 'solution agreed with Li Wei by phone',
        role: 'engineer',
      },
      {
        actor: 'engineer-user',
        at: resolvedAt,
        action: 'transition',
        from: 'repairing',
        to: 'resolved',
        reason: 'data flowing again',
        role: 'engineer',
      },
      {
        actor: 'after-sales-user',
        at: closedAt,
        action: 'transition',
        from: 'resolved',
        to: 'closed',
        reason: 'Li Wei confirmed the dashboard works',
        role: 'after-sales',
      },
    ]);
    expect(await read(api, technician, id)).toEqual(closed);

    const list = await api.request('GET', '/api/platform-tickets?state=closed&limit=10', { headers: technician });
    expect(list.status).toBe(200);
    expect(((await list.json()) as View[]).map((v) => v.id)).toContain(id);
  });

  it.each<[string, Record<string, unknown>]>([
    ...PLATFORM_EXCLUSIONS.map((e): [string, Record<string, unknown>] => [
      `exclusion ${e.code} (clause ${e.clause})`,
      { kind: 'exclusion', exclusion: e.code },
    ]),
    ['an ended maintenance period', { kind: 'maintenance-period-ended', endedOn: '2025-03-31' }],
  ])('records %s as the basis of an out-of-scope decision', async (_label, basis) => {
    const { id } = await submit(api, afterSales);
    api.advance(10 * MINUTE);
    const decidedAt = api.now();
    const refused = await moved(api, afterSales, id, {
      to: 'out-of-scope',
      reason: 'not covered by platform maintenance',
      payload: { basis, solutionOffered: 'restore the configuration from the nightly backup' },
    });
    expect(refused.ticket).toMatchObject({
      state: 'out-of-scope',
      outOfScope: { basis, solutionOffered: 'restore the configuration from the nightly backup', decidedBy: 'after-sales-user', decidedAt },
    });
    expect(refused.notifications).toEqual([
      {
        at: decidedAt,
        audience: 'customer',
        topic: 'out-of-scope',
        details: { basis, solutionOffered: 'restore the configuration from the nightly backup' },
      },
    ]);
    expect(trail(refused).at(-1)).toEqual({
      actor: 'after-sales-user',
      at: decidedAt,
      action: 'transition',
      from: 'submitted',
      to: 'out-of-scope',
      reason: 'not covered by platform maintenance',
      role: 'after-sales',
    });
    expect(refused.allowedTransitions).toEqual(['closed']);
  });

  it('lists only the tickets in the asked state', async () => {
    const res = await api.request('GET', '/api/platform-tickets?state=out-of-scope', { headers: technician });
    const views = (await res.json()) as View[];
    expect(views).toHaveLength(PLATFORM_EXCLUSIONS.length + 1);
    expect(new Set(views.map((v) => v.ticket.state))).toEqual(new Set(['out-of-scope']));
    // Newest first.
    expect(views.map((v) => v.id)).toEqual([...views.map((v) => v.id)].sort((a, b) => b - a));
  });

  it('refuses an illegal move with 409 PLATFORM_TICKET_INVALID_TRANSITION naming the allowed targets, and changes nothing', async () => {
    const before = await submit(api, afterSales);
    const res = await move(api, engineer, before.id, { to: 'resolved', reason: 'fixed it already', payload: { summary: 'restarted' } });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({
      error: 'PLATFORM_TICKET_INVALID_TRANSITION',
      message: ERROR_MESSAGES.PLATFORM_TICKET_INVALID_TRANSITION.en,
      details: { from: 'submitted', to: 'resolved', allowed: ['confirmed', 'out-of-scope'] },
    });
    expect(await read(api, afterSales, before.id)).toEqual(before);
  });

  it('refuses a technician with 403 FORBIDDEN, while letting them read', async () => {
    const submitRes = await api.request('POST', '/api/platform-tickets', { headers: technician, json: form(api) });
    expect(submitRes.status).toBe(403);
    expect(await submitRes.json()).toEqual({
      error: 'FORBIDDEN',
      message: ERROR_MESSAGES.FORBIDDEN.en,
      details: { action: 'platform-tickets:write', role: 'technician' },
    });

    const { id } = await submit(api, afterSales);
    const moveRes = await move(api, technician, id, { to: 'confirmed', reason: 'looks covered' });
    expect(moveRes.status).toBe(403);
    expect(await moveRes.json()).toEqual({
      error: 'FORBIDDEN',
      message: ERROR_MESSAGES.FORBIDDEN.en,
      details: { action: 'platform-tickets:write', role: 'technician' },
    });
    expect((await read(api, technician, id)).ticket.state).toBe('submitted');
  });

  it('leaves the scope decision to after-sales: an engineer confirming gets 403 PLATFORM_TICKET_FORBIDDEN', async () => {
    const { id } = await submit(api, engineer);
    const res = await move(api, engineer, id, { to: 'confirmed', reason: 'looks covered' });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: 'PLATFORM_TICKET_FORBIDDEN',
      message: ERROR_MESSAGES.PLATFORM_TICKET_FORBIDDEN.en,
      details: { from: 'submitted', to: 'confirmed', role: 'engineer', allowedRoles: ['admin', 'after-sales'] },
    });
  });

  it('answers 400 VALIDATION_FAILED naming each bad field of the form, and opens nothing', async () => {
    const countBefore = ((await (await api.request('GET', '/api/platform-tickets', { headers: afterSales })).json()) as View[]).length;
    const { contact: _missing, ...noContact } = form(api, { severity: 'urgent', colour: 'red' });
    const res = await api.request('POST', '/api/platform-tickets', { headers: afterSales, json: noContact });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'VALIDATION_FAILED',
      message: ERROR_MESSAGES.VALIDATION_FAILED.en,
      details: expect.arrayContaining([
        { in: 'body', path: 'contact', message: expect.any(String) },
        { in: 'body', path: 'severity', message: expect.any(String) },
        { in: 'body', path: 'colour', message: expect.any(String) },
      ]),
    });

    const future = await api.request('POST', '/api/platform-tickets', { headers: afterSales, json: form(api, { occurredAt: api.now() + HOUR }) });
    expect(future.status).toBe(400);
    expect(await future.json()).toEqual({
      error: 'PLATFORM_TICKET_PAYLOAD_INVALID',
      message: ERROR_MESSAGES.PLATFORM_TICKET_PAYLOAD_INVALID.en,
      details: { to: 'submitted', issues: [{ path: ['form', 'occurredAt'], message: 'occurredAt is in the future' }] },
    });
    const countAfter = ((await (await api.request('GET', '/api/platform-tickets', { headers: afterSales })).json()) as View[]).length;
    expect(countAfter).toBe(countBefore);
  });

  it('refuses a repair time that has already passed with 400 PLATFORM_TICKET_PAYLOAD_INVALID', async () => {
    const { id } = await submit(api, afterSales);
    await moved(api, afterSales, id, { to: 'confirmed', reason: 'covered' });
    const res = await move(api, engineer, id, { to: 'repairing', reason: 'agreed', payload: { solution: 'restart', agreedBy: api.now() - MINUTE } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: 'PLATFORM_TICKET_PAYLOAD_INVALID',
      details: {
        from: 'confirmed',
        to: 'repairing',
        issues: [{ path: ['payload', 'agreedBy'], message: 'the agreed repair time has already passed' }],
      },
    });
    expect((await read(api, afterSales, id)).ticket.state).toBe('confirmed');
  });

  it('seed: "confirm whether the project is within the maintenance period": refuses to confirm a problem that occurred after the period ended, in the seed\'s words, and takes it out of scope instead', async () => {
    // 08:00 on 15 June 2025 in China; the maintenance period's last day was 14 June.
    const { id } = await submit(api, afterSales, { occurredAt: Date.parse('2025-06-15T00:00:00Z') });
    const res = await move(api, afterSales, id, { to: 'confirmed', reason: 'covered', payload: { maintenancePeriodEndsOn: '2025-06-14' } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; details: { issues: { path: string[]; message: string }[] } };
    expect(body).toMatchObject({
      error: 'PLATFORM_TICKET_PAYLOAD_INVALID',
      message: ERROR_MESSAGES.PLATFORM_TICKET_PAYLOAD_INVALID.en,
      details: { from: 'submitted', to: 'confirmed' },
    });
    expect(body.details.issues).toEqual([
      {
        path: ['payload', 'maintenancePeriodEndsOn'],
        message:
          'the problem occurred on 2025-06-15, after the maintenance period ended on 2025-06-14, so it is not within the maintenance period ' +
          '(seed: "After sales personnel shall confirm whether the project is within the maintenance period and whether the bug is within the maintenance scope."); ' +
          'move it out of scope with the basis maintenance-period-ended',
      },
    ]);
    expect((await read(api, afterSales, id)).ticket.state).toBe('submitted');
    const out = await moved(api, afterSales, id, {
      to: 'out-of-scope',
      reason: 'maintenance period over',
      payload: { basis: { kind: 'maintenance-period-ended', endedOn: '2025-06-14' }, solutionOffered: 'renew the maintenance contract' },
    });
    expect(out.ticket.state).toBe('out-of-scope');
    expect(out.notifications.at(-1)).toMatchObject({
      audience: 'customer',
      topic: 'out-of-scope',
      details: { basis: { kind: 'maintenance-period-ended' } },
    });
  });

  it('seed: "Reload Deployment … software reinstallation and deployment services": confirms a report under system reinstallation', async () => {
    const { id } = await submit(api, afterSales);
    const confirmed = await moved(api, afterSales, id, {
      to: 'confirmed',
      reason: "the server's system disk failed; reinstall and redeploy",
      payload: { maintenancePeriodEndsOn: '2026-06-30', service: 'reload-deployment' },
    });
    expect(confirmed.ticket.confirmation).toMatchObject({ maintenancePeriodEndsOn: '2026-06-30', service: 'reload-deployment' });
    expect(confirmed.notifications.at(-1)).toMatchObject({ topic: 'confirmed', details: { service: 'reload-deployment' } });
    const other = await submit(api, afterSales);
    const refused = await move(api, afterSales, other.id, { to: 'confirmed', reason: 'covered', payload: { service: 'windows-reinstall' } });
    expect(refused.status).toBe(400);
  });

  it('answers 404 PLATFORM_TICKET_NOT_FOUND for an unknown id', async () => {
    const get = await api.request('GET', '/api/platform-tickets/999999', { headers: technician });
    expect(get.status).toBe(404);
    expect(await get.json()).toEqual({
      error: 'PLATFORM_TICKET_NOT_FOUND',
      message: ERROR_MESSAGES.PLATFORM_TICKET_NOT_FOUND.en,
      details: { id: 999999 },
    });
    const post = await move(api, afterSales, 999999, { to: 'confirmed', reason: 'covered' });
    expect(post.status).toBe(404);
    expect(await post.json()).toEqual({
      error: 'PLATFORM_TICKET_NOT_FOUND',
      message: ERROR_MESSAGES.PLATFORM_TICKET_NOT_FOUND.en,
      details: { id: 999999 },
    });
  });
});

describe('the agreed repair time', () => {
  // Its own database, so the scheduler's ticks see only this describe's deadlines.
  let api: ApiFixture;
  let afterSales: Record<string, string>;
  let engineer: Record<string, string>;

  beforeAll(async () => {
    api = await startApiFixture();
    afterSales = await api.headersFor('after-sales');
    engineer = await api.headersFor('engineer');
  });
  afterAll(() => api.close());

  async function repairingBy(agreedInMs: number): Promise<{ id: number; agreedBy: number }> {
    const { id } = await submit(api, afterSales);
    await moved(api, afterSales, id, { to: 'confirmed', reason: 'covered' });
    const agreedBy = api.now() + agreedInMs;
    await moved(api, engineer, id, {
      to: 'repairing',
      reason: 'agreed with the customer',
      payload: { solution: 'rotate the TLS certificate', agreedBy },
    });
    return { id, agreedBy };
  }

  it('warns after-sales and engineers once when it passes unresolved', async () => {
    const { id, agreedBy } = await repairingBy(2 * HOUR);
    api.advance(2 * HOUR - 1);
    expect(await api.afterSales.scheduler.tick()).toBe(0);
    expect((await read(api, afterSales, id)).notifications.map((n) => n.topic)).not.toContain('repair-overdue');

    api.advance(1);
    const firedAt = api.now();
    expect(await api.afterSales.scheduler.tick()).toBe(1);
    const late = await read(api, afterSales, id);
    const details = { agreedBy, project: 'Wuxi smart water', severity: 'high' };
    expect(late.notifications.filter((n) => n.topic === 'repair-overdue')).toEqual([
      { at: firedAt, audience: 'after-sales', topic: 'repair-overdue', details },
      { at: firedAt, audience: 'engineer', topic: 'repair-overdue', details },
    ]);
    expect(late.ticket.state).toBe('repairing');
    expect(late.ticket.deadlines).toEqual([expect.objectContaining({ kind: 'agreed-repair', dueAt: agreedBy, firedAt })]);

    // Firing again, from the scheduler or straight at the handler, changes nothing.
    api.advance(HOUR);
    expect(await api.afterSales.scheduler.tick()).toBe(0);
    const row = await api.db
      .selectFrom('deadlines')
      .select(['id', 'entity_kind', 'entity_id', 'kind', 'due_at'])
      .where('entity_kind', '=', 'platform')
      .where('entity_id', '=', id)
      .executeTakeFirstOrThrow();
    await api.afterSales.deps.platform.fire({
      id: row.id,
      entityKind: row.entity_kind,
      entityId: row.entity_id,
      kind: row.kind,
      dueAt: Number(row.due_at),
    });
    expect(await read(api, afterSales, id)).toEqual(late);
  });

  it('is not missed when the repair is resolved in time', async () => {
    const { id } = await repairingBy(HOUR);
    api.advance(30 * MINUTE);
    await moved(api, engineer, id, { to: 'resolved', reason: 'certificate rotated', payload: { summary: 'new certificate valid until 2026' } });
    api.advance(HOUR);
    expect(await api.afterSales.scheduler.tick()).toBe(0);
    expect((await read(api, afterSales, id)).notifications.map((n) => n.topic)).toEqual(['confirmed', 'repair-scheduled', 'resolved']);
  });

  it('runs again from the new agreed time when the customer reports it is not fixed', async () => {
    const { id } = await repairingBy(HOUR);
    await moved(api, engineer, id, { to: 'resolved', reason: 'certificate rotated', payload: { summary: 'rotated' } });
    api.advance(10 * MINUTE);
    const agreedBy = api.now() + 3 * HOUR;
    const reopened = await moved(api, afterSales, id, {
      to: 'repairing',
      reason: 'customer still sees certificate warnings',
      payload: { customerReport: 'browser warns about the certificate', agreedBy },
    });
    expect(reopened.ticket).toMatchObject({
      repair: { round: 2, agreedBy },
      reopenings: [{ customerReport: 'browser warns about the certificate' }],
    });

    api.advance(HOUR);
    expect(await api.afterSales.scheduler.tick()).toBe(0);
    api.advance(2 * HOUR);
    expect(await api.afterSales.scheduler.tick()).toBe(1);
    const late = await read(api, afterSales, id);
    expect(late.notifications.filter((n) => n.topic === 'repair-overdue').map((n) => n.details.agreedBy)).toEqual([agreedBy, agreedBy]);
  });
});
