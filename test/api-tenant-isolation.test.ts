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
const BOX_A = 'MTBTENANTA01';
const BOX_B = 'MTBTENANTB01';

beforeAll(async () => {
  api = await startApiFixture({ SESSION_TTL_H: '8760' });
  const admin = await api.headersFor('admin');
  for (const serial of [BOX_A, BOX_B]) {
    const res = await api.request('POST', '/api/devices', { headers: admin, json: { serial, model: 'MT-BOX-4G', receiptDate: '2025-03-01' } });
    expect(res.status).toBe(201);
  }
  a = await customerOrg(api, 'Plant A', [BOX_A], 'plant.a');
  await customerOrg(api, 'Plant B', [BOX_B], 'plant.b');
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
const OWN_ACCOUNT_ROUTES = ['POST /api/auth/logout', 'GET /api/auth/me', 'POST /api/auth/password'];

/**
 * How each portal route is asked for another organisation's data, and what must come back.
 * `foreign` is called as customer A with organisation B's ids; `missing` with ids that exist
 * nowhere; both must answer the same status and error code.
 */
interface Probe {
  foreign(): { method: string; path: string; json?: unknown };
  missing(): { method: string; path: string; json?: unknown };
}
const PORTAL_PROBES: Record<string, Probe> = {};

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

  it.each(portalRoutes.map((r) => [key(r), r] as const))('%s answers B’s ids to A as it answers ids that do not exist', async (name) => {
    const probe = PORTAL_PROBES[name];
    if (!probe) throw new Error(`no probe for ${name}`);
    const send = (c: { method: string; path: string; json?: unknown }) =>
      api.request(c.method, c.path, { headers: a.headers, ...(c.json !== undefined ? { json: c.json } : {}) });
    const foreign = await send(probe.foreign());
    const missing = await send(probe.missing());
    expect(foreign.status).toBe(missing.status);
    expect(foreign.status).toBe(404);
    expect(((await foreign.json()) as { error: string }).error).toBe(((await missing.json()) as { error: string }).error);
  });
});
