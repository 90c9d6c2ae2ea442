import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerOrg } from './helpers/customer-kit.ts';
import { startApiFixture, type ApiFixture } from './helpers/http-fixture.ts';
import { ERROR_MESSAGES } from '../services/platform/http/error-messages.ts';

/*
 * Issue 12: the registry's customer fields become a link to a customer organisation. Device
 * answers carry the organisation, the list filters by it, registering or changing a box sets
 * it, and the CSV import links each row's customer name to its organisation.
 */

let api: ApiFixture;
let clerk: Record<string, string>;

async function json<T = Record<string, unknown>>(res: Response) {
  return { status: res.status, body: (await res.json()) as T };
}

async function organisation(name: string): Promise<number> {
  const res = await json<{ id: number }>(
    await api.request('POST', '/api/organisations', { headers: clerk, json: { name, businessLine: 'smart-factory' } }),
  );
  expect(res.status).toBe(201);
  return res.body.id;
}

function register(serial: string, extra: Record<string, unknown> = {}) {
  return api.request('POST', '/api/devices', { headers: clerk, json: { serial, model: 'MT-BOX-4G', ...extra } });
}

function serialsOf(body: { devices: Array<{ serial: string }> }) {
  return body.devices.map((d) => d.serial);
}

let north: number;
let south: number;

beforeAll(async () => {
  api = await startApiFixture();
  clerk = await api.headersFor('after-sales');
  north = await organisation('Northwind Water');
  south = await organisation('Southgate Metro');
});
afterAll(() => api.close());

describe('boxes linked to customer organisations', () => {
  it('registers a box straight into an organisation and every device answer names it', async () => {
    const created = await json<{ device: Record<string, unknown> }>(await register('MTBLNK0001', { organisationId: north }));
    expect(created.status).toBe(201);
    expect(created.body.device.organisation).toEqual({ id: north, name: 'Northwind Water' });

    const detail = await json(await api.request('GET', '/api/devices/MTBLNK0001', { headers: clerk }));
    expect(detail.body.organisation).toEqual({ id: north, name: 'Northwind Water' });

    const list = await json<{ devices: Array<{ serial: string; organisation: unknown }> }>(
      await api.request('GET', '/api/devices?q=MTBLNK0001', { headers: clerk }),
    );
    expect(list.body.devices).toEqual([expect.objectContaining({ serial: 'MTBLNK0001', organisation: { id: north, name: 'Northwind Water' } })]);
  });

  it('answers organisation null for a box of no organisation', async () => {
    const created = await json<{ device: Record<string, unknown> }>(await register('MTBLNK0002'));
    expect(created.body.device.organisation).toBeNull();
  });

  it('refuses to register a box into an organisation that does not exist, and registers nothing', async () => {
    const res = await json(await register('MTBLNK0003', { organisationId: 999_999 }));
    expect(res).toEqual({
      status: 404,
      body: { error: 'ORGANISATION_NOT_FOUND', message: ERROR_MESSAGES.ORGANISATION_NOT_FOUND.en, details: { id: 999_999 } },
    });
    expect(await api.registry.findBySerial('MTBLNK0003')).toBeNull();
  });

  it('links, moves and unlinks a box with PATCH organisationId', async () => {
    const linked = await json(await api.request('PATCH', '/api/devices/MTBLNK0002', { headers: clerk, json: { organisationId: south } }));
    expect(linked.status).toBe(200);
    expect(linked.body.organisation).toEqual({ id: south, name: 'Southgate Metro' });

    const unknown = await json(await api.request('PATCH', '/api/devices/MTBLNK0002', { headers: clerk, json: { organisationId: 999_999 } }));
    expect(unknown).toEqual({
      status: 404,
      body: { error: 'ORGANISATION_NOT_FOUND', message: ERROR_MESSAGES.ORGANISATION_NOT_FOUND.en, details: { id: 999_999 } },
    });
    expect((await api.registry.findBySerial('MTBLNK0002'))?.organisation).toEqual({ id: south, name: 'Southgate Metro' });

    const unlinked = await json(await api.request('PATCH', '/api/devices/MTBLNK0002', { headers: clerk, json: { organisationId: null } }));
    expect(unlinked.body.organisation).toBeNull();
  });

  it("filters the device list by organisation, and the organisation's own box links show up there", async () => {
    await register('MTBLNK0004');
    const assigned = await api.request('POST', `/api/organisations/${north}/devices`, { headers: clerk, json: { serials: ['MTBLNK0004'] } });
    expect(assigned.status).toBe(200);
    const ofNorth = await json<{ devices: Array<{ serial: string }> }>(
      await api.request('GET', `/api/devices?organisationId=${north}`, { headers: clerk }),
    );
    expect(serialsOf(ofNorth.body)).toEqual(['MTBLNK0001', 'MTBLNK0004']);
    const ofSouth = await json<{ devices: Array<{ serial: string }> }>(
      await api.request('GET', `/api/devices?organisationId=${south}`, { headers: clerk }),
    );
    expect(serialsOf(ofSouth.body)).toEqual([]);
  });

  it('refuses a customer account the staff device list, even filtered by its own organisation', async () => {
    const customer = await customerOrg(api, 'Eastfield Plant', [], 'eastfield.ops');
    const res = await api.request('GET', `/api/devices?organisationId=${customer.organisationId}`, { headers: customer.headers });
    expect(res.status).toBe(403);
  });
});

describe('CSV import links boxes to organisations by customer name', () => {
  const HEADER = 'serial,model,customerName,customerContacts,customerPhone,businessLine';

  it('links rows to an existing organisation in any case and records the organisations it does not know', async () => {
    const csv = [
      HEADER,
      'MTBCSV0001,MT-BOX-4G,NORTHWIND WATER,,,smart-factory',
      'MTBCSV0002,MT-BOX-4G,Lakeside Logistics,Zhao Min,+86 10 5555 0199,smart-logistics',
      'MTBCSV0003,MT-BOX-4G,lakeside logistics,,,smart-logistics',
      'MTBCSV0004,MT-BOX-4G,,,,',
    ].join('\n');
    const res = await json<{ imported: number; organisationsCreated: Array<{ id: number; name: string }> }>(
      await api.request('POST', '/api/devices/import', { headers: clerk, csv }),
    );
    expect(res.status).toBe(201);
    expect(res.body.imported).toBe(4);
    expect(res.body.organisationsCreated).toEqual([{ id: expect.any(Number), name: 'Lakeside Logistics' }]);
    const lakeside = res.body.organisationsCreated[0]!.id;

    expect((await api.registry.findBySerial('MTBCSV0001'))?.organisation).toEqual({ id: north, name: 'Northwind Water' });
    expect((await api.registry.findBySerial('MTBCSV0002'))?.organisation).toEqual({ id: lakeside, name: 'Lakeside Logistics' });
    expect((await api.registry.findBySerial('MTBCSV0003'))?.organisation).toEqual({ id: lakeside, name: 'Lakeside Logistics' });
    expect((await api.registry.findBySerial('MTBCSV0004'))?.organisation).toBeNull();
    // The old text columns are kept as the row wrote them.
    expect((await api.registry.findBySerial('MTBCSV0001'))?.customer).toEqual({ name: 'NORTHWIND WATER', businessLine: 'smart-factory' });

    const created = await json(await api.request('GET', `/api/organisations/${lakeside}`, { headers: clerk }));
    expect(created.body).toMatchObject({
      name: 'Lakeside Logistics',
      businessLine: 'smart-logistics',
      contacts: [{ name: 'Zhao Min', phone: '+86 10 5555 0199' }],
      deviceCount: 2,
    });
  });

  it('refuses a file with a bad row in words, creating neither boxes nor organisations, and takes the corrected file', async () => {
    const bad = [HEADER, 'MTBCSV0101,MT-BOX-4G,Riverside Textiles,,,smart-factory', 'MTBCSV0102,MT-BOX-4G,Riverside Textiles,,,not-a-line'].join(
      '\n',
    );
    const refused = await json<{ error: string; details: Array<{ row: number; serial: string; errors: Array<{ field: string; message: string }> }> }>(
      await api.request('POST', '/api/devices/import', { headers: clerk, csv: bad }),
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('IMPORT_INVALID');
    expect(refused.body.details).toEqual([{ row: 3, serial: 'MTBCSV0102', errors: [{ field: 'businessLine', message: expect.any(String) }] }]);
    expect(await api.registry.findBySerial('MTBCSV0101')).toBeNull();
    const search = await json<{ organisations: unknown[] }>(await api.request('GET', '/api/organisations?q=Riverside', { headers: clerk }));
    expect(search.body.organisations).toEqual([]);

    const fixed = bad.replace('not-a-line', 'smart-factory');
    const taken = await json<{ imported: number; organisationsCreated: Array<{ name: string }> }>(
      await api.request('POST', '/api/devices/import', { headers: clerk, csv: fixed }),
    );
    expect(taken.status).toBe(201);
    expect(taken.body.imported).toBe(2);
    expect(taken.body.organisationsCreated.map((o) => o.name)).toEqual(['Riverside Textiles']);
  });

  it('creates no organisation when the import fails on a serial already registered', async () => {
    const csv = [HEADER, 'MTBCSV0201,MT-BOX-4G,Hilltop Cement,,,smart-factory', 'MTBLNK0001,MT-BOX-4G,Hilltop Cement,,,smart-factory'].join('\n');
    const res = await json<{ error: string }>(await api.request('POST', '/api/devices/import', { headers: clerk, csv }));
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('DEVICE_EXISTS');
    const search = await json<{ organisations: unknown[] }>(await api.request('GET', '/api/organisations?q=Hilltop', { headers: clerk }));
    expect(search.body.organisations).toEqual([]);
  });
});
