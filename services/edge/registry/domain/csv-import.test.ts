import { describe, expect, it } from 'vitest';
import { MAX_IMPORT_ROWS, parseDeviceCsv } from './csv-import.ts';

const HEADER = 'serial,model,firmware,productionDate,saleDate,receiptDate,customerName,customerContacts,customerPhone,customerAddress,businessLine';

describe('parseDeviceCsv', () => {
  it('maps flattened columns to NewDevice, treating empty cells as absent', () => {
    const text = `${HEADER}\r\nMTB2411000001,MT-BOX-4G,1.2.0,2024-10-01,2024-11-01,2024-11-05,"Acme, Ltd",Li Lei,+86 10 1234,"Road 1",smart-factory\r\nMTB2411000002,MT-BOX-4G,,,,,,,,,\r\n`;
    expect(parseDeviceCsv(text)).toEqual({
      ok: true,
      devices: [
        {
          row: 2,
          device: {
            serial: 'MTB2411000001',
            model: 'MT-BOX-4G',
            firmware: '1.2.0',
            productionDate: '2024-10-01',
            saleDate: '2024-11-01',
            receiptDate: '2024-11-05',
            customer: { name: 'Acme, Ltd', contacts: 'Li Lei', phone: '+86 10 1234', address: 'Road 1', businessLine: 'smart-factory' },
          },
        },
        { row: 3, device: { serial: 'MTB2411000002', model: 'MT-BOX-4G' } },
      ],
    });
  });

  it('accepts columns in any order and any letter case', () => {
    const result = parseDeviceCsv('Model,SERIAL\nMT-BOX-4G,MTB2411000001\n');
    expect(result).toEqual({ ok: true, devices: [{ row: 2, device: { serial: 'MTB2411000001', model: 'MT-BOX-4G' } }] });
  });

  it('numbers rows like a spreadsheet, counting a multi-line quoted cell as one row and skipping blank rows', () => {
    const text = 'serial,model,customerAddress,customerName,businessLine\nMTB2411000001,M,"line 1\nline 2",Acme,smart-city\n\nbad serial,M,,,\n';
    expect(parseDeviceCsv(text)).toEqual({
      ok: false,
      error: {
        code: 'IMPORT_INVALID',
        details: [{ row: 4, serial: 'bad serial', errors: [{ field: 'serial', message: expect.stringContaining('serial') }] }],
      },
    });
  });

  it('reports every bad row with its column, naming customer fields by their CSV column', () => {
    const text = [
      'serial,model,saleDate,receiptDate,customerName,businessLine',
      'MTB2411000001,M,2024-11-01,2024-10-01,Acme,smart-factory',
      'MTB2411000002,M,,,Acme,smart-mars',
      'MTB2411000003,,2024-02-30,,,',
      'MTB2411000004,M,,,,',
    ].join('\n');
    const result = parseDeviceCsv(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('IMPORT_INVALID');
    expect(result.error.details.map((d) => ({ row: d.row, serial: d.serial, fields: d.errors.map((e) => e.field) }))).toEqual([
      { row: 2, serial: 'MTB2411000001', fields: ['receiptDate'] },
      { row: 3, serial: 'MTB2411000002', fields: ['businessLine'] },
      { row: 4, serial: 'MTB2411000003', fields: ['model', 'saleDate'] },
    ]);
  });

  it('reports a serial repeated inside the file on the later row', () => {
    const result = parseDeviceCsv('serial,model\nMTB2411000001,M\nMTB2411000002,M\nMTB2411000001,M\n');
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'IMPORT_INVALID',
        details: [{ row: 4, serial: 'MTB2411000001', errors: [{ field: 'serial', message: 'duplicate of row 2' }] }],
      },
    });
  });

  it('reports a row with more or fewer cells than the header', () => {
    const result = parseDeviceCsv('serial,model\nMTB2411000001,M,extra\n');
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'IMPORT_INVALID', details: [{ row: 2, errors: [{ field: null }] }] },
    });
  });

  it('refuses a header with an unknown, repeated or missing required column', () => {
    expect(parseDeviceCsv('serial,model,colour\nX,Y,Z')).toMatchObject({
      ok: false,
      error: { code: 'CSV_MALFORMED', details: [{ row: 1, errors: [{ field: 'colour' }] }] },
    });
    expect(parseDeviceCsv('serial,model,serial\n')).toMatchObject({
      error: { code: 'CSV_MALFORMED', details: [{ row: 1, errors: [{ field: 'serial', message: 'column appears twice' }] }] },
    });
    expect(parseDeviceCsv('serial,firmware\n')).toMatchObject({
      error: { code: 'CSV_MALFORMED', details: [{ row: 1, errors: [{ field: 'model' }] }] },
    });
  });

  it('refuses a cell holding U+0000 or a lone surrogate, naming its row and column', () => {
    const text = [
      'serial,model,customerName,businessLine',
      'MTB2411000001,M\u0000X,Acme,smart-factory',
      'MTB2411000002,M,Ac\uD800me,smart-factory',
    ].join('\n');
    const result = parseDeviceCsv(text);
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'IMPORT_INVALID',
        details: [
          { row: 2, serial: 'MTB2411000001', errors: [{ field: 'model', message: expect.stringContaining('U+0000') }] },
          { row: 3, serial: 'MTB2411000002', errors: [{ field: 'customerName', message: expect.stringContaining('lone surrogate') }] },
        ],
      },
    });
  });

  it('refuses a header cell holding U+0000', () => {
    expect(parseDeviceCsv('serial,model\u0000\nMTB2411000001,M')).toMatchObject({
      ok: false,
      error: { code: 'CSV_MALFORMED', details: [{ row: 1, errors: [{ field: null, message: expect.stringContaining('U+0000') }] }] },
    });
  });

  it('refuses an empty file and a file with only a header', () => {
    expect(parseDeviceCsv('')).toMatchObject({ ok: false, error: { code: 'CSV_MALFORMED' } });
    expect(parseDeviceCsv(`${HEADER}\r\n`)).toMatchObject({ ok: false, error: { code: 'CSV_MALFORMED' } });
  });

  it('refuses more rows than one import may hold', () => {
    const rows = Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => `MTB${String(i).padStart(10, '0')},M`);
    const result = parseDeviceCsv(['serial,model', ...rows].join('\n'));
    expect(result).toMatchObject({ ok: false, error: { code: 'IMPORT_TOO_LARGE', details: [{ row: MAX_IMPORT_ROWS + 2 }] } });
  });
});
