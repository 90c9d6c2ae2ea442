import { describe, expect, it } from 'vitest';
import { parseDeviceCsv } from '../services/edge/registry/domain/csv-import.ts';
import { boxWarranty, chinaDate } from '../services/kernel/warranty-period.ts';
import { formatCsv } from './csv.ts';
import { DEVICE_IMPORT_COLUMNS, demoDevice, demoDeviceRow, serialFor } from './demo-fleet.ts';

const TODAY = Date.UTC(2026, 10, 2);

describe('demo fleet', () => {
  it('numbers serials as MTB + YYMM + six digits', () => {
    expect(serialFor('MTB2611', 1)).toBe('MTB2611000001');
    expect(serialFor('MTB2611', 123_456)).toBe('MTB2611123456');
    expect(() => serialFor('MTB2611', 0)).toThrow(RangeError);
  });

  it('writes import rows the backend CSV importer accepts', () => {
    const devices = Array.from({ length: 100 }, (_, i) => demoDevice(serialFor('MTB2611', i + 1), TODAY, 0));
    const parsed = parseDeviceCsv(formatCsv([DEVICE_IMPORT_COLUMNS, ...devices.map(demoDeviceRow)]));
    expect(parsed.ok).toBe(true);
  });

  it('spreads customers over all four business lines with boxes in, out of and of unknown warranty, some counted from the sale date', () => {
    const devices = Array.from({ length: 200 }, (_, i) => demoDevice(serialFor('MTB2611', i + 1), TODAY, 0));
    expect(new Set(devices.map((d) => d.businessLine)).size).toBe(4);
    const answers = devices.map((d) => boxWarranty({ receiptDate: d.receiptDate || null, saleDate: d.saleDate || null }, chinaDate(TODAY)));
    for (const status of ['in-warranty', 'expired', 'unknown'] as const) {
      expect(answers.filter((w) => w.status === status).length).toBeGreaterThan(10);
    }
    expect(answers.filter((w) => w.basis === 'sale-date').length).toBeGreaterThan(10);
  });

  it('gives a serial the same registry row on every run', () => {
    expect(demoDevice('MTB2611000042', TODAY, 0)).toEqual(demoDevice('MTB2611000042', TODAY, 0));
  });
});
