import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { API_ROUTES } from '../services/compose-routes.ts';
import type { AnyRouteShape } from '../services/kernel/route-definition.ts';
import { customerOrg, type CustomerOrg } from './helpers/customer-kit.ts';
import { startApiFixture, type ApiFixture } from './helpers/http-fixture.ts';

/*
 * Tenant isolation, walked over the whole route table so a new route cannot forget it: a
 * customer account is refused every staff route, and every portal route answers another
 * organisation's ids exactly as it answers ids that do not exist. A portal route without a
 * probe below fails this test until one is written.
 */

let api: ApiFixture;
let a: CustomerOrg;
let b: CustomerOrg;
const BOX_A = 'MTBTENANTA01';
const BOX_B = 'MTBTENANTB01';
const MISSING_SERIAL = 'MTB2499999999';
const MISSING_ID = 987654;
// What organisation B owns, by kind: A asks for each and must learn nothing.
const bIds = { ticket: 0, report: 0, session: 0, notification: 0, delivery: 0 };

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: answers are read field by field
  body: any;
}

async function send(headers: Record<string, string>, method: string, path: string, json?: unknown): Promise<Answer> {
  const res = await api.request(method, path, { headers, ...(json !== undefined ? { json } : {}) });
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
}

async function must(answer: Promise<Answer>, status = 200) {
  const r = await answer;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

const BUG_FORM = {
  project: 'Plant B SCADA',
  reporter: 'plant.b',
  contact: '0510-8888-0000',
  description: 'The trend page is blank.',
  severity: 'medium',
  occurredAt: 0,
};

/** Everything organisation B can own: a repair, a BUG report, a session, a notification and its webhook delivery. */
async function seedOrganisationB(): Promise<void> {
  const staff = await api.headersFor('after-sales');
  const engineer = await api.headersFor('engineer');
  await must(send(b.headers, 'PUT', '/api/portal/webhook', { url: 'http://127.0.0.1:9/hook', enabled: true }));
  bIds.ticket = (await must(send(b.headers, 'POST', '/api/portal/tickets', { serial: BOX_B, form: { faultPhenomenon: 'no 4G' } }), 201)).id;
  bIds.report = (
    await must(send(b.headers, 'POST', '/api/portal/platform-tickets', { form: { ...BUG_FORM, occurredAt: api.now() - 3_600_000 } }), 201)
  ).id;
  const move = (to: string, payload: Record<string, unknown>, headers = staff) =>
    must(send(headers, 'POST', `/api/platform-tickets/${bIds.report}/transitions`, { to, reason: `to ${to}`, payload }));
  await move('confirmed', { service: 'remote-technical-support' });
  await move('repairing', { solution: 'restart the collector', agreedBy: api.now() + 4 * 3_600_000 }, engineer);
  await move('resolved', { summary: 'collector restarted' }, engineer);
  // The resolved report asks B for feedback: a notification and its webhook delivery.
  const deadline = Date.now() + 10_000;
  while (bIds.notification === 0 && Date.now() < deadline) {
    const list = await must(send(b.headers, 'GET', '/api/portal/notifications'));
    bIds.notification = list.notifications[0]?.id ?? 0;
  }
  if (bIds.notification === 0) throw new Error('no notification for organisation B within 10 s');
  bIds.delivery = (await must(send(b.headers, 'GET', '/api/portal/webhook/deliveries'))).deliveries[0].id;
  bIds.session = (await must(send(engineer, 'POST', '/api/sessions', { serial: BOX_B }), 201)).id;
  await must(send(engineer, 'POST', `/api/sessions/${bIds.session}/links`, { label: 'plant B operator' }), 201);
}

beforeAll(async () => {
  api = await startApiFixture({ SESSION_TTL_H: '8760', WEBHOOK_ALLOW_PRIVATE: 'true' });
  const admin = await api.headersFor('admin');
  for (const serial of [BOX_A, BOX_B]) {
    await must(send(admin, 'POST', '/api/devices', { serial, model: 'MT-BOX-4G', receiptDate: '2025-03-01' }), 201);
  }
  a = await customerOrg(api, 'Plant A', [BOX_A], 'plant.a');
  b = await customerOrg(api, 'Plant B', [BOX_B], 'plant.b');
  await seedOrganisationB();
});
afterAll(() => api.close());

const SAMPLE_PARAMS = ['MTB2499999999', '987654', '2026', '0123456789abcdef0123456789abcdef', 'A'.repeat(43)];

function samplePath(route: AnyRouteShape): string {
  if (!route.params) return route.path;
  const shape = (route.params as z.ZodObject).shape as Record<string, z.ZodType>;
  return route.path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const value = SAMPLE_PARAMS.find((v) => shape[name]!.safeParse(v).success);
    if (value === undefined) throw new Error(`no sample value fits :${name} of ${route.path}`);
    return encodeURIComponent(value);
  });
}

const key = (route: AnyRouteShape) => `${route.method.toUpperCase()} ${route.path}`;

// Routes any signed-in account uses about itself: nothing in them belongs to an organisation.
const OWN_ACCOUNT_ROUTES = ['POST /api/auth/logout', 'GET /api/auth/me', 'PATCH /api/auth/me/preferences', 'POST /api/auth/password'];

interface Call {
  method: string;
  path: string;
  json?: unknown;
}

/**
 * How each portal route is asked for organisation B's data as customer A. A route that names
 * an id is asked with B's id and with one that exists nowhere: both answers must be the same
 * 404. A route that names none (a list, the organisation's own webhook) is scoped by the
 * account alone: `check` shows B's data is absent from A's answer, or untouched by A's call.
 */
type Probe = { byId: (ids: { serial: string; id: (kind: keyof typeof bIds) => number }) => Call } | { check: () => Promise<void> };

const asA = (method: string, path: string, json?: unknown) => send(a.headers, method, path, json);
const ids = (list: { id: number }[]) => list.map((x) => x.id);
/** B's webhook before and after A's call: A's call must not change it. */
async function leavesBWebhook(call: () => Promise<Answer>): Promise<void> {
  const before = await must(send(b.headers, 'GET', '/api/portal/webhook'));
  await call();
  expect(await must(send(b.headers, 'GET', '/api/portal/webhook'))).toEqual(before);
}

const PORTAL_PROBES: Record<string, Probe> = {
  'GET /api/portal/devices': {
    check: async () => expect((await must(asA('GET', '/api/portal/devices'))).devices.map((d: { serial: string }) => d.serial)).toEqual([BOX_A]),
  },
  'GET /api/portal/devices/:sn': { byId: ({ serial }) => ({ method: 'GET', path: `/api/portal/devices/${serial}` }) },
  'POST /api/portal/tickets': {
    byId: ({ serial }) => ({ method: 'POST', path: '/api/portal/tickets', json: { serial, form: { faultPhenomenon: 'guess' } } }),
  },
  'GET /api/portal/tickets': { check: async () => expect(ids((await must(asA('GET', '/api/portal/tickets'))).tickets)).not.toContain(bIds.ticket) },
  'GET /api/portal/tickets/:id': { byId: ({ id }) => ({ method: 'GET', path: `/api/portal/tickets/${id('ticket')}` }) },
  'POST /api/portal/tickets/:id/decision': {
    byId: ({ id }) => ({ method: 'POST', path: `/api/portal/tickets/${id('ticket')}/decision`, json: { decision: 'decline' } }),
  },
  'POST /api/portal/tickets/:id/remittance': {
    byId: ({ id }) => ({ method: 'POST', path: `/api/portal/tickets/${id('ticket')}/remittance`, json: { amountFen: 100, reference: 'x' } }),
  },
  'POST /api/portal/tickets/:id/shipment': {
    byId: ({ id }) => ({
      method: 'POST',
      path: `/api/portal/tickets/${id('ticket')}/shipment`,
      json: { carrier: 'SF Express', trackingNumber: 'SF1' },
    }),
  },
  'POST /api/portal/tickets/:id/receipt': { byId: ({ id }) => ({ method: 'POST', path: `/api/portal/tickets/${id('ticket')}/receipt` }) },
  'GET /api/portal/platform-tickets/form-defaults': {
    check: async () => expect((await must(asA('GET', '/api/portal/platform-tickets/form-defaults'))).project).toBe('Plant A'),
  },
  'POST /api/portal/platform-tickets': {
    check: async () => {
      const mine = await must(
        asA('POST', '/api/portal/platform-tickets', { form: { ...BUG_FORM, project: 'Plant A', occurredAt: api.now() - 60_000 } }),
        201,
      );
      expect(ids((await must(send(b.headers, 'GET', '/api/portal/platform-tickets'))).tickets)).not.toContain(mine.id);
    },
  },
  'GET /api/portal/platform-tickets': {
    check: async () => expect(ids((await must(asA('GET', '/api/portal/platform-tickets'))).tickets)).not.toContain(bIds.report),
  },
  'GET /api/portal/platform-tickets/:id': { byId: ({ id }) => ({ method: 'GET', path: `/api/portal/platform-tickets/${id('report')}` }) },
  'POST /api/portal/platform-tickets/:id/confirm-fixed': {
    byId: ({ id }) => ({ method: 'POST', path: `/api/portal/platform-tickets/${id('report')}/confirm-fixed` }),
  },
  'POST /api/portal/platform-tickets/:id/not-fixed': {
    byId: ({ id }) => ({ method: 'POST', path: `/api/portal/platform-tickets/${id('report')}/not-fixed`, json: { reason: 'still blank' } }),
  },
  'GET /api/portal/sessions': {
    check: async () => expect(ids((await must(asA('GET', '/api/portal/sessions'))).sessions)).not.toContain(bIds.session),
  },
  'POST /api/portal/sessions/:id/join': { byId: ({ id }) => ({ method: 'POST', path: `/api/portal/sessions/${id('session')}/join` }) },
  'GET /api/portal/notifications': {
    check: async () => expect(ids((await must(asA('GET', '/api/portal/notifications'))).notifications)).not.toContain(bIds.notification),
  },
  'POST /api/portal/notifications/:id/read': {
    byId: ({ id }) => ({ method: 'POST', path: `/api/portal/notifications/${id('notification')}/read` }),
  },
  'GET /api/portal/webhook': { check: async () => expect((await asA('GET', '/api/portal/webhook')).status).toBe(404) },
  'PUT /api/portal/webhook': { check: () => leavesBWebhook(() => asA('PUT', '/api/portal/webhook', { url: 'http://127.0.0.1:9/a', enabled: true })) },
  'DELETE /api/portal/webhook': { check: () => leavesBWebhook(() => asA('DELETE', '/api/portal/webhook')) },
  'POST /api/portal/webhook/rotate-secret': { check: () => leavesBWebhook(() => asA('POST', '/api/portal/webhook/rotate-secret')) },
  'GET /api/portal/webhook/deliveries': {
    check: async () => expect(ids((await must(asA('GET', '/api/portal/webhook/deliveries'))).deliveries)).not.toContain(bIds.delivery),
  },
  'POST /api/portal/webhook/deliveries/:id/retry': {
    byId: ({ id }) => ({ method: 'POST', path: `/api/portal/webhook/deliveries/${id('delivery')}/retry` }),
  },
};

const staffRoutes = API_ROUTES.filter((r) => r.access !== 'public' && r.access !== 'session' && r.access !== 'portal:use');
const portalRoutes = API_ROUTES.filter((r) => r.access === 'portal:use');

describe('a customer account and the staff routes', () => {
  it.each(staffRoutes.map((r) => [key(r), r] as const))('%s answers a customer 403 FORBIDDEN', async (_name, route) => {
    const res = await api.request(route.method.toUpperCase(), samplePath(route), { headers: a.headers });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toBe('FORBIDDEN');
  });

  it('leaves only its own account routes open to every session', () => {
    expect(API_ROUTES.filter((r) => r.access === 'session').map(key)).toEqual(OWN_ACCOUNT_ROUTES);
  });
});

describe('the portal routes and another organisation', () => {
  it('has a probe for every portal route', () => {
    expect(portalRoutes.map(key).filter((k) => !PORTAL_PROBES[k])).toEqual([]);
  });

  it.each(portalRoutes.map((r) => [key(r)] as const))('%s gives organisation A nothing of organisation B', async (name) => {
    const probe = PORTAL_PROBES[name];
    if (!probe) throw new Error(`no probe for ${name}`);
    if ('check' in probe) return probe.check();
    const ask = (c: Call) => asA(c.method, c.path, c.json);
    const foreign = await ask(probe.byId({ serial: BOX_B, id: (kind) => bIds[kind] }));
    const missing = await ask(probe.byId({ serial: MISSING_SERIAL, id: () => MISSING_ID }));
    expect(foreign.status).toBe(404);
    expect({ status: foreign.status, error: foreign.body.error, details: Object.keys(foreign.body.details ?? {}).sort() }).toEqual({
      status: missing.status,
      error: missing.body.error,
      details: Object.keys(missing.body.details ?? {}).sort(),
    });
  });

  it('left everything of organisation B as it was', async () => {
    const staff = await api.headersFor('after-sales');
    expect((await must(send(staff, 'GET', `/api/tickets/${bIds.ticket}`))).ticket.state).toBe('registered');
    expect((await must(send(b.headers, 'GET', `/api/portal/platform-tickets/${bIds.report}`))).state).toBe('resolved');
    const notification = (await must(send(b.headers, 'GET', '/api/portal/notifications'))).notifications.find(
      (n: { id: number }) => n.id === bIds.notification,
    );
    expect(notification.readAt).toBeNull();
  });
});
