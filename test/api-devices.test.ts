import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiFixture, type ApiFixture } from './helpers/http-fixture.ts';
import { ERROR_MESSAGES } from '../services/platform/http/error-messages.ts';

const A = {
  serial: 'MTB2411000001',
  model: 'MT-BOX-4G',
  firmware: '3.2.1',
  productionDate: '2024-11-02',
  saleDate: '2025-01-03',
  receiptDate: '2025-01-10',
  customer: { name: 'Acme Automation', contacts: 'Li Lei', phone: '+86 21 5555 0101', businessLine: 'smart-factory' },
};
const B = {
  serial: 'MTB2411000002',
  model: 'MT-BOX-S1',
  receiptDate: '2024-03-01',
  customer: { name: 'Metro Lighting', businessLine: 'smart-city' },
};
const C = { serial: 'MTB2411000003', model: 'MT-BOX-4G' };

let api: ApiFixture;
let afterSales: Record<string, string>;
let technician: Record<string, string>;
const secrets = new Map<string, string>();

async function deviceId(serial: string): Promise<number> {
  return (await api.registry.findBySerial(serial))!.id;
}

beforeAll(async () => {
  api = await startApiFixture();
  afterSales = await api.headersFor('after-sales');
  technician = await api.headersFor('technician');
  for (const d of [A, B, C]) {
    const res = await api.request('POST', '/api/devices', { headers: afterSales, json: d });
    if (res.status !== 201) throw new Error(`register ${d.serial}: ${res.status} ${await res.text()}`);
    secrets.set(d.serial, ((await res.json()) as { secret: string }).secret);
  }
  // Presence as the broker reports it: A connected a minute ago and was last heard 5 s ago;
  // B went offline a day ago.
  api.shadows.connected(await deviceId(A.serial), '10.0.0.7', api.now() - 60_000);
  api.shadows.status(await deviceId(A.serial), { state: 'online' }, api.now() - 5000);
  api.shadows.connected(await deviceId(B.serial), '10.0.0.8', api.now() - 2 * 86_400_000);
  api.shadows.disconnected(await deviceId(B.serial), api.now() - 86_400_000);
});
afterAll(() => api.close());

describe('registering a box', () => {
  it('refuses a technician with 403 FORBIDDEN', async () => {
    const res = await api.request('POST', '/api/devices', { headers: technician, json: { serial: 'MTB2411000099', model: 'M' } });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: 'FORBIDDEN',
      message: ERROR_MESSAGES.FORBIDDEN.en,
      details: { action: 'devices:write', role: 'technician' },
    });
    expect(await api.registry.findBySerial('MTB2411000099')).toBeNull();
  });

  it('lets after-sales register a box and answers a one-time secret that matches the stored hash', async () => {
    const res = await api.request('POST', '/api/devices', { headers: afterSales, json: { serial: 'MTB2411000010', model: 'MT-BOX-X4' } });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { device: Record<string, unknown>; secret: string };
    expect(body.device).toEqual({
      serial: 'MTB2411000010',
      model: 'MT-BOX-X4',
      firmware: null,
      productionDate: null,
      saleDate: null,
      receiptDate: null,
      customer: null,
      enabled: true,
      requireCertificate: false,
      createdAt: api.now(),
      organisation: null,
      warranty: {
        status: 'unknown',
        endsOn: null,
        startsOn: null,
        basis: 'unknown',
        reasons: [
          'Neither the receipt date nor the sale/delivery date is recorded, so the warranty cannot be decided; record the express-delivery signing date.',
        ],
      },
      presence: { online: false, lastSeen: null },
    });
    const stored = await api.registry.credentials('MTB2411000010');
    expect(stored!.secretHash).not.toContain(body.secret);
    expect(api.boxSecrets.check(body.secret, stored!.secretHash)).toEqual({ result: 'match' });
  });

  it('answers 400 VALIDATION_FAILED with the path of each bad field', async () => {
    const res = await api.request('POST', '/api/devices', {
      headers: afterSales,
      json: { serial: 'mtb-1', model: 'M', customer: { name: 'X', businessLine: 'smart-moon' } },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'VALIDATION_FAILED',
      message: ERROR_MESSAGES.VALIDATION_FAILED.en,
      details: [
        { in: 'body', path: 'serial', message: 'serial: 6-23 upper-case letters and digits, e.g. MTB2411000123' },
        { in: 'body', path: 'customer.businessLine', message: expect.any(String) },
      ],
    });
  });

  it('answers 409 DEVICE_EXISTS for a serial registered before', async () => {
    const res = await api.request('POST', '/api/devices', { headers: afterSales, json: { serial: A.serial, model: 'Other' } });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ error: 'DEVICE_EXISTS', message: ERROR_MESSAGES.DEVICE_EXISTS.en, details: { serial: A.serial } });
    expect((await api.registry.findBySerial(A.serial))!.model).toBe(A.model);
  });
});

describe('listing boxes', () => {
  async function serials(query: string): Promise<string[]> {
    const res = await api.request('GET', `/api/devices${query}`, { headers: technician });
    expect(res.status).toBe(200);
    return ((await res.json()) as { devices: Array<{ serial: string }> }).devices.map((d) => d.serial);
  }

  it('shows each box with its warranty and presence', async () => {
    const res = await api.request('GET', '/api/devices?model=MT-BOX-4G', { headers: technician });
    const { devices } = (await res.json()) as { devices: Array<Record<string, unknown>> };
    expect(devices.find((d) => d.serial === A.serial)).toMatchObject({
      customer: A.customer,
      warranty: { status: 'in-warranty', endsOn: '2026-01-09' },
      presence: { online: true, lastSeen: api.now() - 5000 },
    });
  });

  it('filters by presence, model, customer name and warranty', async () => {
    expect(await serials('?online=true')).toEqual([A.serial]);
    expect(await serials('?online=false&model=MT-BOX-4G')).toEqual([C.serial]);
    expect(await serials('?customer=lighting')).toEqual([B.serial]);
    expect(await serials('?warranty=expired')).toEqual([B.serial]);
    expect(await serials('?warranty=in-warranty')).toEqual([A.serial]);
  });

  it('answers 400 for an unknown filter value or filter name', async () => {
    const bad = await api.request('GET', '/api/devices?warranty=forever&colour=red', { headers: technician });
    expect(bad.status).toBe(400);
    const { details } = (await bad.json()) as { details: Array<{ in: string; path: string }> };
    expect(details.map((d) => [d.in, d.path])).toEqual([
      ['query', 'warranty'],
      ['query', 'colour'],
    ]);
  });
});

describe('one box', () => {
  it('shows registry data, warranty and the whole shadow, but never the secret hash', async () => {
    const id = await deviceId(A.serial);
    // What a box sends after connecting: its status, two payloads that break the schema, then telemetry.
    api.shadows.status(id, { state: 'online', fw: '3.2.1', model: 'MT-BOX-4G' }, api.now() - 50_000);
    api.shadows.rejected(id, 'schema', api.now() - 40_000);
    api.shadows.rejected(id, 'schema', api.now() - 30_000);
    api.shadows.telemetry(id, { ts: api.now() - 6000, seq: 1, metrics: { board_temp: 41.5, rssi: -71 } }, api.now() - 5000);
    const res = await api.request('GET', `/api/devices/${A.serial}`, { headers: technician });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({
      ...A,
      enabled: true,
      requireCertificate: false,
      createdAt: api.now(),
      organisation: null,
      warranty: {
        status: 'in-warranty',
        endsOn: '2026-01-09',
        startsOn: '2025-01-10',
        basis: 'receipt-date',
        reasons: [
          "Covered 12 months from the customer's receipt (express-delivery signing) date 2025-01-10.",
          'In warranty on 2025-06-15: covered through 2026-01-09.',
        ],
      },
      presence: {
        online: true,
        lastSeen: api.now() - 5000,
        connectedAt: api.now() - 60_000,
        disconnectedAt: null,
        address: '10.0.0.7',
        reportedFw: '3.2.1',
        reportedModel: 'MT-BOX-4G',
      },
      metrics: { values: { board_temp: 41.5, rssi: -71 }, ts: api.now() - 6000, receivedAt: api.now() - 5000 },
      rejected: { schema: 2 },
    });
    expect(JSON.stringify(body)).not.toMatch(/scrypt|secret/i);
  });

  it('answers an empty shadow for a box that never connected', async () => {
    const body = (await (await api.request('GET', `/api/devices/${C.serial}`, { headers: technician })).json()) as Record<string, unknown>;
    expect(body.presence).toMatchObject({ online: false, lastSeen: null });
    expect(body.metrics).toEqual({ values: {}, ts: null, receivedAt: null });
  });

  it('answers 404 DEVICE_NOT_FOUND for an unknown serial and 400 for a malformed one', async () => {
    const missing = await api.request('GET', '/api/devices/MTB2499999999', { headers: technician });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: 'DEVICE_NOT_FOUND',
      message: ERROR_MESSAGES.DEVICE_NOT_FOUND.en,
      details: { serial: 'MTB2499999999' },
    });
    const malformed = await api.request('GET', '/api/devices/not-a-serial', { headers: technician });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { details: unknown[] }).details).toEqual([{ in: 'params', path: 'sn', message: expect.any(String) }]);
  });
});

describe('disabling a box and rotating its secret', () => {
  it('disables and re-enables a box and asks the broker to drop its connection', async () => {
    const off = await api.request('PATCH', `/api/devices/${B.serial}`, { headers: afterSales, json: { enabled: false } });
    expect(off.status).toBe(200);
    expect(((await off.json()) as { enabled: boolean }).enabled).toBe(false);
    expect((await api.registry.credentials(B.serial))!.enabled).toBe(false);
    expect(api.disabled).toContain(B.serial);

    const on = await api.request('PATCH', `/api/devices/${B.serial}`, { headers: afterSales, json: { enabled: true } });
    expect(on.status).toBe(200);
    expect((await api.registry.credentials(B.serial))!.enabled).toBe(true);
  });

  it('requires a client certificate for a box, and drops its password session', async () => {
    api.disabled.length = 0;
    const res = await api.request('PATCH', `/api/devices/${B.serial}`, { headers: afterSales, json: { requireCertificate: true } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ requireCertificate: true, enabled: true });
    expect((await api.registry.credentials(B.serial))!.requireCertificate).toBe(true);
    expect(api.disabled).toContain(B.serial);
    const back = await api.request('PATCH', `/api/devices/${B.serial}`, { headers: afterSales, json: { requireCertificate: false } });
    expect(((await back.json()) as { requireCertificate: boolean }).requireCertificate).toBe(false);
  });

  it('refuses a patch that changes nothing', async () => {
    const res = await api.request('PATCH', `/api/devices/${B.serial}`, { headers: afterSales, json: {} });
    expect(res.status).toBe(400);
  });

  it('refuses a technician and an unknown field', async () => {
    expect((await api.request('PATCH', `/api/devices/${B.serial}`, { headers: technician, json: { enabled: false } })).status).toBe(403);
    const extra = await api.request('PATCH', `/api/devices/${B.serial}`, { headers: afterSales, json: { enabled: false, model: 'X' } });
    expect(extra.status).toBe(400);
  });

  it('replaces the secret: the new one verifies, the old one no longer does', async () => {
    const res = await api.request('POST', `/api/devices/${C.serial}/secret`, { headers: afterSales });
    expect(res.status).toBe(200);
    const { serial, secret } = (await res.json()) as { serial: string; secret: string };
    expect(serial).toBe(C.serial);
    const { secretHash } = (await api.registry.credentials(C.serial))!;
    expect(api.boxSecrets.check(secret, secretHash)).toEqual({ result: 'match' });
    expect(api.boxSecrets.check(secrets.get(C.serial)!, secretHash)).toEqual({ result: 'mismatch' });
  });

  it('answers 404 when rotating the secret of an unknown box', async () => {
    const res = await api.request('POST', '/api/devices/MTB2499999999/secret', { headers: afterSales });
    expect(res.status).toBe(404);
  });
});
