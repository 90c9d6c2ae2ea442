import { describe, expect, it } from 'vitest';
import { earliestReceiptInWarranty, NewDevice, warrantyStatus } from './device.ts';
import { warrantyEnd } from '../../../kernel/warranty-period.ts';

describe('warranty from the receipt date', () => {
  it('runs twelve months from the day the customer received the box', () => {
    expect(warrantyEnd('2025-03-15')).toBe('2026-03-14');
    expect(warrantyStatus('2025-03-15', '2026-03-14')).toBe('in-warranty');
    expect(warrantyStatus('2025-03-15', '2026-03-15')).toBe('expired');
  });

  it('ends on 28 February for a box received on 29 February', () => {
    expect(warrantyEnd('2024-02-29')).toBe('2025-02-28');
  });

  it('is in warranty exactly for receipt dates on or after one threshold, month ends and leap days included', () => {
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    for (let t = Date.parse('2023-12-01'); t <= Date.parse('2025-04-01'); t += 86_400_000) {
      const today = day(t);
      const threshold = earliestReceiptInWarranty(today);
      for (let r = t - 420 * 86_400_000; r <= t; r += 86_400_000) {
        const receipt = day(r);
        if ((warrantyStatus(receipt, today) === 'in-warranty') !== receipt >= threshold) throw new Error(`${receipt} on ${today}`);
      }
    }
  });

  it('is unknown until after-sales records the receipt date', () => {
    expect(warrantyStatus(null, '2026-01-01')).toBe('unknown');
  });
});

describe('new device input', () => {
  it('refuses dates that do not exist and dates out of order', () => {
    expect(NewDevice.safeParse({ serial: 'MTB2411000123', model: 'MT-BOX-4G', saleDate: '2025-02-30' }).success).toBe(false);
    const r = NewDevice.safeParse({ serial: 'MTB2411000123', model: 'MT-BOX-4G', saleDate: '2025-05-01', receiptDate: '2025-04-01' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['receiptDate']);
  });

  it('refuses serials that could break a topic', () => {
    expect(NewDevice.safeParse({ serial: 'MTB/+/#', model: 'x' }).success).toBe(false);
  });
});
