import { describe, expect, it } from 'vitest';
import { LOCALES } from './locale.ts';
import {
  boxWarranty,
  chinaDate,
  earliestStartInWarranty,
  WARRANTY_MONTHS,
  type WarrantyReason,
  warrantyEnd,
  warrantyReasonText,
} from './warranty-period.ts';

describe('the 12-month warranty period', () => {
  it('is twelve months', () => {
    expect(WARRANTY_MONTHS).toBe(12);
  });

  it('covers up to the day before the anniversary', () => {
    expect(warrantyEnd('2025-03-10')).toBe('2026-03-09');
    expect(warrantyEnd('2025-01-01')).toBe('2025-12-31');
    expect(warrantyEnd('2025-12-31')).toBe('2026-12-30');
  });

  it('ends on 28 February for a 29 February start, which has no anniversary', () => {
    expect(warrantyEnd('2024-02-29')).toBe('2025-02-28');
  });

  it('runs 366 days when the year spans 29 February 2028', () => {
    expect(warrantyEnd('2027-03-01')).toBe('2028-02-29');
    expect(warrantyEnd('2027-06-15')).toBe('2028-06-14');
    expect(warrantyEnd('2028-02-28')).toBe('2029-02-27');
  });
});

describe("seed: warranty counted on China's calendar date", () => {
  it('is already the next day in China at 23:30 UTC (07:30 in Asia/Shanghai)', () => {
    expect(chinaDate(Date.parse('2026-03-09T23:30:00Z'))).toBe('2026-03-10');
    expect(chinaDate(Date.parse('2026-03-09T15:59:59.999Z'))).toBe('2026-03-09');
    expect(chinaDate(Date.parse('2026-03-09T16:00:00Z'))).toBe('2026-03-10');
  });

  it('matches the Asia/Shanghai time zone of the platform across a year', () => {
    const shanghai = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
    for (let t = Date.parse('2025-01-01T00:17:00Z'); t < Date.parse('2026-01-01'); t += 7 * 3_600_000 + 13 * 60_000) {
      expect(chinaDate(t)).toBe(shanghai.format(t));
    }
  });

  it('expires a box whose last covered day was 9 March at 23:30 UTC on 9 March', () => {
    const today = chinaDate(Date.parse('2026-03-09T23:30:00Z'));
    expect(boxWarranty({ receiptDate: '2025-03-10' }, today)).toMatchObject({ status: 'expired', end: '2026-03-09' });
  });
});

describe("seed: the warranty time is calculated based on the customer's receipt date, else 12 months from the date of sale", () => {
  it('covers the last day (the day before the anniversary) and not the first day after', () => {
    expect(boxWarranty({ receiptDate: '2025-03-10', saleDate: '2025-03-01' }, '2026-03-09')).toMatchObject({
      status: 'in-warranty',
      inWarranty: true,
      basis: 'receipt-date',
      start: '2025-03-10',
      end: '2026-03-09',
    });
    expect(boxWarranty({ receiptDate: '2025-03-10', saleDate: '2025-03-01' }, '2026-03-10')).toMatchObject({ status: 'expired', inWarranty: false });
  });

  it('counts from the sale date when no receipt date is recorded, and says so', () => {
    const last = boxWarranty({ receiptDate: null, saleDate: '2025-03-01' }, '2026-02-28');
    expect(last).toMatchObject({ status: 'in-warranty', basis: 'sale-date', start: '2025-03-01', end: '2026-02-28' });
    expect(warrantyReasonText(last.reasons[0]!, 'en')).toMatch(
      /^Receipt date unknown: counted 12 months from the sale\/delivery date 2025-03-01 instead/,
    );
    expect(boxWarranty({ saleDate: '2025-03-01' }, '2026-03-01')).toMatchObject({ status: 'expired', basis: 'sale-date' });
  });

  it('is unknown with neither date', () => {
    expect(boxWarranty({ receiptDate: null, saleDate: null }, '2026-01-01')).toMatchObject({
      status: 'unknown',
      inWarranty: null,
      basis: 'unknown',
      end: null,
    });
  });

  it('puts a box in warranty exactly when its start is on or after one threshold, month ends and leap days included', () => {
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    for (let t = Date.parse('2023-12-01'); t <= Date.parse('2025-04-01'); t += 86_400_000) {
      const today = day(t);
      const threshold = earliestStartInWarranty(today);
      for (let r = t - 420 * 86_400_000; r <= t + 3 * 86_400_000; r += 86_400_000) {
        const start = day(r);
        const inWarranty = boxWarranty({ saleDate: start }, today).status === 'in-warranty';
        if (inWarranty !== start >= threshold) throw new Error(`${start} on ${today}`);
      }
    }
  });
});

describe('warranty reasons in both languages', () => {
  const every: Record<WarrantyReason['kind'], WarrantyReason> = {
    'counted-from-receipt': { kind: 'counted-from-receipt', start: '2025-03-10' },
    'counted-from-sale': { kind: 'counted-from-sale', start: '2025-03-01' },
    'no-dates': { kind: 'no-dates' },
    'in-warranty': { kind: 'in-warranty', today: '2026-01-05', end: '2026-03-09' },
    expired: { kind: 'expired', end: '2026-03-09' },
    'start-after-today': { kind: 'start-after-today', basis: 'sale-date', start: '2026-05-01', today: '2026-04-01' },
  };

  it('says every kind in every language, Chinese in Chinese and English without it', () => {
    for (const reason of Object.values(every)) {
      for (const locale of LOCALES) expect(warrantyReasonText(reason, locale).trim()).not.toBe('');
      expect(warrantyReasonText(reason, 'zh-CN')).toMatch(/\p{Script=Han}/u);
      expect(warrantyReasonText(reason, 'en')).not.toMatch(/\p{Script=Han}/u);
    }
  });

  it('reads as a Chinese after-sales clerk says it', () => {
    expect(warrantyReasonText(every['counted-from-receipt'], 'zh-CN')).toBe('自客户签收日期（快递签收日期）2025-03-10 起保修 12 个月。');
    expect(warrantyReasonText(every.expired, 'zh-CN')).toBe('已过保修期：最后保修日为 2026-03-09。');
    expect(warrantyReasonText(every['start-after-today'], 'zh-CN')).toBe('销售日期 2026-05-01 晚于 2026-04-01，请核对记录。');
  });

  it('answers the same facts as data, so nothing stored depends on the reader', () => {
    expect(boxWarranty({ receiptDate: '2025-03-10' }, '2026-01-05').reasons).toEqual([every['counted-from-receipt'], every['in-warranty']]);
  });
});
