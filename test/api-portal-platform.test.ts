import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAINTENANCE_PERIOD_CLAUSE } from '../services/after-sales/platform-tickets/domain/maintenance-period.ts';
import { PLATFORM_EXCLUSIONS } from '../services/after-sales/platform-tickets/domain/platform-ticket.ts';
import { customerOrg, type CustomerOrg } from './helpers/customer-kit.ts';
import { startApiFixture, type ApiFixture } from './helpers/http-fixture.ts';
import { ERROR_MESSAGES } from '../services/platform/http/error-messages.ts';

/*
 * Seed, "Project maintenance": the customer fills in the BUG Feedback Form, both parties
 * confirm, the repair is done at the agreed time, and the customer is notified to confirm.
 * Here the customer does their part over HTTP with their own account (the portal, or the PMS
 * with the account's bearer token), and sees only their organisation's tickets.
 */

const HOUR = 3_600_000;

interface PortalTicket {
  id: number;
  state: string;
  form: Record<string, unknown>;
  service: { code: string; title: string } | null;
  outOfScope: { kind: string; clause: string; clauseNumber: number | null; endedOn: string | null; solutionOffered: string | null } | null;
  repair: { solution: string; agreedBy: number; round: number } | null;
  resolution: { summary: string; resolvedAt: number } | null;
  reopenings: Array<{ customerReport: string; at: number }>;
  closedAt: number | null;
  mayAnswer: boolean;
}
interface StaffView {
  id: number;
  ticket: { state: string; submittedBy: string; form: Record<string, unknown> };
  organisation: { id: number; name: string } | null;
}

let api: ApiFixture;
let staff: Record<string, string>;
let engineer: Record<string, string>;
let plantA: CustomerOrg;
let plantB: CustomerOrg;

function form(patch: Record<string, unknown> = {}) {
  return {
    project: 'Wuxi smart water PMS',
    reporter: 'Li Wei',
    contact: '0510-12345678',
    description: 'Dashboard shows no data since 08:00; nginx returns 502',
    severity: 'high',
    occurredAt: api.now() - HOUR,
    ...patch,
  };
}

async function call<T>(method: string, path: string, headers: Record<string, string>, json?: unknown): Promise<{ status: number; body: T }> {
  const res = await api.request(method, path, { headers, ...(json !== undefined ? { json } : {}) });
  return { status: res.status, body: (await res.json()) as T };
}

async function submit(customer: CustomerOrg, patch: Record<string, unknown> = {}): Promise<PortalTicket> {
  const res = await call<PortalTicket>('POST', '/api/portal/platform-tickets', customer.headers, { form: form(patch) });
  if (res.status !== 201) throw new Error(`submit: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function staffMove(id: number, to: string, payload?: Record<string, unknown>, headers = staff) {
  const res = await call<StaffView>('POST', `/api/platform-tickets/${id}/transitions`, headers, {
    to,
    reason: `to ${to}`,
    ...(payload ? { payload } : {}),
  });
  if (res.status !== 200) throw new Error(`${to}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Staff confirm the report and agree a repair four hours out, then resolve it. */
async function resolvedTicket(customer: CustomerOrg): Promise<{ id: number; agreedBy: number }> {
  const { id } = await submit(customer);
  await staffMove(id, 'confirmed', { service: 'remote-technical-support' });
  const agreedBy = api.now() + 4 * HOUR;
  await staffMove(id, 'repairing', { solution: 'raise the php-fpm pool size', agreedBy }, engineer);
  await staffMove(id, 'resolved', { summary: 'pool raised; data flows again' }, engineer);
  return { id, agreedBy };
}

beforeAll(async () => {
  api = await startApiFixture();
  staff = await api.headersFor('after-sales');
  engineer = await api.headersFor('engineer');
  plantA = await customerOrg(api, 'Wuxi Water Works', [], 'li.wei');
  plantB = await customerOrg(api, 'Suzhou Steel', [], 'zhao.min');
});
afterAll(() => api.close());

describe('the BUG Feedback Form from the portal', () => {
  it("starts the form from the organisation's name, the account and the organisation's first contact", async () => {
    const patched = await call('PATCH', `/api/organisations/${plantA.organisationId}`, staff, {
      contacts: [
        { name: 'Li Wei', phone: '0510-8888 1234' },
        { name: 'Night shift', phone: '0510-8888 9999' },
      ],
    });
    expect(patched.status).toBe(200);
    const defaults = await call('GET', '/api/portal/platform-tickets/form-defaults', plantA.headers);
    expect(defaults).toEqual({ status: 200, body: { project: 'Wuxi Water Works', reporter: 'li.wei', contact: '0510-8888 1234' } });
  });

  it("reaches after-sales' platform queue with the organisation's name, submitted by the customer's account (the PMS uses the same bearer token)", async () => {
    const mine = await submit(plantA, { severity: 'critical' });
    expect(mine).toMatchObject({ state: 'submitted', form: form({ severity: 'critical' }), repair: null, mayAnswer: false });
    expect(mine).not.toHaveProperty('audit');
    const row = await api.db.selectFrom('platform_tickets').select('organisation_id').where('id', '=', mine.id).executeTakeFirstOrThrow();
    expect(row.organisation_id).toBe(plantA.organisationId);

    const queue = await call<StaffView[]>('GET', '/api/platform-tickets?state=submitted', staff);
    const inQueue = queue.body.find((v) => v.id === mine.id);
    expect(inQueue).toMatchObject({
      ticket: { state: 'submitted', submittedBy: 'li.wei', form: { severity: 'critical' } },
      organisation: { id: plantA.organisationId, name: 'Wuxi Water Works' },
    });
    const detail = await call<StaffView>('GET', `/api/platform-tickets/${mine.id}`, staff);
    expect(detail.body.organisation).toEqual({ id: plantA.organisationId, name: 'Wuxi Water Works' });
  });

  it('shows a ticket staff entered for nobody in particular without an organisation', async () => {
    const res = await call<StaffView>('POST', '/api/platform-tickets', staff, form());
    expect(res.status).toBe(201);
    expect(res.body.organisation).toBeNull();
  });

  it('refuses an incomplete form and a problem that has not happened yet', async () => {
    const { contact: _omitted, ...noContact } = form();
    const incomplete = await call('POST', '/api/portal/platform-tickets', plantA.headers, { form: noContact });
    expect(incomplete.status).toBe(400);
    const future = await call<{ error: string }>('POST', '/api/portal/platform-tickets', plantA.headers, {
      form: form({ occurredAt: api.now() + HOUR }),
    });
    expect(future).toMatchObject({ status: 400, body: { error: 'PLATFORM_TICKET_PAYLOAD_INVALID' } });
  });

  it('keeps customers off the staff platform routes', async () => {
    expect((await call('GET', '/api/platform-tickets', plantA.headers)).status).toBe(403);
    expect((await call('POST', '/api/platform-tickets', plantA.headers, form())).status).toBe(403);
  });
});

describe("following the organisation's platform tickets", () => {
  it("lists only the organisation's own tickets, newest first, a page at a time", async () => {
    const first = await submit(plantB, { project: 'Suzhou MES' });
    const second = await submit(plantB, { project: 'Suzhou MES' });
    const page1 = await call<{ tickets: PortalTicket[]; nextCursor: string | null }>('GET', '/api/portal/platform-tickets?limit=1', plantB.headers);
    expect(page1.body.tickets.map((t) => t.id)).toEqual([second.id]);
    expect(page1.body.nextCursor).not.toBeNull();
    const page2 = await call<{ tickets: PortalTicket[]; nextCursor: string | null }>(
      'GET',
      `/api/portal/platform-tickets?limit=1&cursor=${page1.body.nextCursor}`,
      plantB.headers,
    );
    expect(page2.body).toEqual({ tickets: [expect.objectContaining({ id: first.id })], nextCursor: null });
    const ofA = await call<{ tickets: PortalTicket[] }>('GET', '/api/portal/platform-tickets', plantA.headers);
    expect(ofA.body.tickets.length).toBeGreaterThan(0);
    expect(ofA.body.tickets.every((t) => t.form.project !== 'Suzhou MES')).toBe(true);
  });

  it('shows the covering service, the agreed repair deadline and, once resolved, asks the customer', async () => {
    const { id, agreedBy } = await resolvedTicket(plantA);
    const seen = await call<PortalTicket>('GET', `/api/portal/platform-tickets/${id}`, plantA.headers);
    expect(seen.body).toMatchObject({
      state: 'resolved',
      service: { code: 'remote-technical-support', title: 'Remote technical support' },
      repair: { solution: 'raise the php-fpm pool size', agreedBy, round: 1 },
      resolution: { summary: 'pool raised; data flows again' },
      mayAnswer: true,
    });
  });

  it('names the seed clause a report was found out of scope under', async () => {
    const { id } = await submit(plantA);
    await staffMove(id, 'out-of-scope', { basis: { kind: 'exclusion', exclusion: 'network-maintenance' }, solutionOffered: 'ask the ISP' });
    const seen = await call<PortalTicket>('GET', `/api/portal/platform-tickets/${id}`, plantA.headers);
    const clause = PLATFORM_EXCLUSIONS.find((e) => e.code === 'network-maintenance');
    expect(seen.body.outOfScope).toEqual({ kind: 'exclusion', clause: clause?.text, clauseNumber: 2, endedOn: null, solutionOffered: 'ask the ISP' });
  });
});

describe("the customer's answer to a resolved ticket (seed: notify the customer for confirmation)", () => {
  it('closes the ticket when the customer confirms it is fixed', async () => {
    const { id } = await resolvedTicket(plantA);
    const res = await call<PortalTicket>('POST', `/api/portal/platform-tickets/${id}/confirm-fixed`, plantA.headers);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'closed', closedAt: api.now(), mayAnswer: false });
  });

  it('starts a new repair round when the customer says it is not fixed, as long as the last one was agreed to take', async () => {
    const { id } = await resolvedTicket(plantA);
    api.advance(2 * HOUR);
    const res = await call<PortalTicket>('POST', `/api/portal/platform-tickets/${id}/not-fixed`, plantA.headers, {
      reason: 'still 502 at the shift change',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      state: 'repairing',
      repair: { round: 2, agreedBy: api.now() + 4 * HOUR, solution: 'raise the php-fpm pool size' },
      reopenings: [{ customerReport: 'still 502 at the shift change', at: api.now() }],
      resolution: null,
    });
    const audit = await call<{ audit: Array<{ actor: string; to: string; reason: string }> }>('GET', `/api/platform-tickets/${id}`, staff);
    expect(audit.body.audit.at(-1)).toMatchObject({ actor: 'li.wei', to: 'repairing', reason: 'still 502 at the shift change' });
  });

  it('refuses an answer before the ticket is resolved, and an empty reason', async () => {
    const { id } = await submit(plantA);
    const early = await call<{ error: string }>('POST', `/api/portal/platform-tickets/${id}/confirm-fixed`, plantA.headers);
    expect(early).toMatchObject({ status: 409, body: { error: 'PLATFORM_TICKET_INVALID_TRANSITION' } });
    const resolved = await resolvedTicket(plantA);
    const empty = await call('POST', `/api/portal/platform-tickets/${resolved.id}/not-fixed`, plantA.headers, { reason: '  ' });
    expect(empty.status).toBe(400);
  });

  it('still checks the maintenance period when staff confirm a portal report (seed: within the maintenance period)', async () => {
    const { id } = await submit(plantA, { occurredAt: Date.parse('2025-06-14T03:00:00Z') });
    const refused = await call<{ error: string; details: { issues: Array<{ path: string[] }> } }>(
      'POST',
      `/api/platform-tickets/${id}/transitions`,
      staff,
      { to: 'confirmed', reason: 'in scope', payload: { maintenancePeriodEndsOn: '2025-06-13' } },
    );
    expect(refused).toMatchObject({
      status: 400,
      body: {
        error: 'PLATFORM_TICKET_PAYLOAD_INVALID',
        message: ERROR_MESSAGES.PLATFORM_TICKET_PAYLOAD_INVALID.en,
        details: { issues: [{ path: ['payload', 'maintenancePeriodEndsOn'] }] },
      },
    });
    await staffMove(id, 'out-of-scope', { basis: { kind: 'maintenance-period-ended', endedOn: '2025-06-13' } });
    const seen = await call<PortalTicket>('GET', `/api/portal/platform-tickets/${id}`, plantA.headers);
    expect(seen.body.outOfScope).toEqual({
      kind: 'maintenance-period-ended',
      clause: MAINTENANCE_PERIOD_CLAUSE,
      clauseNumber: null,
      endedOn: '2025-06-13',
      solutionOffered: null,
    });
  });
});

describe("another organisation's platform tickets", () => {
  it("answers every portal platform route for another organisation's id exactly like a missing id", async () => {
    const { id: ofA } = await resolvedTicket(plantA);
    const missing = 999_999;
    const routes: Array<[string, (id: number) => string, unknown?]> = [
      ['GET', (id) => `/api/portal/platform-tickets/${id}`],
      ['POST', (id) => `/api/portal/platform-tickets/${id}/confirm-fixed`],
      ['POST', (id) => `/api/portal/platform-tickets/${id}/not-fixed`, { reason: 'not fixed' }],
    ];
    for (const [method, path, body] of routes) {
      const foreign = await call<{ error: string; details: { id: number } }>(method, path(ofA), plantB.headers, body);
      const absent = await call<{ error: string; details: { id: number } }>(method, path(missing), plantB.headers, body);
      expect({ route: path(0), status: foreign.status, body: foreign.body }).toEqual({
        route: path(0),
        status: 404,
        body: { error: 'PLATFORM_TICKET_NOT_FOUND', message: ERROR_MESSAGES.PLATFORM_TICKET_NOT_FOUND.en, details: { id: ofA } },
      });
      expect(absent).toEqual({
        status: 404,
        body: { error: 'PLATFORM_TICKET_NOT_FOUND', message: ERROR_MESSAGES.PLATFORM_TICKET_NOT_FOUND.en, details: { id: missing } },
      });
    }
    const list = await call<{ tickets: PortalTicket[] }>('GET', '/api/portal/platform-tickets', plantB.headers);
    expect(list.body.tickets.map((t) => t.id)).not.toContain(ofA);
    // B's attempts moved nothing: A's ticket still waits for A's answer.
    expect((await call<PortalTicket>('GET', `/api/portal/platform-tickets/${ofA}`, plantA.headers)).body.state).toBe('resolved');
  });
});
