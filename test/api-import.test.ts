import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../services/edge/registry/domain/csv-text.ts';
import { startApiFixture, type ApiFixture } from './helpers/http-fixture.ts';
import { ERROR_MESSAGES } from '../services/platform/http/error-messages.ts';

const HEADER = 'serial,model,firmware,productionDate,saleDate,receiptDate,customerName,customerContacts,customerPhone,customerAddress,businessLine';

let api: ApiFixture;
let afterSales: Record<string, string>;

async function deviceCount(): Promise<number> {
  const { n } = await api.db
    .selectFrom('devices')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

function importCsv(csv: string, headers: Record<string, string> = afterSales, query = '') {
  return api.request('POST', `/api/devices/import${query}`, { headers, csv });
}

beforeAll(async () => {
  api = await startApiFixture();
  afterSales = await api.headersFor('after-sales');
});
afterAll(() => api.close());

describe('CSV import', () => {
  it('registers every row and answers secrets that verify against the stored hashes', async () => {
    const csv =
      '\uFEFF' +
      [
        HEADER,
        'MTB2501000001,MT-BOX-S1,3.2.1,2024-12-01,2025-01-05,2025-01-09,"Acme, Ltd","Li Lei",+86 21 5555,"Building 3\r\nNo. 8 Road",smart-factory',
        'MTB2501000002,MT-BOX-P2,,,,,,,,,',
        'MTB2501000003,MT-BOX-X4,,,,,Harbor Co,,,,smart-logistics',
      ].join('\r\n') +
      '\r\n';
    const res = await importCsv(csv);
    expect(res.status).toBe(201);
    const body = (await res.json()) as { imported: number; devices: Array<{ serial: string; secret: string }> };
    expect(body.imported).toBe(3);
    expect(body.devices.map((d) => d.serial)).toEqual(['MTB2501000001', 'MTB2501000002', 'MTB2501000003']);
    for (const { serial, secret } of body.devices) {
      const stored = await api.registry.credentials(serial);
      expect(api.boxSecrets.check(secret, stored!.secretHash)).toEqual({ result: 'match' });
    }
    expect(await api.registry.findBySerial('MTB2501000001')).toMatchObject({
      customer: { name: 'Acme, Ltd', contacts: 'Li Lei', phone: '+86 21 5555', address: 'Building 3\r\nNo. 8 Road', businessLine: 'smart-factory' },
      receiptDate: '2025-01-09',
    });
  });

  it('answers serial,secret CSV when asked with Accept: text/csv or ?format=csv', async () => {
    const byAccept = await importCsv('serial,model\nMTB2502000001,M\n', { ...afterSales, accept: 'text/csv' });
    expect(byAccept.status).toBe(201);
    expect(byAccept.headers.get('content-type')).toMatch(/^text\/csv/);
    const parsed = parseCsv(await byAccept.text());
    expect(parsed).toEqual({
      ok: true,
      records: [
        ['serial', 'secret'],
        ['MTB2502000001', expect.any(String)],
      ],
    });

    const byQuery = await importCsv('serial,model\nMTB2502000002,M\n', afterSales, '?format=csv');
    expect((await byQuery.text()).startsWith('serial,secret\r\nMTB2502000002,')).toBe(true);
  });

  it('reports every bad row with its spreadsheet row number and column, and imports nothing', async () => {
    const before = await deviceCount();
    const csv = [
      'serial,model,receiptDate,customerName,businessLine',
      'MTB2503000001,M,2025-01-01,Acme,smart-factory',
      'MTB2503000002,,2025-13-01,Acme,smart-factory',
      'MTB2503000003,M,,Acme,',
      'MTB2503000001,M,,,',
    ].join('\n');
    const res = await importCsv(csv);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'IMPORT_INVALID',
      message: ERROR_MESSAGES.IMPORT_INVALID.en,
      details: [
        {
          row: 3,
          serial: 'MTB2503000002',
          errors: [
            { field: 'model', message: expect.any(String) },
            { field: 'receiptDate', message: expect.any(String) },
          ],
        },
        { row: 4, serial: 'MTB2503000003', errors: [{ field: 'businessLine', message: expect.any(String) }] },
        { row: 5, serial: 'MTB2503000001', errors: [{ field: 'serial', message: 'duplicate of row 2' }] },
      ],
    });
    expect(await deviceCount()).toBe(before);
  });

  it('answers 409 DEVICE_EXISTS naming the rows of serials already registered, and imports nothing', async () => {
    await importCsv('serial,model\nMTB2504000001,M\n');
    const before = await deviceCount();
    const res = await importCsv('serial,model\nMTB2504000002,M\nMTB2504000001,M\n');
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({
      error: 'DEVICE_EXISTS',
      message: ERROR_MESSAGES.DEVICE_EXISTS.en,
      details: [{ row: 3, serial: 'MTB2504000001', errors: [{ field: 'serial', message: 'already registered' }] }],
    });
    expect(await deviceCount()).toBe(before);
    expect(await api.registry.findBySerial('MTB2504000002')).toBeNull();
  });

  it('answers 400 CSV_MALFORMED for an unknown column, an unterminated quote or a quote inside an unquoted cell', async () => {
    const unknown = await importCsv('serial,model,colour\nMTB2505000001,M,red\n');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({
      error: 'CSV_MALFORMED',
      message: ERROR_MESSAGES.CSV_MALFORMED.en,
      details: [{ row: 1, serial: null, errors: [{ field: 'colour', message: expect.stringContaining('unknown column') }] }],
    });
    const open = await importCsv('serial,model\nMTB2505000001,"M\n');
    expect(await open.json()).toEqual({
      error: 'CSV_MALFORMED',
      message: ERROR_MESSAGES.CSV_MALFORMED.en,
      details: [{ row: 2, serial: null, errors: [{ field: null, message: 'unterminated quoted field' }] }],
    });
    // RFC 4180 §2.5: a quote may appear only in a quoted field.
    const stray = await importCsv('serial,model\nMTB2505000001,M\nMTB2505000002,5" display\n');
    expect(await stray.json()).toEqual({
      error: 'CSV_MALFORMED',
      message: ERROR_MESSAGES.CSV_MALFORMED.en,
      details: [{ row: 3, serial: null, errors: [{ field: null, message: expect.stringContaining('quote the whole field') }] }],
    });
  });

  it('refuses a technician with 403 and a JSON body with 415', async () => {
    const technician = await api.headersFor('technician');
    expect((await importCsv('serial,model\nMTB2506000001,M\n', technician)).status).toBe(403);
    const json = await api.request('POST', '/api/devices/import', { headers: afterSales, json: [{ serial: 'MTB2506000001' }] });
    expect(json.status).toBe(415);
    expect(await json.json()).toEqual({
      error: 'UNSUPPORTED_MEDIA_TYPE',
      message: ERROR_MESSAGES.UNSUPPORTED_MEDIA_TYPE.en,
      details: { expected: 'text/csv', received: 'application/json' },
    });
  });

  it('answers 413 PAYLOAD_TOO_LARGE for a file over 10 MB', async () => {
    const row = 'MTB2507000001,' + 'M'.repeat(1000) + '\n';
    const res = await importCsv('serial,model\n' + row.repeat(10_500));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toBe('PAYLOAD_TOO_LARGE');
  });
});
